import rule from './no-sudo.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y sudo\n',
    'FROM debian:12\nUSER root\nRUN chown app /srv\nUSER app\n',
    { name: 'exec form is not a shell', code: 'FROM debian:12\nRUN ["echo", "sudo"]\n' },
    { name: 'only looked up', code: 'FROM debian:12\nRUN command -v sudo || echo "no sudo here"\n' },
    { name: 'non-POSIX SHELL', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN sudo Write-Host hi\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN sudo apt-get update\n',
      errors: [
        {
          line: 2,
          column: 5,
          endColumn: 9,
          hadolint: 'DL3004',
          severity: 'warning',
          message: 'Do not use sudo to run "apt-get": RUN already runs as root unless USER says otherwise; run it before USER (or after USER root).',
        },
      ],
    },
    {
      name: 'later in a chain, on a continuation line',
      code: 'FROM debian:12\nRUN apt-get update \\\n    && sudo -E -u builder make install\n',
      errors: [{ line: 3, column: 8, endColumn: 12, message: /run "make"/ }],
    },
    {
      name: 'inside sh -c',
      code: "FROM alpine:3.20\nRUN sh -c 'sudo rm -rf /var/cache/apk'\n",
      errors: [{ line: 2, column: 12, endColumn: 16, message: /"rm"/ }],
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM debian:12\nONBUILD RUN sudo make\n',
      errors: [{ line: 2, column: 13, endColumn: 17, hadolint: 'DL3004' }],
    },
    {
      name: 'every sudo is reported',
      code: 'FROM debian:12\nRUN sudo apt-get update; sudo apt-get install -y curl\n',
      errors: [
        { line: 2, column: 5 },
        { line: 2, column: 26 },
      ],
    },
    {
      name: 'sudo with nothing to run',
      code: 'FROM debian:12\nRUN sudo -v\n',
      errors: [{ line: 2, column: 5, message: /to run the command:/ }],
    },
  ],
});
