import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { defaultPolicy, DEFAULT_TRUSTED_REGISTRIES, levelFor, loadPolicy } from './index.ts';
import { CATALOGUE, load, loadError, workspace } from './test-support.ts';

const DEFANG = '.github/defang.yml';

describe('finding the config file', () => {
  test('no config at all gives the defaults', async () => {
    const policy = await load({ 'Dockerfile': 'FROM alpine:3.20\n' });
    assert.deepEqual(policy, defaultPolicy());
    assert.equal(policy.source, null);
    assert.deepEqual(policy.notices, []);
    assert.deepEqual(policy.ignoredCodes, []);
    assert.deepEqual(policy.codeLevels, {});
  });

  for (const name of ['.github/defang.yml', '.github/defang.yaml', '.defang.yml', '.defang.yaml']) {
    test(`reads ${name}`, async () => {
      const policy = await load({ [name]: 'fail-on: warning\n' });
      assert.equal(policy.source, name);
      assert.equal(policy.failOn, 'warning');
    });
  }

  test('the first candidate wins and the others are named in notices', async () => {
    const policy = await load({
      '.github/defang.yml': 'fail-on: info\n',
      '.defang.yml': 'fail-on: never\n',
      '.defang.yaml': 'fail-on: warning\n',
    });
    assert.equal(policy.source, '.github/defang.yml');
    assert.equal(policy.failOn, 'info');
    assert.deepEqual(policy.notices, [
      '.defang.yml: not read, because .github/defang.yml is read instead',
      '.defang.yaml: not read, because .github/defang.yml is read instead',
    ]);
  });

  test('.github/defang.yaml is preferred over .defang.yml', async () => {
    const policy = await load({ '.github/defang.yaml': 'shellcheck: false\n', '.defang.yml': 'shellcheck: true\n' });
    assert.equal(policy.source, '.github/defang.yaml');
    assert.equal(policy.shellcheck, false);
  });

  test('the config input names the file, relative to the workspace', async () => {
    const policy = await load(
      { 'ci/lint.yml': 'fail-on: never\n', '.github/defang.yml': 'fail-on: info\n' },
      { config: 'ci/lint.yml' },
    );
    assert.equal(policy.source, 'ci/lint.yml');
    assert.equal(policy.failOn, 'never');
    assert.deepEqual(policy.notices, []);
  });

  test('an empty config input is the same as none', async () => {
    const policy = await load({ '.defang.yml': 'fail-on: info\n' }, { config: '' });
    assert.equal(policy.source, '.defang.yml');
  });

  test('a config input naming a missing file is an error', async () => {
    const ws = workspace({});
    await assert.rejects(loadPolicy({ workspace: ws, catalogue: CATALOGUE, inputs: { config: 'ci/nope.yml' } }), {
      name: 'ConfigError',
      message: `ci/nope.yml: input config: names a file that does not exist (${path.join(ws, 'ci/nope.yml')})`,
      file: 'ci/nope.yml',
      line: 0,
      column: 0,
      key: 'input config',
    });
  });

  test('a config input naming a directory is an error', async () => {
    const ws = workspace({ 'ci/keep': '' });
    await assert.rejects(loadPolicy({ workspace: ws, catalogue: CATALOGUE, inputs: { config: 'ci' } }), {
      message: `ci: input config: names a directory, not a file (${path.join(ws, 'ci')})`,
    });
  });

  test('a directory where a config file would be is skipped', async () => {
    const policy = await load({ '.github/defang.yml/keep': '', '.defang.yml': 'only-changed: false\n' });
    assert.equal(policy.source, '.defang.yml');
    assert.equal(policy.onlyChanged, false);
  });

  test('an empty or comment-only file keeps the defaults but records the source', async () => {
    for (const text of ['', '# nothing configured yet\n']) {
      const policy = await load({ [DEFANG]: text });
      assert.deepEqual(policy, { ...defaultPolicy(), source: DEFANG });
    }
  });
});

