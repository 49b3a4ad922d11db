import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule, { findCredential, isSecretName, nameTokens } from './secret-in-env-or-arg.ts';
import { ruleTests, runRule } from './testing.ts';

// Made-up credentials in the published formats (none of them is real).
const awsKey = 'AKIA' + 'Q7XZ3M9PLK2WD8RT';
const ghToken = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
const slack = 'xoxb-' + '123456789012-abcdefABCDEF';
const googleKey = 'AIza' + 'Sy0123456789abcdefghijklmnopqrstuvw';

describe('secret names', () => {
  test('tokens', () => {
    assert.deepEqual(nameTokens('AWS_SECRET_ACCESS_KEY'), ['aws', 'secret', 'access', 'key']);
    assert.deepEqual(nameTokens('apiKey'), ['api', 'key']);
    assert.deepEqual(nameTokens('myAPIKey2'), ['my', 'api', 'key', '2']);
    assert.deepEqual(nameTokens('db-password.v1'), ['db', 'password', 'v', '1']);
  });
  const yes = [
    'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'GITHUB_TOKEN', 'DB_PASSWORD', 'apiKey', 'PRIVATE_KEY', 'openai_api_key',
    'SMTP_PASS', 'JWT_SECRET', 'SECRET_KEY_BASE', 'npmAuthToken', 'APIKEY', 'REGISTRY_CREDENTIALS',
  ];
  const no = [
    'TOKENIZER_PATH', 'PASSWORD_MIN_LENGTH', 'KEYBOARD', 'MONKEY', 'GPG_KEY', 'DB_PASSWORD_FILE', 'TOKEN_URL', 'SECRETS_DIR',
    'NEXT_PUBLIC_API_KEY', 'STRIPE_PUBLISHABLE_KEY', 'PASSENGER_APP_ENV', 'USERNAME', 'BYPASS_CACHE', 'PUBLIC_KEY',
  ];
  for (const n of yes) test(`${n} is a secret name`, () => assert.equal(isSecretName(n), true));
  for (const n of no) test(`${n} is not a secret name`, () => assert.equal(isSecretName(n), false));

  test('credential formats, masked', () => {
    assert.deepEqual(findCredential(`x=${awsKey}`), { kind: 'an AWS access key ID', masked: 'AKIA****' });
    assert.deepEqual(findCredential(ghToken), { kind: 'a GitHub token', masked: 'ghp_****' });
    assert.deepEqual(findCredential('https://deploy:hunter2@git.example.com/r.git'), {
      kind: 'a URL with a password in it',
      masked: 'https://deploy:****@',
    });
    assert.equal(findCredential('https://${USER}:${PASS}@git.example.com'), null);
    assert.equal(findCredential('AKIA-not-a-key'), null);
    assert.equal(findCredential('ghp_short'), null);
  });
});

ruleTests(rule, {
  valid: [
    'FROM debian:12\nENV PATH=/opt/bin:$PATH LANG=C.UTF-8\n',
    'ARG VERSION=1.2\nFROM debian:12\nARG TARGETARCH\n',
    { name: 'a file path for a secret', code: 'FROM postgres:16\nENV POSTGRES_PASSWORD_FILE=/run/secrets/pg\n' },
    { name: 'an empty ENV', code: 'FROM alpine:3.20\nENV API_TOKEN=""\n' },
    { name: 'an ENV that refers to a variable', code: 'FROM alpine:3.20\nENV NODE_AUTH_TOKEN=${NPM_TOKEN}\n' },
    { name: 'a boolean flag named after a password', code: 'FROM alpine:3.20\nENV ALLOW_EMPTY_PASSWORD=yes\n' },
    { name: 'public keys by name', code: 'FROM python:3.12\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n' },
    { name: 'a password policy', code: 'FROM alpine:3.20\nENV PASSWORD_MIN_LENGTH=12\n' },
    { name: 'LABEL is not judged', code: 'FROM alpine:3.20\nLABEL api_key_docs=https://example.com/keys\n' },
  ],
  invalid: [
    {
      name: 'a global ARG named like a credential',
      code: 'ARG AWS_SECRET_ACCESS_KEY\nFROM alpine:3.20\n',
      errors: [
        {
          line: 1,
          column: 5,
          endColumn: 26,
          hadolint: 'DL3064',
          severity: 'error',
          message:
            'ARG AWS_SECRET_ACCESS_KEY looks like a credential: build arguments are recorded in the image history; use a secret mount instead (RUN --mount=type=secret,id=aws_secret_access_key).',
        },
      ],
    },
    {
      name: 'ENV with a value, second property of a multi-line ENV',
      code: 'FROM alpine:3.20\nENV APP_MODE=prod \\\n    DB_PASSWORD=changeme\n',
      errors: [
        {
          line: 3,
          column: 5,
          endColumn: 25,
          message:
            'ENV DB_PASSWORD looks like a credential and its value is stored in the image: pass it at run time, or use a secret mount during the build (RUN --mount=type=secret).',
        },
      ],
    },
    {
      name: 'a token format under an innocent name',
      code: `FROM alpine:3.20\nENV CONFIG_VALUE=${awsKey}\n`,
      errors: [
        {
          line: 2,
          column: 5,
          message:
            'ENV CONFIG_VALUE holds what looks like an AWS access key ID ("AKIA****"): remove it from the Dockerfile, revoke it, and pass it with a secret mount (RUN --mount=type=secret) instead.',
        },
      ],
    },
    {
      name: 'legacy ENV form, camelCase ARG in a stage, ONBUILD ENV',
      code: `FROM alpine:3.20\nENV GH_CONFIG ${ghToken}\nARG apiKey=dev\nONBUILD ENV SLACK_HOOK=${slack}\n`,
      errors: [
        { line: 2, column: 5, message: /^ENV GH_CONFIG holds what looks like a GitHub token \("ghp_\*\*\*\*"\)/ },
        { line: 3, column: 5, endColumn: 15, message: /^ARG apiKey looks like a credential/ },
        { line: 4, column: 13, message: /^ENV SLACK_HOOK holds what looks like a Slack token \("xoxb\*\*\*\*"\)/ },
      ],
    },
    {
      name: 'a URL with a password, an ARG with a Google key default',
      code: `FROM python:3.12\nENV PIP_INDEX_URL=https://ci:s3cr3t@pypi.example.com/simple\nARG MAPS=${googleKey}\n`,
      errors: [
        { line: 2, column: 5, message: /a URL with a password in it \("https:\/\/ci:\*\*\*\*@"\)/ },
        { line: 3, column: 5, message: /a Google API key \("AIza\*\*\*\*"\)/ },
      ],
    },
  ],
});

test('secret-in-env-or-arg: messages never contain the secret', async () => {
  const findings = await runRule(rule, `FROM alpine:3.20\nENV A=${awsKey} B=${ghToken}\nENV DB_PASSWORD=hunter2hunter2\n`);
  assert.equal(findings.length, 3);
  for (const f of findings) {
    for (const secret of [awsKey, ghToken, 'hunter2']) assert.ok(!f.message.includes(secret), f.message);
  }
});
