import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule, { STRIP_LINE, chmodClearsSetid, permSelectsSetid } from './setuid-not-removed.ts';
import { ruleTests, runRule } from './testing.ts';

describe('setuid helpers', () => {
  test('-perm modes', () => {
    for (const m of ['/6000', '+6000', '-4000', '-2000', '/4000', '/u=s,g=s', '-u+s']) assert.equal(permSelectsSetid(m), true, m);
    for (const m of ['/0755', '-0111', 'u+x', null]) assert.equal(permSelectsSetid(m), false, String(m));
  });
  test('chmod modes', () => {
    for (const a of [['a-s'], ['-s'], ['u-s'], ['g-s'], ['ug-s'], ['-R', 'u-s,g-s'], ['0755'], ['755'], ['--verbose', 'a-s']]) {
      assert.equal(chmodClearsSetid(a), true, a.join(' '));
    }
    for (const a of [['o-s'], ['u+s'], ['4755'], ['a-x'], ['--reference=/bin/ls'], [null, 'a-s']]) {
      assert.equal(chmodClearsSetid(a), false, a.join(' '));
    }
  });
});

const message = `The final stage never clears setuid/setgid bits, so programs such as su or passwd can still raise privileges: add \`${STRIP_LINE}\` to it, as root (before any USER that switches to a non-root user).`;

ruleTests(rule, {
  valid: [
    `FROM debian:12\nRUN apt-get update && apt-get install -y curl\n${STRIP_LINE}\n`,
    'FROM alpine:3.20\nRUN find / -xdev -perm +6000 -type f -exec chmod -s {} +\n',
    { name: 'xargs chmod', code: 'FROM alpine:3.20\nRUN find / -xdev -type f -perm -4000 -print0 | xargs -0 -r chmod u-s\n' },
    { name: 'deleting the files', code: 'FROM alpine:3.20\nRUN find / -xdev -perm /6000 -type f -delete\n' },
    { name: 'exec rm', code: 'FROM alpine:3.20\nRUN find /usr -perm /u=s,g=s -type f -exec rm -f {} \\;\n' },
    {
      name: 'inside sh -c, on a continuation line',
      code: "FROM debian:12\nRUN set -eux; \\\n    sh -c 'find / -xdev -perm /6000 -type f -exec chmod a-s {} \\; || true'\n",
    },
    { name: 'stripped in the stage the final one builds on', code: `FROM debian:12 AS hardened\n${STRIP_LINE}\nFROM hardened\nCOPY app /app\n` },
    { name: 'scratch', code: 'FROM scratch\nCOPY app /app\n' },
    { name: 'distroless', code: 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n' },
    { name: 'chainguard', code: 'FROM cgr.dev/chainguard/static\nCOPY app /app\n' },
    { name: 'windows', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY app C:/app\n' },
    { name: 'unresolved base', code: 'ARG BASE\nFROM $BASE\n' },
    { name: 'only the final stage counts', code: 'FROM golang:1.22 AS build\nRUN go build\nFROM scratch\nCOPY --from=build /go/bin/app /app\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update\nCMD ["bash"]\n',
      errors: [
        {
          line: 1,
          column: 6,
          endColumn: 15,
          severity: 'info',
          message,
          fix: `CMD ["bash"]\n${STRIP_LINE}`,
          fixLines: [3, 3],
        },
      ],
    },
    {
      name: 'find without clearing or deleting does not count',
      code: "FROM alpine:3.20\nRUN find /app -name '*.sh' -exec chmod u+x {} \\;\nRUN find / -perm /6000 -exec ls {} \\;\n",
      errors: [{ line: 1, column: 6, fix: `RUN find / -perm /6000 -exec ls {} \\;\n${STRIP_LINE}` }],
    },
    {
      name: 'a non-root USER in the final stage: the fix goes before it',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "index.js"]\n',
      errors: [{ line: 1, column: 6, fix: `${STRIP_LINE}\nUSER node`, fixLines: [4, 4] }],
    },
    {
      name: 'a multi-line last instruction: after its last line',
      code: 'FROM ubuntu:24.04\nRUN apt-get update && \\\n    apt-get install -y ca-certificates\n',
      errors: [{ line: 1, column: 6, fix: `    apt-get install -y ca-certificates\n${STRIP_LINE}`, fixLines: [3, 3] }],
    },
    {
      name: 'ONBUILD RUN does not strip this image',
      code: `FROM alpine:3.20\nONBUILD ${STRIP_LINE}\n`,
      errors: [{ line: 1, column: 6, fixLines: [2, 2] }],
    },
  ],
});

test('setuid-not-removed: no fix without a POSIX shell or when a non-root user is inherited', async () => {
  const pwsh = await runRule(rule, 'FROM ubuntu:24.04\nSHELL ["pwsh", "-Command"]\nRUN Write-Host hi\n');
  assert.equal(pwsh.length, 1);
  assert.equal(pwsh[0].fix, undefined);
  assert.equal(pwsh[0].message, message);
  const inherited = await runRule(rule, 'FROM node:20 AS base\nUSER node\nFROM base\nCOPY . /app\n');
  assert.equal(inherited.length, 1);
  assert.equal(inherited[0].line, 3);
  assert.equal(inherited[0].fix, undefined);
  const unknown = await runRule(rule, 'FROM alpine:3.20\nARG WHO\nUSER $WHO\n');
  assert.equal(unknown[0].fix, undefined);
});
