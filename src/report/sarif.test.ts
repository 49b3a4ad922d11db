import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../findings.ts';
import type { RuleMeta } from '../rules/types.ts';
import {
  artifactLocation,
  GITHUB_MAX_RESULTS_PER_RUN,
  pascalCase,
  sarifMessageText,
  toSarif,
  toSarifString,
  type SarifLog,
} from './sarif.ts';
import type { Report } from './types.ts';

// ---------------------------------------------------------------------------------------------------------------
// What GitHub code scanning requires of an uploaded SARIF file (docs.github.com, "SARIF support for code scanning"
// and "SARIF results exceed limits"): version 2.1.0 with a $schema, a runs array of at most 20 runs, each with a
// tool.driver.name, at most 25,000 rules and 25,000 results per run, at most 20 tags per rule, at most 1,000
// locations per result, a message text on every result, and locations with startLine >= 1. Added here: what makes
// the upload useful rather than merely accepted (ruleIndex matching ruleId, URIs that are valid URI references,
// security-severity as a score string).

const MAX_RUNS = 20;
const MAX_RULES = 25_000;
const MAX_RESULTS = 25_000;
const MAX_TAGS = 20;
const MAX_LOCATIONS = 1_000;
const LEVELS = new Set(['none', 'note', 'warning', 'error']);
// RFC 3986 URI-reference characters, with every % starting an escape.
const URI_REFERENCE = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPositiveInteger(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

/** Every reason GitHub would reject (or mangle) this SARIF log; empty when it would be accepted. */
function githubSarifProblems(log: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(log)) return ['log: not an object'];
  if (typeof log.$schema !== 'string' || !/^https?:\/\//.test(log.$schema)) problems.push('$schema: missing or not a URL');
  if (log.version !== '2.1.0') problems.push('version: not "2.1.0"');
  if (!Array.isArray(log.runs)) return [...problems, 'runs: not an array'];
  if (log.runs.length > MAX_RUNS) problems.push(`runs: ${log.runs.length} > ${MAX_RUNS}`);
  log.runs.forEach((run: unknown, r) => {
    const at = `runs[${r}]`;
    if (!isObject(run)) return void problems.push(`${at}: not an object`);
    const driver = isObject(run.tool) && isObject(run.tool.driver) ? run.tool.driver : undefined;
    if (!driver || typeof driver.name !== 'string' || driver.name === '') problems.push(`${at}.tool.driver.name: missing`);
    const rules = Array.isArray(driver?.rules) ? (driver.rules as unknown[]) : [];
    if (rules.length > MAX_RULES) problems.push(`${at}.tool.driver.rules: ${rules.length} > ${MAX_RULES}`);
    const ids = new Set<string>();
    rules.forEach((rule, i) => {
      const rat = `${at}.tool.driver.rules[${i}]`;
      if (!isObject(rule) || typeof rule.id !== 'string' || rule.id === '') return void problems.push(`${rat}.id: missing`);
      if (ids.has(rule.id)) problems.push(`${rat}.id: duplicate ${rule.id}`);
      ids.add(rule.id);
      if (rule.helpUri !== undefined && (typeof rule.helpUri !== 'string' || !/^https?:\/\//.test(rule.helpUri))) {
        problems.push(`${rat}.helpUri: not an absolute URL`);
      }
      const level = isObject(rule.defaultConfiguration) ? rule.defaultConfiguration.level : undefined;
      if (level !== undefined && !LEVELS.has(level as string)) problems.push(`${rat}.defaultConfiguration.level: ${String(level)}`);
      const props = isObject(rule.properties) ? rule.properties : {};
      if (props.tags !== undefined) {
        if (!Array.isArray(props.tags) || props.tags.some((t) => typeof t !== 'string')) problems.push(`${rat}.properties.tags: not strings`);
        else if (props.tags.length > MAX_TAGS) problems.push(`${rat}.properties.tags: ${props.tags.length} > ${MAX_TAGS}`);
      }
      const sev = props['security-severity'];
      if (sev !== undefined && (typeof sev !== 'string' || !/^\d+(\.\d+)?$/.test(sev) || Number(sev) > 10)) {
        problems.push(`${rat}.properties.security-severity: not a score string from 0.0 to 10.0`);
      }
    });
    if (!Array.isArray(run.results)) return void problems.push(`${at}.results: not an array`);
    if (run.results.length > MAX_RESULTS) problems.push(`${at}.results: ${run.results.length} > ${MAX_RESULTS}`);
    run.results.forEach((result: unknown, i) => {
      const rat = `${at}.results[${i}]`;
      if (!isObject(result)) return void problems.push(`${rat}: not an object`);
      if (!isObject(result.message) || typeof result.message.text !== 'string' || result.message.text === '') {
        problems.push(`${rat}.message.text: missing`);
      }
      if (typeof result.ruleId !== 'string' || result.ruleId === '') problems.push(`${rat}.ruleId: missing`);
      if (result.ruleIndex !== undefined) {
        const rule = rules[result.ruleIndex as number];
        if (!isObject(rule) || rule.id !== result.ruleId) problems.push(`${rat}.ruleIndex: does not point at rule ${String(result.ruleId)}`);
      }
      if (result.level !== undefined && !LEVELS.has(result.level as string)) problems.push(`${rat}.level: ${String(result.level)}`);
      const locations = Array.isArray(result.locations) ? result.locations : [];
      if (locations.length > MAX_LOCATIONS) problems.push(`${rat}.locations: ${locations.length} > ${MAX_LOCATIONS}`);
      locations.forEach((loc: unknown, j) => {
        const lat = `${rat}.locations[${j}].physicalLocation`;
        const phys = isObject(loc) && isObject(loc.physicalLocation) ? loc.physicalLocation : undefined;
        if (!phys) return void problems.push(`${lat}: missing`);
        const uri = isObject(phys.artifactLocation) ? phys.artifactLocation.uri : undefined;
        if (typeof uri !== 'string' || uri === '' || !URI_REFERENCE.test(uri)) problems.push(`${lat}.artifactLocation.uri: not a URI reference: ${String(uri)}`);
        const region = phys.region;
        if (!isObject(region)) return void problems.push(`${lat}.region: missing`);
        if (!isPositiveInteger(region.startLine)) problems.push(`${lat}.region.startLine: ${String(region.startLine)} < 1`);
        for (const k of ['startColumn', 'endLine', 'endColumn'] as const) {
          if (region[k] !== undefined && !isPositiveInteger(region[k])) problems.push(`${lat}.region.${k}: ${String(region[k])} < 1`);
        }
        if (typeof region.endLine === 'number' && (region.endLine as number) < (region.startLine as number)) {
          problems.push(`${lat}.region.endLine: before startLine`);
        }
      });
      if (result.partialFingerprints !== undefined) {
        if (!isObject(result.partialFingerprints) || Object.values(result.partialFingerprints).some((v) => typeof v !== 'string')) {
          problems.push(`${rat}.partialFingerprints: values must be strings`);
        }
      }
    });
    const invocations = Array.isArray(run.invocations) ? run.invocations : [];
    invocations.forEach((inv: unknown, i) => {
      const notes = isObject(inv) && Array.isArray(inv.toolExecutionNotifications) ? inv.toolExecutionNotifications : [];
      notes.forEach((n: unknown, j) => {
        if (!isObject(n) || !isObject(n.message) || typeof n.message.text !== 'string') {
          problems.push(`${at}.invocations[${i}].toolExecutionNotifications[${j}].message.text: missing`);
        }
      });
    });
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures (rules deliberately not in id order)

const ROOT_USER: RuleMeta = {
  id: 'root-user',
  severity: 'error',
  title: 'Container runs as root',
  description: 'Switch to an unprivileged USER before the last stage ends.',
  fixable: false,
  kind: 'static',
  enabledByDefault: true,
  category: 'user',
};
const APT: RuleMeta = {
  id: 'apt-no-recommends',
  severity: 'info',
  title: 'apt-get install without --no-install-recommends',
  description: 'Add `--no-install-recommends` so apt does not pull optional packages.',
  hadolint: ['DL3015'],
  fixable: true,
  kind: 'static',
  enabledByDefault: true,
  category: 'packages',
};
const SETUID: RuleMeta = {
  id: 'setuid-binary',
  severity: 'warning',
  title: 'Image contains a setuid binary',
  description: 'Remove the setuid bit from files that do not need it.',
  fixable: false,
  kind: 'image',
  enabledByDefault: true,
  category: 'image',
};
const SECRET: RuleMeta = {
  id: 'secret-in-env',
  severity: 'error',
  title: 'Secret in ENV',
  description: 'Pass secrets with RUN --mount=type=secret.',
  fixable: false,
  kind: 'static',
  enabledByDefault: true,
  category: 'security',
};
const RULES = [ROOT_USER, SETUID, APT, SECRET];

const ACTION_ENV = { GITHUB_ACTION_REPOSITORY: 'acme/defang', GITHUB_ACTION_REF: 'v1', GITHUB_SERVER_URL: 'https://github.example' };
const DOCS = 'https://github.example/acme/defang/blob/v1/docs/rules';

function finding(file: string, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'root-user',
    severity: 'error',
    message: 'The last stage runs as root.',
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 10,
    fingerprint: 'fp-root',
    ...over,
  };
}

const EXPECTED_RULES_IN_ACTION = [
  {
    id: 'apt-no-recommends',
    name: 'AptNoRecommends',
    shortDescription: { text: 'apt-get install without --no-install-recommends' },
    fullDescription: { text: 'Add `--no-install-recommends` so apt does not pull optional packages.' },
    defaultConfiguration: { level: 'note' },
    helpUri: `${DOCS}/apt-no-recommends.md`,
    help: {
      text: `Add \`--no-install-recommends\` so apt does not pull optional packages.\n\nhadolint: DL3015\n\nDocumentation: ${DOCS}/apt-no-recommends.md`,
      markdown: `Add \`--no-install-recommends\` so apt does not pull optional packages.\n\nhadolint: \`DL3015\`\n\n[Documentation](${DOCS}/apt-no-recommends.md)`,
    },
    properties: { tags: ['packages'], precision: 'high' },
  },
  {
    id: 'root-user',
    name: 'RootUser',
    shortDescription: { text: 'Container runs as root' },
    fullDescription: { text: 'Switch to an unprivileged USER before the last stage ends.' },
    defaultConfiguration: { level: 'error' },
    helpUri: `${DOCS}/root-user.md`,
    help: {
      text: `Switch to an unprivileged USER before the last stage ends.\n\nDocumentation: ${DOCS}/root-user.md`,
      markdown: `Switch to an unprivileged USER before the last stage ends.\n\n[Documentation](${DOCS}/root-user.md)`,
    },
    properties: { tags: ['security', 'user'], precision: 'high', 'security-severity': '8.0' },
  },
  {
    id: 'secret-in-env',
    name: 'SecretInEnv',
    shortDescription: { text: 'Secret in ENV' },
    fullDescription: { text: 'Pass secrets with RUN --mount=type=secret.' },
    defaultConfiguration: { level: 'error' },
    helpUri: `${DOCS}/secret-in-env.md`,
    help: {
      text: `Pass secrets with RUN --mount=type=secret.\n\nDocumentation: ${DOCS}/secret-in-env.md`,
      markdown: `Pass secrets with RUN --mount=type=secret.\n\n[Documentation](${DOCS}/secret-in-env.md)`,
    },
    properties: { tags: ['security'], precision: 'high', 'security-severity': '8.0' },
  },
  {
    id: 'setuid-binary',
    name: 'SetuidBinary',
    shortDescription: { text: 'Image contains a setuid binary' },
    fullDescription: { text: 'Remove the setuid bit from files that do not need it.' },
    defaultConfiguration: { level: 'warning' },
    helpUri: `${DOCS}/setuid-binary.md`,
    help: {
      text: `Remove the setuid bit from files that do not need it.\n\nDocumentation: ${DOCS}/setuid-binary.md`,
      markdown: `Remove the setuid bit from files that do not need it.\n\n[Documentation](${DOCS}/setuid-binary.md)`,
    },
    properties: { tags: ['security', 'image'], precision: 'high', 'security-severity': '5.0' },
  },
];

function assertAccepted(log: SarifLog): void {
  assert.deepEqual(githubSarifProblems(JSON.parse(JSON.stringify(log))), []);
}

// ---------------------------------------------------------------------------------------------------------------

describe('toSarif', () => {
  test('zero findings: a complete run with every rule and an empty results array', () => {
    const log = toSarif(
      { results: [{ dockerfile: 'Dockerfile', findings: [] }], rules: RULES, tool: { name: 'defang', version: '1.2.3' } },
      { env: ACTION_ENV },
    );
    assert.deepEqual(log, {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'Defang',
              informationUri: 'https://github.example/acme/defang',
              version: '1.2.3',
              rules: EXPECTED_RULES_IN_ACTION,
            },
          },
          invocations: [{ executionSuccessful: true }],
          columnKind: 'utf16CodeUnits',
          results: [],
        },
      ],
    });
    assertAccepted(log);
  });

  test('several files: results in file and position order, level from the finding, fingerprints, fixes, image details', () => {
    const report: Report = {
      results: [
        {
          dockerfile: 'web/Dockerfile',
          findings: [
            finding('web/Dockerfile', {
              ruleId: 'setuid-binary',
              severity: 'warning',
              message: 'usr/bin/passwd is setuid root.',
              line: 1,
              column: 6,
              endLine: 1,
              endColumn: 20,
              fingerprint: 'fp-setuid',
              path: '/usr/bin/passwd',
              layer: 'sha256:abcd',
              inherited: true,
            }),
            finding('web/Dockerfile', {
              ruleId: 'apt-no-recommends',
              // The policy raised this finding to warning: the result's level follows the finding, not the rule.
              severity: 'warning',
              message: 'Add --no-install-recommends.',
              line: 3,
              column: 5,
              endLine: 4,
              endColumn: 12,
              hadolint: 'DL3015',
              fingerprint: 'fp-apt',
              fix: { line: 3, endLine: 4, replacement: 'RUN apt-get install --no-install-recommends -y \\\n    curl', description: 'Add the flag' },
            }),
          ],
        },
        {
          dockerfile: 'api/Dockerfile',
          findings: [finding('api/Dockerfile', { line: 9, endLine: 9, fix: { line: 9, endLine: 9, replacement: '' } })],
        },
      ],
      rules: RULES,
      notices: ['shellcheck was not found: shell rules were skipped.'],
    };
    const log = toSarif(report, { env: ACTION_ENV });
    assert.deepEqual(log.runs[0].tool.driver, { name: 'Defang', informationUri: 'https://github.example/acme/defang', rules: EXPECTED_RULES_IN_ACTION });
    assert.deepEqual(log.runs[0].invocations, [
      {
        executionSuccessful: true,
        toolExecutionNotifications: [{ level: 'note', message: { text: 'shellcheck was not found: shell rules were skipped.' } }],
      },
    ]);
    assert.deepEqual(log.runs[0].results, [
      {
        ruleId: 'root-user',
        ruleIndex: 1,
        level: 'error',
        message: { text: 'The last stage runs as root.' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'api/Dockerfile', uriBaseId: '%SRCROOT%' },
              region: { startLine: 9, startColumn: 1, endLine: 9, endColumn: 10 },
            },
          },
        ],
        partialFingerprints: { 'defang/v1': 'fp-root' },
        fixes: [
          {
            artifactChanges: [
              {
                artifactLocation: { uri: 'api/Dockerfile', uriBaseId: '%SRCROOT%' },
                replacements: [{ deletedRegion: { startLine: 9, endLine: 9 }, insertedContent: { text: '' } }],
              },
            ],
          },
        ],
      },
      {
        ruleId: 'setuid-binary',
        ruleIndex: 3,
        level: 'warning',
        message: { text: 'usr/bin/passwd is setuid root.' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'web/Dockerfile', uriBaseId: '%SRCROOT%' },
              region: { startLine: 1, startColumn: 6, endLine: 1, endColumn: 20 },
            },
          },
        ],
        partialFingerprints: { 'defang/v1': 'fp-setuid' },
        properties: { imagePath: '/usr/bin/passwd', layer: 'sha256:abcd', inherited: true },
      },
      {
        ruleId: 'apt-no-recommends',
        ruleIndex: 0,
        level: 'warning',
        message: { text: 'Add --no-install-recommends.' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'web/Dockerfile', uriBaseId: '%SRCROOT%' },
              region: { startLine: 3, startColumn: 5, endLine: 4, endColumn: 12 },
            },
          },
        ],
        partialFingerprints: { 'defang/v1': 'fp-apt' },
        fixes: [
          {
            description: { text: 'Add the flag' },
            artifactChanges: [
              {
                artifactLocation: { uri: 'web/Dockerfile', uriBaseId: '%SRCROOT%' },
                replacements: [
                  {
                    deletedRegion: { startLine: 3, endLine: 4 },
                    insertedContent: { text: 'RUN apt-get install --no-install-recommends -y \\\n    curl' },
                  },
                ],
              },
            ],
          },
        ],
        properties: { hadolint: 'DL3015' },
      },
    ]);
    assertAccepted(log);
  });

  test('outside a workflow: no helpUri or informationUri (they must be absolute), the docs path is named in the help', () => {
    const log = toSarif({ results: [], rules: [APT] }, { env: {} });
    assert.deepEqual(log.runs[0].tool.driver, {
      name: 'Defang',
      rules: [
        {
          id: 'apt-no-recommends',
          name: 'AptNoRecommends',
          shortDescription: { text: 'apt-get install without --no-install-recommends' },
          fullDescription: { text: 'Add `--no-install-recommends` so apt does not pull optional packages.' },
          defaultConfiguration: { level: 'note' },
          help: {
            text: 'Add `--no-install-recommends` so apt does not pull optional packages.\n\nhadolint: DL3015\n\nDocumentation: docs/rules/apt-no-recommends.md',
            markdown:
              'Add `--no-install-recommends` so apt does not pull optional packages.\n\nhadolint: `DL3015`\n\n[Documentation](docs/rules/apt-no-recommends.md)',
          },
          properties: { tags: ['packages'], precision: 'high' },
        },
      ],
    });
    assertAccepted(log);
  });

  test('only the security, user and image categories are security rules', () => {
    const categories: Array<RuleMeta['category']> = ['base-image', 'user', 'security', 'packages', 'shell', 'instructions', 'labels', 'syntax', 'image'];
    const log = toSarif(
      { results: [], rules: categories.map((category) => ({ ...SETUID, id: `r-${category}`, severity: 'info', category })) },
      { env: {} },
    );
    assert.deepEqual(
      log.runs[0].tool.driver.rules.map((r) => [r.id, r.properties]),
      [
        ['r-base-image', { tags: ['base-image'], precision: 'high' }],
        ['r-image', { tags: ['security', 'image'], precision: 'high', 'security-severity': '2.0' }],
        ['r-instructions', { tags: ['instructions'], precision: 'high' }],
        ['r-labels', { tags: ['labels'], precision: 'high' }],
        ['r-packages', { tags: ['packages'], precision: 'high' }],
        ['r-security', { tags: ['security'], precision: 'high', 'security-severity': '2.0' }],
        ['r-shell', { tags: ['shell'], precision: 'high' }],
        ['r-syntax', { tags: ['syntax'], precision: 'high' }],
        ['r-user', { tags: ['security', 'user'], precision: 'high', 'security-severity': '2.0' }],
      ],
    );
  });

  test('a finding of a rule missing from report.rules gets a bare descriptor, placed in id order', () => {
    const log = toSarif(
      {
        results: [{ dockerfile: 'Dockerfile', findings: [finding('Dockerfile', { ruleId: 'internal-error', message: 'rule x failed: boom' })] }],
        rules: [ROOT_USER, ROOT_USER],
      },
      { env: {} },
    );
    const rules = log.runs[0].tool.driver.rules;
    assert.deepEqual(
      rules.map((r) => r.id),
      ['internal-error', 'root-user'],
    );
    assert.deepEqual(rules[0], { id: 'internal-error', name: 'InternalError', shortDescription: { text: 'internal-error' }, properties: { tags: [] } });
    assert.equal(log.runs[0].results[0].ruleIndex, 0);
    assertAccepted(log);
  });

  test('an empty message falls back to the rule title (GitHub rejects a result without message text)', () => {
    const log = toSarif({ results: [{ dockerfile: 'D', findings: [finding('D', { message: '  ' })] }], rules: [ROOT_USER] }, { env: {} });
    assert.deepEqual(log.runs[0].results[0].message, { text: 'Container runs as root' });
    assertAccepted(log);
  });

  test('positions below 1 are raised to 1 (one bad location fails the whole upload)', () => {
    const log = toSarif(
      {
        results: [{ dockerfile: 'D', findings: [finding('D', { line: 0, column: 0, endLine: 0, endColumn: 0, fix: { line: 0, endLine: 0, replacement: 'x' } })] }],
        rules: [],
      },
      { env: {} },
    );
    const result = log.runs[0].results[0];
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
    assert.deepEqual(result.fixes?.[0].artifactChanges[0].replacements[0].deletedRegion, { startLine: 1, endLine: 1 });
    assertAccepted(log);
  });

  test('odd characters: paths become percent-encoded URIs, messages keep their characters', () => {
    const path = 'my dir/100% #1/\u00fcber\\Dockerfile';
    const message = 'quote " backslash \\ 50% #x \u65e5\u672c \u{1F433}';
    const log = toSarif({ results: [{ dockerfile: path, findings: [finding(path, { message })] }], rules: [] }, { env: {} });
    const result = log.runs[0].results[0];
    assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, {
      uri: 'my%20dir/100%25%20%231/%C3%BCber/Dockerfile',
      uriBaseId: '%SRCROOT%',
    });
    assert.deepEqual(result.message, { text: message });
    assertAccepted(log);
    const text = toSarifString({ results: [{ dockerfile: path, findings: [finding(path, { message })] }], rules: [] }, { env: {} });
    assert.ok(text.includes('"text": "quote \\" backslash \\\\ 50% #x \u65e5\u672c \u{1F433}"\n'), text);
  });

  test('results beyond GitHub\'s per-run limit are left out, the most severe kept, with a notification', () => {
    const infos = Array.from({ length: GITHUB_MAX_RESULTS_PER_RUN }, (_, i) =>
      finding('a/Dockerfile', { ruleId: 'apt-no-recommends', severity: 'info', line: i + 1, endLine: i + 1, fingerprint: `i${i}` }),
    );
    // The severe findings sort last by position, so cutting in position order would lose them.
    const severe = [
      finding('z/Dockerfile', { severity: 'error', fingerprint: 'e1' }),
      finding('z/Dockerfile', { severity: 'warning', ruleId: 'setuid-binary', line: 2, endLine: 2, fingerprint: 'w1' }),
      finding('z/Dockerfile', { severity: 'error', line: 3, endLine: 3, fingerprint: 'e2' }),
    ];
    const log = toSarif(
      {
        results: [
          { dockerfile: 'z/Dockerfile', findings: severe },
          { dockerfile: 'a/Dockerfile', findings: infos },
        ],
        rules: RULES,
        notices: ['first notice'],
      },
      { env: {} },
    );
    const results = log.runs[0].results;
    assert.equal(results.length, GITHUB_MAX_RESULTS_PER_RUN);
    const fps = results.map((r) => r.partialFingerprints['defang/v1']);
    // Output order is still file then position: the kept infos (the first 24,997 by position), then z/'s three.
    assert.deepEqual(fps.slice(-4), ['i24996', 'e1', 'w1', 'e2']);
    assert.equal(fps[0], 'i0');
    assert.equal(fps.includes('i24997'), false);
    assert.deepEqual(log.runs[0].invocations[0].toolExecutionNotifications, [
      { level: 'note', message: { text: 'first notice' } },
      {
        level: 'warning',
        message: {
          text: '3 results were left out: GitHub code scanning accepts at most 25000 results per run, so only the 25000 most severe of 25003 are included.',
        },
      },
    ]);
    assertAccepted(log);
  });

  test('exactly at the limit nothing is left out; one over says "1 result was"', () => {
    const many = (n: number): Report => ({
      results: [
        {
          dockerfile: 'D',
          findings: Array.from({ length: n }, (_, i) => finding('D', { line: i + 1, endLine: i + 1, fingerprint: `f${i}` })),
        },
      ],
      rules: [],
    });
    const atLimit = toSarif(many(GITHUB_MAX_RESULTS_PER_RUN), { env: {} });
    assert.equal(atLimit.runs[0].results.length, GITHUB_MAX_RESULTS_PER_RUN);
    assert.deepEqual(atLimit.runs[0].invocations, [{ executionSuccessful: true }]);
    const over = toSarif(many(GITHUB_MAX_RESULTS_PER_RUN + 1), { env: {} });
    assert.equal(over.runs[0].results.length, GITHUB_MAX_RESULTS_PER_RUN);
    assert.equal(over.runs[0].results.at(-1)?.partialFingerprints['defang/v1'], 'f24999');
    assert.deepEqual(over.runs[0].invocations[0].toolExecutionNotifications?.map((n) => n.message.text), [
      '1 result was left out: GitHub code scanning accepts at most 25000 results per run, so only the 25000 most severe of 25001 are included.',
    ]);
  });
});

