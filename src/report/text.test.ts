import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../findings.ts';
import { summaryLine, toText, visible } from './text.ts';
import { finding as baseFinding } from './testing.ts';
import type { Report } from './types.ts';

/** A root-user error in `file` (the shared builder with this file's defaults). */
function finding(file: string, over: Partial<Finding> = {}): Finding {
  return baseFinding({ ruleId: 'root-user', severity: 'error', message: 'The final stage runs as root.', file, endColumn: 10, fingerprint: 'f0', ...over });
}

function report(results: Report['results']): Report {
  return { results, rules: [] };
}

const several = report([
  {
    dockerfile: 'web/Dockerfile',
    findings: [
      finding('web/Dockerfile', { ruleId: 'setuid-binary', severity: 'warning', message: 'bin/su is setuid root.', line: 7, column: 1 }),
      finding('web/Dockerfile', {
        ruleId: 'apt-no-recommends',
        severity: 'info',
        message: 'Add --no-install-recommends.',
        line: 3,
        column: 5,
        endLine: 3,
        endColumn: 40,
        hadolint: 'DL3015',
      }),
    ],
  },
  { dockerfile: 'clean/Dockerfile', findings: [] },
  { dockerfile: 'api/Dockerfile', findings: [finding('api/Dockerfile', { line: 12, column: 1, endLine: 12 })] },
]);

describe('toText', () => {
  test('several files: one line per finding, grouped by file in path order, then the summary', () => {
    assert.equal(
      toText(several, { color: false }),
      [
        'api/Dockerfile:12:1 error root-user: The final stage runs as root.',
        '',
        'web/Dockerfile:3:5 info apt-no-recommends (DL3015): Add --no-install-recommends.',
        'web/Dockerfile:7:1 warning setuid-binary: bin/su is setuid root.',
        '',
        '1 error, 1 warning, 1 info in 3 files',
        '',
      ].join('\n'),
    );
  });

  test('findings of one file at one place: most severe first, then rule id', () => {
    const out = toText(
      report([
        {
          dockerfile: 'Dockerfile',
          findings: [
            finding('Dockerfile', { ruleId: 'b-rule', severity: 'info', message: 'b' }),
            finding('Dockerfile', { ruleId: 'c-rule', severity: 'error', message: 'c' }),
            finding('Dockerfile', { ruleId: 'a-rule', severity: 'info', message: 'a' }),
          ],
        },
      ]),
      { color: false },
    );
    assert.equal(
      out,
      'Dockerfile:1:1 error c-rule: c\nDockerfile:1:1 info a-rule: a\nDockerfile:1:1 info b-rule: b\n\n1 error, 0 warnings, 2 infos in 1 file\n',
    );
  });

  test('no findings', () => {
    assert.equal(toText(report([]), { color: false }), 'No problems found in 0 files.\n');
    assert.equal(toText(report([{ dockerfile: 'Dockerfile', findings: [] }]), { color: false }), 'No problems found in 1 file.\n');
    assert.equal(
      toText(
        report([
          { dockerfile: 'a/Dockerfile', findings: [] },
          { dockerfile: 'b/Dockerfile', findings: [] },
        ]),
        { color: false },
      ),
      'No problems found in 2 files.\n',
    );
  });

  test('colour: location bold, severity coloured, rule dim, summary coloured by the worst severity', () => {
    assert.equal(
      toText(several, { color: true }),
      [
        '\u001b[1mapi/Dockerfile:12:1\u001b[22m \u001b[31merror\u001b[39m \u001b[2mroot-user\u001b[22m: The final stage runs as root.',
        '',
        '\u001b[1mweb/Dockerfile:3:5\u001b[22m \u001b[36minfo\u001b[39m \u001b[2mapt-no-recommends (DL3015)\u001b[22m: Add --no-install-recommends.',
        '\u001b[1mweb/Dockerfile:7:1\u001b[22m \u001b[33mwarning\u001b[39m \u001b[2msetuid-binary\u001b[22m: bin/su is setuid root.',
        '',
        '\u001b[1m\u001b[31m1 error, 1 warning, 1 info in 3 files\u001b[39m\u001b[22m',
        '',
      ].join('\n'),
    );
    const warningsOnly = report([{ dockerfile: 'D', findings: [finding('D', { severity: 'warning', ruleId: 'w' })] }]);
    assert.equal(
      toText(warningsOnly, { color: true }),
      '\u001b[1mD:1:1\u001b[22m \u001b[33mwarning\u001b[39m \u001b[2mw\u001b[22m: The final stage runs as root.\n\n\u001b[1m\u001b[33m0 errors, 1 warning, 0 infos in 1 file\u001b[39m\u001b[22m\n',
    );
    const infoOnly = report([{ dockerfile: 'D', findings: [finding('D', { severity: 'info', ruleId: 'i', message: 'm' })] }]);
    assert.equal(
      toText(infoOnly, { color: true }),
      '\u001b[1mD:1:1\u001b[22m \u001b[36minfo\u001b[39m \u001b[2mi\u001b[22m: m\n\n\u001b[1m\u001b[36m0 errors, 0 warnings, 1 info in 1 file\u001b[39m\u001b[22m\n',
    );
    assert.equal(toText(report([{ dockerfile: 'D', findings: [] }]), { color: true }), '\u001b[32mNo problems found in 1 file.\u001b[39m\n');
  });

  test('without colour there is no escape character at all', () => {
    assert.equal(toText(several, { color: false }).includes('\u001b'), false);
  });

  test('odd characters: spaces, unicode, %, # and backslashes are printed as they are', () => {
    const path = 'my dir/100% #1/\u00fcber\\Dockerfile.\u65e5\u672c';
    assert.equal(
      toText(report([{ dockerfile: path, findings: [finding(path, { message: 'Use "50%" of C:\\temp #now \u{1F433}' })] }]), {
        color: false,
      }),
      'my dir/100% #1/\u00fcber\\Dockerfile.\u65e5\u672c:1:1 error root-user: Use "50%" of C:\\temp #now \u{1F433}\n\n1 error, 0 warnings, 0 infos in 1 file\n',
    );
  });

  test('control and bidi-override characters are shown as escapes, so each finding stays one safe line', () => {
    const path = 'evil\u001b[2J/Docker\u202efile';
    const out = toText(
      report([
        {
          dockerfile: path,
          findings: [finding(path, { message: 'line one\nline two\r\tend\u0000\u007f\u0085 \u2067x\u2069', ruleId: 'r\u0007' })],
        },
      ]),
      { color: true },
    );
    assert.equal(
      out,
      '\u001b[1mevil\\x1b[2J/Docker\\u202efile:1:1\u001b[22m \u001b[31merror\u001b[39m \u001b[2mr\\x07\u001b[22m: line one\\nline two\\r\\tend\\x00\\x7f\\x85 \\u2067x\\u2069\n\n\u001b[1m\u001b[31m1 error, 0 warnings, 0 infos in 1 file\u001b[39m\u001b[22m\n',
    );
  });

  test('a file listed twice counts once', () => {
    assert.equal(
      summaryLine(
        report([
          { dockerfile: 'Dockerfile', findings: [] },
          { dockerfile: 'Dockerfile', findings: [] },
        ]),
      ),
      'No problems found in 1 file.',
    );
  });
});

