import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, ConfigError, didYouMean, editDistance } from './errors.ts';

describe('ConfigError', () => {
  test('message carries file, line, column and key', () => {
    const err = new ConfigError(
      { file: '.github/defang.yml', line: 12, column: 3, key: 'rules.root-user' },
      'expected one of error, warning, info, off, got "fatal"',
    );
    assert.equal(err.message, '.github/defang.yml:12:3: rules.root-user: expected one of error, warning, info, off, got "fatal"');
    assert.equal(err.file, '.github/defang.yml');
    assert.equal(err.line, 12);
    assert.equal(err.column, 3);
    assert.equal(err.key, 'rules.root-user');
    assert.equal(err.reason, 'expected one of error, warning, info, off, got "fatal"');
    assert.equal(err.name, 'ConfigError');
    assert.ok(err instanceof Error);
  });

  test('unknown position and key are left out of the message', () => {
    assert.equal(new ConfigError({ file: 'input fail-on', line: 0, column: 0 }, 'bad').message, 'input fail-on: bad');
    assert.equal(new ConfigError({ file: 'a.yml', line: 4, column: 0 }, 'bad').message, 'a.yml:4: bad');
    const noKey = new ConfigError({ file: 'a.yml', line: 4, column: 2 }, 'bad');
    assert.equal(noKey.message, 'a.yml:4:2: bad');
    assert.equal(noKey.key, undefined);
  });
});

describe('editDistance', () => {
  test('counts insertions, deletions, substitutions and transpositions', () => {
    assert.equal(editDistance('', ''), 0);
    assert.equal(editDistance('abc', ''), 3);
    assert.equal(editDistance('', 'ab'), 2);
    assert.equal(editDistance('rot-user', 'root-user'), 1);
    assert.equal(editDistance('root-usre', 'root-user'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('fail_on', 'fail-on'), 1);
  });
});

describe('closest / didYouMean', () => {
  const keys = ['rules', 'overrides', 'trusted-registries', 'trusted-registries-extra', 'fail-on', 'platform'];

  test('suggests near misses', () => {
    assert.equal(closest('rule', keys), 'rules');
    assert.equal(closest('overides', keys), 'overrides');
    assert.equal(closest('trusted-registry', keys), 'trusted-registries');
    assert.equal(closest('failOn', keys), 'fail-on');
    assert.equal(closest('PLATFORM', keys), 'platform');
  });

  test('suggests by prefix', () => {
    assert.equal(closest('warn', ['error', 'warning', 'info', 'off']), 'warning');
    assert.equal(closest('err', ['error', 'warning', 'info', 'off']), 'error');
  });

  test('stays silent when nothing is close', () => {
    assert.equal(closest('fatal', ['error', 'warning', 'info', 'off']), undefined);
    assert.equal(closest('colour', keys), undefined);
    assert.equal(closest('x', []), undefined);
    assert.equal(didYouMean('fatal', ['error', 'warning']), '');
  });

  test('prefers the nearest candidate', () => {
    assert.equal(closest('trusted-registries-extr', keys), 'trusted-registries-extra');
    assert.equal(didYouMean('rot-user', ['run-as', 'root-user']), '; did you mean "root-user"?');
  });
});
