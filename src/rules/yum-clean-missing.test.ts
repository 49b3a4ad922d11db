import rule from './yum-clean-missing.ts';
import { ruleTests } from './testing.ts';

const msg = (cmd: string) => `"${cmd}" leaves its cache in the image: end this RUN with "yum clean all".`;

ruleTests(rule, {
  valid: [
    'FROM centos:7\nRUN yum install -y httpd && yum clean all\n',
    { name: 'cache removed', code: 'FROM centos:7\nRUN yum install -y httpd && rm -rf /var/cache/yum\n' },
    { name: 'cache mount', code: 'FROM rockylinux:9\nRUN --mount=type=cache,target=/var/cache/dnf yum install -y httpd\n' },
    { name: 'commands that download nothing', code: 'FROM centos:7\nRUN yum remove -y httpd\n' },
    { name: 'a build stage', code: 'FROM centos:7 AS build\nRUN yum install -y gcc\nFROM centos:7\nCOPY --from=build /out /out\n' },
  ],
  invalid: [
    {
      code: 'FROM centos:7\nRUN yum install -y httpd\n',
      errors: [{ line: 2, column: 9, endLine: 2, endColumn: 16, hadolint: 'DL3032', severity: 'info', message: msg('yum install') }],
    },
    {
      name: 'cleaning before installing does not help; one finding per RUN',
      code: 'FROM centos:7\nRUN yum clean all && yum -y update && yum -y install httpd\n',
      errors: [{ line: 2, column: 29, endColumn: 35, message: msg('yum update') }],
    },
    {
      name: 'clean in the next RUN is too late; multi-line; ONBUILD',
      code: 'FROM centos:7\nONBUILD RUN yum -y \\\n    groupinstall "Development Tools"\nRUN yum clean all\n',
      errors: [{ line: 3, column: 5, endColumn: 17, message: msg('yum groupinstall') }],
    },
    {
      name: 'allStages',
      code: 'FROM centos:7 AS build\nRUN yum install -y gcc\nFROM scratch\n',
      options: { allStages: true },
      errors: [{ line: 2, column: 9 }],
    },
  ],
});
