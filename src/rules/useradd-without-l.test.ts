import rule from './useradd-without-l.ts';
import { ruleTests } from './testing.ts';

const MESSAGE = 'useradd with UID 1000000 and without -l makes /var/log/lastlog and faillog huge in the layer: add -l (--no-log-init).';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN useradd -m app\n',
    'FROM debian:12\nRUN useradd -u 10001 app\n',
    'FROM debian:12\nRUN useradd -l -u 1000000 app\n',
    'FROM debian:12\nRUN useradd --no-log-init --uid=1000000 app\n',
    { name: '-l in a cluster', code: 'FROM debian:12\nRUN useradd -lm -u 1000000 app\n' },
    { name: 'unknown UID is not judged', code: 'FROM debian:12\nARG APP_UID\nRUN useradd -u ${APP_UID} app\n' },
    { name: 'UID at the limit', code: 'FROM debian:12\nRUN useradd -u 99999 app\n' },
    { name: 'raised limit', code: 'FROM debian:12\nRUN useradd -u 1000000 app\n', options: { maxUid: 2000000 } },
    { name: 'not a UID: the group', code: 'FROM debian:12\nRUN useradd -g 1000000 app\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN useradd -u 1000000 app\n',
      errors: [
        {
          line: 2,
          column: 5,
          endColumn: 12,
          hadolint: 'DL3046',
          severity: 'warning',
          message: MESSAGE,
          fix: 'RUN useradd -l -u 1000000 app',
          fixLines: [2, 2],
        },
      ],
    },
    {
      name: 'UID from an ARG default, --uid=, on a continuation line',
      code: 'FROM debian:12\nARG APP_UID=1000000\nRUN groupadd -g 5000 app \\\n && useradd --uid=${APP_UID} -g app app\n',
      errors: [{ line: 4, column: 5, endColumn: 12, message: MESSAGE, fix: ' && useradd -l --uid=${APP_UID} -g app app', fixLines: [4, 4] }],
    },
    {
      name: 'joined -u value, behind sudo',
      code: 'FROM debian:12\nRUN sudo useradd -u1000000 app\n',
      errors: [{ line: 2, column: 10, fix: 'RUN sudo useradd -l -u1000000 app' }],
    },
    {
      name: 'lower limit from options',
      code: 'FROM debian:12\nRUN useradd -u 70000 app\n',
      options: { maxUid: 65535 },
      errors: [{ line: 2, column: 5, message: /UID 70000/ }],
    },
    {
      name: 'inside sh -c',
      code: "FROM debian:12\nRUN sh -c 'useradd -u 1000000 app'\n",
      errors: [{ line: 2, column: 12, fix: "RUN sh -c 'useradd -l -u 1000000 app'" }],
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM debian:12\nONBUILD RUN useradd -u 1000000 app\n',
      errors: [{ line: 2, column: 13, hadolint: 'DL3046', fix: 'ONBUILD RUN useradd -l -u 1000000 app' }],
    },
  ],
});
