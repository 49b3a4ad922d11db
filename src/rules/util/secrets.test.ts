import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeFileSecret, fileSecret, findCredential, findToken, isSecretName, secretSetting } from './secrets.ts';

// Made-up credentials in the published formats (none of them is real).
const ghToken = 'ghp_' + 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa98';
const awsKey = 'AKIA' + 'R5T6Y7U8I9O0P1A2';
const pem = (label: string) => `-----BEGIN ${label}-----\nMIIEowIBAAKCAQEAx\n-----END ${label}-----\n`;
const buf = (s: string) => Buffer.from(s);

describe('tokens in file contents', () => {
  test('the first known format, masked', () => {
    assert.deepEqual(findToken(`config:\n  token: ${ghToken}\n`), { kind: 'a GitHub token', masked: 'ghp_****' });
    assert.deepEqual(findToken(`key=${awsKey}`), { kind: 'an AWS access key ID', masked: 'AKIA****' });
  });
  test('documentation examples and URL passwords in plain files are not tokens', () => {
    assert.equal(findToken('aws_access_key_id = AKIAIOSFODNN7EXAMPLE'), null);
    assert.deepEqual(findToken(`AKIAIOSFODNN7EXAMPLE then ${awsKey}`), { kind: 'an AWS access key ID', masked: 'AKIA****' });
    assert.equal(findToken('DATABASE_URL=postgres://user:secret@db/app'), null);
  });
});

describe('settings', () => {
  test('by value or by name', () => {
    assert.deepEqual(secretSetting('CONFIG', ghToken), { kind: 'a GitHub token', masked: 'ghp_****' });
    assert.deepEqual(secretSetting('DB_PASSWORD', 'hunter2'), { kind: 'a credential', masked: '****' });
    assert.deepEqual(secretSetting('API_KEY', 'abcdefghijklmnop'), { kind: 'a credential', masked: 'abcd****' });
    assert.deepEqual(secretSetting('URL', 'https://bot:pw123@git.example.com/x.git'), { kind: 'a URL with a password in it', masked: 'https://bot:****@' });
  });
  test('empty, boolean, references and names that are not credentials', () => {
    assert.equal(secretSetting('DB_PASSWORD', ''), null);
    assert.equal(secretSetting('ALLOW_EMPTY_PASSWORD', 'yes'), null);
    assert.equal(secretSetting('API_TOKEN', '${TOKEN}'), null);
    assert.equal(secretSetting('DB_PASSWORD_FILE', '/run/secrets/db'), null);
    assert.equal(secretSetting('GPG_KEY', 'A035C8C19219BA821ECEA86B64E628F8D684696D'), null);
  });
});

