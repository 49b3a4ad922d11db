import rule from './yum-pin-versions.ts';
import { ruleTests } from './testing.ts';

const msg = (pkg: string, name = pkg) =>
  `Package "${pkg}" is not pinned to a version: install "${name}-<version>" so that rebuilds install the same version.`;

ruleTests(rule, {
  valid: [
    'FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n',
    { name: 'version-release, epoch, names with dashes and pluses', code: 'FROM centos:7\nRUN yum install -y httpd-2.4.6-99.el7 openssl-1:1.0.2k libstdc++-devel-4.8.5\n' },
    { name: 'groups, capabilities and files', code: 'FROM centos:7\nRUN yum install -y @base "perl(JSON)" /usr/bin/make ./local-1.0-1.noarch.rpm && yum groupinstall -y "Development Tools"\n' },
    { name: 'module stream', code: 'FROM rockylinux:9\nRUN yum module install -y nodejs:20\n' },
    { name: 'version from ENV', code: 'FROM centos:7\nENV GIT_VERSION=1.8.3.1-25.el7\nRUN yum install -y git-${GIT_VERSION}\n' },
    { name: 'version from a build-arg', code: 'FROM centos:7\nARG GIT_VERSION\nRUN yum install -y git-$GIT_VERSION\n' },
  ],
  invalid: [
    {
      code: 'FROM centos:7\nRUN yum install -y httpd && yum clean all\n',
      errors: [{ line: 2, column: 20, endLine: 2, endColumn: 25, hadolint: 'DL3033', severity: 'warning', message: msg('httpd') }],
    },
    {
      name: 'a name with a number is not a version',
      code: 'FROM centos:7\nRUN yum install -y \\\n      java-11-openjdk \\\n      python3-pip-9.0.3\n',
      errors: [{ line: 3, column: 7, endColumn: 22, message: msg('java-11-openjdk') }],
    },
    {
      name: 'module without a stream',
      code: 'FROM rockylinux:9\nRUN yum module install -y nodejs\n',
      errors: [
        { line: 2, column: 27, message: 'Package "nodejs" is not pinned to a version: install "nodejs:<stream>" so that rebuilds install the same version.' },
      ],
    },
    {
      name: 'a version variable from another stage expands to nothing; ONBUILD',
      code: 'FROM centos:7 AS versions\nENV GIT_VERSION=1.8.3.1\nFROM centos:7\nONBUILD RUN yum install -y git-${GIT_VERSION}\n',
      errors: [
        {
          line: 4,
          column: 28,
          message:
            'Package "git-${GIT_VERSION}" is not pinned to a version ($GIT_VERSION is not set in this stage, so it expands to nothing): install "git-<version>" so that rebuilds install the same version.',
        },
      ],
    },
  ],
});
