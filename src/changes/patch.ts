/**
 * The new (right) side of a unified diff, as GitHub returns it in a diff entry's `patch`: hunks only, no file
 * headers.
 */

export interface PatchRanges {
  /** Right-side line numbers of the `+` lines, ascending. */
  added: number[];
  /**
   * Right-side line ranges `[start, end]` (inclusive) the hunks cover, context and added lines alike: the lines
   * GitHub accepts review comments on. Ascending; a hunk that only deletes lines covers none.
   */
  hunks: Array<[start: number, end: number]>;
}

/** A patch that is not a well-formed set of unified diff hunks. `line` is 1-based within the patch text. */
export class PatchParseError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`patch line ${line}: ${message}`);
    this.name = 'PatchParseError';
    this.line = line;
  }
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Reads the right-side line numbers out of a unified diff's hunks. Handles `\ No newline at end of file`, counts
 * left out of the header (`@@ -1 +1 @@` means one line), empty patches, and CRLF content. Throws PatchParseError,
 * naming the patch line, when the hunks do not add up.
 */
export function parsePatch(patch: string): PatchRanges {
  const added: number[] = [];
  const hunks: Array<[number, number]> = [];
  const lines = patch.split('\n');
  // A final newline leaves one empty string behind; it is not a line of the diff.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();

  let i = 0;
  while (i < lines.length) {
    const header = lines[i] as string;
    const headerLine = i + 1;
    const m = HUNK_HEADER.exec(header);
    if (!m) throw new PatchParseError(headerLine, `expected a hunk header such as "@@ -1,2 +1,3 @@", got ${quote(header)}`);
    let oldLeft = m[2] === undefined ? 1 : Number(m[2]);
    let newLeft = m[4] === undefined ? 1 : Number(m[4]);
    const newStart = Number(m[3]);
    if (newLeft > 0) {
      if (newStart < 1) throw new PatchParseError(headerLine, `hunk header ${quote(header)} starts the new side at line 0`);
      hunks.push([newStart, newStart + newLeft - 1]);
    }
    let next = newStart;
    i++;
    while (i < lines.length && (oldLeft > 0 || newLeft > 0 || (lines[i] as string).startsWith('\\'))) {
      const line = lines[i] as string;
      const kind = line[0];
      if (kind === '\\') {
        // "\ No newline at end of file": about the line before; not a line of either side.
      } else if (kind === '+') {
        if (newLeft === 0) throw tooMany(i + 1, header, '+');
        added.push(next++);
        newLeft--;
      } else if (kind === '-') {
        if (oldLeft === 0) throw tooMany(i + 1, header, '-');
        oldLeft--;
      } else if (kind === ' ' || line === '') {
        // Context; an empty line is a context line whose leading space was trimmed away.
        if (oldLeft === 0 || newLeft === 0) throw tooMany(i + 1, header, 'context');
        next++;
        oldLeft--;
        newLeft--;
      } else if (HUNK_HEADER.test(line)) {
        throw new PatchParseError(i + 1, `a new hunk starts before the hunk ${quote(header)} (line ${headerLine}) has all its lines: ${missing(oldLeft, newLeft)}`);
      } else {
        throw new PatchParseError(i + 1, `expected a line starting with " ", "+", "-" or "\\", got ${quote(line)}`);
      }
      i++;
    }
    if (oldLeft > 0 || newLeft > 0) {
      throw new PatchParseError(headerLine, `the patch ends before the hunk ${quote(header)} has all its lines: ${missing(oldLeft, newLeft)}`);
    }
  }
  hunks.sort((a, b) => a[0] - b[0]);
  added.sort((a, b) => a - b);
  return { added, hunks };
}

function tooMany(line: number, header: string, kind: string): PatchParseError {
  return new PatchParseError(line, `one ${kind} line more than the hunk header ${quote(header)} announces`);
}

function missing(oldLeft: number, newLeft: number): string {
  return `${oldLeft} old-side and ${newLeft} new-side line(s) missing`;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
