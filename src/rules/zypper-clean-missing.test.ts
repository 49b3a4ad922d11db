import rule from './zypper-clean-missing.ts';
import { ruleTests } from './testing.ts';

const msg = (cmd: string) => `"${cmd}" leaves its cache in /var/cache/zypp: end this RUN with "zypper clean --all".`;

ruleTests(rule, {
  valid: [
    'FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean --all\n',
    'FROM opensuse/leap:15.6\nRUN zypper -n in curl && zypper cc -a\n',
    { name: 'cache removed', code: 'FROM opensuse/leap:15.6\nRUN zypper -n in curl && rm -rf /var/cache/zypp/*\n' },
    { name: 'cache mount', code: 'FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp zypper -n in curl\n' },
    { name: 'removing packages downloads nothing', code: 'FROM opensuse/leap:15.6\nRUN zypper -n rm vim\n' },
  ],
  invalid: [
    {
      code: 'FROM opensuse/leap:15.6\nRUN zypper -n install curl\n',
      errors: [{ line: 2, column: 15, endLine: 2, endColumn: 22, hadolint: 'DL3036', severity: 'info', message: msg('zypper install') }],
    },
    {
      name: 'clean before install; one finding per RUN',
      code: 'FROM opensuse/leap:15.6\nRUN zypper clean && zypper -n in curl && zypper -n in git\n',
      errors: [{ line: 2, column: 31, endColumn: 33, message: msg('zypper in') }],
    },
    {
      name: 'multi-line, ONBUILD',
      code: 'FROM opensuse/leap:15.6\nONBUILD RUN zypper -n \\\n    update\n',
      errors: [{ line: 3, column: 5, message: msg('zypper update') }],
    },
  ],
});
