import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ImageReadError } from '../image-view.ts';
import { isSecretCandidate, normaliseEntryName, parentOf } from './read-layer.ts';

const where = () => 'layer L: entry E';

describe('normaliseEntryName', () => {
  test('makes entry names absolute and clean', () => {
    const cases: Array<[string, string]> = [
      ['usr/bin/x', '/usr/bin/x'],
      ['./usr/bin/x', '/usr/bin/x'],
      ['usr/bin/', '/usr/bin'],
      ['usr//bin///x', '/usr/bin/x'],
      ['a//', '/a'],
      ['./', '/'],
      ['.', '/'],
      ['././etc/./passwd', '/etc/passwd'],
      ['.hidden/..x/x..', '/.hidden/..x/x..'],
      ['etc/.wh.passwd', '/etc/.wh.passwd'],
    ];
    for (const [name, want] of cases) assert.equal(normaliseEntryName(name, where), want, name);
  });

  test('rejects .., absolute, empty, NUL and over-long names, saying where', () => {
    const bad: Array<[string, RegExp]> = [
      ['..', /^layer L: entry E: name contains a '\.\.' component$/],
      ['../x', /'\.\.' component/],
      ['a/../../x', /'\.\.' component/],
      ['a/..', /'\.\.' component/],
      ['./a/../b', /'\.\.' component/],
      ['/etc/passwd', /^layer L: entry E: absolute entry names are not allowed in an image archive$/],
      ['', /empty entry name/],
      ['a\0b', /NUL character/],
      ['x'.repeat(4097), /longer than 4096 characters/],
    ];
    for (const [name, re] of bad) {
      assert.throws(
        () => normaliseEntryName(name, where),
        (e: unknown) => e instanceof ImageReadError && re.test(e.message),
        JSON.stringify(name.slice(0, 20)),
      );
    }
  });

  test('parentOf', () => {
    assert.deepEqual(['/a/b/c', '/a', '/'].map(parentOf), ['/a/b', '/', '/']);
  });
});

describe('isSecretCandidate', () => {
  test('matches key and credential file names under 1 MiB', () => {
    const yes = [
      '/root/.ssh/id_rsa',
      '/home/a/.ssh/id_ed25519',
      '/id_ecdsa',
      '/etc/ssl/private/server.key',
      '/x/cert.pem',
      '/x/store.p12',
      '/x/store.pfx',
      '/root/.aws/credentials',
      '/root/.docker/config.json',
      '/app/.npmrc',
      '/root/.pypirc',
      '/root/.git-credentials',
      '/root/.netrc',
      '/app/.env',
      '/app/.env.local',
      '/app/credentials.json',
      '/app/service-account.json',
      '/app/service-account-prod.json',
      '/root/kubeconfig',
      '/root/.kube/config',
    ];
    const no = ['/root/.ssh/id_rsa.pub', '/usr/bin/env', '/app/environment', '/app/config.json', '/etc/kube/config', '/x/.pem', '/app/credentials.json.bak', '/keys/README'];
    for (const p of yes) assert.equal(isSecretCandidate(p, 100), true, p);
    for (const p of no) assert.equal(isSecretCandidate(p, 100), false, p);
    assert.equal(isSecretCandidate('/root/.ssh/id_rsa', 1024 * 1024 - 1), true);
    assert.equal(isSecretCandidate('/root/.ssh/id_rsa', 1024 * 1024), false);
  });
});