describe('toSarifString', () => {
  test('exact text of the smallest log: two-space indentation and a trailing newline', () => {
    assert.equal(
      toSarifString({ results: [], rules: [], tool: { name: 'defang', version: '0.1.0' } }, { env: {} }),
      `{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [
    {
      "tool": {
        "driver": {
          "name": "Defang",
          "version": "0.1.0",
          "rules": []
        }
      },
      "invocations": [
        {
          "executionSuccessful": true
        }
      ],
      "columnKind": "utf16CodeUnits",
      "results": []
    }
  ]
}
`,
    );
  });

  test('is the JSON of toSarif', () => {
    const report: Report = { results: [{ dockerfile: 'a b/D', findings: [finding('a b/D')] }], rules: RULES };
    assert.deepEqual(JSON.parse(toSarifString(report, { env: ACTION_ENV })), JSON.parse(JSON.stringify(toSarif(report, { env: ACTION_ENV }))));
  });
});

describe('artifactLocation', () => {
  const cases: Array<[string, { uri: string; uriBaseId?: string }]> = [
    ['Dockerfile', { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' }],
    ['./docker/Dockerfile', { uri: 'docker/Dockerfile', uriBaseId: '%SRCROOT%' }],
    ['a//./b/Dockerfile', { uri: 'a/b/Dockerfile', uriBaseId: '%SRCROOT%' }],
    ['my dir/Docker file', { uri: 'my%20dir/Docker%20file', uriBaseId: '%SRCROOT%' }],
    ['100%/Dockerfile', { uri: '100%25/Dockerfile', uriBaseId: '%SRCROOT%' }],
    ['#1/Dockerfile?x', { uri: '%231/Dockerfile%3Fx', uriBaseId: '%SRCROOT%' }],
    ['svc\\api\\Dockerfile', { uri: 'svc/api/Dockerfile', uriBaseId: '%SRCROOT%' }],
    ['\u00fcber/\u65e5\u672c.Dockerfile', { uri: '%C3%BCber/%E6%97%A5%E6%9C%AC.Dockerfile', uriBaseId: '%SRCROOT%' }],
    ['a:b/Dockerfile', { uri: 'a%3Ab/Dockerfile', uriBaseId: '%SRCROOT%' }],
    ['../up/Dockerfile', { uri: '../up/Dockerfile', uriBaseId: '%SRCROOT%' }],
    ['bad\ud800/Dockerfile', { uri: 'bad%EF%BF%BD/Dockerfile', uriBaseId: '%SRCROOT%' }],
    ['/home/me/my app/Dockerfile', { uri: 'file:///home/me/my%20app/Dockerfile' }],
    ['C:\\work\\app\\Dockerfile', { uri: 'file:///C:/work/app/Dockerfile' }],
    ['\\\\server\\share\\Dockerfile', { uri: 'file://server/share/Dockerfile' }],
  ];
  for (const [path, expected] of cases) {
    test(JSON.stringify(path), () => {
      const location = artifactLocation(path);
      assert.deepEqual(location, expected);
      assert.match(location.uri, URI_REFERENCE);
    });
  }
});

describe('sarifMessageText', () => {
  test('left alone unless it would be read as an embedded link', () => {
    assert.equal(sarifMessageText('RUN ["sh", "-c"] uses the exec form'), 'RUN ["sh", "-c"] uses the exec form');
    assert.equal(sarifMessageText('path C:\\x\\[y]'), 'path C:\\x\\[y]');
  });
  test('brackets of a would-be link are escaped, and a backslash before a bracket is doubled', () => {
    assert.equal(sarifMessageText('see [docs](1) and [x]'), 'see \\[docs\\](1) and \\[x\\]');
    assert.equal(sarifMessageText('a\\[b](c)'), 'a\\\\\\[b\\](c)');
  });
  test('applies to result messages', () => {
    const log = toSarif({ results: [{ dockerfile: 'D', findings: [finding('D', { message: 'pin [it](now)' })] }], rules: [] }, { env: {} });
    assert.deepEqual(log.runs[0].results[0].message, { text: 'pin \\[it\\](now)' });
  });
});

describe('pascalCase', () => {
  test('rule ids become names', () => {
    assert.equal(pascalCase('unpinned-base-image'), 'UnpinnedBaseImage');
    assert.equal(pascalCase('apt_get--clean'), 'AptGetClean');
    assert.equal(pascalCase('x'), 'X');
    assert.equal(pascalCase('dl3008'), 'Dl3008');
  });
});

describe('the GitHub SARIF check itself', () => {
  const good = (): Json => JSON.parse(toSarifString({ results: [{ dockerfile: 'D', findings: [finding('D')] }], rules: [ROOT_USER] }, { env: {} }));
  const run = (log: Json): Json => (log.runs as Json[])[0];
  const result = (log: Json): Json => (run(log).results as Json[])[0];
  const region = (log: Json): Json => ((((result(log).locations as Json[])[0].physicalLocation as Json).region) as Json);

  test('accepts a good log', () => {
    assert.deepEqual(githubSarifProblems(good()), []);
  });

  const cases: Array<[string, (log: Json) => unknown, string[]]> = [
    ['missing version', (l) => delete l.version, ['version: not "2.1.0"']],
    ['missing $schema', (l) => delete l.$schema, ['$schema: missing or not a URL']],
    ['runs not an array', (l) => (l.runs = {}), ['runs: not an array']],
    ['too many runs', (l) => (l.runs = Array.from({ length: 21 }, () => run(good()))), ['runs: 21 > 20']],
    ['a result without message text', (l) => (result(l).message = {}), ['runs[0].results[0].message.text: missing']],
    ['startLine 0', (l) => (region(l).startLine = 0), ['runs[0].results[0].locations[0].physicalLocation.region.startLine: 0 < 1']],
    ['endLine before startLine', (l) => Object.assign(region(l), { startLine: 3, endLine: 2 }), ['runs[0].results[0].locations[0].physicalLocation.region.endLine: before startLine']],
    ['results missing', (l) => delete run(l).results, ['runs[0].results: not an array']],
    ['too many results', (l) => (run(l).results = Array.from({ length: 25_001 }, () => result(good()))), ['runs[0].results: 25001 > 25000']],
    ['ruleIndex pointing elsewhere', (l) => (result(l).ruleId = 'other'), ['runs[0].results[0].ruleIndex: does not point at rule other']],
    [
      'a URI with a raw space',
      (l) => ((((result(l).locations as Json[])[0].physicalLocation as Json).artifactLocation as Json).uri = 'a b/D'),
      ['runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri: not a URI reference: a b/D'],
    ],
    [
      'security-severity as a number',
      (l) => ((((run(l).tool as Json).driver as Json).rules as Json[])[0].properties = { 'security-severity': 8 }),
      ['runs[0].tool.driver.rules[0].properties.security-severity: not a score string from 0.0 to 10.0'],
    ],
    [
      'too many tags',
      (l) => ((((run(l).tool as Json).driver as Json).rules as Json[])[0].properties = { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }),
      ['runs[0].tool.driver.rules[0].properties.tags: 21 > 20'],
    ],
  ];
  for (const [name, edit, problems] of cases) {
    test(`rejects: ${name}`, () => {
      const log = good();
      edit(log);
      assert.deepEqual(githubSarifProblems(log), problems);
    });
  }
});
