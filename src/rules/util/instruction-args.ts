/**
 * Reading instruction arguments the way BuildKit does, with exact positions: words split on unquoted whitespace
 * (quotes and escapes kept, as BuildKit's `parseWords` keeps them), `KEY=value` pairs of ENV and LABEL (both forms,
 * with the raw value, its offsets, and why BuildKit would reject the instruction, which the model's properties do not
 * give), quote removal without expansion, variable references with their offsets, and line helpers for fixes.
 */
import type { Span } from '../../findings.ts';
import type { DockerfileModel, Instruction } from '../../dockerfile/model.ts';
import { isNameChar, isNameStart, isSpaceCode } from '../../dockerfile/chars.ts';
import { expandVariables } from '../../dockerfile/vars.ts';
import { memoSlot } from './memo.ts';

/** A word of an instruction's argument text; offsets are into `inst.argsText.text`. */
export interface ArgWord {
  /** As written: quotes and escape characters kept. */
  raw: string;
  start: number;
  end: number;
}

/**
 * Split an argument text into words as BuildKit's `parseWords` does: whitespace outside quotes separates words; the
 * escape character keeps the next character in the word (and inside double quotes); nothing is removed.
 */
export function argWords(text: string, escape: string): ArgWord[] {
  const words: ArgWord[] = [];
  const n = text.length;
  // Character codes: the escape character (NaN for an empty one, which never matches), quotes; 0 outside quotes.
  const esc = escape.length === 1 ? escape.charCodeAt(0) : NaN;
  const DQ = 34;
  const SQ = 39;
  let i = 0;
  while (i < n) {
    while (i < n && isSpaceCode(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let quote = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (quote === 0) {
        if (isSpaceCode(c)) break;
        if (c === esc) {
          if (i + 1 >= n) break; // an escape at the very end (a continuation at end of file) is dropped
          i += 2;
          continue;
        }
        if (c === DQ || c === SQ) quote = c;
        i++;
        continue;
      }
      if (c === esc && quote !== SQ) {
        i += 2;
        continue;
      }
      if (c === quote) quote = 0;
      i++;
    }
    const end = Math.min(i, n);
    if (end > start) words.push({ raw: text.slice(start, end), start, end });
    else i++;
  }
  return words;
}

/**
 * Remove quotes and escape characters as the build does, without substituting variables (`$X` stays as written).
 * Inside single quotes everything is literal; inside double quotes the escape character protects `"`, `$`, and
 * itself; outside quotes it protects any character.
 */
export function unquote(raw: string, escape: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else out += c;
      continue;
    }
    if (c === escape && i + 1 < raw.length) {
      const next = raw[i + 1];
      if (quote === '"' && next !== '"' && next !== '$' && next !== escape) {
        out += c;
        continue;
      }
      out += next;
      i++;
      continue;
    }
    if (c === '"') {
      quote = quote === '"' ? null : '"';
      continue;
    }
    if (c === "'" && quote === null) {
      quote = "'";
      continue;
    }
    out += c;
  }
  return out;
}

/** A variable reference (`$NAME`, `${NAME}`, `${NAME:-x}`) in a raw text, outside single quotes. */
export interface VariableRef {
  name: string;
  /** Offsets of the whole reference (`$NAME` or `${NAME…}`); for an unclosed `${` the end is the name's end. */
  start: number;
  end: number;
}

/** Every variable reference in a raw instruction text, including those nested in `${A:-$B}` defaults. */
export function variableRefs(raw: string, escape: string): VariableRef[] {
  const out: VariableRef[] = [];
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      continue;
    }
    if (c === escape) {
      i++;
      continue;
    }
    if (c === '"') {
      quote = quote === '"' ? null : '"';
      continue;
    }
    if (c === "'" && quote === null) {
      quote = "'";
      continue;
    }
    if (c !== '$') continue;
    if (isNameStart(raw.charCodeAt(i + 1))) {
      let j = i + 1;
      while (j < raw.length && isNameChar(raw.charCodeAt(j))) j++;
      out.push({ name: raw.slice(i + 1, j), start: i, end: j });
      i = j - 1;
      continue;
    }
    if (raw[i + 1] === '{' && isNameStart(raw.charCodeAt(i + 2))) {
      let j = i + 2;
      while (j < raw.length && isNameChar(raw.charCodeAt(j))) j++;
      const name = raw.slice(i + 2, j);
      // The end of the reference: the matching brace (nested ${…} in the modifier counted).
      let depth = 1;
      let k = j;
      while (k < raw.length && depth > 0) {
        if (raw[k] === escape) {
          k += 2;
          continue;
        }
        if (raw[k] === '$' && raw[k + 1] === '{') {
          depth++;
          k += 2;
          continue;
        }
        if (raw[k] === '}') depth--;
        k++;
      }
      out.push({ name, start: i, end: depth === 0 ? k : j });
      // Continue inside the modifier, so `${A:-$B}` also yields B.
      i = j - 1;
    }
  }
  return out;
}

