import rule from './base-image-not-digest-pinned.ts';
import { ruleTests } from './testing.ts';

const digest = 'sha256:9b1f3c0e5a7d2b4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d';

ruleTests(rule, {
  valid: [
    `FROM node:20.11-alpine@${digest}\n`,
    `FROM ghcr.io/acme/base@${digest} AS base\nFROM base\n`,
    'FROM scratch\n',
    { name: 'unresolved bases are not judged', code: 'ARG IMG\nFROM $IMG\n' },
    { name: 'digest through a build-arg', code: 'ARG D\nFROM alpine@${D}\n', policy: { buildArgs: { D: digest } } },
  ],
  invalid: [
    {
      code: 'FROM node:20.11-alpine AS build\n',
      errors: [
        {
          line: 1,
          column: 6,
          endColumn: 23,
          severity: 'info',
          message:
            'Base image "node:20.11-alpine" is not pinned by digest: write it as "node:20.11-alpine@sha256:<digest>" so that rebuilds use exactly the same image.',
        },
      ],
    },
    {
      name: 'resolved through an ARG, each image stage',
      code: `ARG VERSION=3.20\nFROM alpine:\${VERSION} AS a\nFROM debian:12@${digest}\nFROM a\nFROM \\\n  ubuntu:24.04\n`,
      errors: [
        { line: 2, column: 6, endColumn: 23, message: /^Base image "alpine:3\.20" is not pinned by digest/ },
        { line: 6, column: 3, endColumn: 15, message: /"ubuntu:24\.04@sha256:<digest>"/ },
      ],
    },
  ],
});