describe('the schema', () => {
  test('every key at once', async () => {
    const policy = await load({
      [DEFANG]: `# Defang settings
rules:
  root-user: error
  apt-pin:
    level: info
    options:
      allow: [curl, ca-certificates]
  SC2086: off
overrides:
  - files: [legacy/**, "**/Dockerfile.dev"]
    rules:
      root-user: off
trusted-registries:
  - docker.io/library/*
  - "*.dkr.ecr.*.amazonaws.com/*"
trusted-registries-extra: [ghcr.io/my-org/*]
build-args:
  NODE_VERSION: "22"
  DEBUG: false
fail-on: warning
allow-inline-ignores: false
dockerfiles:
  - docker/**/Dockerfile
only-changed: false
shellcheck: false
platform: linux/arm64/v8
`,
    });
    assert.deepEqual(policy, {
      rules: {
        'root-user': { level: 'error' },
        'apt-pin': { level: 'info', options: { allow: ['curl', 'ca-certificates'] } },
      },
      overrides: [
        {
          files: ['legacy/**', '**/Dockerfile.dev'],
          rules: { 'root-user': { level: 'off' } },
          origin: '.github/defang.yml:10',
        },
      ],
      trustedRegistries: ['docker.io/library/*', '*.dkr.ecr.*.amazonaws.com/*', 'ghcr.io/my-org/*'],
      buildArgs: { NODE_VERSION: '22', DEBUG: 'false' },
      platform: 'linux/arm64/v8',
      failOn: 'warning',
      allowInlineIgnores: false,
      dockerfiles: ['docker/**/Dockerfile'],
      onlyChanged: false,
      shellcheck: false,
      source: DEFANG,
      ignoredCodes: ['SC2086'],
      codeLevels: {},
      notices: [],
    });
  });

  test('a hadolint code means every rule with that code; a rule named by id wins whatever the order', async () => {
    const policy = await load({
      [DEFANG]: `rules:
  latest-tag: error
  DL3007:
    level: info
    options: { allow: [scratch] }
  dl3008: off
`,
    });
    assert.deepEqual(policy.rules, {
      'latest-tag': { level: 'error', options: { allow: ['scratch'] } },
      'untagged-base': { level: 'info', options: { allow: ['scratch'] } },
      'apt-pin': { level: 'off' },
    });
  });

  test('a code of a rule that stands for several codes selects only that code’s findings', async () => {
    const policy = await load({
      [DEFANG]: 'rules:\n  apt-hygiene: error\n  DL3014: warning\n  dl3009: off\n',
    });
    assert.deepEqual(policy.rules, { 'apt-hygiene': { level: 'error' } });
    assert.deepEqual(policy.ignoredCodes, ['DL3009']);
    assert.deepEqual(policy.codeLevels, { DL3014: 'warning' });
    assert.equal(levelFor(policy, 'apt-hygiene', 'info', 'Dockerfile'), 'error');
    assert.equal(levelFor(policy, 'apt-hygiene', 'info', 'Dockerfile', 'DL3009'), 'off');
    assert.equal(levelFor(policy, 'apt-hygiene', 'info', 'Dockerfile', 'DL3014'), 'warning');
  });

  test('a code shared by a one-code rule and a several-code rule does both', async () => {
    const policy = await loadPolicy({
      workspace: workspace({ [DEFANG]: 'rules:\n  DL3009: warning\n' }),
      catalogue: [...CATALOGUE, { id: 'apt-lists', hadolint: 'DL3009', defaultSeverity: 'info' }],
    });
    assert.deepEqual(policy.rules, { 'apt-lists': { level: 'warning' } });
    assert.deepEqual(policy.codeLevels, { DL3009: 'warning' });
  });

  test('ShellCheck codes go to ignoredCodes (off) or codeLevels', async () => {
    const policy = await load({
      [DEFANG]: 'rules:\n  SC2086: off\n  sc2046: error\n  SC1091: { level: info }\n  SC2002: {}\n',
    });
    assert.deepEqual(policy.rules, {});
    assert.deepEqual(policy.ignoredCodes, ['SC2086']);
    assert.deepEqual(policy.codeLevels, { SC2046: 'error', SC1091: 'info' });
  });

  test('trusted-registries replaces the defaults; -extra appends; duplicates are dropped', async () => {
    assert.deepEqual((await load({ [DEFANG]: 'trusted-registries: [ghcr.io/acme/*]\n' })).trustedRegistries, [
      'ghcr.io/acme/*',
    ]);
    assert.deepEqual((await load({ [DEFANG]: 'trusted-registries-extra:\n  - ghcr.io/acme/*\n  - quay.io/*\n' })).trustedRegistries, [
      ...DEFAULT_TRUSTED_REGISTRIES,
      'ghcr.io/acme/*',
    ]);
    assert.deepEqual(
      (await load({ [DEFANG]: 'trusted-registries-extra: [b.io/*]\ntrusted-registries: [a.io/*]\n' })).trustedRegistries,
      ['a.io/*', 'b.io/*'],
    );
    assert.deepEqual((await load({ [DEFANG]: 'trusted-registries: []\n' })).trustedRegistries, []);
    assert.deepEqual((await load({ [DEFANG]: 'trusted-registries: my.registry:5000/\n' })).trustedRegistries, [
      'my.registry:5000',
    ]);
    assert.deepEqual((await load({ [DEFANG]: 'trusted-registries-extra:\n' })).trustedRegistries, [
      ...DEFAULT_TRUSTED_REGISTRIES,
    ]);
  });

  test('build-args: numbers and booleans keep their written text; an empty value is the empty string', async () => {
    const policy = await load({
      [DEFANG]: 'build-args:\n  VERSION: 1.10\n  ENABLED: true\n  MASK: 0x1F\n  ZERO: "007"\n  EMPTY:\n  TEXT: hello world\n',
    });
    assert.deepEqual(policy.buildArgs, {
      VERSION: '1.10',
      ENABLED: 'true',
      MASK: '0x1F',
      ZERO: '007',
      EMPTY: '',
      TEXT: 'hello world',
    });
  });

  test('dockerfiles accepts one glob, and leading ./ is dropped', async () => {
    assert.deepEqual((await load({ [DEFANG]: 'dockerfiles: ./images/*/Dockerfile\n' })).dockerfiles, [
      'images/*/Dockerfile',
    ]);
  });

  test('an override takes one glob or a list, and SC codes in it go to its codeLevels', async () => {
    const policy = await load({
      [DEFANG]: `overrides:
  - files: Dockerfile.*
    rules:
      SC2086: warning
      DL3008: off
  - files:
      - ./tools/**
    rules: {}
`,
    });
    assert.deepEqual(policy.overrides, [
      {
        files: ['Dockerfile.*'],
        rules: { 'apt-pin': { level: 'off' } },
        codeLevels: { SC2086: 'warning' },
        origin: '.github/defang.yml:2',
      },
      { files: ['tools/**'], rules: {}, origin: '.github/defang.yml:6' },
    ]);
  });

  test('in an override, a code of a several-code rule goes to its codeLevels', async () => {
    const policy = await load({ [DEFANG]: 'overrides:\n  - files: ci/**\n    rules: { DL3009: off, apt-hygiene: warning }\n' });
    assert.deepEqual(policy.overrides[0]!.rules, { 'apt-hygiene': { level: 'warning' } });
    assert.deepEqual(policy.overrides[0]!.codeLevels, { DL3009: 'off' });
    assert.equal(levelFor(policy, 'apt-hygiene', 'info', 'ci/Dockerfile', 'DL3009'), 'off');
    assert.equal(levelFor(policy, 'apt-hygiene', 'info', 'ci/Dockerfile', 'DL3014'), 'warning');
    assert.equal(levelFor(policy, 'apt-hygiene', 'info', 'Dockerfile', 'DL3009'), 'info');
  });

  test('empty rules and overrides keys (entries commented out) mean none', async () => {
    const policy = await load({ [DEFANG]: 'rules:\n  # root-user: off\noverrides:\n  # - files: x\n' });
    assert.deepEqual(policy.rules, {});
    assert.deepEqual(policy.overrides, []);
  });

  test('anchors and aliases are followed', async () => {
    const policy = await load({
      [DEFANG]: `rules: &relaxed
  root-user: info
overrides:
  - files: legacy/**
    rules: *relaxed
`,
    });
    assert.deepEqual(policy.overrides[0]!.rules, { 'root-user': { level: 'info' } });
  });

  test('YAML warnings become notices', async () => {
    const policy = await load({ [DEFANG]: 'shellcheck: false\nfail-on: !custom info\n' });
    assert.equal(policy.failOn, 'info');
    assert.deepEqual(policy.notices, ['.github/defang.yml:2:10: YAML warning: unresolved tag: !custom']);
  });

  test('a key named __proto__ is data, not a prototype', async () => {
    const policy = await load(
      { [DEFANG]: 'build-args:\n  __proto__: from-file\nrules:\n  apt-pin:\n    options:\n      __proto__: { polluted: true }\n' },
      { buildArgs: 'constructor=from-input' },
    );
    assert.deepEqual(Object.keys(policy.buildArgs), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(policy.buildArgs), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(policy.buildArgs, '__proto__')?.value, 'from-file');
    const options = policy.rules['apt-pin']!.options!;
    assert.deepEqual(Object.getOwnPropertyDescriptor(options, '__proto__')?.value, { polluted: true });
    assert.equal((options as { polluted?: unknown }).polluted, undefined);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  });

  test('a byte-order mark and CRLF line ends are fine', async () => {
    const policy = await load({ [DEFANG]: '\uFEFFfail-on: info\r\nrules:\r\n  root-user: off\r\n' });
    assert.equal(policy.failOn, 'info');
    assert.deepEqual(policy.rules, { 'root-user': { level: 'off' } });
  });
});