/** One `KEY=value` (or legacy `KEY value`) of ENV or LABEL, with offsets into `inst.argsText.text`. */
export interface KeyValue {
  /** The key with quotes and escapes removed, variables not substituted. */
  key: string;
  rawKey: string;
  /** The value as written (quotes kept); empty string for `KEY=`. */
  rawValue: string;
  /** The value with quotes removed and the variables known at this point substituted. */
  value: string;
  /** Variables the value references that have no value here: `value` is not what the build will see. */
  missing: string[];
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  /** `ENV KEY value with spaces` (no `=`). */
  legacy: boolean;
}

export interface KeyValueParse {
  pairs: KeyValue[];
  /** Why BuildKit would reject the instruction (a sentence), with the offending range; null when it parses. */
  error: { message: string; start: number; end: number } | null;
}

const keyValuesOf = memoSlot<Instruction, { escape: string; parsed: KeyValueParse }>('key=value pairs');

/**
 * Parse ENV or LABEL arguments as BuildKit's `parseNameVal` does. Parsed once per instruction (several rules read the
 * same pairs): the result is shared, so callers must not change it.
 */
export function parseKeyValues(inst: Instruction, escape: string): KeyValueParse {
  const known = keyValuesOf.get(inst);
  if (known && known.escape === escape) return known.parsed;
  const parsed = parseKeyValuesOnce(inst, escape);
  keyValuesOf.set(inst, { escape, parsed });
  return parsed;
}

function parseKeyValuesOnce(inst: Instruction, escape: string): KeyValueParse {
  const text = inst.argsText.text;
  const kw = inst.keyword;
  const words = argWords(text, escape);
  const pairs: KeyValue[] = [];
  if (words.length === 0) return { pairs, error: { message: `${kw} needs at least one KEY=value: the build fails.`, start: 0, end: 0 } };
  const options = { escape, removeQuotes: true };
  if (!words[0].raw.includes('=')) {
    // Legacy form: the first word is the key, the rest of the text the value.
    const first = words[0];
    if (words.length < 2) {
      return { pairs, error: { message: `${kw} ${first.raw} has no value: the build fails; write ${kw} ${first.raw}=<value> (or ${kw} ${first.raw}= for an empty one).`, start: first.start, end: first.end } };
    }
    const valueStart = words[1].start;
    const valueEnd = text.trimEnd().length;
    const rawValue = text.slice(valueStart, valueEnd);
    const e = expandVariables(rawValue, inst.lookup, options);
    pairs.push({
      key: unquote(first.raw, escape),
      rawKey: first.raw,
      rawValue,
      value: e.value,
      missing: e.missing,
      keyStart: first.start,
      keyEnd: first.end,
      valueStart,
      valueEnd,
      legacy: true,
    });
    return { pairs, error: null };
  }
  for (const w of words) {
    const eq = w.raw.indexOf('=');
    if (eq < 0) {
      const why = w.raw.startsWith('#')
        ? '"#" starts a comment only at the beginning of a line, so put the comment on a line of its own'
        : 'when one argument is KEY=value, all must be';
      return { pairs, error: { message: `${kw} argument "${w.raw}" has no "=": the build fails; ${why}.`, start: w.start, end: w.end } };
    }
    const rawKey = w.raw.slice(0, eq);
    const rawValue = w.raw.slice(eq + 1);
    if (rawKey === '') {
      return { pairs, error: { message: `${kw} name is blank in "${w.raw}": the build fails.`, start: w.start, end: w.end } };
    }
    const e = expandVariables(rawValue, inst.lookup, options);
    pairs.push({
      key: unquote(rawKey, escape),
      rawKey,
      rawValue,
      value: e.value,
      missing: e.missing,
      keyStart: w.start,
      keyEnd: w.start + eq,
      valueStart: w.start + eq + 1,
      valueEnd: w.end,
      legacy: false,
    });
  }
  return { pairs, error: null };
}

/** The span in the Dockerfile of argument-text offsets [start, end) of an instruction. */
export function argSpan(inst: Instruction, start: number, end: number): Span {
  return inst.argsText.spanOf(start, end);
}

/** The span of the whole argument text (trimmed), or the keyword when there are no arguments. */
export function argsSpan(inst: Instruction): Span {
  const t = inst.argsText.text;
  if (t.trim() === '') return inst.keywordSpan;
  const start = t.length - t.trimStart().length;
  return inst.argsText.spanOf(start, t.trimEnd().length);
}

/** The offset in the file of a 1-based line and column. */
export function offsetOf(model: DockerfileModel, line: number, column: number): number {
  return (model.source.lineStarts[line - 1] ?? model.source.text.length) + column - 1;
}

/** The span of an instruction's first physical line, from its keyword to the end of that line. */
export function firstLineSpan(model: DockerfileModel, inst: Instruction): Span {
  const start = inst.onbuild ? inst.onbuild.keywordSpan : inst.keywordSpan;
  const line = model.source.lines[start.line - 1] ?? '';
  return { line: start.line, column: start.column, endLine: start.line, endColumn: line.trimEnd().length + 1 };
}

/** The leading whitespace of a line (1-based). */
export function indentOf(model: DockerfileModel, line: number): string {
  return /^[ \t]*/.exec(model.source.lines[line - 1] ?? '')![0];
}

/** The instruction a finding about `inst` should attach line-wise fixes to: the ONBUILD for a trigger. */
export function outerInstruction(inst: Instruction): Instruction {
  return inst.onbuild ?? inst;
}
