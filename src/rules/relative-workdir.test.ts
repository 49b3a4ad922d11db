import assert from 'node:assert/strict';
import { test } from 'node:test';
import rule from './relative-workdir.ts';
import { ruleTests, runRule } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM alpine:3.20\nWORKDIR /srv/app\n',
    "FROM alpine:3.20\nWORKDIR '/srv/app'\n",
    'FROM alpine:3.20\nWORKDIR "/srv/app"\n',
    { name: 'unknown leading variable', code: 'FROM alpine:3.20\nWORKDIR ${APP_HOME}/bin\n' },
    { name: 'unknown leading variable in quotes', code: 'FROM alpine:3.20\nWORKDIR "$APP_HOME"\n' },
    { name: 'known variable that is absolute', code: 'FROM alpine:3.20\nARG BASE=/opt\nWORKDIR $BASE/app\n' },
    { name: 'build-arg makes it absolute', code: 'FROM alpine:3.20\nARG DIR\nWORKDIR ${DIR}\n', policy: { buildArgs: { DIR: '/data' } } },
    { name: 'Windows drive path', code: "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR 'C:\\app'\n" },
    { name: 'Windows drive path, forward slash, lower case', code: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR c:/app\n' },
    { name: 'root-relative Windows path with the backtick escape', code: '# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR \\app\n' },
    { name: 'empty WORKDIR is dockerfile-syntax', code: 'FROM alpine:3.20\nWORKDIR\n' },
  ],
  invalid: [
    {
      name: 'relative path, base image decides',
      code: 'FROM alpine:3.20\nWORKDIR app\n',
      errors: [
        {
          line: 2,
          column: 9,
          endColumn: 12,
          hadolint: 'DL3000',
          message:
            'WORKDIR "app" is relative: it depends on the previous WORKDIR, which this Dockerfile does not determine (the base image\'s, say); use an absolute path such as "/app".',
        },
      ],
    },
    {
      name: 'quoted relative path',
      code: 'FROM alpine:3.20\nWORKDIR "./relative/dir"\n',
      errors: [{ line: 2, column: 9, endColumn: 25, message: /^WORKDIR "\.\/relative\/dir" is relative: .* such as "\/relative\/dir"\.$/ }],
    },
    {
      name: 'resolved through an ARG; unknown variable later in the path does not save it',
      code: 'FROM alpine:3.20\nARG D=app\nWORKDIR $D/x\nWORKDIR x/$UNKNOWN\n',
      errors: [
        { line: 3, column: 9, endColumn: 13, message: /^WORKDIR "app\/x" \(from "\$D\/x"\) is relative/ },
        { line: 4, column: 9, endColumn: 19, message: /^WORKDIR "x\/\$UNKNOWN" is relative: .* such as "\/x\/\$UNKNOWN"\.$/ },
      ],
    },
    {
      name: 'earlier WORKDIR known: the fix writes the absolute directory, through stages and ..',
      code: 'FROM golang:1.22 AS build\nWORKDIR /src\nWORKDIR tools/gopls\nWORKDIR ../lint\nFROM build AS test\n  workdir   cmd  \n',
      errors: [
        {
          line: 3,
          column: 9,
          endColumn: 20,
          message: 'WORKDIR "tools/gopls" is relative: it resolves to "/src/tools/gopls" only because of the WORKDIR before it; write WORKDIR /src/tools/gopls.',
          fix: 'WORKDIR /src/tools/gopls',
          fixLines: [3, 3],
        },
        { line: 4, column: 9, endColumn: 16, fix: 'WORKDIR /src/tools/lint' },
        { line: 6, column: 13, endColumn: 16, fix: '  workdir   /src/tools/lint/cmd  ', fixLines: [6, 6] },
      ],
    },
    {
      name: 'continuation: the path on its own line; no fix across lines',
      code: 'FROM alpine:3.20\nWORKDIR /a\nWORKDIR \\\n    b\n',
      errors: [{ line: 4, column: 5, endLine: 4, endColumn: 6, message: /resolves to "\/a\/b"/ }],
    },
    {
      name: 'ONBUILD WORKDIR: the child image decides, no fix',
      code: 'FROM alpine:3.20\nWORKDIR /app\nONBUILD WORKDIR src\n',
      errors: [{ line: 3, column: 17, endColumn: 20, message: /depends on the previous WORKDIR/ }],
    },
  ],
});

test('no fix when the path spans lines, is quoted, or the earlier WORKDIR is unknown', async () => {
  for (const code of [
    'FROM alpine:3.20\nWORKDIR /a\nWORKDIR \\\n    b\n',
    'FROM alpine:3.20\nWORKDIR /a\nWORKDIR "b c"\n',
    'FROM alpine:3.20\nWORKDIR /a\nONBUILD WORKDIR b\n',
    'FROM alpine:3.20\nWORKDIR b\n',
  ]) {
    const findings = await runRule(rule, code);
    assert.equal(findings.length, 1, code);
    assert.equal(findings[0].fix, undefined, code);
  }
});