describe('errors name file:line:column and the key', () => {
  const cases: Array<[string, string, string]> = [
    [
      'a level that does not exist',
      'fail-on: error\nrules:\n  root-user: fatal\n',
      '.github/defang.yml:3:3: rules.root-user: expected one of error, warning, info, off, got "fatal"',
    ],
    [
      'a level with a likely typo',
      'rules:\n  root-user: { level: warn }\n',
      '.github/defang.yml:2:16: rules.root-user.level: expected one of error, warning, info, off, got "warn"; did you mean "warning"?',
    ],
    [
      'false instead of off',
      'rules:\n  root-user: false\n',
      '.github/defang.yml:2:3: rules.root-user: expected one of error, warning, info, off or a map with "level" and "options", got false; write off to disable the rule',
    ],
    [
      'an unknown rule id, with a suggestion',
      'rules:\n  root-user: off\n  apt-pinn: off\n',
      '.github/defang.yml:3:3: rules.apt-pinn: unknown rule "apt-pinn"; did you mean "apt-pin"?',
    ],
    ['an unknown rule id, nothing close', 'rules:\n  frobnicate: off\n', '.github/defang.yml:2:3: rules.frobnicate: unknown rule "frobnicate"'],
    [
      'a hadolint code no rule has',
      'rules:\n  DL3999: off\n',
      '.github/defang.yml:2:3: rules.DL3999: no Defang rule has the hadolint code DL3999',
    ],
    [
      'an unknown top-level key, with a suggestion',
      'platform: linux/amd64\nfail_on: warning\n',
      '.github/defang.yml:2:1: fail_on: unknown key "fail_on"; did you mean "fail-on"?',
    ],
    [
      'a hadolint key in a Defang config',
      'ignored:\n  - DL3008\n',
      '.github/defang.yml:1:1: ignored: unknown key "ignored"; a Defang config switches rules off under "rules:", e.g. rules: { DL3008: off }',
    ],
    [
      'an unknown key in a rule setting',
      'rules:\n  apt-pin:\n    levle: off\n',
      '.github/defang.yml:3:5: rules.apt-pin.levle: unknown key "levle"; did you mean "level"?',
    ],
    [
      'a duplicate top-level key',
      'fail-on: error\nshellcheck: true\nfail-on: warning\n',
      '.github/defang.yml:3:1: fail-on: duplicate key "fail-on" (first given at line 1)',
    ],
    [
      'a duplicate rule',
      'rules:\n  root-user: off\n  apt-pin: info\n  root-user: error\n',
      '.github/defang.yml:4:3: rules.root-user: duplicate key "root-user" (first given at line 2)',
    ],
    [
      'a duplicate key deep in options',
      'rules:\n  apt-pin:\n    options:\n      allow: [a]\n      allow: [b]\n',
      '.github/defang.yml:5:7: rules.apt-pin.options.allow: duplicate key "allow" (first given at line 4)',
    ],
    ['YAML syntax: tab indentation', 'rules:\n\troot-user: off\n', '.github/defang.yml:2:1: invalid YAML: tabs are not allowed as indentation'],
    [
      'YAML syntax: an unclosed flow list',
      'dockerfiles: [a,\nfail-on: error\n',
      '.github/defang.yml:2:1: invalid YAML: flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    [
      'two YAML documents',
      'fail-on: error\n---\nfail-on: info\n',
      '.github/defang.yml:2:1: invalid YAML: source contains multiple documents; please use YAML.parseAllDocuments()',
    ],
    ['a list at the top', '- rules\n', '.github/defang.yml:1:1: expected a map of settings at the top level, got a list'],
    ['a boolean written as yes', 'only-changed: yes\n', '.github/defang.yml:1:1: only-changed: expected true or false, got "yes"'],
    ['a number for fail-on', 'fail-on: 3\n', '.github/defang.yml:1:1: fail-on: expected one of error, warning, info, never, got 3'],
    ['fail-on: none', 'fail-on: none\n', '.github/defang.yml:1:1: fail-on: expected one of error, warning, info, never, got "none"'],
    ['rules as a list', 'rules:\n  - root-user\n', '.github/defang.yml:1:1: rules: expected a map, got a list'],
    ['overrides as a map', 'overrides:\n  files: x\n', '.github/defang.yml:1:1: overrides: expected a list, got a map'],
    [
      'an override that is not a map',
      'overrides:\n  - legacy/**\n',
      '.github/defang.yml:2:5: overrides[0]: expected a map with "files" and "rules", got "legacy/**"',
    ],
    [
      'an override without files',
      'overrides:\n  - files: a/**\n    rules: {}\n  - rules:\n      root-user: off\n',
      '.github/defang.yml:4:5: overrides[1]: missing "files": the globs of the Dockerfiles this override applies to',
    ],
    [
      'an override without rules',
      'overrides:\n  - files: a/**\n',
      '.github/defang.yml:2:5: overrides[0]: missing "rules": the rule settings for those files',
    ],
    [
      'an override with a misspelt key',
      'overrides:\n  - file: a/**\n    rules: {}\n',
      '.github/defang.yml:2:5: overrides[0].file: unknown key "file"; did you mean "files"?',
    ],
    [
      'an unknown rule inside an override',
      'overrides:\n  - files: a/**\n    rules:\n      rot-user: off\n',
      '.github/defang.yml:4:7: overrides[0].rules.rot-user: unknown rule "rot-user"; did you mean "root-user"?',
    ],
    [
      'an empty list of files',
      'overrides:\n  - files: []\n    rules: {}\n',
      '.github/defang.yml:2:5: overrides[0].files: expected at least one glob',
    ],
    [
      'a number among globs',
      'dockerfiles:\n  - Dockerfile\n  - 42\n',
      '.github/defang.yml:3:5: dockerfiles[1]: expected a glob, got 42',
    ],
    ['no dockerfiles at all', 'dockerfiles: []\n', '.github/defang.yml:1:1: dockerfiles: expected at least one glob'],
    ['an empty dockerfiles key', 'dockerfiles:\n', '.github/defang.yml:1:1: dockerfiles: expected a glob or a list of them, got nothing'],
    [
      'options that are not a map',
      'rules:\n  apt-pin:\n    options: [a]\n',
      '.github/defang.yml:3:5: rules.apt-pin.options: expected a map of rule options, got a list',
    ],
    [
      'options on a ShellCheck code',
      'rules:\n  SC2086:\n    level: info\n    options: { x: 1 }\n',
      '.github/defang.yml:4:5: rules.SC2086.options: ShellCheck codes take no options, only a level',
    ],
    [
      'options on a code of a several-code rule',
      'rules:\n  DL3014:\n    options: { x: 1 }\n',
      '.github/defang.yml:3:5: rules.DL3014.options: DL3014 is one of several hadolint codes of apt-hygiene; set options under the rule id',
    ],
    [
      'a nested build arg',
      'build-args:\n  A: 1\n  B:\n    C: 2\n',
      '.github/defang.yml:3:3: build-args.B: expected a string, number or boolean, got a map',
    ],
    [
      'a build arg name with a space',
      'build-args:\n  "MY ARG": 1\n',
      '.github/defang.yml:2:3: build-args.MY ARG: build arg names contain no spaces or "=", got "MY ARG"',
    ],
    [
      'a platform without an architecture',
      'platform: linux\n',
      '.github/defang.yml:1:1: platform: expected os/arch[/variant] such as linux/amd64 or linux/arm64/v8, got "linux"',
    ],
    [
      'several platforms',
      'platform: linux/amd64,linux/arm64\n',
      '.github/defang.yml:1:1: platform: expected one platform (os/arch[/variant]), got the list "linux/amd64,linux/arm64"',
    ],
    [
      'a registry written as a URL',
      'trusted-registries-extra:\n  - https://ghcr.io/acme/*\n',
      '.github/defang.yml:2:5: trusted-registries-extra[0]: registry globs name a registry and repository, not a URL: write "ghcr.io/acme/*"',
    ],
    [
      'an empty trusted-registries key',
      'trusted-registries:\n',
      '.github/defang.yml:1:1: trusted-registries: expected a list of registry globs, got nothing; write [] to trust no registry, or remove the key to keep the defaults',
    ],
    [
      'a key that is not a string',
      'rules:\n  [a, b]: off\n',
      '.github/defang.yml:2:3: rules: keys must be plain strings, got a list',
    ],
  ];
  for (const [name, text, message] of cases) {
    test(name, async () => {
      await loadError({ [DEFANG]: text }, message);
    });
  }

  test('the error carries its parts as fields', async () => {
    const err = await loadError(
      { '.defang.yaml': 'rules:\n  apt-pin: info\n  root-user: fatal\n' },
      '.defang.yaml:3:3: rules.root-user: expected one of error, warning, info, off, got "fatal"',
    );
    assert.equal(err.file, '.defang.yaml');
    assert.equal(err.line, 3);
    assert.equal(err.column, 3);
    assert.equal(err.key, 'rules.root-user');
  });

  test('errors in a file named by the config input use its path', async () => {
    await loadError(
      { 'ci/defang.yml': '\n\nshellcheck: maybe\n' },
      'ci/defang.yml:3:1: shellcheck: expected true or false, got "maybe"',
      { config: './ci/defang.yml' },
    );
  });
});

