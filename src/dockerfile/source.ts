/**
 * Text positions: a file's lines and offsets, and maps from a derived text (a RUN's joined script, a heredoc body)
 * back to exact positions in the Dockerfile.
 */
import type { Span } from '../findings.ts';

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in UTF-16 code units. */
  column: number;
}

/** The physical lines of a file and conversions between offsets and positions. */
export class SourceFile {
  readonly text: string;
  readonly lines: string[];
  /** Offset of each line's first character. */
  readonly lineStarts: number[];

  constructor(text: string) {
    this.text = text;
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
    const n = this.lineStarts.length;
    this.lines = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      let end = i + 1 < n ? this.lineStarts[i + 1] : text.length;
      // Without the line's terminator: \n, \r\n or \r.
      if (end > this.lineStarts[i] && text.charCodeAt(end - 1) === 10) end--;
      if (end > this.lineStarts[i] && text.charCodeAt(end - 1) === 13) end--;
      this.lines[i] = text.slice(this.lineStarts[i], end);
    }
  }

  /** Offset of a 0-based line and 0-based character, as dockerfile-ast reports them. */
  offsetAt(line0: number, char0: number): number {
    if (line0 >= this.lineStarts.length) return this.text.length;
    return Math.min(this.lineStarts[line0] + char0, this.text.length);
  }

  positionAt(offset: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  spanOf(start: number, end: number): Span {
    const a = this.positionAt(start);
    const b = this.positionAt(Math.max(start, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  /** The span of whole lines `line`..`endLine` (1-based). */
  lineSpan(line: number, endLine = line): Span {
    return { line, column: 1, endLine, endColumn: (this.lines[endLine - 1] ?? '').length + 1 };
  }
}

/**
 * A derived text together with, for each of its characters, the offset in the source file it came from.
 * Built piece by piece; positions of derived offsets map back exactly. The map is kept as runs (a piece of source
 * text, or synthetic text standing at one offset), not one number per character.
 */
export class MappedText {
  text = '';
  readonly source: SourceFile;
  /** Run i covers derived offsets [starts[i], starts[i+1]); it maps to origins[i] (+ the offset into the run unless synthetic). */
  private readonly starts: number[] = [];
  private readonly origins: number[] = [];
  private readonly synthetic: boolean[] = [];

  constructor(source: SourceFile) {
    this.source = source;
  }

  private push(origin: number, synthetic: boolean, length: number, text: string): void {
    if (length <= 0) return;
    const n = this.starts.length;
    // Extend the previous run when this piece continues it.
    if (!synthetic && n > 0 && !this.synthetic[n - 1] && this.origins[n - 1] + (this.text.length - this.starts[n - 1]) === origin) {
      this.text += text;
      return;
    }
    this.starts.push(this.text.length);
    this.origins.push(origin);
    this.synthetic.push(synthetic);
    this.text += text;
  }

  /** Append source text [start, end) unchanged. */
  appendSource(start: number, end: number): void {
    this.push(start, false, end - start, this.source.text.slice(start, end));
  }

  /** Append synthetic text that stands at source offset `at` (e.g. a newline joining two pieces). */
  appendSynthetic(text: string, at: number): void {
    this.push(at, true, text.length, text);
  }

  /** Source offset of derived offset `i` (the end maps one past the last character's origin). */
  originOf(i: number): number {
    const n = this.starts.length;
    if (n === 0) return 0;
    if (i >= this.text.length) return this.originOf(this.text.length - 1) + 1;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return this.synthetic[lo] ? this.origins[lo] : this.origins[lo] + (i - this.starts[lo]);
  }

  /** Span in the source of derived range [start, end). */
  spanOf(start: number, end: number): Span {
    const a = this.originOf(start);
    const b = end > start ? this.originOf(end - 1) + 1 : a;
    return this.source.spanOf(a, b);
  }

  /** A sub-text [start, end) of this one, keeping the mapping. */
  slice(start: number, end: number): MappedText {
    const out = new MappedText(this.source);
    let i = start;
    while (i < end) {
      const run = this.runAt(i);
      const runEnd = Math.min(end, run + 1 < this.starts.length ? this.starts[run + 1] : this.text.length);
      if (this.synthetic[run]) out.push(this.origins[run], true, runEnd - i, this.text.slice(i, runEnd));
      else out.push(this.origins[run] + (i - this.starts[run]), false, runEnd - i, this.text.slice(i, runEnd));
      i = runEnd;
    }
    return out;
  }

  private runAt(i: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** A copy without the tabs at the start of each line (a `<<-` heredoc body as the shell reads it). */
  stripLeadingTabs(): MappedText {
    const out = new MappedText(this.source);
    let lineStart = true;
    for (let i = 0; i < this.text.length; i++) {
      const ch = this.text[i];
      if (lineStart && ch === '\t') continue;
      lineStart = ch === '\n';
      const run = this.runAt(i);
      if (this.synthetic[run]) out.push(this.origins[run], true, 1, ch);
      else out.push(this.origins[run] + (i - this.starts[run]), false, 1, ch);
    }
    return out;
  }

  get length(): number {
    return this.text.length;
  }
}
