import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerfile } from '../../dockerfile/parse.ts';
import { argWords, parseKeyValues, unquote, variableRefs } from './instruction-args.ts';

test('argWords splits like BuildKit: quotes and escapes kept, escaped spaces join', () => {
  assert.deepEqual(
    argWords(`a "b c" d\\ e 'f "g' \\`, '\\').map((w) => [w.raw, w.start, w.end]),
    [
      ['a', 0, 1],
      ['"b c"', 2, 7],
      ['d\\ e', 8, 12],
      [`'f "g'`, 13, 19],
    ],
  );
  assert.deepEqual(argWords('x`  y', '`').map((w) => w.raw), ['x` ', 'y']);
  assert.deepEqual(argWords('   ', '\\'), []);
});

test('unquote removes quotes and escapes but keeps variables', () => {
  assert.equal(unquote(`"a \\"b\\" $C" 'd $E' f\\ g`, '\\'), 'a "b" $C d $E f g');
  assert.equal(unquote('"C:\\x"', '\\'), 'C:\\x');
  assert.equal(unquote('"a `"b`""', '`'), 'a "b"');
});

test('variableRefs finds references outside single quotes, nested defaults included', () => {
  assert.deepEqual(
    variableRefs(`$A "\${B:-$C}" '$D' \\$E \${F`, '\\').map((r) => [r.name, r.start, r.end]),
    [
      ['A', 0, 2],
      ['B', 4, 12],
      ['C', 9, 11],
      ['F', 23, 26],
    ],
  );
});

test('parseKeyValues: both forms, spans into the argument text, expansion, and errors', () => {
  const model = parseDockerfile('FROM a\nARG V=1\nENV A="x y" B=$V C= \\\n  D=${NOPE}\nENV OLD some value\nLABEL a=1 b\nONBUILD LABEL k=v\n', 'Dockerfile');
  const [env, legacy, label, trigger] = [model.all[2], model.all[3], model.all[4], model.all[6]];
  assert.equal(trigger.onbuild?.keyword, 'ONBUILD');
  const parsed = parseKeyValues(env, model.escape);
  assert.equal(parsed.error, null);
  assert.deepEqual(
    parsed.pairs.map((p) => [p.key, p.rawValue, p.value, p.missing, env.argsText.text.slice(p.keyStart, p.keyEnd)]),
    [
      ['A', '"x y"', 'x y', [], 'A'],
      ['B', '$V', '1', [], 'B'],
      ['C', '', '', [], 'C'],
      ['D', '${NOPE}', '', ['NOPE'], 'D'],
    ],
  );
  const d = parsed.pairs[3];
  assert.deepEqual(env.argsText.spanOf(d.valueStart, d.valueEnd), { line: 4, column: 5, endLine: 4, endColumn: 12 });
  assert.deepEqual(
    parseKeyValues(legacy, model.escape).pairs.map((p) => [p.key, p.rawValue, p.legacy]),
    [['OLD', 'some value', true]],
  );
  const bad = parseKeyValues(label, model.escape);
  assert.equal(bad.pairs.length, 1);
  assert.match(bad.error?.message ?? '', /^LABEL argument "b" has no "=": the build fails/);
  assert.deepEqual(parseKeyValues(trigger, model.escape).pairs.map((p) => p.key), ['k']);
});

test('argWords splits on Unicode white space as BuildKit sees it through \\s', () => {
  assert.deepEqual(argWords('a\u00a0b\u3000c\td', '\\').map((w) => w.raw), ['a', 'b', 'c', 'd']);
});

test('parseKeyValues reads an instruction once and hands every caller the same result', () => {
  const model = parseDockerfile('FROM alpine\nENV A=1 B=$A\n', 'Dockerfile');
  const env = model.all[1];
  const first = parseKeyValues(env, model.escape);
  assert.equal(parseKeyValues(env, model.escape), first);
  assert.deepEqual(first.pairs.map((p) => [p.key, p.value]), [['A', '1'], ['B', '']]);
});

test('argWords: escapes inside quotes, single quotes keep the escape literal, a backtick escape', () => {
  assert.deepEqual(argWords(`"a \\" b" 'c \\' d`, '\\').map((w) => w.raw), [`"a \\" b"`, `'c \\'`, 'd']);
  assert.deepEqual(argWords('a`"b c`', '`').map((w) => [w.raw, w.start, w.end]), [['a`"b', 0, 4], ['c', 5, 6]]);
  assert.deepEqual(argWords('x\\', '\\').map((w) => w.raw), ['x']);
  assert.deepEqual(argWords('"open quote runs to the end', '\\').map((w) => w.raw), ['"open quote runs to the end']);
});
