import rule from './apk-no-cache.ts';
import { ruleTests } from './testing.ts';

const addMsg = '"apk add" leaves the package index in /var/cache/apk: add --no-cache.';

ruleTests(rule, {
  valid: [
    'FROM alpine:3.20\nRUN apk add --no-cache curl\n',
    'FROM alpine:3.20\nRUN apk --no-cache add curl\n',
    { name: 'cache mount', code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add -U curl\n' },
    { name: 'tmpfs mount of a parent directory', code: 'FROM alpine:3.20\nRUN --mount=type=tmpfs,target=/var/cache apk add curl\n' },
    { name: 'index removed later in the same RUN', code: 'FROM alpine:3.20\nRUN apk update && apk add curl && rm -rf /var/cache/apk/*\n' },
    { name: 'a build stage the final image does not build on', code: 'FROM alpine:3.20 AS build\nRUN apk add gcc\nFROM scratch\nCOPY --from=build /bin/busybox /busybox\n' },
    { name: '--no-network downloads nothing', code: 'FROM alpine:3.20\nRUN apk add --no-network --virtual .rundeps so:libssl.so.3\n' },
    { name: 'apk del keeps no index', code: 'FROM alpine:3.20\nRUN apk del curl\n' },
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nRUN apk add curl\n',
      errors: [
        {
          line: 2,
          column: 9,
          endLine: 2,
          endColumn: 12,
          hadolint: 'DL3019',
          severity: 'info',
          message: addMsg,
          fix: 'RUN apk add --no-cache curl',
          fixLines: [2, 2],
        },
      ],
    },
    {
      name: 'a cache mount somewhere else does not help',
      code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache apk add --virtual .build-deps gcc\n',
      errors: [{ line: 2, column: 48, fix: 'RUN --mount=type=cache,target=/root/.cache apk add --no-cache --virtual .build-deps gcc' }],
    },
    {
      name: 'apk update keeps the index even when add uses --no-cache',
      code: 'FROM alpine:3.20\nRUN apk update \\\n && apk add --no-cache curl\n',
      errors: [
        {
          line: 2,
          column: 9,
          endColumn: 15,
          message: '"apk update" leaves the package index in /var/cache/apk: drop it and use "apk add --no-cache", which fetches a fresh index without keeping it.',
        },
      ],
    },
    {
      name: 'ONBUILD, multi-line',
      code: 'FROM alpine:3.20 AS template\nONBUILD RUN set -e; \\\n    apk add \\\n      curl\nFROM alpine:3.20\n',
      errors: [{ line: 3, column: 9, fix: '    apk add --no-cache \\' }],
    },
    {
      name: 'allStages',
      code: 'FROM alpine:3.20 AS build\nRUN apk add gcc\nFROM scratch\n',
      options: { allStages: true },
      errors: [{ line: 2, column: 9 }],
    },
  ],
});