describe('files', () => {
  const cases: Array<[string, string | null, number, string | null]> = [
    ['/root/.ssh/id_rsa', pem('OPENSSH PRIVATE KEY'), 400, 'an SSH private key'],
    ['/root/.ssh/id_ed25519', null, 400, 'an SSH private key (by name)'],
    ['/root/.ssh/id_ed25519', 'placeholder\n', 12, null],
    ['/root/.ssh/id_rsa.pub', null, 400, null],
    ['/etc/ssl/private/server.key', pem('RSA PRIVATE KEY'), 1700, 'a private key'],
    ['/srv/keys/signing.asc', '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF\n', 40, 'a private key'],
    ['/etc/ssl/certs/ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 60, null],
    ['/root/.aws/credentials', '[default]\naws_access_key_id = x\naws_secret_access_key = wJalrXUtnFEMIabcdefghij\n', 90, 'AWS credentials ("wJal****")'],
    ['/home/app/.aws/credentials', null, 90, 'AWS credentials (by name)'],
    ['/home/app/.aws/credentials', '[default]\nregion = eu-west-1\n', 30, null],
    ['/root/.docker/config.json', '{"auths":{"ghcr.io":{"auth":"Ym90OnNlY3JldHRva2Vu"}}}', 60, 'registry credentials (a Docker config.json with auths) ("Ym90****")'],
    ['/root/.docker/config.json', '{"auths":{"ghcr.io":{}},"credsStore":"desktop"}', 50, null],
    ['/root/.docker/config.json', '{not json', 9, null],
    ['/root/.docker/config.json', null, 60, null],
    ['/app/.npmrc', '//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n', 80, 'an npm auth token ("npm_****")'],
    ['/app/.npmrc', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n', 50, null],
    ['/app/.npmrc', null, 50, null],
    ['/root/.git-credentials', 'https://bot:s3cr3t-value@github.com\n', 40, 'Git credentials ("https://bot:****@")'],
    ['/root/.netrc', 'machine api.example.com login bot password hunter2hunter2\n', 60, 'netrc credentials ("hunt****")'],
    ['/root/.pgpass', 'db:5432:app:app:pgpass-value-1\n', 30, 'a PostgreSQL password file ("pgpa****")'],
    ['/app/.env', '# settings\nNODE_ENV=production\nexport STRIPE_SECRET=whsec_abcdefgh123\n', 70, 'secrets in a .env file ("whse****")'],
    ['/app/.env.production', `GITHUB=${ghToken}\n`, 50, 'secrets in a .env file ("ghp_****")'],
    ['/app/.env', 'NODE_ENV=production\nDB_PASSWORD=\nAPI_TOKEN=${TOKEN} # from the runtime\n', 60, null],
    ['/app/.env.example', 'DB_PASSWORD=changeme\n', 20, null],
    ['/app/.env', null, 70, null],
    ['/root/.pypirc', '[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmcCJGE\n', 60, 'a PyPI password (.pypirc) ("pypi****")'],
    ['/root/.pypirc', '[pypi]\nusername = __token__\n', 30, null],
    ['/root/.kube/config', 'users:\n- name: ci\n  user:\n    token: eyJhbGciOiJSUzI1NiIsImtpZCI6\n', 80, 'Kubernetes credentials (a kubeconfig) ("eyJh****")'],
    ['/etc/kubeconfig', 'users:\n- name: ci\n  user:\n    exec:\n      command: aws\n', 60, null],
    ['/secrets/service-account-ci.json', '{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n"}', 90, 'a private key'],
    ['/app/config/settings.yml', `github:\n  token: ${ghToken}\n`, 60, 'a GitHub token ("ghp_****")'],
    ['/app/config/settings.yml', null, 60, null],
  ];
  for (const [path, content, size, expected] of cases) {
    test(`${path}: ${content === null ? 'not read' : JSON.stringify(content.slice(0, 30))}`, () => {
      const s = fileSecret(path, content === null ? null : buf(content), size);
      const got = s === null ? null : s.byName ? `${s.kind} (by name)` : describeFileSecret(s);
      assert.equal(got, expected);
    });
  }

  test('an empty credential file named like one is not reported by name', () => {
    assert.equal(fileSecret('/root/.git-credentials', null, 0), null);
  });
});

describe('values and names, every format', () => {
  test('each known token format is found in a value, wherever it stands', () => {
    const samples: Array<[string, string]> = [
      [awsKey, 'an AWS access key ID'],
      ['ASIA' + 'Q1W2E3R4T5Y6U7I8', 'an AWS access key ID'],
      ['ghs_' + 'a'.repeat(36), 'a GitHub token'],
      ['github_pat_' + 'B'.repeat(22), 'a GitHub fine-grained token'],
      ['xoxb-' + '1234567890', 'a Slack token'],
      [pem('RSA PRIVATE KEY'), 'a private key'],
      ['rk_live_' + 'c'.repeat(16), 'a Stripe live secret key'],
      ['AIza' + 'd'.repeat(35), 'a Google API key'],
      ['npm_' + 'E'.repeat(36), 'an npm token'],
      ['glpat-' + 'f'.repeat(20), 'a GitLab access token'],
      ['HTTPS://bot:pw9@git.example.com/x.git', 'a URL with a password in it'],
    ];
    for (const [value, kind] of samples) {
      assert.equal(findCredential(`prefix ${value} suffix`)?.kind, kind, value);
    }
    assert.equal(findCredential('https://git.example.com/x.git'), null);
    assert.equal(findCredential('/usr/local/bin:/usr/bin'), null);
    assert.equal(findCredential('ghp_short'), null);
  });

  test('credential names in any spelling; qualifiers and public names are not', () => {
    for (const name of ['apiKey', 'DB_PASSWD', 'github-token', 'Creds', 'MY_ACCESS_KEY', 'privateKey', 'SECRET', 'x.PassPhrase']) {
      assert.equal(isSecretName(name), true, name);
    }
    for (const name of ['TOKEN_FILE', 'PATH', 'KEYBOARD', 'NEXT_PUBLIC_API_KEY', 'PASSENGER', 'monkey', 'bypass_cache']) {
      assert.equal(isSecretName(name), false, name);
    }
  });
});
