import { ruleTests } from './testing.ts';
import rule from './build-check.ts';

const text = 'FROM alpine:3.20 as base\nCMD echo hi\n';

ruleTests(rule, {
  valid: [text, { name: 'no checks passed in', code: text, options: { checks: [] } }],
  invalid: [
    {
      code: text,
      options: {
        checks: [
          { rule: 'FromAsCasing', message: "'as' and 'FROM' keywords' casing do not match", line: 1, url: 'https://docs.docker.com/go/dockerfile/rule/from-as-casing/' },
          { rule: 'JSONArgsRecommended', message: 'JSON arguments recommended for CMD', line: 2, column: 1 },
        ],
      },
      errors: [
        { line: 1, column: 1, endColumn: 25, message: "FromAsCasing: 'as' and 'FROM' keywords' casing do not match (https://docs.docker.com/go/dockerfile/rule/from-as-casing/)" },
        { line: 2, column: 1, message: 'JSONArgsRecommended: JSON arguments recommended for CMD' },
      ],
    },
  ],
});
