import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule, { recordedBuildArgs } from './image-secret.ts';
import { debianLikeBase, dir, file, hardlink, layerDigest, runImageRule, summarise } from './util/image-fixtures.ts';

// Made-up credentials in the published formats (none of them is real).
const ghToken = 'ghp_' + 'Qw3Er4Ty5Ui6Op7As8Df9Gh0Jk1Lz2Xc3Vb4Nm5';
const npmToken = 'npm_' + 'Pq9Rs8Tu7Vw6Xy5Za4Bc3De2Fg1Hi0Jk9Lm8';
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
const fileAdvice = 'anyone who pulls the image can read it. Revoke it, keep it out of every layer (use RUN --mount=type=secret, or a build stage whose files are not copied), and rebuild.';

describe('build arguments recorded in the history', () => {
  test('BuildKit and classic builder forms', () => {
    assert.deepEqual(recordedBuildArgs(`RUN |2 NPM_TOKEN=${npmToken} VERSION=1.2 /bin/sh -c npm ci # buildkit`), [
      { name: 'NPM_TOKEN', value: npmToken },
      { name: 'VERSION', value: '1.2' },
    ]);
    assert.deepEqual(recordedBuildArgs('|1 PASSWORD=hunter2 /bin/sh -c ./configure'), [{ name: 'PASSWORD', value: 'hunter2' }]);
    assert.deepEqual(recordedBuildArgs('|1 EMPTY= /bin/sh -c true'), [{ name: 'EMPTY', value: '' }]);
    assert.deepEqual(recordedBuildArgs('/bin/sh -c #(nop)  ARG TOKEN'), []);
    assert.deepEqual(recordedBuildArgs('RUN /bin/sh -c echo |1 A=b # buildkit'), []);
  });
});

