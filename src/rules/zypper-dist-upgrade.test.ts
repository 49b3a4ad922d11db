import rule from './zypper-dist-upgrade.ts';
import { ruleTests } from './testing.ts';

const msg = (cmd: string) =>
  `"${cmd}" can upgrade the image to another distribution release: use a newer base image, or "zypper patch" for fixes within this release.`;

ruleTests(rule, {
  valid: [
    'FROM opensuse/leap:15.6\nRUN zypper -n patch && zypper -n update\n',
    { name: 'mentioned, not run', code: 'FROM opensuse/leap:15.6\nRUN echo "zypper dup is not used here"\n' },
  ],
  invalid: [
    {
      code: 'FROM opensuse/tumbleweed\nRUN zypper -n dist-upgrade\n',
      errors: [{ line: 2, column: 15, endLine: 2, endColumn: 27, hadolint: 'DL3035', severity: 'warning', message: msg('zypper dist-upgrade') }],
    },
    {
      name: 'the short form, multi-line, ONBUILD',
      code: 'FROM opensuse/tumbleweed\nONBUILD RUN zypper --non-interactive \\\n    dup --no-recommends\n',
      errors: [{ line: 3, column: 5, endColumn: 8, message: msg('zypper dup') }],
    },
  ],
});
