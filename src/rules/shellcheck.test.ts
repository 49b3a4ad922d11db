import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultPolicy, type Policy } from '../config/policy.ts';
import { lint } from './engine.ts';
import rule, { DEFAULT_EXCLUDED, SHELLCHECK_MISSING_NOTICE, shellcheckAvailable, shellcheckNotice } from './shellcheck.ts';
import { runRule, ruleTests } from './testing.ts';
import { dialectOf, offsetOf, prepareScript, runShellcheck, splitBatches } from './util/shellcheck.ts';

const real = shellcheckAvailable();
const skipRequested = process.env.DEFANG_SKIP_SHELLCHECK_TESTS === '1';
const skip =
  real === null ? (skipRequested ? 'no shellcheck on PATH and DEFANG_SKIP_SHELLCHECK_TESTS=1' : 'no shellcheck on PATH (see the failing test)') : false;

if (real === null && !skipRequested) {
  test('shellcheck is installed for these tests', () => {
    assert.fail(
      'no `shellcheck` binary on PATH: install ShellCheck (e.g. `apt-get install shellcheck`) to run the shellcheck ' +
        'rule tests, or set DEFANG_SKIP_SHELLCHECK_TESTS=1 to skip them explicitly',
    );
  });
}

const SC2086 = 'SC2086: Double quote to prevent globbing and word splitting.';
const SC2164 = "SC2164: Use 'cd ... || exit' or 'cd ... || return' in case cd fails.";

