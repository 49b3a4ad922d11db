import rule from './zypper-non-interactive.ts';
import { ruleTests } from './testing.ts';

const msg = (cmd: string) => `"${cmd}" runs without -n: add "zypper -n" (--non-interactive) so the build does not stop at a prompt.`;

ruleTests(rule, {
  valid: [
    'FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean -a\n',
    'FROM opensuse/leap:15.6\nRUN zypper --non-interactive in curl\n',
    'FROM opensuse/leap:15.6\nRUN zypper install -y curl && zypper rm --no-confirm vim\n',
    { name: 'global options with values before -n', code: 'FROM opensuse/leap:15.6\nRUN zypper --root /target -n install curl\n' },
    { name: 'refresh and repository commands', code: 'FROM opensuse/leap:15.6\nRUN zypper --gpg-auto-import-keys refresh && zypper lr\n' },
  ],
  invalid: [
    {
      code: 'FROM opensuse/leap:15.6\nRUN zypper install curl\n',
      errors: [
        {
          line: 2,
          column: 12,
          endLine: 2,
          endColumn: 19,
          hadolint: 'DL3034',
          severity: 'warning',
          message: msg('zypper install'),
          fix: 'RUN zypper -n install curl',
          fixLines: [2, 2],
        },
      ],
    },
    {
      name: 'aliases; the fix goes after the program, where -n belongs',
      code: 'FROM opensuse/tumbleweed\nRUN zypper --gpg-auto-import-keys ref && \\\n    zypper up\n',
      errors: [{ line: 3, column: 12, endColumn: 14, message: msg('zypper up'), fix: '    zypper -n up' }],
    },
    {
      name: 'ONBUILD',
      code: 'FROM opensuse/leap:15.6\nONBUILD RUN zypper patch\n',
      errors: [{ line: 2, column: 20, fix: 'ONBUILD RUN zypper -n patch' }],
    },
  ],
});
