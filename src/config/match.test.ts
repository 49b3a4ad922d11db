import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeLevelFor, defaultPolicy, globMatcher, levelFor, policyForFile, ruleSettingFor } from './index.ts';
import type { Policy } from './index.ts';
import { load } from './test-support.ts';

function policyWith(parts: Partial<Policy>): Policy {
  return { ...defaultPolicy(), ...parts };
}

describe('globMatcher', () => {
  test('a glob with a slash matches the whole repository-relative path', () => {
    const m = globMatcher(['ci/*.Dockerfile', 'services/**']);
    assert.equal(m('ci/build.Dockerfile'), true);
    assert.equal(m('x/ci/build.Dockerfile'), false);
    assert.equal(m('services/api/Dockerfile'), true);
    assert.equal(m('other/services/Dockerfile'), false);
  });

  test('a glob without a slash also matches by basename', () => {
    const m = globMatcher(['Dockerfile.*']);
    assert.equal(m('Dockerfile.dev'), true);
    assert.equal(m('a/b/Dockerfile.dev'), true);
    assert.equal(m('a/b/Dockerfile'), false);
    assert.equal(m('a/Dockerfile.dev/x'), false);
  });

  test('dot directories and files match', () => {
    assert.equal(globMatcher(['**/Dockerfile'])('.devcontainer/Dockerfile'), true);
    assert.equal(globMatcher(['*'])('.hidden'), true);
  });

  test('./ prefixes and backslashes in the path are normalised', () => {
    const m = globMatcher(['docker/**']);
    assert.equal(m('./docker/app/Dockerfile'), true);
    assert.equal(m('docker\\app\\Dockerfile'), true);
  });

  test('no globs match nothing', () => {
    assert.equal(globMatcher([])('Dockerfile'), false);
  });
});

describe('ruleSettingFor', () => {
  const policy = policyWith({
    rules: {
      'root-user': { level: 'error', options: { allowUsers: ['app'], strict: true } },
      'apt-pin': { options: { allow: ['curl'] } },
    },
    overrides: [
      { files: ['legacy/**'], rules: { 'root-user': { level: 'warning' } } },
      { files: ['legacy/old/**', 'Dockerfile.test'], rules: { 'root-user': { level: 'off', options: { strict: false } } } },
      { files: ['**/Dockerfile'], rules: { 'apt-pin': { level: 'info', options: { allow: ['wget'] } } } },
    ],
  });

  test('a rule with no settings gets an empty setting', () => {
    assert.deepEqual(ruleSettingFor(policy, 'latest-tag', 'Dockerfile'), {});
  });

  test('rules: applies where no override matches', () => {
    assert.deepEqual(ruleSettingFor(policy, 'root-user', 'app/Containerfile'), {
      level: 'error',
      options: { allowUsers: ['app'], strict: true },
    });
  });

  test('a matching override wins over rules:', () => {
    assert.deepEqual(ruleSettingFor(policy, 'root-user', 'legacy/a/Containerfile'), {
      level: 'warning',
      options: { allowUsers: ['app'], strict: true },
    });
  });

  test('later matching overrides win over earlier ones; options merge key by key', () => {
    assert.deepEqual(ruleSettingFor(policy, 'root-user', 'legacy/old/Containerfile'), {
      level: 'off',
      options: { allowUsers: ['app'], strict: false },
    });
    assert.deepEqual(ruleSettingFor(policy, 'root-user', 'images/Dockerfile.test'), {
      level: 'off',
      options: { allowUsers: ['app'], strict: false },
    });
  });

  test('an override for another rule leaves this one alone', () => {
    assert.deepEqual(ruleSettingFor(policy, 'apt-pin', 'legacy/old/Dockerfile'), {
      level: 'info',
      options: { allow: ['wget'] },
    });
    assert.deepEqual(ruleSettingFor(policy, 'apt-pin', 'legacy/old/Containerfile'), { options: { allow: ['curl'] } });
  });

  test('the result is a copy: changing it does not change the policy', () => {
    const setting = ruleSettingFor(policy, 'root-user', 'x');
    setting.level = 'info';
    setting.options!['strict'] = 'changed';
    assert.deepEqual(policy.rules['root-user'], { level: 'error', options: { allowUsers: ['app'], strict: true } });
  });

  test('changing an override’s globs takes effect', () => {
    const p = policyWith({ overrides: [{ files: ['a/**'], rules: { 'root-user': { level: 'off' } } }] });
    assert.equal(ruleSettingFor(p, 'root-user', 'a/Dockerfile').level, 'off');
    p.overrides[0]!.files = ['b/**'];
    assert.equal(ruleSettingFor(p, 'root-user', 'a/Dockerfile').level, undefined);
    assert.equal(ruleSettingFor(p, 'root-user', 'b/Dockerfile').level, 'off');
  });
});

