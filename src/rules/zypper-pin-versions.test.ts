import rule from './zypper-pin-versions.ts';
import { ruleTests } from './testing.ts';

const msg = (pkg: string, name = pkg) =>
  `Package "${pkg}" is not pinned to a version: install "${name}=<version>" so that rebuilds install the same version.`;

ruleTests(rule, {
  valid: [
    'FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0\n',
    { name: 'ranges, quoted or escaped', code: 'FROM opensuse/leap:15.6\nRUN zypper -n in "git>=2.43" vim\\<10 "jq<=1.7.1"\n' },
    { name: 'local rpm', code: 'FROM opensuse/leap:15.6\nRUN zypper -n in /tmp/tool-1.0-1.x86_64.rpm\n' },
    { name: 'options with values', code: 'FROM opensuse/leap:15.6\nRUN zypper -n in -t pattern --from repo-oss devel_basis=20170319\n' },
  ],
  invalid: [
    {
      code: 'FROM opensuse/leap:15.6\nRUN zypper -n install curl\n',
      errors: [{ line: 2, column: 23, endLine: 2, endColumn: 27, hadolint: 'DL3037', severity: 'warning', message: msg('curl') }],
    },
    {
      name: 'a version without = is a different package name to zypper; multi-line',
      code: 'FROM opensuse/leap:15.6\nRUN zypper -n in \\\n    git=2.43.0 \\\n    vim-9.1\n',
      errors: [{ line: 4, column: 5, endColumn: 12, message: msg('vim-9.1') }],
    },
    {
      name: 'ONBUILD',
      code: 'FROM opensuse/leap:15.6\nONBUILD RUN zypper -n in git\n',
      errors: [{ line: 2, column: 26 }],
    },
  ],
});
