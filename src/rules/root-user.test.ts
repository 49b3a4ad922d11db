import assert from 'node:assert/strict';
import { test } from 'node:test';
import rule from './root-user.ts';
import { ruleTests, runRule } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN useradd -u 10001 app\nUSER app\n',
    'FROM debian:12\nUSER root\nRUN apt-get update\nUSER 10001:10001\nCMD ["app"]\n',
    { name: 'root only in a build stage', code: 'FROM golang:1.22 AS build\nUSER root\nRUN go build\nFROM alpine:3.20\nUSER 65534\n' },
    { name: 'inherits a non-root USER from the stage it builds on', code: 'FROM node:20 AS base\nUSER node\nFROM base\nCMD ["node"]\n' },
    { name: 'distroless nonroot', code: 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n' },
    { name: 'windows images have no root user', code: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app.exe C:/app/\n' },
    { name: 'chainguard non-dev image', code: 'FROM cgr.dev/chainguard/python:latest\nCOPY . /app\n' },
    { name: 'a USER from an unresolved variable is not guessed', code: 'FROM alpine:3.20\nARG RUN_AS\nUSER ${RUN_AS}\n' },
    { name: 'unresolved base without USER is not guessed', code: 'ARG BASE\nFROM $BASE\nCOPY a /a\n' },
    { name: 'USER resolved through ENV', code: 'FROM alpine:3.20\nENV APP_UID=10001\nUSER ${APP_UID}\n' },
    { name: 'ONBUILD USER root affects other builds only', code: 'FROM alpine:3.20\nUSER 1000\nONBUILD USER root\n' },
    { name: 'group root is fine when the user is not', code: 'FROM alpine:3.20\nUSER 1000:0\n' },
    {
      name: 'nonRootImages option',
      code: 'FROM ghcr.io/acme/runtime:2.1\nCOPY app /app\n',
      options: { nonRootImages: ['ghcr.io/acme/runtime'] },
    },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nUSER root\n',
      errors: [
        {
          line: 2,
          column: 6,
          endColumn: 10,
          hadolint: 'DL3002',
          severity: 'warning',
          message:
            'The final stage\'s last USER is "root", so the container runs as root: switch to a non-root user (e.g. USER 10001) after the steps that need root.',
        },
      ],
    },
    {
      name: 'root forms',
      code: 'FROM alpine:3.20\nUSER 0:0\n',
      errors: [{ line: 2, column: 6, endColumn: 9, hadolint: 'DL3002', message: /last USER is "0:0"/ }],
    },
    {
      name: 'root:root after a non-root user',
      code: 'FROM alpine:3.20\nUSER 1000\nRUN id\nUSER root:root\n',
      errors: [{ line: 4, column: 6, hadolint: 'DL3002', message: /"root:root"/ }],
    },
    {
      name: 'USER root through an ARG default',
      code: 'FROM alpine:3.20\nARG RUN_AS=0\nUSER $RUN_AS\n',
      errors: [{ line: 3, column: 6, endColumn: 13, hadolint: 'DL3002', message: /last USER is "0"/ }],
    },
    {
      name: 'inherited USER root from the stage the final one builds on',
      code: 'FROM debian:12 AS base\nUSER root\nRUN true\nFROM base\nRUN true\n',
      errors: [
        {
          line: 4,
          column: 6,
          endColumn: 10,
          hadolint: 'DL3002',
          message:
            'The final stage runs as root: it inherits "USER root" from stage "base" (line 2); add a USER with a non-root user to the final stage.',
        },
      ],
    },
    {
      name: 'no USER on a plain image',
      code: 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n',
      errors: [
        {
          line: 1,
          column: 6,
          endColumn: 22,
          message:
            'The container runs as root because no USER is set in the final stage and its base "python:3.12-slim" is not known to run as non-root: add a USER with a non-root user (e.g. USER 10001).',
        },
      ],
    },
    {
      name: 'no USER along a chain ending in scratch',
      code: 'FROM scratch AS base\nCOPY app /app\nFROM base\n',
      errors: [{ line: 3, column: 6, message: /no USER is set in the final stage \(nor in the stages it builds on\) and its base scratch/ }],
    },
    {
      name: 'distroless without the nonroot tag',
      code: 'FROM gcr.io/distroless/static-debian12\nCOPY app /app\n',
      errors: [{ line: 1, column: 6, message: /no USER is set/ }],
    },
    {
      name: 'chainguard dev variant',
      code: 'FROM cgr.dev/chainguard/python:latest-dev\n',
      errors: [{ line: 1, column: 6, message: /no USER is set/ }],
    },
  ],
});

test('root-user: the no-USER finding carries no hadolint code; explicit root carries DL3002', async () => {
  const none = await runRule(rule, 'FROM alpine:3.20\nRUN true\n');
  assert.equal(none.length, 1);
  assert.equal(none[0].hadolint, undefined);
  const explicit = await runRule(rule, 'FROM alpine:3.20\nUSER root\n');
  assert.equal(explicit[0].hadolint, 'DL3002');
});

test('root-user: a hadolint pragma for DL3002 silences explicit root but not the no-USER finding', async () => {
  const silenced = await runRule(rule, 'FROM alpine:3.20\n# hadolint ignore=DL3002\nUSER root\n');
  assert.deepEqual(silenced, []);
  const kept = await runRule(rule, '# hadolint ignore=DL3002\nFROM alpine:3.20\n');
  assert.equal(kept.length, 1);
});
