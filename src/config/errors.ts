/**
 * The error every configuration problem becomes, and the "did you mean" helper its messages use.
 */

export interface ConfigErrorPosition {
  /** The config file (relative to the workspace), or a pseudo-file such as `input build-args`. */
  file: string;
  /** 1-based; 0 when unknown. */
  line: number;
  /** 1-based; 0 when unknown. */
  column: number;
  /** The dotted key the problem is under, e.g. `rules.root-user` or `overrides[0].files`. */
  key?: string;
}

/**
 * A configuration problem, placed as precisely as possible. The message reads
 * `.github/defang.yml:12:3: rules.root-user: expected one of error, warning, info, off, got "fatal"`; the parts that
 * are unknown (line 0, column 0, no key) are left out.
 */
export class ConfigError extends Error {
  file: string;
  line: number;
  column: number;
  key?: string;
  /** The message without the `file:line:column: key: ` prefix. */
  reason: string;

  constructor(position: ConfigErrorPosition, reason: string) {
    super(formatLocated(position, reason));
    this.name = 'ConfigError';
    this.file = position.file;
    this.line = position.line;
    this.column = position.column;
    if (position.key !== undefined) this.key = position.key;
    this.reason = reason;
  }
}

/** `file:line:column: key: text`, leaving out what is unknown. Also used for notices. */
export function formatLocated(position: ConfigErrorPosition, text: string): string {
  let where = position.file;
  if (position.line > 0) {
    where += `:${position.line}`;
    if (position.column > 0) where += `:${position.column}`;
  }
  return position.key ? `${where}: ${position.key}: ${text}` : `${where}: ${text}`;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  for (let i = 0; i < rows; i++) d[i]![0] = i;
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `input` (compared case-insensitively), when it is close enough to be a likely typo:
 * within a third of its length in edits (at least one), or when one is a prefix of the other (3+ characters).
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const hay = candidate.toLowerCase();
    let score = editDistance(needle, hay);
    const limit = Math.max(1, Math.floor(Math.max(needle.length, hay.length) / 3));
    if (score > limit) {
      const prefix = needle.length >= 3 && (hay.startsWith(needle) || needle.startsWith(hay));
      if (!prefix) continue;
      // A prefix match ranks after any genuine near-miss.
      score = limit + 0.5;
    }
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** `; did you mean "x"?` or the empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const hit = closest(input, candidates);
  return hit === undefined ? '' : `; did you mean "${hit}"?`;
}

/**
 * Sets an own, enumerable property, so that a key such as `__proto__` from a config file is stored as data rather
 * than replacing the object's prototype.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
