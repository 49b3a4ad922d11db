import rule from './copy-from-unknown-stage.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM golang:1.22 AS build\nRUN go build -o /out/app\nFROM alpine:3.20\nCOPY --from=build /out/app /app\n',
    { name: 'by index', code: 'FROM golang:1.22\nRUN go build\nFROM alpine:3.20\nCOPY --from=0 /go/bin/app /app\n' },
    { name: 'case-insensitive names', code: 'FROM golang:1.22 AS Build\nFROM alpine:3.20\nCOPY --from=BUILD /a /a\n' },
    { name: 'an image with a tag', code: 'FROM alpine:3.20\nCOPY --from=busybox:1.36 /bin/busybox /bin/\n' },
    { name: 'an image with a registry path', code: 'FROM alpine:3.20\nCOPY --from=ghcr.io/acme/tools /bin/x /bin/\n' },
    { name: 'a stage through an ARG', code: 'ARG SRC=build\nFROM golang:1.22 AS build\nFROM alpine:3.20\nARG SRC\nCOPY --from=$SRC /a /a\n' },
    { name: 'an unresolved variable is not guessed', code: 'FROM alpine:3.20\nARG SRC\nCOPY --from=${SRC} /a /a\n' },
    { name: 'its own stage is copy-from-self’s business', code: 'FROM alpine:3.20 AS app\nCOPY --from=app /a /b\n' },
    { name: 'ONBUILD triggers run in another build', code: 'FROM alpine:3.20\nONBUILD COPY --from=builder /a /a\n' },
    { name: 'RUN --mount is not judged here', code: 'FROM alpine:3.20\nRUN --mount=from=tools,target=/t ls /t\n' },
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nCOPY --from=biuld /out/app /app\n',
      errors: [
        {
          line: 2,
          column: 6,
          endColumn: 18,
          hadolint: 'DL3022',
          severity: 'error',
          message:
            'COPY --from=biuld names no stage defined above, so BuildKit would pull the image "biuld:latest" instead: use the name of an earlier stage, or an image reference with a tag.',
        },
      ],
    },
    {
      name: 'a stage defined later',
      code: 'FROM alpine:3.20\nCOPY --from=build /a /a\nFROM golang:1.22 AS build\n',
      errors: [{ line: 2, column: 6, message: 'COPY --from=build refers to the stage "build" defined later, on line 3: move that stage above this instruction.' }],
    },
    {
      name: 'an index past the earlier stages',
      code: 'FROM golang:1.22\nFROM alpine:3.20\nCOPY --from=2 /a /a\n',
      errors: [{ line: 3, column: 6, endColumn: 14, message: 'COPY --from=2 refers to stage 2, but only 1 stage is defined before it (indexes start at 0).' }],
    },
    {
      name: 'an index of a later stage, on a continuation line',
      code: 'FROM alpine:3.20\nCOPY --chown=app \\\n  --from=1 /a /a\nFROM alpine:3.20\n',
      errors: [{ line: 3, column: 3, endColumn: 11, message: /^COPY --from=1 refers to stage 1 on line 4, which comes after this instruction/ }],
    },
    {
      name: 'before any FROM',
      code: 'COPY --from=0 /a /a\n',
      errors: [{ line: 1, column: 6, message: /but no stage is defined before it/ }],
    },
  ],
});
