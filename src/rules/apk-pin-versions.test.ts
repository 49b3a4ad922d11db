import rule from './apk-pin-versions.ts';
import { ruleTests } from './testing.ts';

const msg = (pkg: string, name = pkg) =>
  `Package "${pkg}" is not pinned to a version: add "${name}=<version>" (or "${name}~<version>") so that rebuilds install the same version.`;

ruleTests(rule, {
  valid: [
    'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r1\n',
    { name: 'fuzzy pins', code: 'FROM alpine:3.20\nRUN apk add --no-cache "git~2.45" "bash>=5.2" "jq<1.8" "zlib=~1.3"\n' },
    { name: 'options with values', code: 'FROM alpine:3.20\nRUN apk add --no-cache -X https://dl-cdn.alpinelinux.org/alpine/edge/testing --virtual .deps gcc=13.2.1_git20240309-r0\n' },
    { name: 'local .apk file', code: 'FROM alpine:3.20\nRUN apk add --allow-untrusted /tmp/tool-1.0-r0.apk\n' },
    { name: 'other applets', code: 'FROM alpine:3.20\nRUN apk del curl && apk upgrade\n' },
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nRUN apk add --no-cache curl\n',
      errors: [{ line: 2, column: 24, endLine: 2, endColumn: 28, hadolint: 'DL3018', severity: 'warning', message: msg('curl') }],
    },
    {
      name: 'a repository tag is not a version; each package on its own line',
      code: 'FROM alpine:3.20\nRUN apk add --no-cache \\\n      curl=8.9.1-r1 \\\n      jq@edge \\\n      --repository=https://example.org/alpine \\\n      bash\n',
      errors: [
        { line: 4, column: 7, endColumn: 14, message: msg('jq@edge') },
        { line: 6, column: 7, endColumn: 11, message: msg('bash') },
      ],
    },
    {
      name: 'ONBUILD; packages from an ENV list',
      code: 'FROM alpine:3.20\nENV RUNTIME_DEPS="tini=0.19.0-r3 su-exec"\nONBUILD RUN apk add --no-cache ${RUNTIME_DEPS}\n',
      errors: [{ line: 3, column: 32, message: msg('su-exec') }],
    },
  ],
});
