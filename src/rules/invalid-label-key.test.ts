import assert from 'node:assert/strict';
import { test } from 'node:test';
import rule, { labelKeyProblem } from './invalid-label-key.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM alpine:3.20\nLABEL org.opencontainers.image.source="https://example.com" com.example.tier3=web maintainer=x\n',
    { name: 'legacy form', code: 'FROM alpine:3.20\nLABEL description some text here\n' },
    { name: 'key from a known variable', code: 'FROM alpine:3.20\nARG NS=com.example\nLABEL ${NS}.version=1\n' },
    { name: 'quoted valid key', code: 'FROM alpine:3.20\nLABEL "com.example.a"=1\n' },
  ],
  invalid: [
    {
      name: 'reserved namespaces',
      code: 'FROM alpine:3.20\nLABEL com.docker.tier=web io.docker.x=1 org.dockerproject.y=2\n',
      errors: [
        {
          line: 2,
          column: 7,
          endColumn: 22,
          hadolint: 'DL3048',
          severity: 'warning',
          message: 'Label key "com.docker.tier" uses the namespace "com.docker.", which is reserved for Docker; use your own reverse-DNS prefix.',
        },
        { line: 2, column: 27, endColumn: 38, message: /"io\.docker\."/ },
        { line: 2, column: 41, endColumn: 60, message: /"org\.dockerproject\."/ },
      ],
    },
    {
      name: 'characters, case, start, end and separators, across continuation lines',
      code: 'FROM alpine:3.20\nLABEL Maintainer=a \\\n      build_date=b \\\n      .hidden=c 1st=d last-=e a..b=f a--b=g\n',
      errors: [
        { line: 2, column: 7, endColumn: 17, message: 'Label key "Maintainer" has upper-case letters; label keys are lower-case, e.g. "maintainer".' },
        { line: 3, column: 7, endColumn: 17, message: 'Label key "build_date" contains "_"; label keys use only a-z, 0-9, "." and "-".' },
        { line: 4, column: 7, endColumn: 14, message: 'Label key ".hidden" must start with a lower-case letter.' },
        { line: 4, column: 17, endColumn: 20, message: 'Label key "1st" must start with a lower-case letter.' },
        { line: 4, column: 23, endColumn: 28, message: 'Label key "last-" must end with a lower-case letter or a digit.' },
        { line: 4, column: 31, endColumn: 35, message: 'Label key "a..b" has consecutive separators ("..", "--").' },
        { line: 4, column: 38, endColumn: 42, message: /consecutive separators/ },
      ],
    },
    {
      name: 'unknown variable: judged as written; known variable: judged after substitution',
      code: 'FROM alpine:3.20\nARG NS=Com.Example\nLABEL $UNSET.x=1 ${NS}.y=2\n',
      errors: [
        { line: 3, column: 7, endColumn: 15, message: 'Label key "$UNSET.x" contains "$" and upper-case letters; label keys use only a-z, 0-9, "." and "-".' },
        { line: 3, column: 18, endColumn: 25, message: /^Label key "Com\.Example\.y" \(written \$\{NS\}\.y\) has upper-case letters/ },
      ],
    },
    {
      name: 'space before the = (legacy form) and ONBUILD LABEL',
      code: 'FROM alpine:3.20\nLABEL -x ="v"\nONBUILD LABEL io.docker.z=1\n',
      errors: [
        { line: 2, column: 7, endColumn: 9, message: /must start with a lower-case letter/ },
        { line: 3, column: 15, endColumn: 26, message: /reserved for Docker/ },
      ],
    },
  ],
});

test('labelKeyProblem', () => {
  assert.equal(labelKeyProblem('org.opencontainers.image.version'), null);
  assert.equal(labelKeyProblem('a1'), null);
  assert.equal(labelKeyProblem('with space'), 'contains whitespace; label keys use only a-z, 0-9, "." and "-"');
  assert.match(labelKeyProblem('9lives') ?? '', /start with a lower-case letter/);
});