describe('levelFor', () => {
  test('default severity when nothing is configured', () => {
    assert.equal(levelFor(defaultPolicy(), 'root-user', 'warning', 'Dockerfile'), 'warning');
    assert.equal(levelFor(defaultPolicy(), 'shellcheck', 'info', 'Dockerfile', 'SC2086'), 'info');
  });

  test('the rule level, with overrides', () => {
    const policy = policyWith({
      rules: { 'root-user': { level: 'error' } },
      overrides: [{ files: ['test/**'], rules: { 'root-user': { level: 'off' } } }],
    });
    assert.equal(levelFor(policy, 'root-user', 'warning', 'Dockerfile'), 'error');
    assert.equal(levelFor(policy, 'root-user', 'warning', 'test/Dockerfile'), 'off');
  });

  test('a code level wins over the rule level, but a rule switched off stays off', () => {
    const policy = policyWith({
      rules: { shellcheck: { level: 'warning' } },
      overrides: [{ files: ['vendor/**'], rules: { shellcheck: { level: 'off' } } }],
      ignoredCodes: ['SC2086'],
      codeLevels: { SC2046: 'error' },
    });
    assert.equal(levelFor(policy, 'shellcheck', 'info', 'Dockerfile', 'SC2086'), 'off');
    assert.equal(levelFor(policy, 'shellcheck', 'info', 'Dockerfile', 'SC2046'), 'error');
    assert.equal(levelFor(policy, 'shellcheck', 'info', 'Dockerfile', 'sc2046'), 'error');
    assert.equal(levelFor(policy, 'shellcheck', 'info', 'Dockerfile', 'SC1091'), 'warning');
    assert.equal(levelFor(policy, 'shellcheck', 'info', 'vendor/x/Dockerfile', 'SC2046'), 'off');
  });

  test('overrides re-level codes per path, later ones winning', () => {
    const policy = policyWith({
      ignoredCodes: ['SC2086'],
      overrides: [
        { files: ['scripts/**'], rules: {}, codeLevels: { SC2086: 'warning' } },
        { files: ['scripts/strict/**'], rules: {}, codeLevels: { SC2086: 'error' } },
      ],
    });
    assert.equal(codeLevelFor(policy, 'SC2086', 'Dockerfile'), 'off');
    assert.equal(codeLevelFor(policy, 'SC2086', 'scripts/Dockerfile'), 'warning');
    assert.equal(codeLevelFor(policy, 'SC2086', 'scripts/strict/Dockerfile'), 'error');
    assert.equal(codeLevelFor(policy, 'SC2046', 'scripts/Dockerfile'), undefined);
    assert.equal(levelFor(policy, 'shellcheck', 'info', 'scripts/strict/Dockerfile', 'SC2086'), 'error');
  });

  test('end to end from a config file', async () => {
    const policy = await load({
      '.github/defang.yml': `rules:
  root-user: error
  DL3007: info
  SC2086: off
overrides:
  - files: [legacy/**]
    rules:
      root-user: off
      SC2086: warning
  - files: Dockerfile.ci
    rules:
      latest-tag: error
`,
    });
    assert.equal(levelFor(policy, 'root-user', 'warning', 'Dockerfile'), 'error');
    assert.equal(levelFor(policy, 'root-user', 'warning', 'legacy/app/Dockerfile'), 'off');
    assert.equal(levelFor(policy, 'latest-tag', 'warning', 'Dockerfile', 'DL3007'), 'info');
    assert.equal(levelFor(policy, 'untagged-base', 'warning', 'Dockerfile', 'DL3007'), 'info');
    assert.equal(levelFor(policy, 'latest-tag', 'warning', 'tools/Dockerfile.ci', 'DL3007'), 'error');
    assert.equal(levelFor(policy, 'apt-pin', 'warning', 'Dockerfile', 'DL3008'), 'warning');
    assert.equal(levelFor(policy, 'shellcheck', 'warning', 'Dockerfile', 'SC2086'), 'off');
    assert.equal(levelFor(policy, 'shellcheck', 'warning', 'legacy/Dockerfile', 'SC2086'), 'warning');
  });
});

