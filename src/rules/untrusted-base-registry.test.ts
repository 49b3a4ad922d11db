import rule from './untrusted-base-registry.ts';
import { ruleTests } from './testing.ts';

const ecr = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

ruleTests(rule, {
  valid: [
    { name: 'official image under the defaults', code: 'FROM python:3.12-slim\n' },
    { name: 'explicit docker.io/library under the defaults', code: 'FROM docker.io/library/redis:7\n' },
    { name: 'defaults trust mcr and ghcr', code: 'FROM mcr.microsoft.com/dotnet/sdk:8.0 AS sdk\nFROM ghcr.io/acme/tools/cli:1\n' },
    'FROM scratch\nCOPY app /app\n',
    { name: 'later stages build on earlier ones', code: 'FROM ghcr.io/acme/base:1 AS base\nFROM base AS test\nFROM test\n' },
    {
      name: 'namespace glob trusts nested repositories',
      code: 'FROM ghcr.io/acme/team/service:2\n',
      policy: { trustedRegistries: ['ghcr.io/acme/*'] },
    },
    {
      name: 'wildcard host labels',
      code: `FROM ${ecr}/backend/api:3\n`,
      policy: { trustedRegistries: ['*.dkr.ecr.*.amazonaws.com/*'] },
    },
    {
      name: 'a hadolint host entry trusts every repository of that host',
      code: 'FROM registry.example.org/a/b/c:1\n',
      policy: { trustedRegistries: ['registry.example.org/*'] },
    },
    { name: 'a bare * trusts everything', code: 'FROM quay.example/x/y:1\nFROM someone/thing:2\n', policy: { trustedRegistries: ['*'] } },
    { name: 'unresolved bases are not judged', code: 'ARG IMAGE\nFROM ${IMAGE}\n' },
    {
      name: 'build-arg resolves to a trusted image',
      code: 'ARG IMAGE=evil.example/x:1\nFROM ${IMAGE}\n',
      policy: { buildArgs: { IMAGE: 'alpine:3.20' } },
    },
    { name: 'COPY --from a stage', code: 'FROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --from=build /out /out\n' },
    { name: 'COPY --from a trusted image', code: 'FROM alpine:3.20\nCOPY --from=ghcr.io/acme/bin:1 /x /x\n' },
    {
      name: 'RUN --mount from a stage',
      code: 'FROM alpine:3.20 AS src\nFROM alpine:3.20\nRUN --mount=type=bind,from=src,target=/src ls /src\n',
    },
  ],
  invalid: [
    {
      name: 'personal Docker Hub namespace under the defaults',
      code: 'FROM someone/ubuntu:22.04\n',
      errors: [
        {
          line: 1,
          column: 6,
          endColumn: 26,
          hadolint: 'DL3026',
          severity: 'error',
          message:
            'Base image "someone/ubuntu:22.04" (docker.io/someone/ubuntu) is not from a trusted registry (trusted: docker.io/library/*, mcr.microsoft.com/*, gcr.io/distroless/*, public.ecr.aws/* and 3 more): use an image from a trusted registry, or add its registry to trusted-registries-extra in .github/defang.yml.',
        },
      ],
    },
    {
      name: 'a namespace glob does not trust a sibling namespace',
      code: 'FROM ghcr.io/acme-evil/app:1\n',
      policy: { trustedRegistries: ['ghcr.io/acme/*'] },
      errors: [{ line: 1, column: 6, message: /\(ghcr\.io\/acme-evil\/app\) is not from a trusted registry \(trusted: ghcr\.io\/acme\/\*\)/ }],
    },
    {
      name: 'wildcard host needs the dot',
      code: 'FROM random.com/debian:12\nFROM foo.random.com/debian:12\n',
      policy: { trustedRegistries: ['*.random.com/*'] },
      errors: [{ line: 1, column: 6, endColumn: 26 }],
    },
    {
      name: 'empty list trusts nothing',
      code: 'FROM alpine:3.20\n',
      policy: { trustedRegistries: [] },
      errors: [{ line: 1, message: /no registry is trusted: trusted-registries is empty/ }],
    },
    {
      name: 'every stage base, resolved through a global ARG',
      code: 'ARG REG=registry.example.org\nFROM ${REG}/build/go:1 AS build\nFROM ${REG}/run/base:1\nCOPY --from=build /a /a\n',
      policy: { trustedRegistries: ['docker.io/library/*'] },
      errors: [
        { line: 2, column: 6, endColumn: 23, message: /Base image "registry\.example\.org\/build\/go:1" \(registry\.example\.org\/build\/go\)/ },
        { line: 3, column: 6, endColumn: 23 },
      ],
    },
    {
      name: 'COPY --from an untrusted image, on the flag',
      code: 'FROM alpine:3.20\nCOPY --chown=1:1 \\\n     --from=quay.example/tools/jq:1.7 /jq /usr/bin/jq\n',
      errors: [
        {
          line: 3,
          column: 6,
          endColumn: 38,
          message: /^COPY --from image "quay\.example\/tools\/jq:1\.7" \(quay\.example\/tools\/jq\) is not from a trusted registry/,
        },
      ],
    },
    {
      name: 'RUN --mount from an untrusted image',
      code: 'FROM alpine:3.20\nRUN --mount=type=cache,from=cache.example/c:1,target=/c true\n',
      errors: [{ line: 2, column: 5, endColumn: 56, message: /^RUN --mount from= image "cache\.example\/c:1"/ }],
    },
    {
      name: 'ONBUILD COPY --from an untrusted image',
      code: 'FROM alpine:3.20\nONBUILD COPY --from=someone/assets:1 /a /a\n',
      errors: [{ line: 2, column: 14, message: /\(docker\.io\/someone\/assets\)/ }],
    },
  ],
});
