import rule from './copy-root-from-stage.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM alpine:3.20\nCOPY / /\n',
    { name: 'an empty --from', code: 'FROM alpine:3.20\nCOPY --from= / /\n' },
    'FROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --from=build /out /\n',
    'FROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --from=build / /rootfs\n',
    { name: 'a relative destination depends on WORKDIR', code: 'FROM alpine:3.20 AS a\nFROM alpine:3.20\nCOPY --from=a / .\n' },
    { name: 'JSON form into a directory', code: 'FROM alpine:3.20 AS a\nFROM alpine:3.20\nCOPY --from=a ["/", "/snapshot/"]\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12 AS rootfs\nFROM scratch\nCOPY --from=rootfs / /\n',
      errors: [
        {
          line: 3,
          column: 20,
          endColumn: 23,
          hadolint: 'DL3067',
          severity: 'warning',
          message:
            'COPY --from=rootfs copies the whole root filesystem of "rootfs" over this stage\'s root: copy only the directories you need (e.g. COPY --from=rootfs /app /app).',
        },
      ],
    },
    {
      name: 'quoted paths',
      code: 'FROM alpine:3.20 AS a\nFROM alpine:3.20\nCOPY --from=a "/" "/"\n',
      errors: [{ line: 3, column: 15, endColumn: 22 }],
    },
    {
      name: 'JSON form',
      code: 'FROM alpine:3.20 AS a\nFROM alpine:3.20\nCOPY --from=a ["/", "/"]\n',
      errors: [{ line: 3, column: 16, endColumn: 24 }],
    },
    {
      name: 'dot source, across a continuation, from an image',
      code: 'FROM alpine:3.20\nCOPY --link --from=busybox:1.36 \\\n     ./ \\\n     //\n',
      errors: [{ line: 3, column: 6, endLine: 4, endColumn: 8, message: /^COPY --from=busybox:1\.36 copies the whole root filesystem/ }],
    },
    {
      name: 'ONBUILD COPY',
      code: 'FROM alpine:3.20\nONBUILD COPY --from=base / /\n',
      errors: [{ line: 2, column: 26, endColumn: 29 }],
    },
  ],
});
