import rule from './multiple-entrypoint.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM alpine:3.20\nENTRYPOINT ["/entry.sh"]\nCMD ["run"]\n',
    { name: 'one per stage', code: 'FROM alpine:3.20 AS a\nENTRYPOINT ["/a"]\nFROM alpine:3.20\nENTRYPOINT ["/b"]\n' },
    { name: 'ONBUILD ENTRYPOINT is for the child image', code: 'FROM alpine:3.20\nENTRYPOINT ["/a"]\nONBUILD ENTRYPOINT ["/b"]\n' },
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nENTRYPOINT ["/setup.sh"]\nCOPY run.sh /\nENTRYPOINT ["/run.sh"]\n',
      errors: [
        {
          line: 2,
          column: 1,
          endColumn: 11,
          hadolint: 'DL4004',
          severity: 'error',
          message:
            'This ENTRYPOINT has no effect: the ENTRYPOINT on line 4 overrides it (only the last ENTRYPOINT of this stage counts); remove it.',
          fix: '',
          fixLines: [2, 2],
        },
      ],
    },
    {
      name: 'per stage: only the stage with two is reported',
      code: 'FROM alpine:3.20 AS one\nENTRYPOINT a\nRUN x\nENTRYPOINT b\nFROM alpine:3.20\n  ENTRYPOINT c\n',
      errors: [{ line: 2, column: 1, message: /line 4 .*stage "one"/ }],
    },
  ],
});
