import assert from 'node:assert/strict';
import { test } from 'node:test';
import rule from './dockerfile-syntax.ts';
import { ruleTests, runRule } from './testing.ts';
import { checkWithShell, cleanShellMessage, shellsFor } from './util/shell-syntax.ts';

const SHELL_ERR = /^Shell syntax error in RUN: /;

ruleTests(rule, {
  valid: [
    'ARG BASE=alpine:3.20\nFROM $BASE\nRUN echo ok\n',
    '# syntax=docker/dockerfile:1\n# a comment\nFROM alpine:3.20\n',
    {
      name: 'flags, heredocs, bash syntax under SHELL bash, ARG lists, stage names',
      code: [
        'FROM alpine:3.20 AS my-Stage.2',
        'SHELL ["/bin/bash", "-c"]',
        'RUN [[ -f /etc/os-release ]] && echo found',
        'RUN <<EOF',
        'set -e',
        'if true; then echo ok; fi',
        'EOF',
        'COPY <<EOF /etc/motd',
        'hello',
        'EOF',
        'HEALTHCHECK --interval=30s --timeout=1m30s --start-period=500ms --retries=3 CMD ["true"]',
        'ARG TARGETOS TARGETARCH',
        'RUN --mount=type=cache,target=/root/.cache --network=none --security=sandbox true',
        'COPY --link --chmod=755 --parents a b/',
        'ADD --checksum=sha256:0123 --keep-git-dir=true https://example.com/x.git /src',
        'COPY -- a b',
        'ENV A=1 B="two words" C=',
        'ENV LEGACY value with spaces',
        'LABEL a=b',
        'HEALTHCHECK NONE',
        '',
      ].join('\n'),
    },
    {
      name: 'a comment inside backquotes is valid shell (tree-sitter rejects it, the shell does not)',
      code: 'FROM alpine:3.20\nRUN echo a `# note` \\\n    b\n',
    },
    {
      name: 'Windows stages run RUN with cmd.exe, not /bin/sh',
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN if exist C:\\x (echo yes)\n',
    },
    {
      name: 'backtick escape means Windows',
      code: '# escape=`\nFROM mcr.microsoft.com/powershell:lts\nRUN (Get-Item C:\\).FullName\n',
    },
    {
      name: 'ONBUILD ONBUILD / FROM are onbuild-forbidden-trigger findings, not these',
      code: 'FROM alpine:3.20\nONBUILD ONBUILD RUN x\nONBUILD FROM y\n',
    },
    {
      name: 'a line holding only the escape continues into the next instruction',
      code: 'FROM alpine:3.20\n# note\n \\\nRUN echo continued\n',
    },
    { name: 'valid shell after a continuation at the end of the file', code: 'FROM alpine:3.20\nRUN echo a \\\n' },
  ],
  invalid: [
    {
      name: 'instruction before FROM (DL3061)',
      code: 'LABEL team=core\nFROM alpine:3.20\n',
      errors: [{ line: 1, column: 1, endColumn: 6, hadolint: 'DL3061', message: 'LABEL before the first FROM: only ARG may come before FROM.' }],
    },
    {
      name: 'no FROM at all: one finding, DL3061 when something other than ARG is there',
      code: 'RUN make\nCMD ["app"]\n',
      errors: [{ line: 1, column: 1, endColumn: 4, hadolint: 'DL3061', message: 'No FROM instruction: a Dockerfile must start a stage with FROM.' }],
    },
    {
      name: 'no FROM with only ARGs is not DL3061',
      code: 'ARG VERSION=1\n',
      errors: [{ line: 1, column: 1, hadolint: 'DL1000', message: /^No FROM instruction/ }],
    },
    {
      name: 'unknown instruction, typo and missing continuation; shell error at the end of a line',
      code: 'FROM alpine:3.20\nRUNN echo hi\nRUN apk add --no-cache curl &&\n    curl --version\n',
      errors: [
        { line: 2, column: 1, endColumn: 5, hadolint: 'DL1000', message: 'Unknown instruction "RUNN": the build fails. Did you mean RUN?' },
        {
          line: 3,
          column: 31,
          // The shell's own words differ between versions; where the finding stands does not.
          message: /^Shell syntax error in RUN: .*unexpected end of file.* \(at the end of the line\); the build fails when the shell cannot parse the script\.$/,
        },
        {
          line: 4,
          column: 5,
          endColumn: 9,
          message: 'Unknown instruction "curl": the build fails. Is a line continuation ("\\") missing at the end of line 3?',
        },
      ],
    },
    {
      name: 'hints: an indented word below an instruction, lower- and upper-case typos',
      code: 'FROM alpine:3.20\nRUN make\n  export A=1\nrunn x\n  COPYY a b\n',
      errors: [
        { line: 3, column: 3, endColumn: 9, message: 'Unknown instruction "export": the build fails. Is a line continuation ("\\") missing at the end of line 2?' },
        { line: 4, column: 1, endColumn: 5, message: 'Unknown instruction "runn": the build fails. Did you mean RUN?' },
        { line: 5, column: 3, endColumn: 8, message: 'Unknown instruction "COPYY": the build fails. Did you mean COPY?' },
      ],
    },
    {
      name: 'COPY/ADD arguments and flags',
      code: [
        'FROM alpine:3.20',
        'COPY --from=build /out',
        'ADD --from=build a b',
        'RUN --mount=type=cach,target=/root/.cache --network=public make',
        'COPY --chown a b',
        'COPY --link=sometimes a b',
        'COPY --from=x --from=y a b',
        '',
      ].join('\n'),
      errors: [
        { line: 2, column: 19, endColumn: 23, message: 'COPY needs a source and a destination (COPY <src>... <dest>), but has only "/out": the build fails.' },
        { line: 3, column: 5, endColumn: 17, message: /^Unknown flag --from for ADD: the build fails; ADD takes --chown, --chmod, --link/ },
        { line: 4, column: 5, endColumn: 42, message: 'RUN --mount type "cach" is unknown: use bind, cache, tmpfs, secret or ssh.' },
        { line: 4, column: 43, endColumn: 59, message: 'RUN --network must be default, none or host, not "public".' },
        { line: 5, column: 6, endColumn: 13, message: 'Flag --chown of COPY needs a value: write --chown=<value>.' },
        { line: 6, column: 6, endColumn: 22, message: 'Flag --link of COPY takes true or false, not "sometimes".' },
        { line: 7, column: 15, endColumn: 23, message: 'Flag --from is given twice on COPY: the build fails; keep one.' },
      ],
    },
    {
      name: 'ENV, LABEL, ARG, EXPOSE, WORKDIR, HEALTHCHECK and stage names',
      code: [
        'FROM debian:12 AS 2nd',
        'ENV DEBUG',
        'ENV A=1 B',
        'LABEL version=1 # release',
        'ARG =oops',
        'ARG app-version=1',
        'ARG MODE 0',
        'ARG HOST=x # the host',
        'EXPOSE',
        'WORKDIR',
        'HEALTHCHECK --interval=10 --retries=x CMD',
        'HEALTHCHECK NONE curl',
        'HEALTHCHECK TEST /bin/check',
        '',
      ].join('\n'),
      errors: [
        { line: 1, column: 19, endColumn: 22, message: /^Stage name "2nd" is invalid/ },
        { line: 2, column: 5, endColumn: 10, message: 'ENV DEBUG has no value: the build fails; write ENV DEBUG=<value> (or ENV DEBUG= for an empty one).' },
        { line: 3, column: 9, endColumn: 10, message: /^ENV argument "B" has no "=": the build fails; when one argument/ },
        { line: 4, column: 17, endColumn: 18, message: /^LABEL argument "#" has no "=": the build fails; "#" starts a comment only at the beginning of a line/ },
        { line: 5, column: 5, endColumn: 10, message: 'ARG name is blank in "=oops": the build fails.' },
        { line: 6, column: 5, endColumn: 16, severity: 'warning', message: /^ARG name "app-version" is not a valid variable name/ },
        { line: 7, column: 10, endColumn: 11, severity: 'warning', message: 'ARG MODE 0 declares a second build argument named "0", not a default value: write ARG MODE=0.' },
        { line: 8, column: 12, endColumn: 22, severity: 'warning', message: /^"#" after ARG is not a comment: .* named "#", "the", "host"; move the comment to the line above\.$/ },
        { line: 9, column: 1, endColumn: 7, severity: 'error', hadolint: 'DL1000', message: 'EXPOSE needs at least one port, e.g. EXPOSE 8080: the build fails without it.' },
        { line: 10, column: 1, endColumn: 8, message: 'WORKDIR needs a path: the build fails without it.' },
        { line: 11, column: 13, endColumn: 26, message: 'HEALTHCHECK --interval must be a duration such as 30s, 1m30s or 500ms, not "10".' },
        { line: 11, column: 27, endColumn: 38, message: 'HEALTHCHECK --retries must be a whole number, not "x".' },
        { line: 11, column: 39, endColumn: 42, message: 'HEALTHCHECK CMD needs a command: the build fails.' },
        { line: 12, column: 18, endColumn: 22, message: 'HEALTHCHECK NONE takes no other arguments: the build fails.' },
        { line: 13, column: 13, endColumn: 17, message: 'HEALTHCHECK takes CMD <command> or NONE, not "TEST": the build fails.' },
      ],
    },
    {
      name: 'shell syntax errors point at their own line inside continued RUNs and ONBUILD',
      code: [
        'FROM alpine:3.20',
        'RUN echo "unterminated \\',
        '      && echo more',
        'RUN for f in a b; do \\',
        '      echo $f; \\',
        '    ; done',
        "ONBUILD RUN echo 'x",
        '',
      ].join('\n'),
      errors: [
        { line: 2, column: 10, message: /^Shell syntax error in RUN: unexpected EOF while looking for matching double quote \(near `"unterminated/ },
        {
          line: 6,
          column: 5,
          endColumn: 6,
          severity: 'error',
          message: 'Shell syntax error in RUN: syntax error near unexpected token ";" (near `; done`); the build fails when the shell cannot parse the script.',
        },
        { line: 7, column: 18, endColumn: 20, message: SHELL_ERR },
      ],
    },
    {
      name: 'unterminated heredoc and invalid image reference come from the model',
      code: 'FROM Alpine:3.20\nRUN <<EOF\necho never ends\n',
      errors: [
        { line: 1, column: 6, endColumn: 17, hadolint: 'DL1000', message: /^Invalid image reference "Alpine:3\.20": repository name must be lowercase/ },
        { line: 2, column: 1, message: 'Heredoc <<EOF is not terminated: no line "EOF" ends it.' },
      ],
    },
    {
      name: 'SHELL not in JSON form',
      code: 'FROM alpine:3.20\nSHELL /bin/bash -c\n',
      errors: [{ line: 2, column: 1, message: 'SHELL requires the JSON form, e.g. SHELL ["/bin/bash", "-c"].' }],
    },
  ],
});

test('checkWithShell: ok, error with the shell message, unavailable', () => {
  assert.deepEqual(checkWithShell('echo `# fine` ok\n', 'sh'), { status: 'ok' });
  const bad = checkWithShell("echo 'open\n", 'sh');
  assert.equal(bad.status, 'error');
  assert.match((bad as { message: string }).message, /single quote|Unterminated quoted string/);
  assert.deepEqual(checkWithShell('echo ok\n', 'sh', ['defang-no-such-shell']), { status: 'unavailable' });
});

test('shellsFor picks a second opinion that accepts at least what the SHELL accepts', () => {
  assert.deepEqual(shellsFor('sh'), ['bash', 'sh']);
  assert.deepEqual(shellsFor('dash'), ['bash', 'sh']);
  assert.deepEqual(shellsFor('mksh'), ['mksh', 'bash']);
  assert.deepEqual(shellsFor('zsh'), ['zsh']);
});

test('cleanShellMessage drops the shell and line prefix and names quote characters', () => {
  assert.equal(cleanShellMessage("bash: line 3: syntax error near unexpected token `fi'\nbash: line 3: `fi'\n", 'bash'), 'syntax error near unexpected token "fi"');
  assert.equal(cleanShellMessage("bash: line 1: unexpected EOF while looking for matching `''\n", 'bash'), 'unexpected EOF while looking for matching single quote');
  assert.equal(cleanShellMessage('sh: 2: Syntax error: Unterminated quoted string\n', 'sh'), 'syntax error: Unterminated quoted string');
  assert.equal(cleanShellMessage('/usr/bin/dash: 1: Syntax error: "done" unexpected\n', 'dash'), 'syntax error: "done" unexpected');
});

test('shell syntax errors and accepted-but-useless ARG names carry no hadolint code; the rest are DL1000', async () => {
  const findings = await runRule(rule, 'FROM alpine:3.20\nRUN echo "open\nARG my-var=1\nEXPOSE\n');
  assert.deepEqual(
    findings.map((f) => [f.line, f.severity, f.hadolint ?? null]),
    [
      [2, 'error', null],
      [3, 'warning', null],
      [4, 'error', 'DL1000'],
    ],
  );
});
