import rule from './dnf-pin-versions.ts';
import { ruleTests } from './testing.ts';

const msg = (pkg: string, name = pkg) =>
  `Package "${pkg}" is not pinned to a version: install "${name}-<version>" so that rebuilds install the same version.`;

ruleTests(rule, {
  valid: [
    'FROM fedora:40\nRUN dnf install -y httpd-2.4.59 && dnf clean all\n',
    'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y tar-2:1.34 && microdnf clean all\n',
    { name: 'groups', code: 'FROM fedora:40\nRUN dnf -y --setopt=group_package_types=mandatory group install "Development Tools"\n' },
    { name: 'modules with a stream', code: 'FROM fedora:40\nRUN dnf module install -y postgresql:16\n' },
    { name: 'version from an ARG', code: 'FROM fedora:40\nARG V=2.45.2-2.fc40\nRUN dnf install -y git-core-$V\n' },
  ],
  invalid: [
    {
      code: 'FROM fedora:40\nRUN dnf install -y httpd\n',
      errors: [{ line: 2, column: 20, endLine: 2, endColumn: 25, hadolint: 'DL3041', severity: 'warning', message: msg('httpd') }],
    },
    {
      name: 'microdnf, a name with dashes, multi-line',
      code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y \\\n      shadow-utils \\\n      tar-1.34\n',
      errors: [{ line: 3, column: 7, endColumn: 19, message: msg('shadow-utils') }],
    },
    {
      name: 'ONBUILD',
      code: 'FROM fedora:40\nONBUILD RUN dnf in -y git\n',
      errors: [{ line: 2, column: 23, message: msg('git') }],
    },
  ],
});
