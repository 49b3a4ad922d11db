import assert from 'node:assert/strict';
import { test } from 'node:test';
import rule from './apt-not-apt-get.ts';
import { ruleTests, runRule } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n',
    'FROM debian:12\nRUN apt-cache policy curl && apt-key list\n',
    { name: 'apt looked up, not run', code: 'FROM debian:12\nRUN command -v apt\n' },
    { name: 'apt as an argument', code: 'FROM debian:12\nRUN echo apt install curl\n' },
  ],
  invalid: [
    {
      code: 'FROM ubuntu:24.04\nRUN apt install -y curl\n',
      errors: [
        {
          line: 2,
          column: 5,
          endLine: 2,
          endColumn: 8,
          hadolint: 'DL3027',
          severity: 'warning',
          message: '"apt install" uses apt, whose command line is not stable for scripts: use "apt-get install" instead.',
          fix: 'RUN apt-get install -y curl',
          fixLines: [2, 2],
        },
      ],
    },
    {
      name: 'sub-commands that differ get no fix; apt-cache ones are named',
      code: 'FROM ubuntu:24.04\nRUN apt upgrade -y && apt full-upgrade -y && apt show curl && apt list --installed\n',
      errors: [
        { line: 2, column: 5, message: '"apt upgrade" uses apt, whose command line is not stable for scripts: use "apt-get upgrade" instead.' },
        { line: 2, column: 23, message: '"apt full-upgrade" uses apt, whose command line is not stable for scripts: use "apt-get dist-upgrade" instead.' },
        { line: 2, column: 46, message: '"apt show" uses apt, whose command line is not stable for scripts: use "apt-cache show" instead.' },
        { line: 2, column: 63, message: '"apt list" uses apt, whose command line is not stable for scripts: use "apt-get" or "apt-cache" instead.' },
      ],
    },
    {
      name: 'multi-line, full path, ONBUILD',
      code: 'FROM ubuntu:24.04\nONBUILD RUN set -e \\\n  && /usr/bin/apt update\n',
      errors: [{ line: 3, column: 6, endColumn: 18, fix: '  && /usr/bin/apt-get update' }],
    },
  ],
});

test('apt-not-apt-get offers a fix only where apt-get behaves the same', async () => {
  const findings = await runRule(rule, 'FROM ubuntu:24.04\nRUN apt update && apt upgrade -y && apt search curl\n');
  assert.deepEqual(
    findings.map((f) => [f.column, f.fix?.replacement ?? null]),
    [
      [5, 'RUN apt-get update && apt upgrade -y && apt search curl'],
      [19, null],
      [37, null],
    ],
  );
});
