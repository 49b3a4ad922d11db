import rule from './yum-missing-yes.ts';
import { ruleTests } from './testing.ts';

const msg = (cmd: string) => `"${cmd}" runs without -y: add -y so the build does not stop at the confirmation prompt.`;

ruleTests(rule, {
  valid: [
    'FROM centos:7\nRUN yum install -y httpd && yum clean all\n',
    'FROM centos:7\nRUN yum -y update && yum --assumeyes groupinstall "Development Tools"\n',
    { name: 'assumeyes through --setopt', code: 'FROM rockylinux:9\nRUN yum --setopt=assumeyes=1 install httpd\n' },
    { name: 'fed by yes', code: 'FROM centos:7\nRUN yes | yum remove httpd\n' },
    { name: 'read-only commands', code: 'FROM centos:7\nRUN yum makecache && yum list installed && yum clean all\n' },
    { name: 'dnf is another rule', code: 'FROM fedora:40\nRUN dnf install httpd\n' },
  ],
  invalid: [
    {
      code: 'FROM centos:7\nRUN yum install httpd && yum clean all\n',
      errors: [
        {
          line: 2,
          column: 9,
          endLine: 2,
          endColumn: 16,
          hadolint: 'DL3030',
          severity: 'warning',
          message: msg('yum install'),
          fix: 'RUN yum install -y httpd && yum clean all',
          fixLines: [2, 2],
        },
      ],
    },
    {
      name: 'group and module sub-commands: the finding is on the second word',
      code: 'FROM rockylinux:9\nRUN yum group install "Development Tools" \\\n && yum module enable nodejs:20\n',
      errors: [
        { line: 2, column: 15, endColumn: 22, message: msg('yum group install'), fix: 'RUN yum group install -y "Development Tools" \\' },
        { line: 3, column: 16, endColumn: 22, message: msg('yum module enable'), fix: ' && yum module enable -y nodejs:20' },
      ],
    },
    {
      name: 'ONBUILD, update',
      code: 'FROM centos:7\nONBUILD RUN yum update\n',
      errors: [{ line: 2, column: 17, message: msg('yum update'), fix: 'ONBUILD RUN yum update -y' }],
    },
  ],
});
