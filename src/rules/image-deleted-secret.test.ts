import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from './image-deleted-secret.ts';
import { debianLikeBase, dir, file, layerDigest, runImageRule, summarise } from './util/image-fixtures.ts';

// Made-up credentials (none of them is real).
const KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n';
const ghToken = 'ghp_' + 'Mn0Bv9Cx8Zl7Kj6Hg5Fd4Sa3Po2Iu1Yt0Re9Wq8';
const tail = 'but that only hides it: this layer still holds the file and anyone who pulls the image can extract it. Revoke it, and keep secrets out of layers with RUN --mount=type=secret.';

describe('rule image-deleted-secret', () => {
  test('metadata', () => {
    assert.deepEqual([rule.meta.severity, rule.meta.kind, rule.meta.category], ['error', 'image', 'image']);
  });

  test('a key copied in and deleted by a later RUN: on the COPY line, naming the RUN', async () => {
    const dockerfile = [
      'FROM debian:bookworm-slim',
      'COPY id_rsa /root/.ssh/id_rsa',
      'RUN git clone git@github.com:acme/private.git /src',
      'RUN rm -f /root/.ssh/id_rsa',
      '',
    ].join('\n');
    const findings = await runImageRule(rule, {
      dockerfile,
      layers: [
        { add: debianLikeBase() },
        { line: 2, add: [dir('/root/.ssh', 0o700), file('/root/.ssh/id_rsa', { mode: 0o600, content: KEY })] },
        { line: 3, add: [file('/src/README.md', { content: 'hello' })] },
        { line: 4, whiteout: ['/root/.ssh/id_rsa'] },
      ],
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 2, column: 1, endLine: 2, endColumn: 30, severity: 'error',
        message: `/root/.ssh/id_rsa holds an SSH private key; it is deleted by the RUN on line 4, ${tail}`,
        path: '/root/.ssh/id_rsa', layer: layerDigest(1),
      },
    ]);
  });

  test('a secret of the base image deleted here: inherited, on the FROM line', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM registry.example.com/ci-base:3\nRUN rm -rf /root/.aws\n',
      layers: [
        { add: [...debianLikeBase(), dir('/root/.aws'), file('/root/.aws/credentials', { size: 116 })] },
        { line: 2, whiteout: ['/root/.aws'] },
      ],
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 1, column: 6, endLine: 1, endColumn: 36, severity: 'error',
        message: `/root/.aws/credentials holds AWS credentials (judged by its name: its contents were not read); it is deleted by the RUN on line 2, ${tail}`,
        path: '/root/.aws/credentials', layer: layerDigest(0), inherited: true,
      },
    ]);
  });

  test('an opaque directory and an overwrite hide a secret just the same; the same bytes written again do not count', async () => {
    const dockerfile = [
      'FROM debian:bookworm-slim',
      'COPY secrets/ /run/app/',
      'RUN rm -rf /run/app && mkdir /run/app && echo ok > /run/app/status',
      'COPY config.yml /etc/app/config.yml',
      'COPY config.public.yml /etc/app/config.yml',
      'COPY same.yml /etc/app/same.yml',
      'COPY same.yml /etc/app/same.yml',
      '',
    ].join('\n');
    const same = `token: ${ghToken}\n`;
    const findings = await runImageRule(rule, {
      dockerfile,
      layers: [
        { add: debianLikeBase() },
        { line: 2, add: [file('/run/app/token.txt', { content: `GITHUB=${ghToken}` })] },
        { line: 3, opaque: ['/run/app'], add: [file('/run/app/status', { content: 'ok\n' })] },
        { line: 4, add: [file('/etc/app/config.yml', { content: `github:\n  token: ${ghToken}\n` })] },
        { line: 5, add: [file('/etc/app/config.yml', { content: 'github:\n  token: null\n' })] },
        { line: 6, add: [file('/etc/app/same.yml', { content: same })] },
        { line: 7, add: [file('/etc/app/same.yml', { content: same })] },
      ],
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.path, f.layer, f.message.slice(0, f.message.indexOf(', but'))]), [
      [2, '/run/app/token.txt', layerDigest(1), '/run/app/token.txt holds a GitHub token ("ghp_****"); it is deleted by the RUN on line 3'],
      [4, '/etc/app/config.yml', layerDigest(3), '/etc/app/config.yml holds a GitHub token ("ghp_****"); it is replaced by the COPY on line 5'],
    ]);
  });

  test('deleted by a layer that could not be tied to an instruction', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nCOPY .netrc /root/.netrc\n',
      layers: [
        { add: debianLikeBase() },
        { line: 2, add: [file('/root/.netrc', { content: 'machine example.com login ci password pa55w0rd-value\n' })] },
        { unmapped: 'no instruction left to map it to', whiteout: ['/root/.netrc'] },
      ],
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.message.slice(0, f.message.indexOf(', but'))]), [
      [2, '/root/.netrc holds netrc credentials ("pa55****"); it is deleted by layer 3 of the image (not tied to a Dockerfile instruction)'],
    ]);
  });

  test('deleted files that held no secret are not reported', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nCOPY build.tar.gz /tmp/\nRUN tar -xzf /tmp/build.tar.gz -C /opt && rm /tmp/build.tar.gz /root/.ssh/id_rsa.pub\n',
      layers: [
        { add: [...debianLikeBase(), dir('/root/.ssh'), file('/root/.ssh/id_rsa.pub', { content: 'ssh-rsa AAAA user@host\n' })] },
        { line: 2, add: [file('/tmp/build.tar.gz', { size: 5_000_000 })] },
        { line: 3, whiteout: ['/tmp/build.tar.gz', '/root/.ssh/id_rsa.pub'], add: [file('/opt/app', { mode: 0o755 })] },
      ],
    });
    assert.deepEqual(summarise(findings), []);
  });
});
