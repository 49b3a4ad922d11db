import rule from './add-url-without-checksum.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    '# syntax=docker/dockerfile:1.7\nFROM debian:12\nADD --checksum=sha256:0e3f5c2a9b1d4e6f8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f1a https://example.org/tool-1.2.tar.gz /opt/\n',
    { name: 'local file', code: 'FROM debian:12\nADD vendor.tgz /opt/\n' },
    { name: 'git repository', code: 'FROM debian:12\nADD https://github.com/acme/tools.git#v1.2.0 /src/tools\n' },
    { name: 'COPY is not ADD', code: 'FROM debian:12\nCOPY --from=fetch /out/https:/x /x\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nADD https://example.org/tool-1.2.tar.gz /opt/\n',
      errors: [
        {
          line: 2,
          column: 5,
          endColumn: 40,
          severity: 'warning',
          message:
            'ADD downloads "https://example.org/tool-1.2.tar.gz" without --checksum, so a changed file goes into the image unnoticed: add --checksum=sha256:<digest> (Dockerfile syntax 1.6+), or download it with curl and check its SHA-256.',
        },
      ],
    },
    {
      name: 'URL from a variable, quoted, with other flags, on a continuation line',
      code: 'FROM debian:12\nARG VERSION=1.2\nADD --chmod=755 \\\n    "https://example.org/v${VERSION}/tool" /usr/local/bin/tool\n',
      errors: [{ line: 4, column: 5, endColumn: 43, message: /^ADD downloads "https:\/\/example.org\/v1.2\/tool" without --checksum/ }],
    },
    {
      name: 'unknown variable in the URL',
      code: 'FROM debian:12\nARG VERSION\nADD http://example.org/${VERSION}/tool /usr/local/bin/tool\n',
      errors: [{ line: 3, column: 5, message: /"http:\/\/example.org\/\$\{VERSION\}\/tool"/ }],
    },
    {
      name: 'every URL of a multi-source ADD',
      code: 'FROM debian:12\nADD ["https://example.org/a.txt", "https://example.org/b.txt", "/srv/"]\n',
      errors: [{ line: 2, column: 6 }, { line: 2, column: 35 }],
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM debian:12\nONBUILD ADD https://example.org/a.txt /srv/\n',
      errors: [{ line: 2, column: 13 }],
    },
  ],
});
