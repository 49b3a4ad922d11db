import { ruleTests } from './testing.ts';
import rule from './build-failed.ts';

const text = 'FROM alpine:3.20\nRUN apk add curl\nRUN false \\\n  && echo never\nCMD ["sh"]\n';

ruleTests(rule, {
  valid: [{ name: 'no build, nothing to report', code: text }],
  invalid: [
    {
      name: 'on the failing instruction, with the log tail',
      code: text,
      options: { failure: { line: 3, endLine: 4, error: 'process "/bin/sh -c false" did not complete successfully: exit code: 1', log: '#6 [3/3] RUN false\n#6 ERROR: exit code: 1' } },
      errors: [{ line: 3, column: 1, endLine: 4, endColumn: 16, message: /^The image does not build: process "\/bin\/sh -c false" did not complete successfully: exit code: 1\n\nEnd of the build log:\n#6 \[3\/3\] RUN false\n#6 ERROR: exit code: 1$/ }],
    },
    {
      name: 'no line in the log: on the final FROM',
      code: text,
      options: { failure: { error: 'failed to read dockerfile', log: '' } },
      errors: [{ line: 1, message: 'The image does not build: failed to read dockerfile' }],
    },
    {
      name: 'a line outside the file is not trusted',
      code: text,
      options: { failure: { line: 99, error: 'x', log: '' } },
      errors: [{ line: 1 }],
    },
  ],
});
