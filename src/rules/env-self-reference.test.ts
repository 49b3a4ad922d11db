import rule from './env-self-reference.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:12-slim\nENV APP_HOME=/opt/app\nENV APP_BIN=$APP_HOME/bin\n',
    { name: 'own name: the earlier value on purpose', code: 'FROM debian:12-slim\nENV PATH=/opt/bin:$PATH\n' },
    { name: 'names that only start or end alike', code: 'FROM debian:12-slim\nENV HOME2=/x HOME=/y OTHER="$HOME2X ${XHOME2}"\n' },
    { name: 'defined by an earlier ARG', code: 'FROM debian:12-slim\nARG VERSION\nENV VERSION=${VERSION}\n' },
    { name: 'single quotes and escapes are not substituted', code: "FROM debian:12-slim\nENV A=1 B='$A' C=\\$A\n" },
    { name: 'legacy form', code: 'FROM debian:12-slim\nENV A $A:x\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12-slim\nENV APP_HOME=/opt/app APP_BIN=$APP_HOME/bin\n',
      errors: [
        {
          line: 2,
          column: 31,
          endColumn: 40,
          hadolint: 'DL3044',
          severity: 'error',
          message:
            'APP_BIN uses APP_HOME, which this same ENV sets: the reference sees the value from before this ENV (no value), not "/opt/app"; set APP_HOME in an earlier ENV instruction.',
        },
      ],
    },
    {
      name: 'braces, defaults, nested references, continuation lines, the earlier value named',
      code: 'FROM debian:12-slim\nENV A=old\nENV A=new \\\n    B="${A}" \\\n    C=${X:-$A}\n',
      errors: [
        { line: 4, column: 8, endColumn: 12, message: /^B uses A, .* \(the earlier value "old"\), not "new";/ },
        { line: 5, column: 12, endColumn: 14, message: /^C uses A, / },
      ],
    },
    {
      name: 'the same name twice in one ENV',
      code: 'FROM debian:12-slim\nENV PATH=/a:${PATH} PATH=/b:${PATH}\n',
      errors: [{ line: 2, column: 29, endColumn: 36, message: /^PATH uses PATH, which this same ENV sets/ }],
    },
    {
      name: 'same value before and in this ENV: still fragile',
      code: 'FROM debian:12-slim\nENV OS=ubuntu\nENV OS=ubuntu URL=/dl/$OS\n',
      errors: [{ line: 3, column: 23, endColumn: 26, message: /which happens to be the same \("ubuntu"\), so changing OS here would not change URL;/ }],
    },
    {
      name: 'ONBUILD ENV',
      code: 'FROM debian:12-slim\nONBUILD ENV X=1 Y=$X\n',
      errors: [{ line: 2, column: 19, endColumn: 21 }],
    },
  ],
});
