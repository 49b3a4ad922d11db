import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, Severity } from '../findings.ts';
import {
  annotationPosition,
  annotationTitle,
  emitAnnotations,
  logLine,
  planAnnotations,
  type AnnotationSink,
} from './annotations.ts';
import { finding } from './testing.ts';
import type { Report } from './types.ts';


function report(...findings: Finding[]): Pick<Report, 'results'> {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  return { results: [...byFile].map(([dockerfile, fs]) => ({ dockerfile, findings: fs })) };
}

function many(n: number, severity: Severity, file = 'Dockerfile'): Finding[] {
  return Array.from({ length: n }, (_, i) => finding({ severity, file, line: i + 1, ruleId: `${severity}-rule` }));
}

const docs = (id: string) => `https://docs.example.test/${id}.md`;

describe('planAnnotations', () => {
  test('most severe first, with level, title, file, lines and one-line columns', () => {
    const plan = planAnnotations(
      report(
        finding({ severity: 'info', line: 2, column: 3, endColumn: 9, ruleId: 'label-maintainer', message: 'Use a label.' }),
        finding({ severity: 'error', line: 9, endLine: 11, column: 1, endColumn: 4, ruleId: 'curl-pipe-shell', message: 'Piped.' }),
        finding({ severity: 'warning', file: 'a/Dockerfile', line: 4, column: 6, endColumn: 12, ruleId: 'unpinned-base-image', hadolint: 'DL3006', message: 'No tag.' }),
      ),
    );
    assert.deepEqual(plan, {
      leftOut: [],
      annotations: [
        { level: 'error', message: 'Piped.', properties: { title: 'curl-pipe-shell', file: 'Dockerfile', startLine: 9, endLine: 11 } },
        {
          level: 'warning',
          message: 'No tag.',
          properties: { title: 'unpinned-base-image (DL3006)', file: 'a/Dockerfile', startLine: 4, endLine: 4, startColumn: 6, endColumn: 11 },
        },
        {
          level: 'notice',
          message: 'Use a label.',
          properties: { title: 'label-maintainer', file: 'Dockerfile', startLine: 2, endLine: 2, startColumn: 3, endColumn: 8 },
        },
      ],
    });
  });

  test('image findings name the path, the layer and the base image', () => {
    const plan = planAnnotations(
      report(finding({ severity: 'error', message: 'Setuid binary.', path: '/usr/bin/su', layer: 'sha256:abc', inherited: true })),
    );
    assert.equal(plan.annotations[0]?.message, 'Setuid binary.\npath in the image: /usr/bin/su; layer sha256:abc; inherited from the base image');
  });

  test('at most 10 of a type; the rest is left out and counted in a final notice', () => {
    const plan = planAnnotations(report(...many(15, 'error'), ...many(3, 'warning', 'b/Dockerfile')));
    assert.deepEqual(
      plan.annotations.map((a) => a.level),
      [...Array(10).fill('error'), 'warning', 'warning', 'warning', 'notice'],
    );
    assert.deepEqual(plan.annotations.slice(0, 10).map((a) => a.properties.startLine), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(plan.leftOut.map((f) => f.line), [11, 12, 13, 14, 15]);
    assert.deepEqual(plan.annotations.at(-1), {
      level: 'notice',
      message: '5 more findings (5 errors) are not shown as annotations: GitHub shows at most 10 of each type per step. The step log lists every finding.',
      properties: { title: 'Defang: more findings' },
    });
  });

  test('the overflow notice takes the last notice slot', () => {
    const plan = planAnnotations(report(...many(12, 'info'), ...many(1, 'error', 'z/Dockerfile')), { seeAlso: 'See the job summary.' });
    assert.deepEqual(plan.annotations.map((a) => a.level), ['error', ...Array(9).fill('notice'), 'notice']);
    assert.deepEqual(plan.leftOut.map((f) => f.line), [10, 11, 12]);
    assert.equal(
      plan.annotations.at(-1)?.message,
      '3 more findings (3 infos) are not shown as annotations: GitHub shows at most 10 of each type per step. See the job summary.',
    );
    // Exactly 10 notices fit without an overflow notice.
    const exact = planAnnotations(report(...many(10, 'info')));
    assert.equal(exact.annotations.length, 10);
    assert.equal(exact.leftOut.length, 0);
  });

  test('a smaller quota leaves room for other notices of the step', () => {
    const plan = planAnnotations(report(...many(3, 'warning')), { perType: 2 });
    assert.deepEqual(plan.annotations.map((a) => a.level), ['warning', 'warning', 'notice']);
    assert.match(plan.annotations[2]!.message, /^1 more finding \(1 warning\) is not shown as annotations: GitHub shows at most 2 of each/);
    assert.throws(() => planAnnotations(report(), { perType: 0 }), /perType must be a positive integer, got 0/);
  });

  test('an empty message falls back to the rule id', () => {
    assert.equal(planAnnotations(report(finding({ message: '  ', ruleId: 'r1' }))).annotations[0]?.message, 'r1');
  });

  test('no findings, no annotations', () => {
    assert.deepEqual(planAnnotations(report()), { annotations: [], leftOut: [] });
  });
});

describe('positions and titles', () => {
  test('lines raised to 1, end never before start, columns only on one line, end column inclusive', () => {
    assert.deepEqual(annotationPosition(finding({ line: 0, endLine: 0, column: 0, endColumn: 0 })), {
      startLine: 1,
      endLine: 1,
      startColumn: 1,
      endColumn: 1,
    });
    assert.deepEqual(annotationPosition(finding({ line: 5, endLine: 3 })), { startLine: 5, endLine: 5, startColumn: 1, endColumn: 4 });
    assert.deepEqual(annotationPosition(finding({ line: 5, endLine: 6, column: 2, endColumn: 3 })), { startLine: 5, endLine: 6 });
  });

  test('titles are cut at 255 characters', () => {
    assert.equal(annotationTitle(finding({ ruleId: 'r', hadolint: 'SC2086' })), 'r (SC2086)');
    const long = annotationTitle(finding({ ruleId: 'x'.repeat(300) }));
    assert.equal([...long].length, 255);
    assert.ok(long.endsWith('x…'));
  });
});

describe('emitAnnotations', () => {
  test('calls core in order: annotations, left-out findings as log lines, the overflow notice last', () => {
    const calls: string[] = [];
    const sink: AnnotationSink = {
      error: (m, p) => calls.push(`error ${p?.startLine} ${m}`),
      warning: (m, p) => calls.push(`warning ${p?.startLine} ${m}`),
      notice: (m, p) => calls.push(`notice ${p?.title} ${m}`),
      info: (m) => calls.push(`info ${m}`),
    };
    const plan = emitAnnotations(report(...many(11, 'error')), { docsUrl: docs }, sink);
    assert.equal(plan.leftOut.length, 1);
    assert.deepEqual(calls, [
      ...Array.from({ length: 10 }, (_, i) => `error ${i + 1} A message.`),
      'info Defang: 1 finding not shown as annotations:',
      'info   Dockerfile:11:1 error error-rule: A message. (https://docs.example.test/error-rule.md)',
      'notice Defang: more findings 1 more finding (1 error) is not shown as annotations: GitHub shows at most 10 of each type per step. The step log lists every finding.',
    ]);
  });

  test('through @actions/core, a hostile message or path stays inside one workflow command', () => {
    const hostile = finding({
      severity: 'error',
      file: 'evil,file=x:y%0A/Dockerfile',
      message: 'bad\n::set-output name=pwned::1\r\n::add-mask::x 100%',
      ruleId: 'r',
      hadolint: 'DL1:2,3',
    });
    const written: string[] = [];
    const original = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      emitAnnotations(report(hostile));
    } finally {
      process.stdout.write = original;
    }
    const lines = written.join('').split(/\r?\n/).filter(Boolean);
    assert.deepEqual(lines, [
      '::error title=r (DL1%3A2%2C3),file=evil%2Cfile=x%3Ay%250A/Dockerfile,line=1,endLine=1,col=1,endColumn=4::' +
        'bad%0A::set-output name=pwned::1%0D%0A::add-mask::x 100%25',
    ]);
  });

  test('a left-out finding\'s log line is one line that cannot start a command', () => {
    const line = logLine(finding({ file: '::error::x', message: 'a\n::warning::b\u001b[2J', path: '/p\nq', inherited: true }), docs);
    assert.equal(line, '  ::error::x:1:1 warning some-rule: a\\n::warning::b\\x1b[2J [/p\\nq, inherited from the base image] (https://docs.example.test/some-rule.md)');
    assert.ok(!line.includes('\n'));
    assert.ok(line.startsWith('  '));
  });
});
