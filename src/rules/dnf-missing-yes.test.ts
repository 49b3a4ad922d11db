import rule from './dnf-missing-yes.ts';
import { ruleTests } from './testing.ts';

const msg = (cmd: string) => `"${cmd}" runs without -y: add -y so the build does not stop at the confirmation prompt.`;

ruleTests(rule, {
  valid: [
    'FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n',
    'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf --assumeyes install httpd && microdnf clean all\n',
    { name: 'read-only commands', code: 'FROM fedora:40\nRUN dnf makecache && dnf repoquery httpd\n' },
    { name: 'a command that only ends with dnf', code: 'FROM fedora:40\nRUN notdnf install httpd\n' },
  ],
  invalid: [
    {
      code: 'FROM fedora:40\nRUN dnf install httpd\n',
      errors: [
        { line: 2, column: 9, endLine: 2, endColumn: 16, hadolint: 'DL3038', severity: 'warning', message: msg('dnf install'), fix: 'RUN dnf install -y httpd' },
      ],
    },
    {
      name: 'microdnf, aliases, multi-line',
      code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf up \\\n && dnf rm vim-minimal\n',
      errors: [
        { line: 2, column: 14, endColumn: 16, message: msg('microdnf up'), fix: 'RUN microdnf up -y \\' },
        { line: 3, column: 9, endColumn: 11, message: msg('dnf rm'), fix: ' && dnf rm -y vim-minimal' },
      ],
    },
    {
      name: 'ONBUILD',
      code: 'FROM fedora:40\nONBUILD RUN dnf5 reinstall glibc\n',
      errors: [{ line: 2, column: 18, message: msg('dnf5 reinstall') }],
    },
  ],
});
