import assert from 'node:assert/strict';
import { test } from 'node:test';
import rule, { labelValue } from './maintainer-deprecated.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:12-slim\nLABEL maintainer="Jane Doe <jane@example.com>"\n',
    { name: 'MAINTAINER inside ONBUILD is onbuild-forbidden-trigger', code: 'FROM debian:12-slim\nONBUILD MAINTAINER jane\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12-slim\nMAINTAINER Jane Doe <jane@example.com>\n',
      errors: [
        {
          line: 2,
          column: 1,
          endColumn: 11,
          hadolint: 'DL4000',
          severity: 'warning',
          message: 'MAINTAINER is deprecated: use LABEL maintainer="Jane Doe <jane@example.com>" instead.',
          fix: 'LABEL maintainer="Jane Doe <jane@example.com>"',
          fixLines: [2, 2],
        },
      ],
    },
    {
      name: 'before FROM, lower-case keyword, indentation, wrapping quotes dropped',
      code: '  maintainer "ops team"\nFROM debian:12-slim\n',
      errors: [{ line: 1, column: 3, endColumn: 13, fix: '  label maintainer="ops team"' }],
    },
    {
      name: 'quotes, dollar signs and backslashes escaped; continuation joined into one line',
      code: 'FROM debian:12-slim\nMAINTAINER Jane "JD" \\\n  Doe $HOME\\x\n',
      errors: [{ line: 2, column: 1, fix: 'LABEL maintainer="Jane \\"JD\\"   Doe \\$HOME\\\\x"', fixLines: [2, 3] }],
    },
    {
      name: 'with the backtick escape character',
      code: '# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nMAINTAINER C:\\ "x"\n',
      errors: [{ line: 3, column: 1, fix: 'LABEL maintainer="C:\\ `"x`""' }],
    },
    {
      name: 'empty MAINTAINER: no fix',
      code: 'FROM debian:12-slim\nMAINTAINER\n',
      errors: [{ line: 2, column: 1, message: 'MAINTAINER is deprecated: use LABEL maintainer="<name>" instead.' }],
    },
  ],
});

test('labelValue keeps the text exactly', () => {
  assert.equal(labelValue('"a b"', '\\'), '"a b"');
  assert.equal(labelValue('"a" and "b"', '\\'), '"\\"a\\" and \\"b\\""');
  assert.equal(labelValue("'x'", '\\'), '"x"');
  assert.equal(labelValue('$USER', '`'), '"`$USER"');
});
