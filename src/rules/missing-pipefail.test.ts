import rule from './missing-pipefail.ts';
import { ruleTests } from './testing.ts';

const BASH_ADVICE = 'set SHELL ["/bin/bash", "-o", "pipefail", "-c"] before this RUN, or start it with "set -o pipefail &&"';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n',
    'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.org/app.tgz | tar -xz\n',
    { name: 'clustered -eo', code: 'FROM debian:12\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN dpkg -l | grep libc\n' },
    { name: 'errexit then pipefail', code: 'FROM debian:12\nSHELL ["/usr/local/bin/zsh", "-o", "errexit", "-o", "pipefail", "-c"]\nRUN dpkg -l | grep libc\n' },
    { name: 'set -o pipefail first', code: 'FROM debian:12\nRUN set -o pipefail && curl -fsSL https://example.org/a.tgz | tar -xz\n' },
    { name: 'set -euxo pipefail on its own line', code: 'FROM debian:12\nRUN set -euxo pipefail; \\\n    curl -fsSL https://example.org/a.tgz \\\n    | tar -xz\n' },
    { name: 'sh with -o pipefail (deliberate difference)', code: 'FROM alpine:3.20\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN apk info | sort\n' },
    { name: 'the SHELL of the stage built on', code: 'FROM debian:12 AS base\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM base\nRUN dpkg -l | wc -l\n' },
    { name: 'powershell', code: 'FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04\nSHELL ["pwsh", "-Command"]\nRUN Get-ChildItem | Sort-Object Name\n' },
    { name: 'cmd', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["cmd", "/S", "/C"]\nRUN dir | findstr foo\n' },
    { name: 'hadolint shell pragma names a non-POSIX shell', code: '# hadolint shell=powershell\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN Get-ChildItem | Sort-Object Name\n' },
    { name: 'exec form has no shell', code: 'FROM debian:12\nRUN ["/bin/sh", "-c", "a | b"]\n' },
    { name: 'bash -o pipefail -c string', code: "FROM debian:12\nRUN bash -o pipefail -c 'curl -fsSL https://example.org/i | tar -x'\n" },
    { name: 'heredoc with set -o pipefail', code: 'FROM debian:12\nRUN <<EOF\nset -eo pipefail\ncurl -fsSL https://example.org/a.tgz | tar -xz\nEOF\n' },
    { name: 'heredoc shebang with pipefail', code: 'FROM debian:12\nRUN <<EOF\n#!/bin/bash -eo pipefail\ncurl -fsSL https://example.org/a.tgz | tar -xz\nEOF\n' },
    { name: 'a || is not a pipe', code: 'FROM debian:12\nRUN test -f /x || touch /x\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN curl -fsSL https://example.org/app.tgz | tar -xz -C /opt\n',
      errors: [
        {
          line: 2,
          column: 5,
          endColumn: 61,
          hadolint: 'DL4006',
          severity: 'warning',
          message: `The pipe "curl | tar" runs without pipefail, so only its last command's failure counts: ${BASH_ADVICE}.`,
        },
      ],
    },
    {
      name: 'pipe spread over continuation lines',
      code: 'FROM debian:12\nRUN apt-get update \\\n && apt-cache policy \\\n  | grep -c http\n',
      errors: [{ line: 3, column: 5, endLine: 4, endColumn: 17, message: /^The pipe "apt-cache \| grep"/ }],
    },
    {
      name: 'a later stage does not inherit an unrelated SHELL',
      code: 'FROM debian:12 AS one\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN ls | wc -l\nFROM debian:12\nRUN ls | wc -l\n',
      errors: [{ line: 5, column: 5 }],
    },
    {
      name: 'a later SHELL without pipefail',
      code: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN ls | wc -l\nSHELL ["/bin/bash", "-c"]\nRUN ls | wc -l\n',
      errors: [
        {
          line: 5,
          column: 5,
          message: `The pipe "ls | wc" runs without pipefail, so only its last command's failure counts: set SHELL ["/bin/bash", "-o", "pipefail", "-c"] before this RUN, or start it with "set -o pipefail &&".`,
        },
      ],
    },
    {
      name: 'set -o pipefail after the pipe does not help',
      code: 'FROM debian:12\nRUN ls | wc -l; set -o pipefail\n',
      errors: [{ line: 2, column: 5 }],
    },
    {
      name: 'set -o pipefail inside a subshell does not reach outside',
      code: 'FROM debian:12\nRUN (set -o pipefail) && ls | wc -l\n',
      errors: [{ line: 2, column: 26, endColumn: 36 }],
    },
    {
      name: 'only the first unprotected pipe is reported, with a count',
      code: 'FROM debian:12\nRUN a | b && c | d && e | f\n',
      errors: [{ line: 2, column: 5, endColumn: 10, message: /\(2 more pipes in this RUN\)\.$/ }],
    },
    {
      name: 'pipe inside sh -c: the outer SHELL does not reach it',
      code: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN sh -c "wget -qO- https://example.org/x | tar -x"\n',
      errors: [
        {
          line: 3,
          column: 12,
          endColumn: 52,
          message:
            'The pipe "wget | tar" runs in "sh -c" without pipefail, so only its last command\'s failure counts: use "sh -o pipefail -c" or start the string with "set -o pipefail;".',
        },
      ],
    },
    {
      name: 'hadolint shell pragma naming bash still needs pipefail',
      code: '# hadolint shell=bash\nFROM debian:12\nRUN ls | wc -l\n',
      errors: [{ line: 3, column: 5, message: /set SHELL \["bash", "-o", "pipefail", "-c"\]/ }],
    },
    {
      name: 'a compound command in the pipe',
      code: 'FROM debian:12\nRUN (echo a; echo b) | sort\n',
      errors: [{ line: 2, column: 5, message: /^The pipe "… \| sort"/ }],
    },
    {
      name: 'heredoc with a shebang: SHELL options do not apply',
      code: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN <<EOF\n#!/bin/bash\ncurl -fsSL https://example.org/a.tgz | tar -xz\nEOF\n',
      errors: [{ line: 5, column: 1 }],
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM debian:12\nONBUILD RUN ls | wc -l\n',
      errors: [{ line: 2, column: 13, hadolint: 'DL4006' }],
    },
  ],
});
