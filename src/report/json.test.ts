import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Finding } from '../findings.ts';
import { parseJsonReport, toJson } from './json.ts';
import { finding as baseFinding } from './testing.ts';
import type { Report } from './types.ts';

/** A root-user error in `file` (the shared builder with this file's defaults). */
function finding(file: string, over: Partial<Finding> = {}): Finding {
  return baseFinding({ ruleId: 'root-user', severity: 'error', message: 'The final stage runs as root.', file, endColumn: 10, fingerprint: '0123456789abcdef0123456789abcdef', ...over });
}

function report(results: Report['results']): Report {
  return { results, rules: [] };
}

describe('toJson', () => {
  test('no files: empty results and a zero summary', () => {
    assert.equal(
      toJson(report([])),
      '{\n  "version": 1,\n  "results": [],\n  "summary": {\n    "error": 0,\n    "warning": 0,\n    "info": 0\n  }\n}\n',
    );
  });

  test('a checked file without findings is listed with an empty findings array', () => {
    assert.equal(
      toJson(report([{ dockerfile: 'Dockerfile', findings: [] }])),
      [
        '{',
        '  "version": 1,',
        '  "results": [',
        '    {',
        '      "dockerfile": "Dockerfile",',
        '      "findings": []',
        '    }',
        '  ],',
        '  "summary": {',
        '    "error": 0,',
        '    "warning": 0,',
        '    "info": 0',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('several files: results sorted by path, findings by compareFindings, keys in order, optional keys omitted', () => {
    const input = report([
      {
        dockerfile: 'web/Dockerfile',
        findings: [
          finding('web/Dockerfile', {
            ruleId: 'setuid-binary',
            severity: 'warning',
            message: 'usr/bin/passwd is setuid root.',
            line: 4,
            column: 1,
            endLine: 4,
            endColumn: 21,
            fingerprint: 'ffff0000ffff0000ffff0000ffff0000',
            // Keys given in a different order than the document's: the output must still follow the documented order.
            inherited: false,
            layer: 'sha256:aaaa',
            path: '/usr/bin/passwd',
          }),
          finding('web/Dockerfile', {
            ruleId: 'apt-no-recommends',
            severity: 'info',
            message: 'Add --no-install-recommends.',
            line: 2,
            column: 5,
            endLine: 3,
            endColumn: 12,
            hadolint: 'DL3015',
            fix: { description: 'Add the flag', replacement: 'RUN apt-get install --no-install-recommends -y curl', endLine: 3, line: 2 },
            fingerprint: 'aaaa1111aaaa1111aaaa1111aaaa1111',
          }),
          finding('web/Dockerfile', { line: 2, column: 5, endLine: 3, endColumn: 12, fingerprint: 'bbbb2222bbbb2222bbbb2222bbbb2222' }),
        ],
      },
      { dockerfile: 'api/Dockerfile', findings: [finding('api/Dockerfile', { fix: { line: 1, endLine: 1, replacement: '' } })] },
      { dockerfile: 'clean/Dockerfile', findings: [] },
    ]);
    const expected = `{
  "version": 1,
  "results": [
    {
      "dockerfile": "api/Dockerfile",
      "findings": [
        {
          "ruleId": "root-user",
          "severity": "error",
          "message": "The final stage runs as root.",
          "line": 1,
          "column": 1,
          "endLine": 1,
          "endColumn": 10,
          "fix": {
            "line": 1,
            "endLine": 1,
            "replacement": ""
          },
          "fingerprint": "0123456789abcdef0123456789abcdef"
        }
      ]
    },
    {
      "dockerfile": "clean/Dockerfile",
      "findings": []
    },
    {
      "dockerfile": "web/Dockerfile",
      "findings": [
        {
          "ruleId": "root-user",
          "severity": "error",
          "message": "The final stage runs as root.",
          "line": 2,
          "column": 5,
          "endLine": 3,
          "endColumn": 12,
          "fingerprint": "bbbb2222bbbb2222bbbb2222bbbb2222"
        },
        {
          "ruleId": "apt-no-recommends",
          "severity": "info",
          "message": "Add --no-install-recommends.",
          "line": 2,
          "column": 5,
          "endLine": 3,
          "endColumn": 12,
          "hadolint": "DL3015",
          "fix": {
            "line": 2,
            "endLine": 3,
            "replacement": "RUN apt-get install --no-install-recommends -y curl",
            "description": "Add the flag"
          },
          "fingerprint": "aaaa1111aaaa1111aaaa1111aaaa1111"
        },
        {
          "ruleId": "setuid-binary",
          "severity": "warning",
          "message": "usr/bin/passwd is setuid root.",
          "line": 4,
          "column": 1,
          "endLine": 4,
          "endColumn": 21,
          "fingerprint": "ffff0000ffff0000ffff0000ffff0000",
          "path": "/usr/bin/passwd",
          "layer": "sha256:aaaa",
          "inherited": false
        }
      ]
    }
  ],
  "summary": {
    "error": 2,
    "warning": 1,
    "info": 1
  }
}
`;
    assert.equal(toJson(input), expected);
  });

  test('does not reorder the caller\'s arrays', () => {
    const a = finding('x', { line: 9 });
    const b = finding('x', { line: 1 });
    const input = report([
      { dockerfile: 'z', findings: [] },
      { dockerfile: 'x', findings: [a, b] },
    ]);
    toJson(input);
    assert.deepEqual(
      input.results.map((r) => r.dockerfile),
      ['z', 'x'],
    );
    assert.equal(input.results[1].findings[0], a);
  });

  test('odd characters in paths and messages are escaped as JSON requires, and nothing more', () => {
    const path = 'my dir/100% #1/\u00fcber\\Dockerfile';
    const out = toJson(
      report([
        {
          dockerfile: path,
          findings: [
            finding(path, {
              message: 'quote " backslash \\ tab \t newline \n bell \u0007 line-sep \u2028 emoji \u{1F433} lone \ud800',
              path: '/opt/\u65e5\u672c/a b',
            }),
          ],
        },
      ]),
    );
    assert.equal(
      out.split('\n').filter((l) => /"(dockerfile|message|path)"/.test(l)).join('\n'),
      [
        '      "dockerfile": "my dir/100% #1/\u00fcber\\\\Dockerfile",',
        '          "message": "quote \\" backslash \\\\ tab \\t newline \\n bell \\u0007 line-sep \u2028 emoji \u{1F433} lone \\ud800",',
        '          "path": "/opt/\u65e5\u672c/a b"',
      ].join('\n'),
    );
    const back = parseJsonReport(out, 'odd.json');
    assert.equal(back.results[0].dockerfile, path);
    assert.equal(back.results[0].findings[0].path, '/opt/\u65e5\u672c/a b');
  });
});

describe('parseJsonReport', () => {
  const full = report([
    {
      dockerfile: 'b/Dockerfile',
      findings: [
        finding('b/Dockerfile', {
          ruleId: 'apt-no-recommends',
          severity: 'info',
          hadolint: 'DL3015',
          fix: { line: 1, endLine: 2, replacement: 'RUN true', description: 'd' },
          line: 1,
          endLine: 2,
        }),
        finding('b/Dockerfile', { ruleId: 'setuid-binary', severity: 'warning', path: '/bin/su', layer: 'sha256:1', inherited: true, line: 3, endLine: 3 }),
      ],
    },
    { dockerfile: 'a/Dockerfile', findings: [finding('a/Dockerfile')] },
    { dockerfile: 'c/Dockerfile', findings: [] },
  ]);

  test('reads back what toJson wrote: the same findings, with file set from the result', () => {
    const parsed = parseJsonReport(toJson(full), 'report.json');
    assert.deepEqual(parsed, {
      version: 1,
      results: [
        { dockerfile: 'a/Dockerfile', findings: [full.results[1].findings[0]] },
        { dockerfile: 'b/Dockerfile', findings: full.results[0].findings },
        { dockerfile: 'c/Dockerfile', findings: [] },
      ],
      summary: { error: 1, warning: 1, info: 1 },
    });
  });

  test('accepts a leading byte-order mark and compact JSON', () => {
    const doc = JSON.stringify(JSON.parse(toJson(full)));
    assert.deepEqual(parseJsonReport(`\uFEFF${doc}`, 'r.json'), parseJsonReport(toJson(full), 'r.json'));
  });

  test('not JSON: names the source', () => {
    assert.throws(() => parseJsonReport('{"version": 1,', 'artifact/report.json'), (e: Error) => {
      assert.match(e.message, /^artifact\/report\.json: not valid JSON: /);
      return true;
    });
    assert.throws(() => parseJsonReport('', 'empty.json'), /^Error: empty\.json: not valid JSON: /);
  });

  // Each case edits a valid document (the JSON of `full`, whose results are a/, b/, c/) and names the first problem.
  type Doc = {
    version?: unknown;
    results: Array<{ dockerfile?: unknown; findings: Array<Record<string, unknown>> } & Record<string, unknown>>;
    summary: Record<string, unknown>;
  } & Record<string, unknown>;
  const cases: Array<[string, (d: Doc) => unknown, string]> = [
    ['top level is not an object', () => [], '(root): expected an object, got an array'],
    ['version missing', (d) => void delete d.version, 'version: missing (expected 1)'],
    ['version as a string', (d) => void (d.version = '1'), 'version: expected 1, got the string "1"'],
    ['a newer version', (d) => void (d.version = 2), 'version: this Defang reads version 1, the document is version 2'],
    ['results not an array', (d) => void ((d as Record<string, unknown>).results = {}), 'results: expected an array, got an object'],
    ['result not an object', (d) => void ((d.results as unknown[])[1] = 'x'), 'results[1]: expected an object, got the string "x"'],
    ['dockerfile empty', (d) => void (d.results[2].dockerfile = ''), 'results[2].dockerfile: expected a non-empty string, got the string ""'],
    ['findings missing', (d) => void delete (d.results[0] as Record<string, unknown>).findings, 'results[0].findings: missing (expected an array)'],
    ['line zero', (d) => void (d.results[1].findings[0].line = 0), 'results[1].findings[0].line: expected a positive integer, got 0'],
    ['line fractional', (d) => void (d.results[0].findings[0].line = 1.5), 'results[0].findings[0].line: expected a positive integer, got 1.5'],
    ['column as a string', (d) => void (d.results[0].findings[0].column = '3'), 'results[0].findings[0].column: expected a positive integer, got the string "3"'],
    ['column null', (d) => void (d.results[0].findings[0].column = null), 'results[0].findings[0].column: expected a positive integer, got null'],
    ['severity unknown', (d) => void (d.results[1].findings[1].severity = 'fatal'), 'results[1].findings[1].severity: expected "error", "warning" or "info", got the string "fatal"'],
    ['ruleId missing', (d) => void delete d.results[0].findings[0].ruleId, 'results[0].findings[0].ruleId: missing (expected a non-empty string)'],
    ['message not a string', (d) => void (d.results[0].findings[0].message = ['a']), 'results[0].findings[0].message: expected a string, got an array'],
    ['endLine before line', (d) => void (d.results[1].findings[1].endLine = 2), "results[1].findings[1].endLine: expected an integer ≥ 3 (the finding's line), got 2"],
    [
      'endColumn before column on one line',
      (d) => void Object.assign(d.results[0].findings[0], { column: 5, endColumn: 4 }),
      "results[0].findings[0].endColumn: expected an integer ≥ 5 (the finding's column, on the same line), got 4",
    ],
    ['hadolint code malformed', (d) => void (d.results[1].findings[0].hadolint = 'dl3015'), 'results[1].findings[0].hadolint: expected a hadolint code like "DL3008" or "SC2086", got the string "dl3015"'],
    ['fix not an object', (d) => void (d.results[1].findings[0].fix = true), 'results[1].findings[0].fix: expected an object, got true'],
    ['fix endLine before line', (d) => void ((d.results[1].findings[0].fix as Record<string, unknown>).endLine = 0), 'results[1].findings[0].fix.endLine: expected a positive integer, got 0'],
    [
      'fix ends before it starts',
      (d) => void Object.assign(d.results[1].findings[0].fix as object, { line: 3, endLine: 2 }),
      "results[1].findings[0].fix.endLine: expected an integer ≥ 3 (the fix's line), got 2",
    ],
    ['fix replacement missing', (d) => void delete (d.results[1].findings[0].fix as Record<string, unknown>).replacement, 'results[1].findings[0].fix.replacement: missing (expected a string)'],
    ['fix with an unknown key', (d) => void ((d.results[1].findings[0].fix as Record<string, unknown>).column = 1), 'results[1].findings[0].fix.column: unexpected key (allowed: line, endLine, replacement, description)'],
    ['fingerprint empty', (d) => void (d.results[0].findings[0].fingerprint = ''), 'results[0].findings[0].fingerprint: expected a non-empty string, got the string ""'],
    ['inherited not a boolean', (d) => void (d.results[1].findings[1].inherited = 'yes'), 'results[1].findings[1].inherited: expected true or false, got the string "yes"'],
    [
      'a finding with a key the format does not define',
      (d) => void (d.results[0].findings[0].file = 'a/Dockerfile'),
      'results[0].findings[0].file: unexpected key (allowed: ruleId, severity, message, line, column, endLine, endColumn, hadolint, fix, fingerprint, path, layer, inherited)',
    ],
    ['an odd unknown key is quoted', (d) => void (d.results[2]['my key'] = 1), 'results[2]["my key"]: unexpected key (allowed: dockerfile, findings)'],
    ['unknown top-level key', (d) => void (d.tool = 'x'), 'tool: unexpected key (allowed: version, results, summary)'],
    ['summary missing', (d) => void delete (d as Record<string, unknown>).summary, 'summary: missing (expected an object)'],
    ['summary negative', (d) => void (d.summary.info = -1), 'summary.info: expected a non-negative integer, got -1'],
    ['summary disagrees with the findings', (d) => void (d.summary.error = 2), 'summary.error: is 2, but the results hold 1 error finding'],
    ['summary count too low', (d) => void (d.summary.warning = 0), 'summary.warning: is 0, but the results hold 1 warning finding'],
  ];

  for (const [name, edit, message] of cases) {
    test(`rejects: ${name}`, () => {
      const doc = JSON.parse(toJson(full)) as Doc;
      const replaced = edit(doc);
      const text = JSON.stringify(replaced === undefined ? doc : replaced);
      assert.throws(
        () => parseJsonReport(text, 'report.json'),
        (e: unknown) => {
          assert.ok(e instanceof Error);
          assert.equal(e.message, `report.json: ${message}`);
          return true;
        },
      );
    });
  }

  test('reports the first problem in document order', () => {
    const doc = JSON.parse(toJson(full)) as Doc;
    doc.results[0].findings[0].line = -1;
    doc.results[1].findings[0].severity = 'bad';
    doc.summary.error = 9;
    assert.throws(() => parseJsonReport(JSON.stringify(doc), 'r.json'), {
      message: 'r.json: results[0].findings[0].line: expected a positive integer, got -1',
    });
  });

  test('the summary counts are checked with their plural', () => {
    const doc = JSON.parse(toJson(report([{ dockerfile: 'D', findings: [finding('D'), finding('D', { line: 2, endLine: 2 })] }]))) as Doc;
    doc.summary.error = 1;
    assert.throws(() => parseJsonReport(JSON.stringify(doc), 'r.json'), {
      message: 'r.json: summary.error: is 1, but the results hold 2 error findings',
    });
  });
});

describe('docs/json-format.md', () => {
  test('its example is a valid document exactly as toJson writes it', () => {
    const doc = readFileSync(new URL('../../docs/json-format.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example, 'the doc has a json example');
    const parsed = parseJsonReport(example, 'docs/json-format.md');
    assert.equal(toJson({ results: parsed.results }), example);
  });
});
