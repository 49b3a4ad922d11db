import rule from './reserved-stage-name.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: ['FROM alpine:3.20 AS builder\n', 'FROM scratch\n', 'FROM alpine:3.20 AS scratchpad\n', 'FROM alpine:3.20 AS my-context\n'],
  invalid: [
    {
      code: 'FROM alpine:3.20 AS scratch\n',
      errors: [
        {
          line: 1,
          column: 21,
          endColumn: 28,
          hadolint: 'DL3063',
          severity: 'error',
          message: 'Stage name "scratch" is reserved by BuildKit (it means the empty image): choose another name.',
        },
      ],
    },
    {
      name: 'context, any case',
      code: 'FROM alpine:3.20 AS build\nFROM alpine:3.20 as Context\n',
      errors: [{ line: 2, column: 21, endColumn: 28, message: 'Stage name "Context" is reserved by BuildKit (it means the build context): choose another name.' }],
    },
  ],
});
