import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isUnsafeWorldWritable, modeEffect } from './file-modes.ts';

describe('modeEffect', () => {
  test('octal', () => {
    assert.deepEqual(modeEffect('777'), { worldWritable: true, sticky: false });
    assert.deepEqual(modeEffect('0755'), { worldWritable: false, sticky: false });
    assert.deepEqual(modeEffect('1777'), { worldWritable: true, sticky: true });
    assert.deepEqual(modeEffect('01777'), { worldWritable: true, sticky: true });
    assert.deepEqual(modeEffect('662'), { worldWritable: true, sticky: false });
    assert.equal(modeEffect('17777'), null);
    assert.equal(modeEffect('8'), null);
  });
  test('symbolic', () => {
    assert.deepEqual(modeEffect('a+w'), { worldWritable: true, sticky: false });
    assert.deepEqual(modeEffect('go+rw'), { worldWritable: true, sticky: false });
    assert.deepEqual(modeEffect('o=rx'), { worldWritable: false, sticky: false });
    assert.deepEqual(modeEffect('a+w,o-w'), { worldWritable: false, sticky: false });
    assert.deepEqual(modeEffect('o+w,+t'), { worldWritable: true, sticky: true });
    assert.deepEqual(modeEffect('+w'), { worldWritable: false, sticky: false });
    assert.equal(modeEffect('--reference=x'), null);
    assert.equal(modeEffect('/srv'), null);
  });
  test('isUnsafeWorldWritable', () => {
    assert.equal(isUnsafeWorldWritable('666'), true);
    assert.equal(isUnsafeWorldWritable('1777'), false);
    assert.equal(isUnsafeWorldWritable('u+w'), false);
    assert.equal(isUnsafeWorldWritable('not-a-mode'), false);
    assert.equal(isUnsafeWorldWritable('a+w'), true);
    assert.equal(isUnsafeWorldWritable('o=rwx'), true);
    assert.equal(isUnsafeWorldWritable('go+rw,+t'), false);
    assert.equal(isUnsafeWorldWritable('+x'), false);
    assert.equal(isUnsafeWorldWritable('o='), false);
    assert.equal(isUnsafeWorldWritable('0002'), true);
  });
});
