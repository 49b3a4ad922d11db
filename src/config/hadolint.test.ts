import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPolicy, levelFor } from './index.ts';
import { load, loadError } from './test-support.ts';

const HADOLINT = '.hadolint.yaml';

describe('.hadolint.yaml migration', () => {
  test('a full hadolint config becomes a policy', async () => {
    const policy = await load({
      [HADOLINT]: `failure-threshold: warning
ignored:
  - DL3008
  - SC2086
override:
  error:
    - DL3015
  warning:
    - SC2046
  style:
    - DL3007
trustedRegistries:
  - docker.io
  - my.registry:5000
disable-ignore-pragma: true
`,
    });
    assert.deepEqual(policy, {
      ...defaultPolicy(),
      rules: {
        'apt-no-recommends': { level: 'error' },
        'latest-tag': { level: 'info' },
        'untagged-base': { level: 'info' },
        'apt-pin': { level: 'off' },
      },
      trustedRegistries: ['docker.io/*', 'my.registry:5000/*'],
      failOn: 'warning',
      allowInlineIgnores: false,
      source: '.hadolint.yaml',
      ignoredCodes: ['DL3008', 'SC2086'],
      codeLevels: { DL3015: 'error', SC2046: 'warning', DL3007: 'info' },
      notices: [],
    });
  });

  test('ignored wins over override, as in hadolint', async () => {
    const policy = await load({
      [HADOLINT]: 'ignored: [DL3008, SC2086]\noverride:\n  error: [DL3008, SC2086]\n',
    });
    assert.deepEqual(policy.rules, { 'apt-pin': { level: 'off' } });
    assert.deepEqual(policy.ignoredCodes, ['DL3008', 'SC2086']);
    assert.deepEqual(policy.codeLevels, {});
  });

  test('codes outside the catalogue switch ShellCheck findings off or re-level them', async () => {
    const policy = await load({ [HADOLINT]: 'ignored: [SC2086]\noverride:\n  info: [SC2046]\n' });
    assert.equal(levelFor(policy, 'shellcheck', 'warning', 'Dockerfile', 'SC2086'), 'off');
    assert.equal(levelFor(policy, 'shellcheck', 'warning', 'Dockerfile', 'SC2046'), 'info');
    assert.equal(levelFor(policy, 'shellcheck', 'warning', 'Dockerfile', 'SC2154'), 'warning');
    assert.equal(levelFor(policy, 'apt-pin', 'warning', 'Dockerfile', 'DL3008'), 'warning');
  });

  test('ignoring one code of a several-code rule leaves its other findings alone', async () => {
    const policy = await load({ [HADOLINT]: 'ignored: [DL3009]\noverride:\n  error: [DL3014]\n' });
    assert.deepEqual(policy.rules, {});
    assert.deepEqual(policy.ignoredCodes, ['DL3009']);
    assert.deepEqual(policy.codeLevels, { DL3014: 'error' });
    assert.equal(levelFor(policy, 'apt-hygiene', 'info', 'Dockerfile', 'DL3009'), 'off');
    assert.equal(levelFor(policy, 'apt-hygiene', 'info', 'Dockerfile', 'DL3014'), 'error');
    assert.equal(levelFor(policy, 'apt-hygiene', 'info', 'Dockerfile'), 'info');
  });

  for (const [threshold, failOn] of [
    ['error', 'error'],
    ['warning', 'warning'],
    ['info', 'info'],
    ['style', 'info'],
    ['ignore', 'never'],
    ['none', 'never'],
  ] as const) {
    test(`failure-threshold: ${threshold} → fail-on ${failOn}`, async () => {
      assert.equal((await load({ [HADOLINT]: `failure-threshold: ${threshold}\n` })).failOn, failOn);
    });
  }

  test('trustedRegistries may be a single host; docker.io keeps meaning any Docker Hub image', async () => {
    assert.deepEqual((await load({ [HADOLINT]: 'trustedRegistries: docker.io\n' })).trustedRegistries, ['docker.io/*']);
    assert.deepEqual((await load({ [HADOLINT]: 'trustedRegistries: [registry.example.com/]\n' })).trustedRegistries, [
      'registry.example.com/*',
    ]);
  });

  test('disable-ignore-pragma: false keeps inline ignores', async () => {
    assert.equal((await load({ [HADOLINT]: 'disable-ignore-pragma: false\n' })).allowInlineIgnores, true);
  });

  test('unsupported and unknown keys are ignored with a notice naming file and line', async () => {
    const policy = await load({
      [HADOLINT]: `format: json
ignored: [DL3008]
label-schema:
  author: text
strict-labels: true
no-fail: true
no-color: true
ignore: [DL3015]
`,
    });
    assert.deepEqual(policy.notices, [
      '.hadolint.yaml:1:1: "format" is not supported by Defang and was ignored (Defang chooses its reporters itself)',
      '.hadolint.yaml:7:1: "no-color" is not supported by Defang and was ignored (Defang output needs no colour setting)',
      '.hadolint.yaml:8:1: unknown hadolint key "ignore" was ignored; did you mean "ignored"?',
    ]);
    assert.equal(policy.failOn, 'never', 'no-fail: true means never fail');
    assert.deepEqual(policy.rules, {
      'apt-pin': { level: 'off' },
      'label-schema': { options: { schema: { author: 'text' }, strict: true } },
    });
  });

  test('entries that are not codes are left out with a notice', async () => {
    const policy = await load({ [HADOLINT]: 'ignored:\n  - DL3008\n  - apt-pin\n' });
    assert.deepEqual(policy.ignoredCodes, ['DL3008']);
    assert.deepEqual(policy.notices, [
      '.hadolint.yaml:3:5: ignored[1]: "apt-pin" is not a hadolint (DLxxxx) or ShellCheck (SCxxxx) code and was ignored',
    ]);
  });

  test('.hadolint.yml is read too; .hadolint.yaml first', async () => {
    assert.equal((await load({ '.hadolint.yml': 'failure-threshold: info\n' })).source, '.hadolint.yml');
    const both = await load({ '.hadolint.yaml': 'failure-threshold: info\n', '.hadolint.yml': 'failure-threshold: none\n' });
    assert.equal(both.source, '.hadolint.yaml');
    assert.equal(both.failOn, 'info');
    assert.deepEqual(both.notices, ['.hadolint.yml: not read, because .hadolint.yaml is read instead']);
  });

  test('not read when a Defang config exists', async () => {
    const policy = await load({ '.defang.yml': 'fail-on: info\n', [HADOLINT]: 'failure-threshold: none\nignored: [DL3008]\n' });
    assert.equal(policy.source, '.defang.yml');
    assert.equal(policy.failOn, 'info');
    assert.deepEqual(policy.rules, {});
    assert.deepEqual(policy.notices, [
      '.hadolint.yaml: not read, because .defang.yml exists (hadolint settings are used only without a Defang config)',
    ]);
  });

  test('the config input may name a hadolint file', async () => {
    const policy = await load({ 'lint/.hadolint.yaml': 'ignored: [DL3007]\n' }, { config: 'lint/.hadolint.yaml' });
    assert.equal(policy.source, 'lint/.hadolint.yaml');
    assert.deepEqual(policy.rules, { 'latest-tag': { level: 'off' }, 'untagged-base': { level: 'off' } });
  });

  test('inputs win over hadolint settings', async () => {
    const policy = await load({ [HADOLINT]: 'failure-threshold: none\n' }, { failOn: 'error' });
    assert.equal(policy.failOn, 'error');
  });

  test('an empty hadolint file keeps the defaults', async () => {
    assert.deepEqual(await load({ [HADOLINT]: '' }), { ...defaultPolicy(), source: HADOLINT });
  });

  test('bad values are errors with positions', async () => {
    await loadError(
      { [HADOLINT]: 'override:\n  fatal: [DL3008]\n' },
      '.hadolint.yaml:2:3: override.fatal: unknown key "fatal"',
    );
    await loadError(
      { [HADOLINT]: 'override:\n  warnings: [DL3008]\n' },
      '.hadolint.yaml:2:3: override.warnings: unknown key "warnings"; did you mean "warning"?',
    );
    await loadError(
      { [HADOLINT]: 'failure-threshold: fatal\n' },
      '.hadolint.yaml:1:1: failure-threshold: expected one of error, warning, info, style, ignore, none, got "fatal"',
    );
    await loadError(
      { [HADOLINT]: 'ignored:\n  DL3008: true\n' },
      '.hadolint.yaml:1:1: ignored: expected a rule code or a list of them, got a map',
    );
    await loadError(
      { [HADOLINT]: 'disable-ignore-pragma: "yes"\n' },
      '.hadolint.yaml:1:1: disable-ignore-pragma: expected true or false, got "yes"',
    );
    await loadError(
      { [HADOLINT]: 'ignored: [DL3008]\nignored: [DL3015]\n' },
      '.hadolint.yaml:2:1: ignored: duplicate key "ignored" (first given at line 1)',
    );
    await loadError({ [HADOLINT]: 'ignored: [DL3008\n' }, '.hadolint.yaml:2:1: invalid YAML: flow sequence in block collection must be sufficiently indented and end with a ]');
  });
});
