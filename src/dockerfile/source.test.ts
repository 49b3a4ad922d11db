import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MappedText, SourceFile } from './source.ts';

test('SourceFile: lines and positions with LF, CRLF and CR', () => {
  const f = new SourceFile('ab\r\ncd\nef\rg');
  assert.deepEqual(f.lines, ['ab', 'cd', 'ef', 'g']);
  assert.deepEqual(f.positionAt(0), { line: 1, column: 1 });
  assert.deepEqual(f.positionAt(4), { line: 2, column: 1 });
  assert.deepEqual(f.positionAt(10), { line: 4, column: 1 });
  assert.deepEqual(f.spanOf(4, 6), { line: 2, column: 1, endLine: 2, endColumn: 3 });
});

test('MappedText maps every derived offset back, through runs, synthetic text and slices', () => {
  const f = new SourceFile('RUN a \\\n  b\nX');
  const m = new MappedText(f);
  m.appendSource(4, 6); // "a "
  m.appendSource(10, 11); // "b"
  m.appendSynthetic('\n', 11);
  m.appendSource(12, 13); // "X"
  assert.equal(m.text, 'a b\nX');
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => m.originOf(i)), [4, 5, 10, 11, 12]);
  assert.equal(m.originOf(5), 13, 'the end maps one past the last character');
  assert.deepEqual(m.spanOf(2, 3), { line: 2, column: 3, endLine: 2, endColumn: 4 });
  const s = m.slice(1, 4);
  assert.equal(s.text, ' b\n');
  assert.deepEqual([0, 1, 2].map((i) => s.originOf(i)), [5, 10, 11]);
});

test('MappedText merges adjacent source runs and strips leading tabs for <<-', () => {
  const f = new SourceFile('\techo a\n\t\techo b\n');
  const m = new MappedText(f);
  m.appendSource(0, 8);
  m.appendSource(8, f.text.length);
  const t = m.stripLeadingTabs();
  assert.equal(t.text, 'echo a\necho b\n');
  assert.equal(t.originOf(0), 1);
  assert.equal(t.originOf(7), 10);
  assert.deepEqual(t.spanOf(7, 11), { line: 2, column: 3, endLine: 2, endColumn: 7 });
});
