import rule from './unpinned-base-image.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:bookworm\n',
    'FROM node:20-alpine AS build\nFROM build\n',
    'FROM scratch\n',
    'FROM nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n',
    { name: 'build-arg gives a tag', code: 'ARG V\nFROM alpine:${V}\n', policy: { buildArgs: { V: '3.20' } } },
    { name: 'unresolvable base is not judged here', code: 'ARG IMAGE\nFROM ${IMAGE}\n' },
  ],
  invalid: [
    {
      code: 'FROM debian\n',
      errors: [{ line: 1, column: 6, endColumn: 12, hadolint: 'DL3006', message: /has no tag/ }],
    },
    {
      code: 'FROM ghcr.io/acme/app:latest AS app\n',
      errors: [{ line: 1, column: 6, endColumn: 29, hadolint: 'DL3007', message: /"latest"/ }],
    },
    {
      name: 'resolved through a global ARG default',
      code: 'ARG BASE=ubuntu\nFROM $BASE\nRUN true\n',
      errors: [{ line: 2, column: 6, hadolint: 'DL3006', message: 'Base image "ubuntu" has no tag: pin a version, e.g. "ubuntu:<version>".' }],
    },
    {
      name: 'every stage is judged',
      code: 'FROM golang AS build\nFROM alpine:latest\nCOPY --from=build /x /x\n',
      errors: [
        { line: 1, hadolint: 'DL3006' },
        { line: 2, hadolint: 'DL3007' },
      ],
    },
  ],
});
