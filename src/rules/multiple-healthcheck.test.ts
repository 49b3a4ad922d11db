import rule from './multiple-healthcheck.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM nginx:1.27\nHEALTHCHECK CMD ["curl", "-f", "http://localhost/"]\n',
    { name: 'one per stage', code: 'FROM nginx:1.27 AS a\nHEALTHCHECK NONE\nFROM nginx:1.27\nHEALTHCHECK CMD ["true"]\n' },
    { name: 'ONBUILD HEALTHCHECK is for the child image', code: 'FROM nginx:1.27\nHEALTHCHECK NONE\nONBUILD HEALTHCHECK CMD ["true"]\n' },
  ],
  invalid: [
    {
      name: 'NONE overridden by a later check; flags and continuation removed with it',
      code: 'FROM nginx:1.27\nHEALTHCHECK NONE\nHEALTHCHECK --interval=5s \\\n  CMD ["curl", "-f", "http://localhost/"]\n  HEALTHCHECK CMD ["true"]\n',
      errors: [
        {
          line: 2,
          column: 1,
          endColumn: 12,
          hadolint: 'DL3012',
          severity: 'error',
          message: 'This HEALTHCHECK has no effect: the HEALTHCHECK on line 5 overrides it (only the last HEALTHCHECK of this stage counts); remove it.',
          fix: '',
          fixLines: [2, 2],
        },
        { line: 3, column: 1, fix: '', fixLines: [3, 4] },
      ],
    },
  ],
});
