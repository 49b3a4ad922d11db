import rule from './unresolved-base-image.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM alpine:3.20\n',
    'ARG BASE=alpine:3.20\nFROM ${BASE}\n',
    { name: 'a build-arg gives the value', code: 'ARG BASE\nFROM $BASE\n', policy: { buildArgs: { BASE: 'debian:12' } } },
    { name: 'a default in the reference', code: 'ARG TAG\nFROM node:${TAG:-20}\n' },
    { name: 'platform args are predefined', code: 'FROM --platform=$BUILDPLATFORM golang:1.22-${TARGETOS}\n' },
    { name: 'stages are resolved', code: 'FROM alpine:3.20 AS base\nFROM base\n' },
    { name: 'invalid references are the parser’s to report', code: 'FROM Alpine:3.20\n' },
  ],
  invalid: [
    {
      name: 'a global ARG without a default',
      code: 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE} AS build\n',
      errors: [
        {
          line: 2,
          column: 6,
          endColumn: 19,
          severity: 'warning',
          message:
            'Base image "${BASE_IMAGE}" cannot be resolved (the base image depends on $BASE_IMAGE, which has no value (no default and no build-arg)), so it is not checked: give "ARG BASE_IMAGE" on line 1 a default (ARG BASE_IMAGE=<image>) or set build-args: { BASE_IMAGE: <image> } in .github/defang.yml.',
        },
      ],
    },
    {
      name: 'the ARG is declared inside a stage',
      code: 'FROM alpine:3.20\nARG RUNTIME=debian:12\nFROM $RUNTIME\n',
      errors: [{ line: 3, column: 6, endColumn: 14, message: /FROM only sees ARGs declared before the first FROM \(the ARG on line 2 is inside a stage\)/ }],
    },
    {
      name: 'a variable never declared, in the tag',
      code: 'FROM python:${PY_VERSION}-slim\n',
      errors: [{ line: 1, column: 6, message: /declare "ARG PY_VERSION=<value>" before the first FROM/ }],
    },
    {
      name: 'an empty default',
      code: 'ARG BASE=\nFROM $BASE\n',
      errors: [{ line: 2, column: 6, message: /cannot be resolved \(the base image resolves to an empty name\)/ }],
    },
    {
      name: 'every unresolved stage',
      code: 'ARG A\nARG B\nFROM $A AS one\nFROM $B\n',
      errors: [
        { line: 3, message: /"ARG A" on line 1/ },
        { line: 4, message: /"ARG B" on line 2/ },
      ],
    },
  ],
});
