import rule from './dnf-clean-missing.ts';
import { ruleTests } from './testing.ts';

const msg = (cmd: string, program = cmd.split(' ')[0]) => `"${cmd}" leaves its cache in the image: end this RUN with "${program} clean all".`;

ruleTests(rule, {
  valid: [
    'FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n',
    'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y httpd && microdnf clean all\n',
    { name: 'cache directory removed', code: 'FROM fedora:40\nRUN dnf install -y httpd && rm -rf /var/cache/dnf/*\n' },
    { name: 'cache mount (dnf5)', code: 'FROM fedora:41\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y httpd\n' },
    { name: 'group install then clean', code: 'FROM fedora:40\nRUN dnf -y group install "C Development Tools and Libraries" && dnf clean all\n' },
  ],
  invalid: [
    {
      code: 'FROM fedora:40\nRUN dnf install -y httpd\n',
      errors: [{ line: 2, column: 9, endLine: 2, endColumn: 16, hadolint: 'DL3040', severity: 'info', message: msg('dnf install') }],
    },
    {
      name: 'microdnf keeps its own cache: dnf clean all does not clear it',
      code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y httpd && dnf clean all\n',
      errors: [{ line: 2, column: 14, message: msg('microdnf install') }],
    },
    {
      name: 'removing the cache before installing does not help',
      code: 'FROM fedora:41\nRUN rm -rf /var/cache/libdnf5 && dnf -y up\n',
      errors: [{ line: 2, column: 41, endColumn: 43, message: msg('dnf up') }],
    },
    {
      name: 'multi-line, ONBUILD',
      code: 'FROM fedora:40\nONBUILD RUN set -e; \\\n    dnf -y in httpd\n',
      errors: [{ line: 3, column: 12, endColumn: 14, message: msg('dnf in') }],
    },
  ],
});