if (real !== null) {
  ruleTests(rule, {
    valid: [
      'FROM alpine:3.20\nRUN echo hello\n',
      { name: 'exec form is not a shell script', code: 'FROM alpine:3.20\nRUN ["sh", "-c", "echo $x"]\n' },
      {
        name: 'ARG and ENV of the stage, and the proxy ARGs, are assigned',
        code: 'FROM debian:12\nARG version\nENV prefix=/opt\nRUN echo "$version" "$prefix" "$https_proxy" "$no_proxy"\n',
      },
      {
        name: 'ENV of the stage built on is inherited',
        code: 'FROM debian:12 AS base\nENV tool_home=/opt/tool\nFROM base\nRUN ls "$tool_home"\n',
      },
      {
        name: 'bash SHELL: bash syntax is fine',
        code: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN if [[ -d /srv ]]; then echo "$RANDOM"; fi\n',
      },
      {
        name: 'a RUN <<EOF script with a bash shebang is checked as bash',
        code: 'FROM debian:12\nRUN <<EOF\n#!/usr/bin/env bash\n[[ -n "$HOME" ]] && source /etc/profile\nEOF\n',
      },
      { name: 'zsh is not supported by ShellCheck: skipped', code: 'FROM debian:12\nSHELL ["/usr/bin/zsh", "-c"]\nRUN echo $undefined_thing\n' },
      { name: 'PowerShell: not a POSIX shell', code: 'FROM mcr.microsoft.com/powershell:7.4-debian-12\nSHELL ["pwsh", "-c"]\nRUN Write-Output $x\n' },
      { name: 'sourced files are not followed (SC1091 excluded)', code: 'FROM debian:12\nRUN . /etc/os-release && echo "$ID"\n' },
      {
        name: 'a secret mounted as an environment variable is assigned',
        code: 'FROM debian:12\nRUN --mount=type=secret,id=tok,env=api_token curl -fsS -H "X-Token: $api_token" https://example.com/\n',
      },
      { name: '# hadolint ignore=SC2086 is honoured', code: 'FROM debian:12\n# hadolint ignore=SC2086\nRUN echo $HOME\n' },
      { name: '# defang ignore=shellcheck silences the rule', code: 'FROM debian:12\n# defang ignore=shellcheck\nRUN cd /srv\n' },
      { name: 'policy.shellcheck false', code: 'FROM debian:12\nRUN cd /srv && echo $x\n', policy: { shellcheck: false } },
      { name: 'option exclude', code: 'FROM debian:12\nRUN echo $name\n', options: { exclude: ['SC2086', '2154'] } },
      { name: 'option exclude as a comma-separated string', code: 'FROM debian:12\nRUN echo $name\n', options: { exclude: 'sc2086, SC2154' } },
      { name: '.hadolint.yaml ignored: codes', code: 'FROM debian:12\nRUN echo $HOME\n', policy: { ignoredCodes: ['SC2086'] } },
      { name: 'an empty RUN', code: 'FROM debian:12\nRUN \n' },
    ],
    invalid: [
      {
        name: 'a finding on line 3 of a 4-line RUN points at the word, with a fix on that line',
        code: 'FROM debian:12\nRUN apt-get update \\\n    && cat $CONF_FILE \\\n    && cd /srv \\\n    && apt-get clean\n',
        errors: [
          {
            line: 3,
            column: 12,
            endLine: 3,
            endColumn: 22,
            message: SC2086,
            hadolint: 'SC2086',
            severity: 'info',
            fix: '    && cat "$CONF_FILE" \\',
            fixLines: [3, 3],
          },
        ],
      },
      {
        name: 'a comment line inside the continuation is skipped',
        code: 'FROM debian:12\nRUN apt-get update \\\n    # refresh first\n    && cat $CONF_FILE\n',
        errors: [{ line: 4, column: 12, endColumn: 22, hadolint: 'SC2086', fix: '    && cat "$CONF_FILE"' }],
      },
      {
        name: 'an insertion at the end of a continued line stays on that line',
        code: 'FROM debian:12\nRUN cd /srv\\\n; echo finished\n',
        errors: [{ line: 2, column: 5, endColumn: 12, message: SC2164, fix: 'RUN cd /srv || exit\\', fixLines: [2, 2] }],
      },
      {
        name: 'RUN <<EOF: positions inside the heredoc body',
        code: 'FROM alpine:3.20\nRUN <<EOF\nset -eu\nfor f in $(ls /etc/conf.d); do\n  echo "$f"\ndone\nEOF\n',
        errors: [
          {
            line: 4,
            column: 10,
            endColumn: 27,
            hadolint: 'SC2045',
            severity: 'warning',
            message: 'SC2045: Iterating over ls output is fragile. Use globs.',
          },
        ],
      },
      {
        name: 'RUN <<-EOF: tabs count one column',
        code: 'FROM alpine:3.20\nRUN <<-EOF\n\tcd /srv\n\tEOF\n',
        errors: [{ line: 3, column: 2, endColumn: 9, message: SC2164, severity: 'warning', fix: '\tcd /srv || exit' }],
      },
      {
        name: 'cmd <<EOF: the command line and the body',
        code: 'FROM alpine:3.20\nRUN cat <<EOF > /etc/motd && chmod 644 $MOTD_FILE\nWelcome, $visitor\nEOF\n',
        errors: [
          { line: 2, column: 40, endColumn: 50, hadolint: 'SC2086', fix: 'RUN cat <<EOF > /etc/motd && chmod 644 "$MOTD_FILE"' },
          { line: 3, column: 10, endColumn: 18, hadolint: 'SC2154', severity: 'warning', message: 'SC2154: visitor is referenced but not assigned.' },
        ],
      },
      {
        name: 'ONBUILD RUN',
        code: 'FROM debian:12\nONBUILD RUN cd /src\n',
        errors: [{ line: 2, column: 13, endColumn: 20, message: SC2164, hadolint: 'SC2164', fix: 'ONBUILD RUN cd /src || exit' }],
      },
      {
        name: 'ONBUILD RUN: the stage ARGs are not set in the later build, its ENV is',
        code: 'FROM debian:12\nARG tag=1\nENV home_dir=/srv\nONBUILD RUN echo "$tag" "$home_dir"\n',
        errors: [{ line: 4, column: 19, endColumn: 23, hadolint: 'SC2154', message: 'SC2154: tag is referenced but not assigned.' }],
      },
      {
        name: 'a global ARG is not in the stage unless declared again',
        code: 'ARG release=1\nFROM debian:12\nRUN echo "$release"\n',
        errors: [{ line: 3, column: 11, endColumn: 19, hadolint: 'SC2154', message: 'SC2154: release is referenced but not assigned.' }],
      },
      {
        name: 'a near-misspelling of an ENV name',
        code: 'FROM debian:12\nENV APP_HOME=/srv/app\nRUN cp -r . "$APP_HOM"\n',
        errors: [
          {
            line: 3,
            column: 14,
            endColumn: 22,
            severity: 'info',
            message: 'SC2153: Possible misspelling: APP_HOM may not be assigned. Did you mean APP_HOME?',
          },
        ],
      },
      {
        name: 'sh by default: source is not POSIX',
        code: 'FROM debian:12\nRUN source /etc/profile\n',
        errors: [{ line: 2, column: 5, endColumn: 24, hadolint: 'SC3046', severity: 'warning' }],
      },
      {
        name: 'SHELL dash is checked as dash',
        code: 'FROM debian:12\nSHELL ["/bin/dash", "-c"]\nRUN echo "$RANDOM"\n',
        errors: [{ line: 3, column: 11, endColumn: 18, message: 'SC3028: In dash, RANDOM is not supported.' }],
      },
      {
        name: 'SHELL mksh is checked as ksh',
        code: 'FROM debian:12\nSHELL ["/bin/mksh", "-c"]\nRUN echo "$RANDOM" ; [[ -n x ]]\n',
        errors: [{ line: 3, column: 28, endColumn: 29, hadolint: 'SC2157' }],
      },
      {
        name: 'the SHELL resets in a stage not built on the earlier one',
        code: 'FROM debian:12 AS one\nSHELL ["/bin/bash", "-c"]\nFROM debian:12\nRUN source /etc/profile\n',
        errors: [{ line: 4, column: 5, hadolint: 'SC3046' }],
      },
      {
        name: 'columns count tabs as one and astral characters as two UTF-16 units',
        code: 'FROM debian:12\nRUN\tprintf "%s\\n" "✓ 😀"\t$LANG_NAME\n',
        errors: [{ line: 2, column: 26, endColumn: 36, fix: 'RUN\tprintf "%s\\n" "✓ 😀"\t"$LANG_NAME"' }],
      },
      {
        name: 'CRLF line endings',
        code: 'FROM debian:12\r\nRUN <<EOF\r\necho $PWD\r\nEOF\r\n',
        errors: [{ line: 3, column: 6, endLine: 3, endColumn: 10, hadolint: 'SC2086', fix: 'echo "$PWD"' }],
      },
      {
        name: 'the backtick escape character',
        code: '# escape=`\nFROM debian:12\nRUN echo $A `\n    && echo ok\n',
        errors: [{ line: 3, column: 10, endColumn: 12, fix: 'RUN echo "$A" `' }],
      },
      {
        name: 'a word split over two lines: the finding spans them, and no fix is offered',
        code: 'FROM debian:12\nRUN echo $PRE\\\nFIX\n',
        errors: [{ line: 2, column: 10, endLine: 3, endColumn: 4, hadolint: 'SC2086' }],
      },
      {
        name: 'syntax errors: ShellCheck errors take the rule severity; the end of the script is located',
        code: 'FROM debian:12\nRUN echo "oops\n',
        errors: [
          { line: 2, column: 5, endColumn: 6, hadolint: 'SC1009', severity: 'info' },
          { line: 2, column: 10, endColumn: 11, hadolint: 'SC1073', severity: 'warning' },
          { line: 2, column: 15, endColumn: 15, hadolint: 'SC1072', severity: 'warning' },
        ],
      },
      {
        name: '# hadolint ignore=SC2086 leaves other codes',
        code: 'FROM debian:12\n# hadolint ignore=SC2086\nRUN echo $name\n',
        errors: [{ line: 3, column: 10, hadolint: 'SC2154' }],
      },
      {
        name: 'a level set for one code',
        code: 'FROM debian:12\nRUN echo $HOME\n',
        policy: { codeLevels: { SC2086: 'error' } },
        errors: [{ line: 2, column: 10, hadolint: 'SC2086', severity: 'error' }],
      },
      {
        name: 'option exclude replaces the defaults',
        code: 'FROM debian:12\nRUN . /etc/os-release\n',
        options: { exclude: [] },
        errors: [{ line: 2, column: 7, hadolint: 'SC1091', severity: 'info' }],
      },
    ],
  });
} else {
  test('shellcheck rule cases', { skip }, () => {});
}

