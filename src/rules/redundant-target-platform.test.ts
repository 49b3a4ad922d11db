import assert from 'node:assert/strict';
import { test } from 'node:test';
import rule from './redundant-target-platform.ts';
import { ruleTests, runRule } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM alpine:3.20\n',
    'FROM --platform=$BUILDPLATFORM golang:1.22\n',
    'FROM --platform=linux/arm64 alpine:3.20\n',
    { name: 'another variable', code: 'FROM --platform=$MY_PLATFORM alpine:3.20\n' },
    { name: 'a default is not the plain variable', code: 'FROM --platform=${TARGETPLATFORM:-linux/amd64} alpine:3.20\n' },
  ],
  invalid: [
    {
      code: 'FROM --platform=$TARGETPLATFORM alpine:3.20 AS run\n',
      errors: [
        {
          line: 1,
          column: 6,
          endColumn: 32,
          hadolint: 'DL3065',
          severity: 'info',
          message:
            'FROM --platform=$TARGETPLATFORM is redundant: stages are built for the target platform by default; remove the flag.',
          fix: 'FROM alpine:3.20 AS run',
          fixLines: [1, 1],
        },
      ],
    },
    {
      name: 'braces and quotes',
      code: 'FROM alpine:3.20 AS a\nfrom   --platform="${TARGETPLATFORM}"\talpine:3.20\n',
      errors: [{ line: 2, column: 8, endColumn: 38, message: /^FROM --platform=\$\{TARGETPLATFORM\} is redundant/, fix: 'from   alpine:3.20', fixLines: [2, 2] }],
    },
    {
      name: 'next to another flag',
      code: 'FROM --platform=$TARGETPLATFORM --other=x alpine:3.20\n',
      errors: [{ line: 1, column: 6, fix: 'FROM --other=x alpine:3.20' }],
    },
  ],
});

test('redundant-target-platform: no fix when the flag ends its line', async () => {
  const f = await runRule(rule, 'FROM --platform=$TARGETPLATFORM \\\n  alpine:3.20\n');
  assert.equal(f.length, 1);
  assert.equal(f[0].line, 1);
  assert.equal(f[0].fix, undefined);
});
