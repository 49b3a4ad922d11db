/**
 * A YAML file read with positions kept: every value knows its dotted key and where it was written, so every problem
 * becomes a ConfigError naming `file:line:column` and the key. Duplicate keys are checked here (with the line of the
 * first occurrence), not by the YAML parser, so that the message can name the key path.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import { ConfigError, didYouMean, formatLocated, setOwn } from './errors.ts';

/** A value in the file: its dotted key path, its node (aliases followed; null when absent), and where it is. */
export interface Located {
  path: string;
  node: Node | null;
  /** Offset into the source where the value's key (or, in a list, the value itself) was written. */
  offset: number;
}

/** One key of a map. */
export interface Entry extends Located {
  key: string;
  keyOffset: number;
}

export class YamlSource {
  /** The file's path as shown in messages (relative to the workspace). */
  readonly file: string;
  readonly notices: string[] = [];
  private readonly doc: Document;
  private readonly lines: LineCounter;

  constructor(file: string, text: string) {
    this.file = file;
    this.lines = new LineCounter();
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: false, prettyErrors: false });
    const first = this.doc.errors[0];
    if (first) {
      throw this.error(first.pos[0], undefined, `invalid YAML: ${lowerFirst(first.message)}`);
    }
    for (const warning of this.doc.warnings) {
      this.notices.push(this.locate(warning.pos[0], undefined, `YAML warning: ${lowerFirst(warning.message)}`));
    }
  }

  /** The document's top-level value (node null for an empty file). */
  root(): Located {
    const node = this.resolve(this.doc.contents as Node | null);
    return { path: '', node, offset: node?.range?.[0] ?? 0 };
  }

  position(offset: number): { line: number; column: number } {
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  error(offset: number, path: string | undefined, reason: string): ConfigError {
    const { line, column } = this.position(offset);
    return new ConfigError({ file: this.file, line, column, ...(path ? { key: path } : {}) }, reason);
  }

  /** A one-line `file:line:column: key: text` string for notices. */
  locate(offset: number, path: string | undefined, text: string): string {
    const { line, column } = this.position(offset);
    return formatLocated({ file: this.file, line, column, ...(path ? { key: path } : {}) }, text);
  }

  fail(at: Located, reason: string): never {
    throw this.error(at.offset, at.path || undefined, reason);
  }

  isNull(at: Located): boolean {
    return at.node === null || (isScalar(at.node) && at.node.value === null);
  }

  isMap(at: Located): boolean {
    return isMap(at.node);
  }

  isSeq(at: Located): boolean {
    return isSeq(at.node);
  }

  isScalar(at: Located): boolean {
    return isScalar(at.node) && at.node.value !== null;
  }

  /** The keys of a map, in order. Fails unless the value is a map (an empty value is an empty map). */
  entries(at: Located): Entry[] {
    if (this.isNull(at)) return [];
    const map = at.node;
    if (!isMap(map)) this.fail(at, `expected a map, got ${describe(at.node)}`);
    const seen = new Map<string, number>();
    const out: Entry[] = [];
    for (const pair of map.items) {
      const keyNode = this.resolve(pair.key as Node | null);
      const keyOffset = (pair.key as Node | null)?.range?.[0] ?? at.offset;
      if (!isScalar(keyNode) || keyNode.value === null || keyNode.value === undefined) {
        throw this.error(keyOffset, at.path || undefined, `keys must be plain strings, got ${describe(keyNode)}`);
      }
      const key = scalarText(keyNode);
      const path = at.path ? `${at.path}.${key}` : key;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        throw this.error(keyOffset, path, `duplicate key "${key}" (first given at line ${this.position(earlier).line})`);
      }
      seen.set(key, keyOffset);
      // Problems with a value are placed on its key: `rules.root-user` points at `root-user:`.
      out.push({ key, keyOffset, path, node: this.resolve(pair.value as Node | null), offset: keyOffset });
    }
    return out;
  }

  /** Fails with "unknown key" (and a suggestion) when `entry.key` is not one of `known`. */
  checkKey(entry: Entry, known: readonly string[], hints: Readonly<Record<string, string>> = {}): void {
    if (known.includes(entry.key)) return;
    const hint = hints[entry.key];
    const suffix = hint ? `; ${hint}` : didYouMean(entry.key, known);
    throw this.error(entry.keyOffset, entry.path, `unknown key "${entry.key}"${suffix}`);
  }

  /** The elements of a list. Fails unless the value is a list. */
  items(at: Located): Located[] {
    const seq = at.node;
    if (!isSeq(seq)) this.fail(at, `expected a list, got ${describe(at.node)}`);
    return seq.items.map((raw, i) => {
      const rawNode = raw as Node | null;
      return { path: `${at.path}[${i}]`, node: this.resolve(rawNode), offset: rawNode?.range?.[0] ?? at.offset };
    });
  }

  string(at: Located, what = 'a string'): string {
    const node = at.node;
    if (!isScalar(node) || typeof node.value !== 'string') this.fail(at, `expected ${what}, got ${describe(node)}`);
    return node.value;
  }

  /** A non-empty string with no surrounding whitespace left. */
  nonEmptyString(at: Located, what = 'a string'): string {
    const value = this.string(at, what).trim();
    if (value === '') this.fail(at, `expected ${what}, got an empty string`);
    return value;
  }

  boolean(at: Located): boolean {
    const node = at.node;
    if (!isScalar(node) || typeof node.value !== 'boolean') {
      this.fail(at, `expected true or false, got ${describe(node)}`);
    }
    return node.value;
  }

  oneOf<T extends string>(at: Located, allowed: readonly T[]): T {
    const node = at.node;
    if (isScalar(node) && typeof node.value === 'string' && (allowed as readonly string[]).includes(node.value)) {
      return node.value as T;
    }
    const suggestion = isScalar(node) && typeof node.value === 'string' ? didYouMean(node.value, allowed) : '';
    this.fail(at, `expected one of ${allowed.join(', ')}, got ${describe(node)}${suggestion}`);
  }

  /**
   * A list of non-empty strings; with `single`, one string is accepted as a list of one. `what` names one element,
   * e.g. `a glob`.
   */
  stringList(at: Located, what: string, options: { single?: boolean; nonEmpty?: boolean } = {}): string[] {
    if (options.single && isScalar(at.node) && typeof at.node.value === 'string') {
      return [this.nonEmptyString(at, what)];
    }
    if (!isSeq(at.node)) {
      const expected = options.single ? `${what} or a list of them` : `a list of ${plural(what)}`;
      this.fail(at, `expected ${expected}, got ${describe(at.node)}`);
    }
    const values = this.items(at).map((item) => this.nonEmptyString(item, what));
    if (options.nonEmpty && values.length === 0) this.fail(at, `expected at least one ${what.replace(/^an? /, '')}`);
    return values;
  }

  /** The value as plain data (maps → objects, lists → arrays), checking duplicate keys at every level. */
  toData(at: Located): unknown {
    const node = at.node;
    if (node === null) return null;
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const entry of this.entries(at)) setOwn(out, entry.key, this.toData(entry));
      return out;
    }
    if (isSeq(node)) return this.items(at).map((item) => this.toData(item));
    if (isScalar(node)) return node.value;
    this.fail(at, `unsupported value ${describe(node)}`);
  }

  private resolve(node: Node | null): Node | null {
    if (node && isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) throw this.error(node.range?.[0] ?? 0, undefined, `unknown alias *${node.source}`);
      return target as Node;
    }
    return node;
  }
}

/** The text of a scalar as written for plain numbers and booleans (so `1.10` stays `1.10`), else its value. */
export function scalarText(node: Node): string {
  if (!isScalar(node)) return '';
  const value = node.value;
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (node.type === 'PLAIN' && typeof node.source === 'string' && node.source !== '') return node.source;
  return String(value);
}

/** How a value reads in a message: `"text"`, `2`, `true`, `nothing`, `a map`, `a list`. */
export function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null || value === undefined) return 'nothing';
    if (typeof value === 'string') return JSON.stringify(value);
    return scalarText(node);
  }
  return 'an unsupported value';
}

function plural(what: string): string {
  const bare = what.replace(/^an? /, '');
  if (bare.endsWith('y')) return `${bare.slice(0, -1)}ies`;
  return `${bare}s`;
}

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0]!.toLowerCase() + text.slice(1) : text;
}
