import assert from 'node:assert/strict';
import { test } from 'node:test';
import rule, { labelSchemaOptionErrors } from './label-schema.ts';
import { ruleTests } from './testing.ts';
import { isEmail, isGitHash, isRfc3339, isSemver, isUrl, spdxProblem } from './util/label-values.ts';

const OCI = {
  'org.opencontainers.image.source': 'url',
  'org.opencontainers.image.created': 'rfc3339',
  'org.opencontainers.image.licenses': 'spdx',
  'org.opencontainers.image.revision': 'hash',
  'org.opencontainers.image.version': 'semver',
  'org.opencontainers.image.authors': 'email',
  'org.opencontainers.image.title': 'text',
};
const GOOD_LABELS = [
  'LABEL org.opencontainers.image.source="https://github.com/acme/app" \\',
  '      org.opencontainers.image.created="2024-05-01T12:30:00.25+02:00" \\',
  '      org.opencontainers.image.licenses="Apache-2.0 OR (GPL-2.0-only WITH Classpath-exception-2.0)" \\',
  '      org.opencontainers.image.revision=3f2c1ab \\',
  '      org.opencontainers.image.version=2.0.0-rc.1+build.5 \\',
  '      org.opencontainers.image.authors=team@example.com \\',
  '      org.opencontainers.image.title="Acme app"',
].join('\n');
const only = (label: string, type: string) => ({ schema: { [label]: type } });

ruleTests(rule, {
  valid: [
    { name: 'no schema: nothing to check', code: 'FROM alpine:3.20\nLABEL Whatever=""\n' },
    { name: 'every OCI label present and well-formed', code: `FROM alpine:3.20\n${GOOD_LABELS}\n`, options: { schema: OCI, strict: true } },
    {
      name: 'values known only at build time are not judged',
      code: 'FROM alpine:3.20\nARG GIT_SHA\nLABEL revision=$GIT_SHA\n',
      options: only('revision', 'hash'),
    },
    {
      name: 'a value resolved through an ARG default is judged and passes',
      code: 'FROM alpine:3.20\nARG V=1.2.3\nLABEL version=$V\n',
      options: only('version', 'semver'),
    },
    {
      name: 'DL3049: a stage used only by COPY --from or RUN --mount needs no labels',
      code: 'FROM golang:1.22 AS build\nFROM alpine:3.20 AS assets\nFROM alpine:3.20\nLABEL team=core\nCOPY --from=build /out /app\nRUN --mount=type=bind,from=assets,target=/a true\n',
      options: only('team', 'text'),
    },
    {
      name: 'DL3049: a base stage whose child carries the label, and a child inheriting it',
      code: 'FROM alpine:3.20 AS base\nFROM base AS labelled\nLABEL team=core\nFROM alpine:3.20 AS root\nLABEL team=core\nFROM root\n',
      options: only('team', 'text'),
    },
    { name: 'extraLicenses', code: 'FROM alpine:3.20\nLABEL license="Acme-EULA-2 AND MIT"\n', options: { schema: { license: 'spdx' }, extraLicenses: ['acme-eula-2'] } },
    { name: 'unknown type: presence only', code: 'FROM alpine:3.20\nLABEL x=anything\n', options: { schema: { x: 'colour' } } },
  ],
  invalid: [
    {
      name: 'DL3049 on every stage that can be an image, once per missing label',
      code: 'FROM alpine:3.20 AS base\nFROM base\n',
      options: { schema: { team: 'text', 'org.opencontainers.image.source': 'url' } },
      errors: [
        {
          line: 1,
          column: 1,
          endColumn: 25,
          hadolint: 'DL3049',
          severity: 'warning',
          message: 'Stage "base" has no label "team", which the label schema requires: add LABEL team=<text>.',
        },
        { line: 1, column: 1, hadolint: 'DL3049', message: /no label "org\.opencontainers\.image\.source".*LABEL org\.opencontainers\.image\.source=<url>\.$/ },
        { line: 2, column: 1, endColumn: 10, hadolint: 'DL3049', message: /^The final stage has no label "team"/ },
        { line: 2, column: 1, hadolint: 'DL3049' },
      ],
    },
    {
      name: 'DL3049: a stage with no connection to the labelled one',
      code: 'FROM alpine:3.20\nLABEL other=1\nFROM alpine:3.20 AS out\nLABEL team=core\n',
      options: only('team', 'text'),
      errors: [{ line: 1, column: 1, endColumn: 17, message: 'Stage 0 has no label "team", which the label schema requires: add LABEL team=<text>.' }],
    },
    {
      name: 'DL3050 strict, DL3051 empty; ONBUILD LABEL values judged',
      code: 'FROM alpine:3.20\nLABEL team="" extra=1\nONBUILD LABEL team=\n',
      options: { schema: { team: 'text' }, strict: true },
      errors: [
        { line: 2, column: 12, endColumn: 14, hadolint: 'DL3051', message: 'Label "team" is empty: give it a value.' },
        { line: 2, column: 15, endColumn: 20, hadolint: 'DL3050', message: 'Label "extra" is not in the label schema, which is strict: remove it or add it to the schema.' },
        { line: 3, column: 15, endColumn: 19, hadolint: 'DL3051' },
      ],
    },
    {
      name: 'DL3052 url',
      code: 'FROM alpine:3.20\nLABEL src=github.com/acme/app\n',
      options: only('src', 'url'),
      errors: [
        {
          line: 2,
          column: 11,
          endColumn: 30,
          hadolint: 'DL3052',
          message: 'Label "src" should be a URL (with a scheme, e.g. https://example.com/repo), not "github.com/acme/app".',
        },
      ],
    },
    {
      name: 'DL3053 rfc3339 (month 13), on a continuation line',
      code: 'FROM alpine:3.20\nLABEL a=1 \\\n      created="2024-13-01T00:00:00Z"\n',
      options: only('created', 'rfc3339'),
      errors: [{ line: 3, column: 15, endColumn: 37, hadolint: 'DL3053', message: /should be an RFC 3339 date-time .*, not "2024-13-01T00:00:00Z"\.$/ }],
    },
    {
      name: 'DL3054 spdx, naming the unknown identifier',
      code: 'FROM alpine:3.20\nLABEL license="MIT AND Apache 2"\n',
      options: only('license', 'spdx'),
      errors: [
        {
          line: 2,
          column: 15,
          endColumn: 33,
          hadolint: 'DL3054',
          message:
            'Label "license" should be an SPDX license expression (e.g. Apache-2.0, MIT OR GPL-2.0-or-later), but "Apache" is not a known SPDX license identifier; if the license is real but unknown to Defang, add it to the rule\'s extraLicenses option.',
        },
      ],
    },
    {
      name: 'DL3055 hash',
      code: 'FROM alpine:3.20\nLABEL rev=main\n',
      options: only('rev', 'hash'),
      errors: [{ line: 2, column: 11, endColumn: 15, hadolint: 'DL3055', message: 'Label "rev" should be a git commit hash (7 to 40 hex digits), not "main".' }],
    },
    {
      name: 'DL3056 semver, with the leading v hint; the value through a variable',
      code: 'FROM alpine:3.20\nARG V=v1.2.3\nLABEL version=${V}\n',
      options: only('version', 'semver'),
      errors: [
        { line: 3, column: 15, endColumn: 19, hadolint: 'DL3056', message: 'Label "version" should be a semantic version (e.g. 1.4.2 or 2.0.0-rc.1), not "v1.2.3" (drop the leading "v").' },
      ],
    },
    {
      name: 'DL3058 email',
      code: 'FROM alpine:3.20\nLABEL maintainer="Jane <jane@example.com>"\n',
      options: only('maintainer', 'email'),
      errors: [{ line: 2, column: 18, endColumn: 43, hadolint: 'DL3058', message: /should be an e-mail address .*, not "Jane <jane@example\.com>"\.$/ }],
    },
  ],
});

