/**
 * The one contract every part shares: what a finding is, how severe it is, how it is identified across runs,
 * and in what order findings are shown.
 */

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Higher is more severe. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

export function isSeverity(value: unknown): value is Severity {
  return value === 'error' || value === 'warning' || value === 'info';
}

/** True when `severity` is at or above `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/**
 * A position span in a file. Lines and columns are 1-based; `endColumn` is exclusive (the column after the last
 * character), as in SARIF. A span that covers whole lines has column 1 and endColumn one past the last line's length.
 */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A suggested fix: replace the whole lines `line`..`endLine` (1-based, inclusive) with `replacement`. */
export interface Fix {
  line: number;
  endLine: number;
  /** The new text of those lines, without a trailing newline. May be empty (delete the lines). */
  replacement: string;
  /** A short description of the change, shown next to the suggestion. */
  description?: string;
}

export interface Finding extends Span {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Path of the Dockerfile, relative to the repository root (or as given on the command line), with `/` separators. */
  file: string;
  /** The equivalent hadolint code (DLxxxx or SCxxxx), when one exists. */
  hadolint?: string;
  fix?: Fix;
  /** Stable identity: unchanged when lines above the finding move. */
  fingerprint: string;
  /** Image findings: the path inside the image. */
  path?: string;
  /** Image findings: the digest of the layer that introduced the finding. */
  layer?: string;
  /** Image findings: true when the finding comes from the base image (reported on the FROM line). */
  inherited?: boolean;
}

/** A finding before it is placed in a file and fingerprinted: what a rule returns. */
export type FindingDraft = Omit<Finding, 'fingerprint' | 'file'>;

const SPACE_RUNS = /\s+/g;

/** Whitespace runs folded to one space, ends trimmed. */
function normaliseLine(text: string): string {
  // Most lines are already folded: printable ASCII with single inner spaces. Return those as they are.
  let prevSpace = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) return text.replace(SPACE_RUNS, ' ').trim();
      prevSpace = true;
    } else if (c < 32 || c > 126) {
      return text.replace(SPACE_RUNS, ' ').trim();
    } else prevSpace = false;
  }
  return prevSpace && text.length > 0 ? text.replace(SPACE_RUNS, ' ').trim() : text;
}

/**
 * Give every finding of one file a fingerprint: a hash of the rule, the file, the text of the lines the finding
 * covers (whitespace folded), its columns, the path inside the image (image findings), and its ordinal among findings
 * with the same key. Line numbers and the message are not part of it, so a finding keeps its fingerprint when lines
 * above it move or when a measured value in its message (bytes, counts) changes.
 */
export function fingerprintAll(file: string, lines: readonly string[], drafts: readonly FindingDraft[]): Finding[] {
  const byText = new Map<string, Map<string, number>>();
  const withNul = new Map<string, number>();
  const ordered = drafts.slice().sort(compareSpans);
  // Findings often share lines and whole ranges (a RUN): fold each line's whitespace once, join each range once.
  const folded: Array<string | undefined> = [];
  const ranges = new Map<number, string>();
  const out: Finding[] = new Array(ordered.length);
  for (let k = 0; k < ordered.length; k++) {
    const d = ordered[k];
    const from = Math.max(0, d.line - 1);
    const to = Math.min(lines.length, Math.max(d.line, d.endLine));
    const range = from * 0x100000000 + Math.max(to, 0);
    let text = ranges.get(range);
    if (text === undefined) {
      text = '';
      for (let i = from; i < to; i++) {
        let line = folded[i];
        if (line === undefined) folded[i] = line = normaliseLine(lines[i]);
        text = i === from ? line : text + '\n' + line;
      }
      ranges.set(range, text);
    }
    // The key: rule, file, text, columns and path, each followed by NUL. The message is left out: some carry
    // measured values (bytes, counts) that change from run to run.
    const columns = `${d.column}:${d.endColumn}`;
    const path = d.path ?? '';
    // The ordinal among findings with the same key. Keys are counted by their parts (the text first, whose hash
    // the range's string keeps) rather than as one joined string; that is the same count as long as no part holds
    // a NUL (a key whose parts hold none cannot equal one whose parts do: it has fewer NULs), so parts with a NUL
    // are counted by the joined key, apart.
    let n: number;
    if (file.includes('\u0000') || text.includes('\u0000') || path.includes('\u0000') || d.ruleId.includes('\u0000')) {
      const key = `${d.ruleId}\u0000${file}\u0000${text}\u0000${columns}\u0000${path}`;
      n = withNul.get(key) ?? 0;
      withNul.set(key, n + 1);
    } else {
      let byRest = byText.get(text);
      if (!byRest) byText.set(text, (byRest = new Map()));
      const rest = `${d.ruleId}\u0000${columns}\u0000${path}`;
      n = byRest.get(rest) ?? 0;
      byRest.set(rest, n + 1);
    }
    const fingerprint = hashParts([d.ruleId, file, text, columns, path, String(n)]);
    out[k] = { ...d, file, fingerprint };
  }
  return out;
}

/**
 * A 128-bit hash as 32 hex digits: four 32-bit FNV-1a style lanes with different seeds and a final mix. Not
 * cryptographic (fingerprints only need to be stable and not collide by accident), and many times cheaper than
 * SHA-256 for the thousands of findings of a large run.
 */
export function hash128(text: string): string {
  return hashParts([text]);
}

/** `hash128(parts.join('\u0000'))`, without building the joined string. */
function hashParts(parts: readonly string[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x9e3779b9;
  let h3 = 0x85ebca6b;
  let h4 = 0xc2b2ae35;
  for (let p = 0; p < parts.length; p++) {
    if (p > 0) {
      h1 = Math.imul(h1, 0x01000193);
      h2 = Math.imul(h2, 0x5bd1e995);
      h3 = Math.imul(h3, 0x27d4eb2d);
      h4 = Math.imul(h4, 0x165667b1);
    }
    const part = parts[p];
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h3 = Math.imul(h3 ^ c, 0x27d4eb2d);
      h4 = Math.imul(h4 ^ c, 0x165667b1);
    }
  }
  return mix(h1 ^ h4, 1) + mix(h2 ^ h1, 2) + mix(h3 ^ h2, 3) + mix(h4 ^ h3, 4);
}

/** Two hex digits for each byte value. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The final avalanche of one lane, as 8 hex digits. */
function mix(h: number, k: number): string {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b ^ k);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return HEX_BYTE[(h >>> 24) & 255] + HEX_BYTE[(h >>> 16) & 255] + HEX_BYTE[(h >>> 8) & 255] + HEX_BYTE[h & 255];
}

export function compareSpans(a: Span, b: Span): number {
  return a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn;
}

/** File order, then position, then most severe first, then rule id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    compareSpans(a, b) ||
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/** Most severe first; ties by file order and position. */
export function compareBySeverity(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || compareFindings(a, b);
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
