import rule from './apt-lists-not-removed.ts';
import { ruleTests } from './testing.ts';

const lists = (cmd: string) =>
  `"${cmd}" leaves the package lists in /var/lib/apt/lists in the image: end this RUN with "rm -rf /var/lib/apt/lists/*" (or use a cache mount for /var/lib/apt/lists).`;

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl \\\n && rm -r /var/lib/apt/lists\n',
    { name: 'apt-get dist-clean removes the lists too', code: 'FROM debian:13\nRUN set -eux; apt-get update; apt-get install -y curl; apt-get dist-clean\n' },
    { name: 'find -delete', code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && find /var/lib/apt/lists -type f -delete\n' },
    {
      name: 'a stage the final image does not build on',
      code: 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM gcr.io/distroless/base-debian12\nCOPY --from=build /out /out\n',
    },
    {
      name: 'lists on a cache mount',
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y curl\n',
    },
    {
      name: 'the BuildKit recipe: docker-clean removed, both apt directories mounted',
      code:
        'FROM debian:12\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=tmpfs,target=/var/lib/apt \\\n    apt-get update && apt-get install -y curl\n',
    },
    {
      name: 'docker-clean removed, archives cleaned at the end',
      code: 'FROM debian:12\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl && apt-get clean\n',
    },
    { name: 'install without update writes no lists', code: 'FROM debian:12\nRUN apt-get install -y ./local.deb\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n',
      errors: [{ line: 2, column: 13, endLine: 2, endColumn: 19, hadolint: 'DL3009', severity: 'info', message: lists('apt-get update') }],
    },
    {
      name: 'removing the lists in a later RUN does not shrink the earlier layer',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n',
      errors: [{ line: 2, column: 13 }],
    },
    {
      name: 'an update after the cleanup',
      code: 'FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/* && apt-get update\n',
      errors: [{ line: 2, column: 62 }],
    },
    {
      name: 'a stage the final image builds on',
      code: 'FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nCMD ["curl", "--version"]\n',
      errors: [{ line: 2, column: 13 }],
    },
    {
      name: 'ONBUILD triggers run in the image built on this one, whatever the stage',
      code: 'FROM debian:12 AS template\nONBUILD RUN apt-get -qq update\nFROM alpine:3.20\n',
      errors: [{ line: 2, column: 25, endColumn: 31 }],
    },
    {
      name: 'allStages checks every stage',
      code: 'FROM debian:12 AS build\nRUN apt-get update\nFROM scratch\n',
      options: { allStages: true },
      errors: [{ line: 2, column: 13 }],
    },
    {
      name: 'docker-clean removed and only the lists mounted: the .deb files stay',
      code:
        'FROM ubuntu:24.04\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/lib/apt/lists \\\n    apt-get update && apt-get install -y curl\n',
      errors: [
        {
          line: 4,
          column: 31,
          endColumn: 38,
          message:
            '"apt-get install" keeps the downloaded .deb files in /var/cache/apt in the image, because /etc/apt/apt.conf.d/docker-clean was removed: mount /var/cache/apt as a cache too, or end this RUN with "apt-get clean".',
        },
      ],
    },
    {
      name: 'multi-line, aptitude',
      code: 'FROM debian:12\nRUN set -eux; \\\n    aptitude update; \\\n    aptitude install -y curl\n',
      errors: [{ line: 3, column: 14, endColumn: 20, message: lists('aptitude update') }],
    },
  ],
});
