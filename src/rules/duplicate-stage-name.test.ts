import rule from './duplicate-stage-name.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM golang:1.22 AS build\nFROM alpine:3.20 AS run\n',
    'FROM alpine:3.20\nFROM alpine:3.20\n',
    { name: 'one name, built on', code: 'FROM alpine:3.20 AS base\nFROM base AS test\nFROM base\n' },
  ],
  invalid: [
    {
      code: 'FROM golang:1.22 AS build\nRUN go build\nFROM alpine:3.20 AS build\n',
      errors: [
        {
          line: 3,
          column: 21,
          endColumn: 26,
          hadolint: 'DL3024',
          severity: 'error',
          message: 'Stage name "build" is already used by the stage on line 1 (names are case-insensitive): give each stage a unique name.',
        },
      ],
    },
    {
      name: 'case-insensitive, every repeat',
      code: 'FROM alpine:3.20 AS App\nFROM alpine:3.20 as app\nFROM \\\n  alpine:3.20 \\\n  AS APP\n',
      errors: [
        { line: 2, column: 21, endColumn: 24, message: /^Stage name "app" is already used by the stage on line 1/ },
        { line: 5, column: 6, endColumn: 9, message: /^Stage name "APP" is already used by the stage on line 1/ },
      ],
    },
  ],
});
