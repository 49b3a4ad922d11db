import rule from './from-platform-flag.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:12\n',
    'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n',
    'FROM --platform=${BUILDPLATFORM:-linux/amd64} golang:1.22\n',
    'FROM --platform="$TARGETPLATFORM" alpine:3.20\n',
    { name: 'an ARG is a variable too', code: 'ARG PLATFORM=linux/arm64\nFROM --platform=$PLATFORM alpine:3.20\n' },
  ],
  invalid: [
    {
      code: 'FROM --platform=linux/amd64 debian:12\n',
      errors: [
        {
          line: 1,
          column: 6,
          endColumn: 28,
          hadolint: 'DL3029',
          severity: 'info',
          message:
            'FROM --platform=linux/amd64 pins the platform of "debian:12": drop the flag, or use --platform=$BUILDPLATFORM for a stage that only runs build tools.',
        },
      ],
    },
    {
      name: 'quoted, on a continuation line, in a later stage',
      code: 'FROM alpine:3.20 AS a\nFROM \\\n  --platform="linux/arm64/v8" \\\n  alpine:3.20\n',
      errors: [{ line: 3, column: 3, endColumn: 30, message: /^FROM --platform=linux\/arm64\/v8 pins the platform of "alpine:3\.20"/ }],
    },
  ],
});
