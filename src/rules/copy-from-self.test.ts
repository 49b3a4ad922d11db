import rule from './copy-from-self.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM golang:1.22 AS build\nFROM alpine:3.20 AS run\nCOPY --from=build /a /a\n',
    { name: 'an earlier index', code: 'FROM golang:1.22\nFROM alpine:3.20\nCOPY --from=0 /a /a\n' },
    { name: 'an image', code: 'FROM alpine:3.20 AS app\nCOPY --from=app:1.0 /a /a\n' },
    { name: 'ONBUILD triggers run in another build', code: 'FROM alpine:3.20 AS app\nONBUILD COPY --from=app /a /a\n' },
  ],
  invalid: [
    {
      code: 'FROM node:20 AS web\nCOPY --from=web /src /dst\n',
      errors: [
        {
          line: 2,
          column: 6,
          endColumn: 16,
          hadolint: 'DL3023',
          severity: 'error',
          message: 'COPY --from=web refers to the stage it is in ("web", line 1): copy from another, earlier stage, or use RUN cp within the stage.',
        },
      ],
    },
    {
      name: 'by index, in the second stage',
      code: 'FROM golang:1.22\nFROM alpine:3.20\nCOPY --from=1 /a /a\n',
      errors: [{ line: 3, column: 6, message: /refers to the stage it is in \(1, line 2\)/ }],
    },
    {
      name: 'case-insensitive, through a variable',
      code: 'FROM node:20 AS Web\nARG ME=WEB\nCOPY --from=${ME} /a /b\n',
      errors: [{ line: 3, column: 6, endColumn: 18, message: /^COPY --from=WEB refers to the stage it is in \("web", line 1\)/ }],
    },
  ],
});
