import assert from 'node:assert/strict';
import { test } from 'node:test';
import rule from './apt-get-upgrade.ts';
import { ruleTests } from './testing.ts';

const msg = (cmd: string) =>
  `The final image installs packages with "${cmd}" but never runs "apt-get upgrade": add "apt-get upgrade -y" after "apt-get update" so the image gets the security fixes released since its base image was built.`;

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get upgrade -y && apt-get install -y curl\n',
    'FROM debian:12\nRUN apt-get update && apt-get -y dist-upgrade\nRUN apt-get install -y curl\n',
    { name: 'upgraded in the stage the final image builds on', code: 'FROM debian:12 AS base\nRUN apt-get update && apt-get upgrade -y\nFROM base\nRUN apt-get install -y curl\n' },
    { name: 'an intermediate stage is not the shipped image', code: 'FROM debian:12 AS build\nRUN apt-get install -y gcc\nFROM alpine:3.20\nRUN apk add --no-cache curl\n' },
    { name: 'no apt-get at all', code: 'FROM alpine:3.20\nRUN apk add --no-cache curl\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y git\n',
      errors: [{ line: 2, column: 31, endLine: 2, endColumn: 38, severity: 'info', message: msg('apt-get install') }],
    },
    {
      name: 'the first install of the chain, in the base stage; an upgrade in another stage does not count',
      code:
        'FROM debian:12 AS other\nRUN apt-get update && apt-get upgrade -y\nFROM debian:12 AS base\nRUN apt-get update \\\n && apt install -y curl\nFROM base\nRUN apt-get install -y git\n',
      errors: [{ line: 5, column: 9, endColumn: 16, message: msg('apt install') }],
    },
  ],
});

test('apt-get-upgrade is opt-in and has no hadolint code (it is the opposite of DL3005)', () => {
  assert.equal(rule.meta.enabledByDefault, false);
  assert.equal(rule.meta.hadolint, undefined);
});