describe('rule image-secret', () => {
  test('metadata', () => {
    assert.deepEqual([rule.meta.severity, rule.meta.kind, rule.meta.category], ['error', 'image', 'image']);
  });

  test('a private key copied in, on the COPY line; one in the base, on the FROM line', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nCOPY deploy_key /root/.ssh/id_ed25519\nUSER 10001\n',
      layers: [
        { add: [...debianLikeBase(), file('/etc/ssl/private/snakeoil.key', { content: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n' })] },
        { line: 2, add: [file('/root/.ssh/id_ed25519', { mode: 0o600, content: KEY })] },
      ],
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 1, column: 6, endLine: 1, endColumn: 26, severity: 'error',
        message: `/etc/ssl/private/snakeoil.key holds a private key: ${fileAdvice}`,
        path: '/etc/ssl/private/snakeoil.key', layer: layerDigest(0), inherited: true,
      },
      {
        line: 2, column: 1, endLine: 2, endColumn: 38, severity: 'error',
        message: `/root/.ssh/id_ed25519 holds an SSH private key: ${fileAdvice}`,
        path: '/root/.ssh/id_ed25519', layer: layerDigest(1),
      },
    ]);
  });

  test('credential files judged by content; a file whose contents were not read, by name', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM node:20-slim\nCOPY . /app\nRUN cp /app/ci/docker.json /root/.docker/config.json\n',
      layers: [
        { add: [dir('/root', 0o700)] },
        {
          line: 2,
          add: [
            file('/app/.npmrc', { content: '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n' }),
            file('/app/.env', { content: `NODE_ENV=production\nGITHUB_TOKEN=${ghToken}\n` }),
            file('/app/.env.example', { content: 'GITHUB_TOKEN=put-yours-here\n' }),
            file('/app/.git-credentials', { size: 64 }),
            file('/app/ci/docker.json', { content: '{"auths":{"registry.example.com":{"auth":"Y2k6c2VjcmV0LXZhbHVl"}}}' }),
          ],
        },
        { line: 3, add: [dir('/root/.docker', 0o700), file('/root/.docker/config.json', { content: '{"auths":{"registry.example.com":{"auth":"Y2k6c2VjcmV0LXZhbHVl"}}}' })] },
      ],
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.path, f.message.slice(0, f.message.indexOf(': anyone'))]), [
      [2, '/app/.env', '/app/.env holds secrets in a .env file ("ghp_****")'],
      [2, '/app/.git-credentials', '/app/.git-credentials holds Git credentials (judged by its name: its contents were not read)'],
      [3, '/root/.docker/config.json', '/root/.docker/config.json holds registry credentials (a Docker config.json with auths) ("Y2k6****")'],
    ]);
  });

  test('allow: files known to be harmless', async () => {
    const spec = {
      dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir cryptography\n',
      layers: [
        { add: [dir('/usr')] },
        { line: 2, add: [file('/usr/lib/python3/dist-packages/cryptography/tests/keys/rsa.pem', { content: KEY }), file('/srv/app.key', { content: KEY })] },
      ],
    };
    assert.deepEqual(summarise(await runImageRule(rule, spec)).map((f) => f.path), ['/srv/app.key', '/usr/lib/python3/dist-packages/cryptography/tests/keys/rsa.pem']);
    const allowed = await runImageRule(rule, spec, { options: { allow: ['/usr/lib/python3/**/tests/**'] } });
    assert.deepEqual(summarise(allowed).map((f) => f.path), ['/srv/app.key']);
  });

  test('a hardlink to a secret is reported once; a secret deleted later is image-deleted-secret\'s', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nCOPY keys /keys\nRUN ln /keys/a /keys/b && rm /keys/old\n',
      layers: [
        { add: debianLikeBase() },
        { line: 2, add: [file('/keys/a', { content: KEY }), file('/keys/old', { content: KEY })] },
        { line: 3, whiteout: ['/keys/old'], add: [hardlink('/keys/b', '/keys/a')] },
      ],
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.path]), [[2, '/keys/a']]);
  });

  test('the final version of a file counts: a secret overwritten with a harmless file is not reported here', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nCOPY .npmrc /root/.npmrc\nCOPY npmrc.public /root/.npmrc\n',
      layers: [
        { add: debianLikeBase() },
        { line: 2, add: [file('/root/.npmrc', { content: `//registry.npmjs.org/:_authToken=${npmToken}\n` })] },
        { line: 3, add: [file('/root/.npmrc', { content: 'registry=https://registry.npmjs.org/\n' })] },
      ],
    });
    assert.deepEqual(summarise(findings), []);
  });

  test('the config\'s Env: a value from a build argument on its ENV, a value from the base on the FROM line', async () => {
    const dockerfile = 'FROM registry.example.com/base:1\nARG GH\nENV LANG=C.UTF-8 \\\n    GITHUB_TOKEN=$GH\nENV API_KEY=abcdefghijklmnop1234\n';
    const findings = await runImageRule(rule, {
      dockerfile,
      layers: [{ add: debianLikeBase() }],
      config: { env: ['PATH=/usr/bin:/bin', 'SENTRY_DSN_PASSWORD=base-secret-value', 'LANG=C.UTF-8', `GITHUB_TOKEN=${ghToken}`, 'API_KEY=abcdefghijklmnop1234', 'EMPTY_TOKEN='] },
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 1, column: 6, endLine: 1, endColumn: 33, severity: 'error',
        message: 'The image\'s environment sets SENTRY_DSN_PASSWORD to what looks like a credential ("base****") (set by the base image): anyone who pulls the image can read it with docker inspect. Pass it to the container at run time instead, and revoke this one.',
      },
      {
        line: 4, column: 5, endLine: 4, endColumn: 21, severity: 'error',
        message: 'The image\'s environment sets GITHUB_TOKEN to what looks like a GitHub token ("ghp_****"): anyone who pulls the image can read it with docker inspect. Pass it to the container at run time instead, and revoke this one.',
      },
    ]);
  });

  test('build-argument values in the history: once per argument, on its ARG; from the base, on the FROM line', async () => {
    const dockerfile = 'FROM debian:bookworm-slim\nARG NPM_TOKEN\nARG VERSION=1.2\nRUN npm ci\nRUN npm run build\n';
    const findings = await runImageRule(rule, {
      dockerfile,
      layers: [
        { add: debianLikeBase(), createdBy: '|1 DB_PASSWORD=hunter2hunter2 /bin/sh -c ./setup-db.sh' },
        { line: 4, add: [file('/app/node_modules/x')], createdBy: `RUN |2 NPM_TOKEN=${npmToken} VERSION=1.2 /bin/sh -c npm ci # buildkit` },
        { line: 5, add: [file('/app/dist/x')], createdBy: `RUN |2 NPM_TOKEN=${npmToken} VERSION=1.2 /bin/sh -c npm run build # buildkit` },
      ],
      emptyHistory: [{ before: 1, createdBy: 'ARG NPM_TOKEN' }],
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 1, column: 6, endLine: 1, endColumn: 26, severity: 'error',
        message: 'Build argument DB_PASSWORD holds what looks like a credential ("hunt****") and its value is recorded in the image history (1 entry): anyone who pulls the image can read it with docker history. Use a secret mount (RUN --mount=type=secret) instead of a build argument, and revoke this one.',
        layer: layerDigest(0), inherited: true,
      },
      {
        line: 2, column: 5, endLine: 2, endColumn: 14, severity: 'error',
        message: 'Build argument NPM_TOKEN holds what looks like an npm token ("npm_****") and its value is recorded in the image history (2 entries): anyone who pulls the image can read it with docker history. Use a secret mount (RUN --mount=type=secret) instead of a build argument, and revoke this one.',
      },
    ]);
  });

  test('nothing secret: ordinary files, public keys, certificates, plain settings', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nCOPY . /app\n',
      layers: [
        { add: debianLikeBase() },
        {
          line: 2,
          add: [
            file('/app/id_rsa.pub', { content: 'ssh-ed25519 AAAAC3Nza user@host\n' }),
            file('/app/tls/ca.crt', { content: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }),
            file('/app/.env', { content: 'PORT=8080\nDB_PASSWORD_FILE=/run/secrets/db\n' }),
            file('/app/docs/aws.md', { content: 'Set aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n' }),
          ],
          createdBy: 'COPY . /app # buildkit',
        },
      ],
      config: { env: ['PATH=/usr/bin', 'NODE_ENV=production', 'ALLOW_EMPTY_PASSWORD=no', 'TOKEN_URL=https://auth.example.com/token'] },
    });
    assert.deepEqual(summarise(findings), []);
  });
});
