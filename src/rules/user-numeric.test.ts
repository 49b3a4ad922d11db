import rule from './user-numeric.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM alpine:3.20\nUSER 10001\n',
    'FROM alpine:3.20\nUSER 10001:10001\n',
    { name: 'a numeric user with a named group', code: 'FROM alpine:3.20\nUSER 10001:app\n' },
    { name: 'only the USER the image runs as counts', code: 'FROM node:20 AS build\nUSER node\nFROM node:20\nUSER 1000\n' },
    { name: 'an earlier named USER in the final stage', code: 'FROM node:20\nUSER node\nRUN npm ci\nUSER 1000\n' },
    { name: 'an unresolved variable is not guessed', code: 'ARG APP_UID\nFROM alpine:3.20\nUSER ${APP_UID}\n' },
    { name: 'root is root-user’s business', code: 'FROM alpine:3.20\nUSER root\n' },
    { name: 'no USER at all', code: 'FROM alpine:3.20\n' },
  ],
  invalid: [
    {
      code: 'FROM node:20\nUSER node\n',
      errors: [
        {
          line: 2,
          column: 6,
          endColumn: 10,
          hadolint: 'DL3066',
          severity: 'info',
          message:
            'USER "node" names the user "node" instead of a numeric UID: Kubernetes runAsNonRoot cannot verify it; use the UID (e.g. USER 10001).',
        },
      ],
    },
    {
      name: 'user and group names: the span is the user part',
      code: 'FROM alpine:3.20\nUSER app:app\n',
      errors: [{ line: 2, column: 6, endColumn: 9, message: /use the UID \(e\.g\. USER 10001:10001\)/ }],
    },
    {
      name: 'a name through a variable',
      code: 'FROM alpine:3.20\nENV APP_USER=svc\nUSER ${APP_USER}\n',
      errors: [{ line: 3, column: 6, endColumn: 17, message: /^USER "svc" names the user "svc"/ }],
    },
    {
      name: 'inherited from the stage the final one builds on',
      code: 'FROM alpine:3.20 AS base\nUSER nobody\nFROM base\nCMD ["true"]\n',
      errors: [{ line: 2, column: 6, endColumn: 12, message: /"nobody"/ }],
    },
    {
      name: 'a file without FROM',
      code: 'USER daemon\n',
      errors: [{ line: 1, column: 6, message: /"daemon"/ }],
    },
  ],
});
