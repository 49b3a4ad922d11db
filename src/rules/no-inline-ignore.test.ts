import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPolicy } from '../config/policy.ts';
import { lint } from './engine.ts';
import rule from './no-inline-ignore.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:12-slim\nRUN true\n',
    { name: 'other pragmas and comments', code: '# hadolint shell=powershell\n# ignore=DL3008 is not a pragma\nFROM debian:12-slim\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12-slim\n# hadolint ignore=DL3008,DL3015\nRUN apt-get install -y curl\n',
      errors: [
        {
          line: 2,
          column: 1,
          endColumn: 32,
          hadolint: 'DL1001',
          severity: 'warning',
          message:
            'Inline pragma "# hadolint ignore=DL3008,DL3015": inline ignores are not allowed here; fix the finding, or configure those rules in .github/defang.yml instead.',
        },
      ],
    },
    {
      name: 'defang pragmas, global ones, indented',
      code: '# defang global ignore=root-user\nFROM debian:12-slim\n  # defang ignore=no-sudo because reasons\nRUN true\n',
      errors: [
        { line: 1, column: 1, endColumn: 33, message: /^Inline pragma "# defang global ignore=root-user": .* configure the rule in/ },
        { line: 3, column: 3, message: /^Inline pragma "# defang ignore=no-sudo"/ },
      ],
    },
    {
      name: 'with allowInlineIgnores: false the message says the pragma silences nothing',
      code: 'FROM debian:12-slim\n# hadolint ignore=DL3008\nRUN true\n',
      policy: { allowInlineIgnores: false },
      errors: [{ line: 2, message: /the policy does not allow inline ignores \(allowInlineIgnores: false\), so it silences nothing/ }],
    },
  ],
});

test('the engine turns the rule on when the policy forbids inline ignores', async () => {
  const text = 'FROM debian:12-slim\n# hadolint ignore=DL3008\nRUN true\n';
  const on = await lint([{ file: 'Dockerfile', text }], { ...defaultPolicy(), allowInlineIgnores: false }, { rules: [rule] });
  assert.deepEqual(on.results[0].findings.map((f) => [f.ruleId, f.line]), [['no-inline-ignore', 2]]);
  const off = await lint([{ file: 'Dockerfile', text }], defaultPolicy(), { rules: [rule] });
  assert.deepEqual(off.results[0].findings, []);
});