describe('shellcheck: no binary', () => {
  let empty = '';
  before(() => {
    empty = mkdtempSync(join(tmpdir(), 'defang-no-sc-'));
  });
  after(() => rmSync(empty, { recursive: true, force: true }));

  test('shellcheckAvailable and shellcheckNotice with a PATH without shellcheck', () => {
    assert.equal(shellcheckAvailable('', { PATH: empty }), null);
    assert.equal(shellcheckNotice('', { PATH: empty }), SHELLCHECK_MISSING_NOTICE);
    assert.match(SHELLCHECK_MISSING_NOTICE, /no `shellcheck` binary on PATH/);
    assert.equal(shellcheckAvailable(join(empty, 'shellcheck')), null);
  });

  test('a PATH without shellcheck: the rule reports nothing', async () => {
    const saved = process.env.PATH;
    process.env.PATH = empty;
    try {
      assert.deepEqual(await runRule(rule, 'FROM debian:12\nRUN cd /srv && echo $x\n'), []);
    } finally {
      process.env.PATH = saved;
    }
  });

  test('option path naming a file that does not exist: the rule reports nothing', async () => {
    const findings = await runRule(rule, 'FROM debian:12\nRUN cd /srv && echo $x\n', { options: { path: join(empty, 'missing', 'shellcheck') } });
    assert.deepEqual(findings, []);
  });
});

