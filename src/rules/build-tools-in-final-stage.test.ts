import assert from 'node:assert/strict';
import { test } from 'node:test';
import rule, { isBuildTool } from './build-tools-in-final-stage.ts';
import { ruleTests } from './testing.ts';

test('build tool names', () => {
  for (const n of ['gcc', 'g++-12', 'build-essential', 'libpq-dev', 'python3-dev', 'openjdk-17-jdk-headless', 'git', 'clang-15', 'gcc=4:12.2.0-3', 'libssl-dev:arm64']) {
    assert.equal(isBuildTool('apt', n), true, n);
  }
  for (const n of ['curl', 'ca-certificates', 'openjdk-17-jre-headless', 'libpq5', 'python3', 'udev', 'make-doc']) {
    assert.equal(isBuildTool('apt', n), false, n);
  }
  assert.equal(isBuildTool('apk', 'build-base'), true);
  assert.equal(isBuildTool('apk', 'musl-dev=1.2.5-r0'), true);
  assert.equal(isBuildTool('rpm', 'gcc-c++'), true);
  assert.equal(isBuildTool('rpm', 'gcc-11.3.1.x86_64'), true);
  assert.equal(isBuildTool('rpm', 'openssl-devel'), true);
  assert.equal(isBuildTool('rpm', 'java-17-openjdk-devel'), true);
  assert.equal(isBuildTool('rpm', 'openssl-libs'), false);
  assert.equal(isBuildTool('zypper', 'cmake>=3.20'), true);
});

const msg = (names: string[]) =>
  names.length === 1
    ? `Build tool ${names[0]} is installed in the only stage, so it ships in the image: build in a separate stage and copy only the results into the final one (a multi-stage build), or remove it in the same RUN.`
    : `Build tools ${names.join(', ')} are installed in the only stage, so they ship in the image: build in a separate stage and copy only the results into the final one (a multi-stage build), or remove them in the same RUN.`;

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates\n',
    {
      name: 'multi-stage builds are not judged',
      code: 'FROM debian:12 AS build\nRUN apt-get install -y gcc make\nFROM debian:12\nCOPY --from=build /out /out\n',
    },
    { name: 'apk virtual package deleted again', code: 'FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev \\\n && pip install uwsgi \\\n && apk del .build-deps\n' },
    { name: 'purged by name in a later RUN', code: 'FROM debian:12\nRUN apt-get install -y gcc\nRUN make -C /src\nRUN apt-get purge -y gcc\n' },
    {
      name: 'the apt-mark auto idiom',
      code:
        'FROM debian:12\nRUN set -eux; \\\n  saved="$(apt-mark showmanual)"; \\\n  apt-get install -y --no-install-recommends gcc libc6-dev; \\\n  make; \\\n  apt-mark auto \'.*\' > /dev/null; \\\n  apt-mark manual $saved; \\\n  apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false\n',
    },
    { name: 'dnf remove', code: 'FROM fedora:40\nRUN dnf install -y gcc && make && dnf remove -y gcc\n' },
    { name: 'an unresolved package variable is not guessed', code: 'FROM debian:12\nARG PKGS\nRUN apt-get install -y $PKGS\n' },
    { name: 'ONBUILD triggers install in other builds', code: 'FROM debian:12\nONBUILD RUN apt-get install -y gcc\n' },
    { name: 'apt-get remove before the install does not count, but nothing to flag here', code: 'FROM debian:12\nRUN apt-get remove -y curl\n' },
  ],
  invalid: [
    {
      code: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc libpq-dev\n',
      errors: [{ line: 2, column: 42, endColumn: 45, severity: 'info', message: msg(['gcc', 'libpq-dev']) }],
    },
    {
      name: 'multi-line install: the first build tool on its own line',
      code: 'FROM ubuntu:24.04\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends \\\n      curl \\\n      build-essential=12.10ubuntu1 \\\n      git\n',
      errors: [{ line: 5, column: 7, endColumn: 35, message: msg(['build-essential', 'git']) }],
    },
    {
      name: 'apk, yum groupinstall, zypper, through sudo and sh -c',
      code: "FROM alpine:3.20\nRUN sudo apk add --no-cache build-base\nRUN sh -c 'yum groupinstall -y \"Development Tools\"'\nRUN zypper --non-interactive in cmake\n",
      errors: [
        { line: 2, column: 29, endColumn: 39, message: msg(['build-base']) },
        { line: 3, column: 32, endColumn: 51, message: msg(['development tools']) },
        { line: 4, column: 33, endColumn: 38, message: msg(['cmake']) },
      ],
    },
    {
      name: 'packages from an ENV list',
      code: 'FROM debian:12\nENV BUILD_DEPS="gcc make"\nRUN apt-get install -y $BUILD_DEPS curl\n',
      errors: [{ line: 3, column: 24, endColumn: 35, message: msg(['gcc', 'make']) }],
    },
    {
      name: 'removing one package keeps the other',
      code: 'FROM debian:12\nRUN apt-get install -y gcc git && apt-get purge -y gcc\n',
      errors: [{ line: 2, column: 28, endColumn: 31, message: msg(['git']) }],
    },
    {
      name: 'apt-get purge --auto-remove without apt-mark auto does not remove explicit installs',
      code: 'FROM debian:12\nRUN apt-get install -y cmake && apt-get purge -y --auto-remove curl\n',
      errors: [{ line: 2, column: 24, message: msg(['cmake']) }],
    },
  ],
});
