import rule from './apt-pin-versions.ts';
import { ruleTests } from './testing.ts';

const msg = (pkg: string, name = pkg) =>
  `Package "${pkg}" is not pinned to a version: install "${name}=<version>" so that rebuilds install the same version.`;

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\n',
    { name: 'globs and epochs', code: 'FROM debian:12\nRUN apt-get install -y git=1:2.39.* tzdata=2024a-0+deb12u1\n' },
    { name: 'local .deb files', code: 'FROM debian:12\nRUN apt-get install -y ./tool_1.0_amd64.deb /tmp/other.deb\n' },
    { name: 'target release option takes a value', code: 'FROM debian:12\nRUN apt-get install -y -t bookworm-backports golang=2:1.22~3~bpo12+1\n' },
    { name: 'version from an ARG', code: 'FROM debian:12\nARG CURL_VERSION=7.88.1-10\nRUN apt-get install -y curl=${CURL_VERSION}\n' },
    { name: 'version from a build-arg only known at build time', code: 'FROM debian:12\nARG CURL_VERSION\nRUN apt-get install -y curl=$CURL_VERSION\n' },
    { name: 'a package list that cannot be known is not judged', code: 'FROM debian:12\nRUN apt-get install -y $(cat /tmp/packages.txt)\n' },
    { name: 'other sub-commands', code: 'FROM debian:12\nRUN apt-get remove -y curl && apt-get update\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n',
      errors: [{ line: 2, column: 42, endLine: 2, endColumn: 46, hadolint: 'DL3008', severity: 'warning', message: msg('curl') }],
    },
    {
      name: 'one finding per unpinned package, on its own line',
      code: 'FROM debian:12\nRUN apt-get install -y \\\n      ca-certificates=20230311 \\\n      git \\\n      "tzdata"\n',
      errors: [
        { line: 4, column: 7, endColumn: 10, message: msg('git') },
        { line: 5, column: 7, endColumn: 15, message: msg('tzdata') },
      ],
    },
    {
      name: 'a package list in an ARG is read package by package',
      code: 'FROM debian:12\nARG PACKAGES="curl=7.88.1-10 jq"\nRUN apt-get install -y $PACKAGES\n',
      errors: [{ line: 3, column: 24, endColumn: 33, message: msg('jq') }],
    },
    {
      name: 'a target release is not a version; ONBUILD',
      code: 'FROM debian:12\nONBUILD RUN apt install -y golang/bookworm-backports\n',
      errors: [{ line: 2, column: 28, message: msg('golang/bookworm-backports') }],
    },
    {
      name: 'a version variable set only in another stage expands to nothing',
      code: 'FROM debian:12 AS versions\nARG JQ_VERSION=1.6-2.1\nFROM debian:12\nRUN apt-get install -y jq=${JQ_VERSION}\n',
      errors: [
        {
          line: 4,
          column: 24,
          message:
            'Package "jq=${JQ_VERSION}" is not pinned to a version ($JQ_VERSION is not set in this stage, so it expands to nothing): install "jq=<version>" so that rebuilds install the same version.',
        },
      ],
    },
  ],
});