describe('shellcheck: helpers', () => {
  test('dialectOf', () => {
    assert.equal(dialectOf('/bin/bash'), 'bash');
    assert.equal(dialectOf('/bin/sh'), 'sh');
    assert.equal(dialectOf('ash'), 'sh');
    assert.equal(dialectOf('/bin/busybox'), 'sh');
    assert.equal(dialectOf('/usr/bin/dash'), 'dash');
    assert.equal(dialectOf('/bin/mksh'), 'ksh');
    assert.equal(dialectOf('C:\\tools\\bash.exe'), 'bash');
    assert.equal(dialectOf('/usr/bin/zsh'), null);
    assert.equal(dialectOf('pwsh'), null);
  });

  test('splitBatches keeps every name, in order, within the budget', () => {
    const names = ['1.sh', '2.sh', '3.sh', '4.sh', '5.sh'];
    assert.deepEqual(splitBatches(names, 10), [['1.sh', '2.sh'], ['3.sh', '4.sh'], ['5.sh']]);
    assert.deepEqual(splitBatches(names, 1000), [names]);
    assert.deepEqual(splitBatches(['a-very-long-name.sh'], 5), [['a-very-long-name.sh']]);
    assert.deepEqual(splitBatches([], 5), []);
  });

  test('prepareScript drops CR before LF and appends the build variables on a line of their own', () => {
    const p = prepareScript('echo a\r\necho b', ['zeta', 'alpha', 'not-a-name', 'alpha']);
    assert.equal(p.file, 'echo a\necho b\nexport alpha=1 zeta=1\n');
    assert.equal(p.length, 13);
    assert.equal(p.toScript[7], 8);
    assert.equal(p.toScript[13], 14);
    assert.deepEqual(p.lineStarts, [0, 7, 14, 36]);
  });

  test('offsetOf converts code-point columns to UTF-16 offsets and clamps to the line', () => {
    const p = prepareScript('a\t😀 $x\nb', []);
    assert.equal(offsetOf(p, 1, 1), 0);
    assert.equal(offsetOf(p, 1, 3), 2); // the emoji
    assert.equal(offsetOf(p, 1, 5), 5); // `$` after the emoji (2 units) and a space
    assert.equal(offsetOf(p, 1, 99), 7); // end of line 1
    assert.equal(offsetOf(p, 2, 1), 8);
    assert.equal(offsetOf(p, 5, 1), 9);
  });

  test('DEFAULT_EXCLUDED is the option default', () => {
    assert.deepEqual(rule.meta.options?.exclude.default, [...DEFAULT_EXCLUDED]);
  });
});

