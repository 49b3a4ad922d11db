import rule from './multiple-cmd.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM python:3.12-slim\nCMD ["python", "app.py"]\n',
    { name: 'one CMD per stage', code: 'FROM golang:1.22 AS build\nCMD ["go", "test"]\nFROM alpine:3.20\nCMD ["/app"]\n' },
    { name: 'ONBUILD CMD is for the child image', code: 'FROM alpine:3.20\nCMD ["a"]\nONBUILD CMD ["b"]\n' },
    { name: 'no CMD', code: 'FROM alpine:3.20\nRUN true\n' },
  ],
  invalid: [
    {
      name: 'the overridden CMD is reported and removed',
      code: 'FROM python:3.12-slim\nCMD ["python", "-V"]\nRUN pip install flask\nCMD ["flask", "run"]\n',
      errors: [
        {
          line: 2,
          column: 1,
          endColumn: 4,
          hadolint: 'DL4003',
          severity: 'warning',
          message: 'This CMD has no effect: the CMD on line 4 overrides it (only the last CMD of this stage counts); remove it.',
          fix: '',
          fixLines: [2, 2],
        },
      ],
    },
    {
      name: 'three CMDs in a named stage give two findings; a multi-line CMD is removed whole',
      code: 'FROM debian:12 AS app\ncmd ["a", \\\n     "b"]\nCMD c\nCMD ["d"]\nFROM debian:12\nCMD ["e"]\n',
      errors: [
        { line: 2, column: 1, endColumn: 4, message: /the CMD on line 5 overrides it \(only the last CMD of stage "app" counts\)/, fix: '', fixLines: [2, 3] },
        { line: 4, column: 1, fixLines: [4, 4] },
      ],
    },
    {
      name: 'before any FROM',
      code: 'CMD a\nCMD b\n',
      errors: [{ line: 1, column: 1, message: /only the last CMD of the Dockerfile counts/ }],
    },
  ],
});
