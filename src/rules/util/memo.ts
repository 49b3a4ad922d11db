/**
 * A slot for data derived from a model or an instruction, computed once and kept on the object itself, so that it
 * lives exactly as long as the object.
 *
 * Why not a module-level WeakMap: V8's young-generation collector treats the values of WeakMap entries as reachable.
 * A value derived from a file's model points back to the model, so every model (and everything it holds) survived
 * each minor collection and was copied into the old generation, to be freed only by a full collection. Linting the
 * corpus (bench/lint-corpus.ts) promoted about 6 MB per minor collection that way.
 */
export interface MemoSlot<K extends object, V> {
  get(owner: K): V | undefined;
  set(owner: K, value: V): V;
}

export function memoSlot<K extends object, V>(name: string): MemoSlot<K, V> {
  const key = Symbol(name);
  return {
    get: (owner) => (owner as Record<symbol, V | undefined>)[key],
    set(owner, value) {
      // Not enumerable: the slot is not part of the object's value (deepEqual, JSON, spreads leave it out).
      Object.defineProperty(owner, key, { value, configurable: true, enumerable: false, writable: true });
      return value;
    },
  };
}