describe('policyForFile', () => {
  const policy = policyWith({
    rules: {
      'root-user': { level: 'error', options: { allowUsers: ['app'], strict: true } },
      'apt-pin': { options: { allow: ['curl'] } },
    },
    overrides: [
      { files: ['legacy/**'], rules: { 'root-user': { level: 'warning' } }, codeLevels: { SC2086: 'warning' } },
      { files: ['legacy/old/**'], rules: { 'root-user': { level: 'off', options: { strict: false } } } },
      { files: ['**/Dockerfile'], rules: { 'apt-pin': { level: 'info' }, 'no-sudo': { level: 'error' } }, codeLevels: { DL3008: 'off' } },
    ],
    ignoredCodes: ['SC2086', 'DL3008'],
    codeLevels: { SC2046: 'error' },
  });
  const files = ['Dockerfile', 'legacy/Containerfile', 'legacy/old/Dockerfile', 'app/Dockerfile.dev', './legacy/old/x'];

  test('answers as ruleSettingFor does, for every rule and file', () => {
    for (const file of files) {
      const fp = policyForFile(policy, file);
      for (const id of ['root-user', 'apt-pin', 'no-sudo', 'latest-tag']) {
        assert.deepEqual(fp.setting(id), ruleSettingFor(policy, id, file), `${id} in ${file}`);
      }
    }
    assert.deepEqual(policyForFile(policy, 'legacy/old/Dockerfile').setting('root-user'), {
      level: 'off',
      options: { allowUsers: ['app'], strict: false },
    });
    assert.deepEqual(policyForFile(policy, 'x/Dockerfile').setting('no-sudo'), { level: 'error' });
    assert.deepEqual(policyForFile(policy, 'x/Containerfile').setting('no-sudo'), {});
  });

  test('answers as codeLevelFor does, asked twice, in any case', () => {
    for (const file of files) {
      const fp = policyForFile(policy, file);
      for (const code of ['SC2086', 'sc2086', 'SC2046', 'DL3008', 'DL3009', 'SC2086']) {
        assert.equal(fp.codeLevel(code), codeLevelFor(policy, code, file), `${code} in ${file}`);
      }
    }
    assert.equal(policyForFile(policy, 'legacy/Containerfile').codeLevel('sc2086'), 'warning');
    assert.equal(policyForFile(policy, 'Containerfile').codeLevel('SC2086'), 'off');
    assert.equal(policyForFile(policy, 'Containerfile').codeLevel('SC2046'), 'error');
    assert.equal(policyForFile(defaultPolicy(), 'Dockerfile').codeLevel('SC2046'), undefined);
  });

  test('the setting for a rule the policy does not name is empty and cannot be changed', () => {
    const s = policyForFile(defaultPolicy(), 'Dockerfile').setting('root-user');
    assert.deepEqual(s, {});
    assert.throws(() => {
      (s as { level?: string }).level = 'off';
    }, TypeError);
  });
});

test('policyForFile says whether any code has a level for the file', () => {
  assert.equal(policyForFile(defaultPolicy(), 'Dockerfile').hasCodeLevels, false);
  assert.equal(policyForFile(policyWith({ ignoredCodes: ['DL3008'] }), 'Dockerfile').hasCodeLevels, true);
  assert.equal(policyForFile(policyWith({ codeLevels: { SC2046: 'error' } }), 'Dockerfile').hasCodeLevels, true);
  const scoped = policyWith({ overrides: [{ files: ['ci/**'], rules: {}, codeLevels: { SC2086: 'off' } }] });
  assert.equal(policyForFile(scoped, 'ci/Dockerfile').hasCodeLevels, true);
  assert.equal(policyForFile(scoped, 'app/Dockerfile').hasCodeLevels, false);
});
