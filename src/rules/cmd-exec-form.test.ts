import assert from 'node:assert/strict';
import { test } from 'node:test';
import rule, { plainCommand, repairJsonArray } from './cmd-exec-form.ts';
import { ruleTests, runRule } from './testing.ts';

const CMD_WHY =
  'CMD in shell form runs under /bin/sh -c: the shell is the main process and does not pass SIGTERM on, so `docker stop` waits and then kills the container; use the JSON form:';

ruleTests(rule, {
  valid: [
    'FROM node:20-alpine\nCMD ["node", "server.js"]\nENTRYPOINT ["/entry.sh"]\n',
    'FROM node:20-alpine\nCMD [ "node", "server.js" ]\n',
    { name: 'JSON across continuation lines', code: 'FROM alpine:3.20\nCMD [ "/bin/sh", "-c", \\\n      "echo a && \\\n       echo b" \\\n    ]\n' },
    { name: 'a single exec command passes signals', code: 'FROM eclipse-temurin:21\nCMD exec java $JAVA_OPTS -jar /app.jar\n' },
    { name: 'HEALTHCHECK is not judged by default', code: 'FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n' },
    { name: 'HEALTHCHECK JSON with the option', code: 'FROM nginx:1.27\nHEALTHCHECK CMD ["curl", "-f", "http://localhost/"]\n', options: { healthcheck: true } },
    { name: 'HEALTHCHECK NONE with the option', code: 'FROM nginx:1.27\nHEALTHCHECK NONE\n', options: { healthcheck: true } },
  ],
  invalid: [
    {
      name: 'plain CMD: fix to JSON',
      code: 'FROM node:20-alpine\nCMD node --enable-source-maps /app/server.js\n',
      errors: [
        {
          line: 2,
          column: 5,
          endColumn: 45,
          hadolint: 'DL3025',
          message: `${CMD_WHY} CMD ["node", "--enable-source-maps", "/app/server.js"].`,
          fix: 'CMD ["node", "--enable-source-maps", "/app/server.js"]',
          fixLines: [2, 2],
        },
      ],
    },
    {
      name: 'ENTRYPOINT without CMD in the stage: fix; leading exec dropped',
      code: 'FROM alpine:3.20\nENTRYPOINT exec /usr/local/bin/run --port=8080\n',
      errors: [
        {
          line: 2,
          column: 12,
          message:
            'ENTRYPOINT in shell form runs under /bin/sh -c: signals such as SIGTERM do not reach your process, and CMD and `docker run` arguments are ignored; use the JSON form: ENTRYPOINT ["/usr/local/bin/run", "--port=8080"].',
          fix: 'ENTRYPOINT ["/usr/local/bin/run", "--port=8080"]',
        },
      ],
    },
    {
      name: 'ENTRYPOINT with a CMD in the stage: no fix (CMD would become its arguments)',
      code: 'FROM alpine:3.20\nENTRYPOINT /entry.sh\nCMD ["serve"]\n',
      errors: [{ line: 2, column: 12, endColumn: 21, message: /ENTRYPOINT \["\/entry\.sh"\] \(the stage's CMD then becomes its arguments\)\.$/ }],
    },
    {
      name: 'shell features: no fix, generic advice',
      code: 'FROM node:20-alpine\nCMD npm run migrate && node server.js\n',
      errors: [{ line: 2, column: 5, endColumn: 38, message: `${CMD_WHY} CMD ["executable", "arg"], or start the shell command with exec.` }],
    },
    {
      name: 'single quotes are not JSON: repaired',
      code: "FROM node:20-alpine\nCMD ['node', 'server.js']\n",
      errors: [
        {
          line: 2,
          column: 5,
          endColumn: 26,
          message:
            "CMD ['node', 'server.js'] is not valid JSON (JSON needs double quotes, doubled backslashes and no trailing comma), so it runs in a shell as that literal text; write it as [\"node\", \"server.js\"].",
          fix: 'CMD ["node", "server.js"]',
        },
      ],
    },
    {
      name: 'trailing comma repaired; an ONBUILD trigger keeps its prefix; lower-case keyword kept',
      code: 'FROM node:20-alpine\nONBUILD CMD ["npm", "start",]\n  cmd  serve  -l 3000\n',
      errors: [
        { line: 2, column: 13, fix: 'ONBUILD CMD ["npm", "start"]', fixLines: [2, 2] },
        { line: 3, column: 8, endColumn: 22, fix: '  cmd  ["serve", "-l", "3000"]' },
      ],
    },
    {
      name: 'a shell-form command continued over lines becomes one line',
      code: 'FROM python:3.12-slim\nCMD gunicorn \\\n    --bind 0.0.0.0:8000 app:wsgi\n',
      errors: [{ line: 2, column: 5, endLine: 3, endColumn: 33, fix: 'CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:wsgi"]', fixLines: [2, 3] }],
    },
    {
      name: 'Windows stage: cmd.exe, no fix',
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ping localhost\n',
      errors: [{ line: 2, column: 5, message: /^CMD in shell form runs under cmd \/S \/C: / }],
    },
    {
      name: 'HEALTHCHECK CMD with the option: the command after CMD, flags kept in the fix',
      code: 'FROM nginx:1.27\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/\n',
      options: { healthcheck: true },
      errors: [
        {
          line: 2,
          column: 31,
          endColumn: 56,
          message:
            'HEALTHCHECK CMD in shell form runs under /bin/sh -c: it fails in images without a shell; use the JSON form: HEALTHCHECK CMD ["curl", "-f", "http://localhost/"].',
          fix: 'HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/"]',
        },
      ],
    },
  ],
});

test('no fix for Windows stages, non-POSIX shells, shell-only commands and ENTRYPOINT triggers', async () => {
  for (const code of [
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ping localhost\n',
    'FROM mcr.microsoft.com/powershell:lts\nSHELL ["pwsh", "-Command"]\nCMD Start-Service x\n',
    'FROM alpine:3.20\nCMD cd /app\n',
    'FROM alpine:3.20\nONBUILD ENTRYPOINT /run\n',
    'FROM alpine:3.20\nCMD ["C:\\app\\run.exe"]\n',
  ]) {
    const findings = await runRule(rule, code);
    assert.equal(findings.length, 1, code);
    assert.equal(findings[0].fix, undefined, code);
  }
});

test('repairJsonArray and plainCommand', () => {
  assert.deepEqual(repairJsonArray(`['a', "b \\"c\\"", 'd e']`), ['a', 'b "c"', 'd e']);
  assert.deepEqual(repairJsonArray('[ ]'), []);
  assert.equal(repairJsonArray("['a' 'b']"), null);
  assert.equal(repairJsonArray('[a, b]'), null);
  assert.deepEqual(plainCommand('exec nginx -g daemon', '\\'), ['nginx', '-g', 'daemon']);
  assert.equal(plainCommand('FOO=1 app', '\\'), null);
  assert.equal(plainCommand('app "quoted"', '\\'), null);
  assert.equal(plainCommand('app $HOME', '\\'), null);
  assert.equal(plainCommand('app *.txt', '\\'), null);
  assert.equal(plainCommand('exec -a name app', '\\'), null);
  assert.equal(plainCommand('source /env', '\\'), null);
});