describe('inputs', () => {
  const file = {
    [DEFANG]: `dockerfiles: [docker/**/Dockerfile]
only-changed: true
fail-on: error
platform: linux/amd64
build-args:
  A: from-file
  B: from-file
`,
  };

  test('inputs win over the file', async () => {
    const policy = await load(file, {
      dockerfiles: ['images/**/Dockerfile', ' ./extra/Containerfile '],
      onlyChanged: false,
      failOn: 'warning',
      platform: 'linux/arm/v7',
      buildArgs: '# pinned for CI\nB=from-input\n\nC=x=y\n',
    });
    assert.deepEqual(policy.dockerfiles, ['images/**/Dockerfile', 'extra/Containerfile']);
    assert.equal(policy.onlyChanged, false);
    assert.equal(policy.failOn, 'warning');
    assert.equal(policy.platform, 'linux/arm/v7');
    assert.deepEqual(policy.buildArgs, { A: 'from-file', B: 'from-input', C: 'x=y' });
    assert.equal(policy.source, DEFANG);
  });

  test('inputs win over the defaults when there is no file', async () => {
    const policy = await load({}, { failOn: 'never', onlyChanged: false, buildArgs: 'X=1' });
    assert.deepEqual(policy, { ...defaultPolicy(), failOn: 'never', onlyChanged: false, buildArgs: { X: '1' } });
  });

  test('inputs left empty do not override', async () => {
    const policy = await load(file, { dockerfiles: [' ', ''], failOn: '', platform: '  ', buildArgs: '' });
    assert.deepEqual(policy.dockerfiles, ['docker/**/Dockerfile']);
    assert.equal(policy.onlyChanged, true);
    assert.equal(policy.failOn, 'error');
    assert.equal(policy.platform, 'linux/amd64');
    assert.deepEqual(policy.buildArgs, { A: 'from-file', B: 'from-file' });
  });

  test('a fail-on input that is not a level', async () => {
    await loadError({}, 'input fail-on: expected one of error, warning, info, never, got "warn"; did you mean "warning"?', {
      failOn: 'warn',
    });
  });

  test('a platform input that is not os/arch', async () => {
    await loadError(
      {},
      'input platform: expected os/arch[/variant] such as linux/amd64 or linux/arm64/v8, got "amd64"',
      { platform: 'amd64' },
    );
  });

  test('a build-args line without = names the input and the line', async () => {
    const err = await loadError(file, 'input build-args:3:1: expected KEY=VALUE, got "NO_EQUALS"', {
      buildArgs: 'A=1\n# comment\nNO_EQUALS\nB=2\n',
    });
    assert.equal(err.file, 'input build-args');
    assert.equal(err.line, 3);
  });

  test('a build-args line with no name', async () => {
    await loadError({}, 'input build-args:2:3: a build arg needs a name in "=value"', { buildArgs: 'A=1\n  =value\n' });
  });

  test('input errors come after file errors are ruled out: a bad file is reported first', async () => {
    await loadError({ [DEFANG]: 'fail-on: sometimes\n' }, '.github/defang.yml:1:1: fail-on: expected one of error, warning, info, never, got "sometimes"', {
      failOn: 'bad',
    });
  });
});
