import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandVariables, referencedVariables } from './vars.ts';

const vars: Record<string, string> = { A: 'alpha', EMPTY: '', V: '1.2.3' };
const lookup = (n: string) => vars[n];

test('expands the forms BuildKit supports', () => {
  const cases: Array<[string, string, string[]]> = [
    ['$A', 'alpha', []],
    ['${A}-x', 'alpha-x', []],
    ['img:${V}', 'img:1.2.3', []],
    ['${MISSING:-def}', 'def', []],
    ['${EMPTY:-def}', 'def', []],
    ['${EMPTY-def}', '', []],
    ['${A:+set}', 'set', []],
    ['${MISSING:+set}', '', []],
    ['${A+set}', 'set', []],
    ['${EMPTY:+set}', '', []],
    ['${MISSING:-${A}}', 'alpha', []],
    ['${V#1.}', '2.3', []],
    ['${V%.3}', '1.2', []],
    ['$MISSING/x', '/x', ['MISSING']],
    ['${MISSING}', '', ['MISSING']],
    ['a$', 'a$', []],
    ['$1', '$1', []],
  ];
  for (const [input, value, missing] of cases) {
    const r = expandVariables(input, lookup);
    assert.equal(r.value, value, input);
    assert.deepEqual(r.missing, missing, input);
  }
});

test('the escape character and single quotes keep text literal', () => {
  assert.equal(expandVariables('\\$A', lookup, { removeQuotes: true }).value, '$A');
  assert.equal(expandVariables('`$A', lookup, { escape: '`', removeQuotes: true }).value, '$A');
  assert.equal(expandVariables("'$A'", lookup, { removeQuotes: true }).value, '$A');
  assert.equal(expandVariables('"$A b"', lookup, { removeQuotes: true }).value, 'alpha b');
  assert.equal(expandVariables('"$A b"', lookup).value, '"alpha b"');
});

test('lists referenced names', () => {
  assert.deepEqual(referencedVariables('${A}:$B-${C:-x} $A'), ['A', 'B', 'C']);
});

test('a text without $, quotes or the escape character expands to itself, and one with them is read', () => {
  const asked: string[] = [];
  const look = (name: string) => {
    asked.push(name);
    return name === 'V' ? 'x' : undefined;
  };
  for (const raw of ['/usr/local/bin', 'a b\tc', 'key=value', '~/x,y;z', '', 'ü/ß']) {
    for (const removeQuotes of [true, false]) assert.deepEqual(expandVariables(raw, look, { escape: '\\', removeQuotes }), { value: raw, missing: [] });
  }
  assert.deepEqual(asked, []);
  assert.deepEqual(['$V', 'a"b"', "'q'", 'a\\$V'].map((raw) => expandVariables(raw, look, { escape: '\\', removeQuotes: true }).value), ['x', 'ab', 'q', 'a$V']);
  assert.equal(expandVariables('C:\\dir', look, { escape: '`', removeQuotes: true }).value, 'C:\\dir');
  assert.equal(expandVariables('a`$b', look, { escape: '`', removeQuotes: true }).value, 'a$b');
});
