import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atLeast, compareBySeverity, countBySeverity, fingerprintAll, hash128, type FindingDraft } from './findings.ts';

const draft = (line: number, ruleId = 'r', message = 'm'): FindingDraft => ({ ruleId, severity: 'warning', message, line, column: 1, endLine: line, endColumn: 2 });

test('hash128: 32 hex digits, deterministic, sensitive to every character', () => {
  const a = hash128('rule\u0000Dockerfile\u0000RUN x');
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.equal(hash128('rule\u0000Dockerfile\u0000RUN x'), a);
  const seen = new Set<string>();
  for (let i = 0; i < 20000; i++) seen.add(hash128(`finding ${i}`));
  assert.equal(seen.size, 20000, 'no collisions among 20,000 near-identical keys');
  assert.notEqual(hash128('ab'), hash128('ba'));
});

test('fingerprints ignore line numbers and whitespace, not the text or the rule', () => {
  const lines1 = ['FROM a', 'RUN  x   y'];
  const lines2 = ['# new', '', 'FROM a', 'RUN x y'];
  const [f1] = fingerprintAll('Dockerfile', lines1, [draft(2)]);
  const [f2] = fingerprintAll('Dockerfile', lines2, [draft(4)]);
  assert.equal(f1.fingerprint, f2.fingerprint);
  const [other] = fingerprintAll('Dockerfile', ['FROM a', 'RUN x z'], [draft(2)]);
  assert.notEqual(other.fingerprint, f1.fingerprint);
  const [otherRule] = fingerprintAll('Dockerfile', lines1, [draft(2, 'other')]);
  assert.notEqual(otherRule.fingerprint, f1.fingerprint);
  const [otherFile] = fingerprintAll('x/Dockerfile', lines1, [draft(2)]);
  assert.notEqual(otherFile.fingerprint, f1.fingerprint);
});

test('severity helpers', () => {
  assert.ok(atLeast('error', 'warning'));
  assert.ok(!atLeast('info', 'warning'));
  const fs = fingerprintAll('D', ['a', 'b'], [{ ...draft(1), severity: 'info' }, { ...draft(2), severity: 'error' }]);
  assert.deepEqual([...fs].sort(compareBySeverity).map((f) => f.severity), ['error', 'info']);
  assert.deepEqual(countBySeverity(fs), { error: 1, warning: 0, info: 1 });
});

test('hash128 and fingerprints keep their exact values (stored fingerprints stay valid across versions)', () => {
  assert.equal(hash128(''), '3747d3ea3fbb04d44893f29ca00955e5');
  assert.equal(hash128('a'), '00a65a6f8c5c82e3b883c19609ad0e38');
  assert.equal(hash128('x'.repeat(1000)), '659222646745fa00d35f8c28c7d5944e');
  assert.equal(hash128('rule\u0000Dockerfile\u0000RUN x\u00000'), '04b43186db9918f7399bfd166e14f2ce');
  // The fingerprint of a finding is the hash of its key and its ordinal among findings with the same key.
  const [f, g] = fingerprintAll('Dockerfile', ['FROM a', 'RUN   x'], [{ ...draft(2, 'rule'), column: 1, endColumn: 2 }, draft(2, 'rule')]);
  assert.equal(f.fingerprint, hash128('rule\u0000Dockerfile\u0000RUN x\u00001:2\u0000\u00000'));
  assert.equal(g.fingerprint, hash128('rule\u0000Dockerfile\u0000RUN x\u00001:2\u0000\u00001'));
});

test('a finding that spans lines hashes the folded text of each line, joined by newlines', () => {
  const lines = ['FROM a', 'RUN a \\', '    &&   b', 'CMD c'];
  const [f] = fingerprintAll('d/Dockerfile', lines, [{ ...draft(2), endLine: 3, endColumn: 9 }]);
  assert.equal(f.fingerprint, hash128('r\u0000d/Dockerfile\u0000RUN a \\\n&& b\u00001:9\u0000\u00000'));
  assert.equal(f.file, 'd/Dockerfile');
  // A span past the end of the file keeps the lines that exist.
  const [past] = fingerprintAll('d/Dockerfile', lines, [{ ...draft(4), endLine: 9 }]);
  assert.equal(past.fingerprint, hash128('r\u0000d/Dockerfile\u0000CMD c\u00001:2\u0000\u00000'));
});

test('whitespace is folded the same whatever its kind: tabs, runs, ends, Unicode spaces', () => {
  const fp = (line: string) => fingerprintAll('Dockerfile', [line], [draft(1)])[0].fingerprint;
  const plain = fp('RUN a b');
  for (const variant of ['RUN a b', ' RUN a b', 'RUN a b ', 'RUN\ta  b', 'RUN\u00a0a\u3000b', '\tRUN a\r\n b']) assert.equal(fp(variant), plain, JSON.stringify(variant));
  assert.notEqual(fp('RUN ab'), plain);
  assert.notEqual(fp('RUN a\u0001b'), plain);
  assert.equal(fp(''), fp('   '));
});

test('ordinals count findings with the same key, also when the text holds NUL characters', () => {
  const lines = ['RUN a\u0000b', 'RUN a\u0000b', 'RUN x', 'RUN x'];
  const got = fingerprintAll('Dockerfile', lines, [draft(1), draft(2), draft(3), draft(4), draft(3, 'other')]);
  const expect = (text: string, n: number, rule = 'r') => hash128(`${rule}\u0000Dockerfile\u0000${text}\u00001:2\u0000\u0000${n}`);
  assert.deepEqual(
    got.map((f) => f.fingerprint),
    [expect('RUN a\u0000b', 0), expect('RUN a\u0000b', 1), expect('RUN x', 0), expect('RUN x', 0, 'other'), expect('RUN x', 1)],
  );
});
