import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoSlot } from './memo.ts';

test('a memo slot keeps one value per owner, outside the owner’s value', () => {
  const slot = memoSlot<{ n: number }, string[]>('test');
  const other = memoSlot<{ n: number }, string[]>('other');
  const a = { n: 1 };
  const b = { n: 1 };
  assert.equal(slot.get(a), undefined);
  const v = slot.set(a, ['x']);
  assert.equal(slot.get(a), v);
  assert.equal(slot.get(b), undefined);
  assert.equal(other.get(a), undefined, 'slots do not share values');
  slot.set(a, ['y']);
  assert.deepEqual(slot.get(a), ['y']);
  // Not part of the object's value: comparisons, JSON and spreads do not see it.
  assert.deepEqual(a, b);
  assert.equal(JSON.stringify(a), '{"n":1}');
  assert.deepEqual(Object.keys({ ...a }), ['n']);
  assert.equal(slot.get({ ...a } as { n: number }), undefined);
});
