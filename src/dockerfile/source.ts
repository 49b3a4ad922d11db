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
    this.lines = this.lineStarts.map((start, i) => {
      const end = i + 1 < this.lineStarts.length ? this.lineStarts[i + 1] : text.length;
      return text.slice(start, end).replace(/\r?\n$|\r$/, '');
    });
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
 * Built piece by piece; positions of derived offsets map back exactly.
 */
export class MappedText {
  text = '';
  protected readonly origins: number[] = [];
  readonly source: SourceFile;

  constructor(source: SourceFile) {
    this.source = source;
  }

  /** Append source text [start, end) unchanged. */
  appendSource(start: number, end: number): void {
    for (let i = start; i < end; i++) this.origins.push(i);
    this.text += this.source.text.slice(start, end);
  }

  /** Append synthetic text that stands at source offset `at` (e.g. a newline joining two pieces). */
  appendSynthetic(text: string, at: number): void {
    for (let i = 0; i < text.length; i++) this.origins.push(at);
    this.text += text;
  }

  /** Source offset of derived offset `i` (the end maps one past the last character's origin). */
  originOf(i: number): number {
    if (this.origins.length === 0) return 0;
    if (i < this.origins.length) return this.origins[i];
    return this.origins[this.origins.length - 1] + 1;
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
    out.text = this.text.slice(start, end);
    for (let i = start; i < end; i++) out.origins.push(this.origins[i]);
    return out;
  }

  /** A copy without the tabs at the start of each line (a `<<-` heredoc body as the shell reads it). */
  stripLeadingTabs(): MappedText {
    const out = new MappedText(this.source);
    let lineStart = true;
    for (let i = 0; i < this.text.length; i++) {
      const ch = this.text[i];
      if (lineStart && ch === '\t') continue;
      lineStart = ch === '\n';
      out.text += ch;
      out.origins.push(this.origins[i]);
    }
    return out;
  }

  get length(): number {
    return this.text.length;
  }
}