describe('shellcheck: the process', { skip }, () => {
  let dir = '';
  let log = '';
  const wrapper = (name: string, body: string) => {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };
  const policyWith = (options: Record<string, unknown>): Policy => ({
    ...defaultPolicy(),
    rules: { shellcheck: { level: 'warning', options } },
  });
  const invocations = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'defang-sc-test-'));
    log = join(dir, 'calls.log');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('one ShellCheck process for all RUNs of all files, from a temporary directory that is removed', async () => {
    rmSync(log, { force: true });
    const logging = wrapper('logging-shellcheck', `printf '%s|%s\\n' "$PWD" "$*" >> '${log}'\nexec '${real}' "$@"`);
    const a = 'FROM debian:12\nRUN echo $HOME\nRUN cd /srv\n';
    const b = 'FROM alpine:3.20\nONBUILD RUN echo $PWD\nRUN <<EOF\ncd /tmp\nEOF\n';
    const out = await lint(
      [
        { file: 'a/Dockerfile', text: a },
        { file: 'b/Dockerfile', text: b },
      ],
      policyWith({ path: logging }),
      { rules: [rule] },
    );
    assert.deepEqual(out.notices, []);
    const calls = invocations();
    assert.equal(calls.length, 1, `expected one ShellCheck process, got: ${calls.join(' || ')}`);
    const [cwd, args] = calls[0].split('|');
    assert.equal(args, '--format=json1 --shell=sh --norc -e SC1090,SC1091,SC2187 -- 1.sh 2.sh 3.sh 4.sh');
    assert.equal(existsSync(cwd), false, 'the temporary directory is removed');
    const where = out.results.map((r) => r.findings.map((f) => `${f.line}:${f.column} ${f.hadolint}`));
    assert.deepEqual(where, [
      ['2:10 SC2086', '3:5 SC2164'],
      ['2:18 SC2086', '4:1 SC2164'],
    ]);
  });

  test('scripts of different dialects: one process per dialect', async () => {
    rmSync(log, { force: true });
    const logging = wrapper('logging-shellcheck-2', `printf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"`);
    const out = await lint(
      [
        { file: 'Dockerfile', text: 'FROM debian:12\nRUN echo $HOME\nSHELL ["/bin/bash", "-c"]\nRUN echo $HOME\nRUN echo $PWD\n' },
      ],
      policyWith({ path: logging }),
      { rules: [rule] },
    );
    assert.deepEqual(invocations().sort(), [
      '--format=json1 --shell=bash --norc -e SC1090,SC1091,SC2187 -- 1.sh 2.sh',
      '--format=json1 --shell=sh --norc -e SC1090,SC1091,SC2187 -- 1.sh',
    ]);
    assert.deepEqual(
      out.results[0].findings.map((f) => f.line),
      [2, 4, 5],
    );
  });

  test('codes excluded for only some files are dropped per file, not passed to ShellCheck', async () => {
    rmSync(log, { force: true });
    const logging = wrapper('logging-shellcheck-3', `printf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"`);
    const policy = policyWith({ path: logging });
    policy.overrides = [{ files: ['legacy/**'], rules: { shellcheck: { options: { exclude: ['SC2086', 'SC1091'] } } } }];
    const text = 'FROM debian:12\nRUN echo $HOME\n';
    const out = await lint(
      [
        { file: 'Dockerfile', text },
        { file: 'legacy/Dockerfile', text },
      ],
      policy,
      { rules: [rule] },
    );
    assert.deepEqual(invocations(), ['--format=json1 --shell=sh --norc -e SC1091 -- 1.sh 2.sh']);
    assert.deepEqual(
      out.results.map((r) => r.findings.map((f) => f.hadolint)),
      [['SC2086'], []],
    );
  });

  test('a long command line is split into several processes', async () => {
    rmSync(log, { force: true });
    const logging = wrapper('logging-shellcheck-4', `printf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"`);
    const scripts = ['echo $a1\n', 'cd /x\n', 'echo ok\n', 'echo $b2\n', 'ls | grep x\n'];
    const results = await runShellcheck(logging, 'sh', scripts, [], { timeoutMs: 60_000, maxBuffer: 1 << 20, maxArgChars: 10 });
    assert.deepEqual(invocations(), [
      '--format=json1 --shell=sh --norc -- 1.sh 2.sh',
      '--format=json1 --shell=sh --norc -- 3.sh 4.sh',
      '--format=json1 --shell=sh --norc -- 5.sh',
    ]);
    assert.deepEqual(
      results.map((cs) => cs.map((c) => c.code).sort()),
      [[2086, 2154], [2164], [], [2086, 2154], [2010]],
    );
  });

  test('exit status 2 or more is an error with ShellCheck’s message: a notice and an internal-error finding', async () => {
    const failing = wrapper('failing-shellcheck', `echo 'cannot read the scripts' >&2\nexit 3`);
    const out = await lint([{ file: 'Dockerfile', text: 'FROM debian:12\nRUN echo hi\n' }], policyWith({ path: failing }), { rules: [rule] });
    assert.deepEqual(out.notices, [`rule shellcheck failed: ShellCheck (${failing}) failed with exit status 3: cannot read the scripts`]);
    assert.deepEqual(out.results[0].findings.map((f) => f.ruleId), ['internal-error']);
  });

  test('output that is not json1 is an error', async () => {
    const garbage = wrapper('garbage-shellcheck', `echo 'In 1.sh line 1: oops'\nexit 1`);
    const out = await lint([{ file: 'Dockerfile', text: 'FROM debian:12\nRUN echo hi\n' }], policyWith({ path: garbage }), { rules: [rule] });
    assert.equal(out.notices.length, 1);
    assert.match(out.notices[0], /^rule shellcheck failed: ShellCheck \(.*garbage-shellcheck\) did not print json1 output: "In 1\.sh line 1: oops\\n"$/);
  });

  test('a ShellCheck that does not finish in time is stopped', async () => {
    const slow = wrapper('slow-shellcheck', 'exec sleep 10');
    const started = Date.now();
    const out = await lint([{ file: 'Dockerfile', text: 'FROM debian:12\nRUN echo hi\n' }], policyWith({ path: slow, timeout: 0.3 }), {
      rules: [rule],
    });
    assert.ok(Date.now() - started < 5000, 'stopped at the timeout');
    assert.deepEqual(out.notices, [`rule shellcheck failed: ShellCheck (${slow}) did not finish within 0.3 s`]);
  });

  test('an exclude entry that is not a ShellCheck code is a clear error', async () => {
    const out = await lint([{ file: 'Dockerfile', text: 'FROM debian:12\nRUN echo hi\n' }], policyWith({ exclude: ['DL3008'] }), {
      rules: [rule],
    });
    assert.deepEqual(out.notices, [
      'rule shellcheck failed: option "exclude" of rule shellcheck for Dockerfile: "DL3008" is not a ShellCheck code such as SC2086',
    ]);
  });

  test('SHELLCHECK_OPTS in the environment does not change the run', async () => {
    const saved = process.env.SHELLCHECK_OPTS;
    process.env.SHELLCHECK_OPTS = '--format=gcc --exclude=SC2086';
    try {
      const findings = await runRule(rule, 'FROM debian:12\nRUN echo $HOME\n');
      assert.deepEqual(findings.map((f) => f.hadolint), ['SC2086']);
    } finally {
      if (saved === undefined) delete process.env.SHELLCHECK_OPTS;
      else process.env.SHELLCHECK_OPTS = saved;
    }
  });
});
