import rule from './healthcheck-missing.ts';
import { ruleTests } from './testing.ts';

const MSG = 'The final image defines no HEALTHCHECK: add one, e.g. HEALTHCHECK CMD ["/app/healthcheck"], or HEALTHCHECK NONE if it cannot have one.';

ruleTests(rule, {
  valid: [
    'FROM nginx:1.27\nHEALTHCHECK CMD ["curl", "-f", "http://localhost/"]\n',
    { name: 'HEALTHCHECK NONE is a decision', code: 'FROM nginx:1.27\nHEALTHCHECK NONE\n' },
    { name: 'inherited from the stage the final one builds on', code: 'FROM nginx:1.27 AS base\nHEALTHCHECK CMD ["true"]\nFROM base AS mid\nFROM mid\n' },
    { name: 'no stage at all', code: 'ARG X=1\n' },
  ],
  invalid: [
    {
      code: 'FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n',
      errors: [{ line: 1, column: 1, endColumn: 16, hadolint: 'DL3057', severity: 'info', message: MSG }],
    },
    {
      name: 'a HEALTHCHECK in an unrelated stage does not count; the final FROM is the place',
      code: 'FROM nginx:1.27 AS web\nHEALTHCHECK CMD ["true"]\nFROM alpine:3.20 AS tool\n',
      errors: [{ line: 3, column: 1, endColumn: 25, message: MSG }],
    },
    {
      name: 'the chain of the final stage has none, another branch does',
      code: 'FROM alpine:3.20 AS base\nFROM base AS a\nHEALTHCHECK NONE\nFROM base AS b\n',
      errors: [{ line: 4, column: 1, message: /^The final image defines no HEALTHCHECK \(nor do the stages it builds on\): / }],
    },
    {
      name: 'ONBUILD HEALTHCHECK is for images built from this one',
      code: 'FROM nginx:1.27\nONBUILD HEALTHCHECK CMD ["true"]\n',
      errors: [{ line: 1, column: 1 }],
    },
  ],
});
