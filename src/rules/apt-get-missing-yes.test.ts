import rule from './apt-get-missing-yes.ts';
import { ruleTests } from './testing.ts';

const msg = (cmd: string) => `"${cmd}" runs without -y: add -y so the build does not stop at apt's confirmation prompt.`;

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n',
    'FROM debian:12\nRUN apt-get --yes install curl\n',
    'FROM debian:12\nRUN apt-get install --assume-yes curl\n',
    { name: 'quiet level 2 implies -y (-qq)', code: 'FROM debian:12\nRUN apt-get -qq install curl\n' },
    { name: 'quiet level 2 implies -y (-q=2)', code: 'FROM debian:12\nRUN apt-get install -q=2 curl\n' },
    { name: 'quiet level 2 implies -y (--quiet --quiet)', code: 'FROM debian:12\nRUN apt-get --quiet install --quiet curl\n' },
    { name: 'fed by yes', code: 'FROM debian:12\nRUN yes | apt-get install curl\n' },
    { name: 'Assume-Yes option', code: 'FROM debian:12\nRUN apt-get -o APT::Get::Assume-Yes=true install curl\n' },
    {
      name: 'Assume-Yes written to apt.conf by an earlier RUN',
      code: "FROM debian:12\nRUN echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/apt.conf.d/90assume-yes\nRUN apt-get install curl\n",
    },
    { name: '-y from an ARG', code: 'FROM debian:12\nARG APT_FLAGS="-y --no-install-recommends"\nRUN apt-get $APT_FLAGS install curl\n' },
    { name: 'commands that never prompt', code: 'FROM debian:12\nRUN apt-get update && apt-cache policy curl && apt-get clean\n' },
    { name: 'a simulation never asks', code: 'FROM debian:12\nRUN if apt-get install -s postgresql-16-jit > /dev/null; then echo yes; fi\n' },
    { name: 'apt-get looked up, not run', code: 'FROM debian:12\nRUN command -v apt-get\n' },
    { name: 'exec form is not parsed as shell', code: 'FROM debian:12\nRUN ["apt-get", "install", "-y", "curl"]\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get install curl\n',
      errors: [
        {
          line: 2,
          column: 31,
          endLine: 2,
          endColumn: 38,
          hadolint: 'DL3014',
          severity: 'warning',
          message: msg('apt-get install'),
          fix: 'RUN apt-get update && apt-get install -y curl',
          fixLines: [2, 2],
        },
      ],
    },
    {
      name: 'multi-line RUN: the finding is on the sub-command line',
      code: 'FROM ubuntu:24.04\nRUN apt-get update \\\n && apt-get \\\n      install \\\n      curl\n',
      errors: [{ line: 4, column: 7, endLine: 4, endColumn: 14, fix: '      install -y \\', fixLines: [4, 4] }],
    },
    {
      name: 'ONBUILD trigger, one -q is not enough',
      code: 'FROM debian:12\nONBUILD RUN apt-get -q install curl\n',
      errors: [{ line: 2, column: 24, endColumn: 31, fix: 'ONBUILD RUN apt-get -q install -y curl' }],
    },
    {
      name: 'inside sh -c, other prompting sub-commands',
      code: 'FROM debian:12\nRUN sh -c "apt-get remove python3"\n',
      errors: [{ line: 2, column: 20, endColumn: 26, message: msg('apt-get remove'), fix: 'RUN sh -c "apt-get remove -y python3"' }],
    },
    {
      name: '--force-yes does not answer the prompt',
      code: 'FROM debian:12\nRUN apt-get install --force-yes curl\n',
      errors: [{ line: 2, column: 13 }],
    },
    {
      name: 'behind sudo, and apt as well as apt-get',
      code: 'FROM debian:12\nRUN sudo apt-get upgrade && apt full-upgrade\n',
      errors: [
        { line: 2, column: 18, message: msg('apt-get upgrade') },
        { line: 2, column: 33, message: msg('apt full-upgrade'), fix: 'RUN sudo apt-get upgrade && apt full-upgrade -y' },
      ],
    },
    {
      name: 'heredoc script',
      code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install curl\nEOF\n',
      errors: [{ line: 4, column: 9, endColumn: 16, fix: 'apt-get install -y curl', fixLines: [4, 4] }],
    },
  ],
});
