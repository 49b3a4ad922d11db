import rule from './apt-get-missing-no-install-recommends.ts';
import { ruleTests } from './testing.ts';

const msg = (cmd: string) => `"${cmd}" also installs recommended packages: add --no-install-recommends to keep the image small.`;

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n',
    'FROM debian:12\nRUN apt-get --no-install-recommends -y install curl\n',
    { name: 'APT::Install-Recommends=false', code: 'FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y curl\n' },
    { name: 'APT::Install-Recommends=0, attached -o', code: 'FROM debian:12\nRUN apt-get -oAPT::Install-Recommends=0 install -y curl\n' },
    { name: '--install-recommends=no', code: 'FROM debian:12\nRUN apt-get install --install-recommends=no -y curl\n' },
    {
      name: 'recommends turned off in apt.conf by the stage a stage builds on',
      code: "FROM debian:12 AS base\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/01norecommends\nFROM base\nRUN apt-get install -y curl\n",
    },
    { name: 'other sub-commands install no recommends', code: 'FROM debian:12\nRUN apt-get update && apt-get -y remove curl\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n',
      errors: [
        {
          line: 2,
          column: 31,
          endLine: 2,
          endColumn: 38,
          hadolint: 'DL3015',
          severity: 'info',
          message: msg('apt-get install'),
          fix: 'RUN apt-get update && apt-get install --no-install-recommends -y curl',
        },
      ],
    },
    {
      name: 'recommends turned on explicitly',
      code: 'FROM debian:12\nRUN apt-get -o APT::Install-Recommends=true install -y curl\n',
      errors: [{ line: 2, column: 45 }],
    },
    {
      name: 'apt.conf in a stage this one does not build on does not count',
      code: "FROM debian:12 AS other\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/01norecommends\nFROM debian:12\nRUN apt-get install -y curl\n",
      errors: [{ line: 4, column: 13 }],
    },
    {
      name: 'multi-line, ONBUILD',
      code: 'FROM debian:12\nONBUILD RUN apt-get update \\\n    && apt install -y \\\n       curl\n',
      errors: [{ line: 3, column: 12, endColumn: 19, message: msg('apt install'), fix: '    && apt install --no-install-recommends -y \\' }],
    },
  ],
});