describe('summaryLine', () => {
  test('singular and plural of every count', () => {
    const counts = (e: number, w: number, i: number, files: number): string => {
      const findings = [
        ...Array.from({ length: e }, (_, n) => finding('D', { line: n + 1, endLine: n + 1 })),
        ...Array.from({ length: w }, (_, n) => finding('D', { severity: 'warning', line: n + 1, endLine: n + 1 })),
        ...Array.from({ length: i }, (_, n) => finding('D', { severity: 'info', line: n + 1, endLine: n + 1 })),
      ];
      const results = [{ dockerfile: 'D', findings }, ...Array.from({ length: files - 1 }, (_, n) => ({ dockerfile: `F${n}`, findings: [] }))];
      return summaryLine(report(results));
    };
    assert.equal(counts(1, 1, 1, 1), '1 error, 1 warning, 1 info in 1 file');
    assert.equal(counts(2, 0, 3, 2), '2 errors, 0 warnings, 3 infos in 2 files');
    assert.equal(counts(0, 12, 0, 5), '0 errors, 12 warnings, 0 infos in 5 files');
  });
});

describe('visible', () => {
  test('leaves printable text alone and escapes the rest', () => {
    assert.equal(visible('plain \u00e9\u65e5 \\ % #'), 'plain \u00e9\u65e5 \\ % #');
    assert.equal(visible('\u0001\u001f\u009f\u202a\u202d'), '\\x01\\x1f\\x9f\\u202a\\u202d');
  });
});
