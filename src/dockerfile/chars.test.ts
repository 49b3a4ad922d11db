import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isNameChar, isNameStart, isSpaceCode } from './chars.ts';

test('isSpaceCode agrees with the regular expression \\s on every UTF-16 code unit', () => {
  const differ: number[] = [];
  for (let c = 0; c <= 0xffff; c++) if (isSpaceCode(c) !== /\s/.test(String.fromCharCode(c))) differ.push(c);
  assert.deepEqual(differ, []);
  assert.equal(isSpaceCode(NaN), false);
});

test('name characters agree with [A-Za-z_] and [A-Za-z0-9_] on every code unit below 0x3000', () => {
  const differ: number[] = [];
  for (let c = 0; c < 0x3000; c++) {
    const ch = String.fromCharCode(c);
    if (isNameStart(c) !== /[A-Za-z_]/.test(ch) || isNameChar(c) !== /[A-Za-z0-9_]/.test(ch)) differ.push(c);
  }
  assert.deepEqual(differ, []);
  assert.equal(isNameStart(NaN) || isNameChar(NaN), false);
});