test('value formats', () => {
  assert.ok(isUrl('https://example.com/x?y=1') && isUrl('git+ssh://git@example.com/a.git') && isUrl('mailto:a@b.c'));
  assert.ok(!isUrl('example.com') && !isUrl('https://') && !isUrl('http://exa mple.com') && !isUrl('not-url'));
  assert.ok(isRfc3339('2024-02-29T23:59:60Z') && isRfc3339('2021-03-10 10:26:33.564595127+01:00'));
  assert.ok(!isRfc3339('2023-02-29T00:00:00Z') && !isRfc3339('2024-05-01') && !isRfc3339('2024-05-01T25:00:00Z') && !isRfc3339('2024-05-01T10:00:00+24:00'));
  assert.ok(isGitHash('2dbfae9') && isGitHash('43C572F1272B6B3171DD1DB9E41B7027128CE080') && isGitHash('a'.repeat(64)));
  assert.ok(!isGitHash('2dbfae') && !isGitHash('g'.repeat(7)) && !isGitHash('a'.repeat(41)));
  assert.ok(isSemver('0.0.1') && isSemver('1.0.0-alpha.1+exp.sha.5114f85'));
  assert.ok(!isSemver('1.0') && !isSemver('01.0.0') && !isSemver('v1.0.0') && !isSemver('1.0.0-'));
  assert.ok(isEmail('a.b+c@example.com') && isEmail('root@localhost') && isEmail('"odd name"@example.com'));
  assert.ok(!isEmail('jane') && !isEmail('a@') && !isEmail('a..b@example.com') && !isEmail('a@-x.com'));
});

test('SPDX expressions', () => {
  for (const ok of ['MIT', 'mit', 'GPL-2.0+', 'LicenseRef-Acme', 'DocumentRef-x:LicenseRef-y', '(MIT OR Apache-2.0) AND BSD-3-Clause', 'mit or apache-2.0']) {
    assert.equal(spdxProblem(ok), null, ok);
  }
  assert.equal(spdxProblem('MIT OR'), 'it ends where a license identifier should follow');
  assert.equal(spdxProblem('(MIT'), 'a "(" is not closed');
  assert.equal(spdxProblem('MIT Apache-2.0'), '"Apache-2.0" is unexpected there');
  assert.equal(spdxProblem('GPL-2.0-only WITH Nope-exception'), '"Nope-exception" is not a known SPDX license exception');
  assert.equal(spdxProblem('AND MIT'), '"AND" stands where a license identifier should');
  assert.equal(spdxProblem('Acme-1.0', ['ACME-1.0']), null);
});

test('option errors for the configuration loader', () => {
  assert.deepEqual(labelSchemaOptionErrors({ schema: { a: 'url', b: 'colour' }, strict: 'yes', extraLicenses: 'MIT' }), [
    'label "b" has unknown type "colour": use one of text, url, hash, rfc3339, semver, spdx, email',
    '"strict" must be true or false',
    '"extraLicenses" must be a list of license identifiers',
  ]);
  assert.deepEqual(labelSchemaOptionErrors({ schema: ['a'] }), ['"schema" must be a map of label name to type']);
  assert.deepEqual(labelSchemaOptionErrors({ schema: {}, strict: false, extraLicenses: [] }), []);
});
