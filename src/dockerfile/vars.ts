/**
 * Variable substitution as BuildKit does it in Dockerfile instructions (FROM, COPY, ENV, USER, WORKDIR, …):
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?message}`,
 * `${VAR#prefix}`, `${VAR%suffix}` (shortest match, literal patterns). Single quotes keep text literal; the
 * escape character protects the next character.
 */

import { isNameChar, isNameStart } from './chars.ts';

export type Lookup = (name: string) => string | undefined;

export interface Expansion {
  value: string;
  /** Names that were referenced with no value and no default: the result is not what the build would see. */
  missing: string[];
}


export function expandVariables(text: string, lookup: Lookup, opts: { escape?: string; removeQuotes?: boolean } = {}): Expansion {
  const escape = opts.escape ?? '\\';
  const removeQuotes = opts.removeQuotes ?? false;
  // Most texts have nothing to expand, quote or escape.
  if (!/[$'"]/.test(text) && !text.includes(escape)) return { value: text, missing: [] };
  const missing: string[] = [];
  let out = '';
  let i = 0;
  let quote: '"' | "'" | null = null;
  while (i < text.length) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") {
        quote = null;
        if (!removeQuotes) out += c;
      } else out += c;
      i++;
      continue;
    }
    if (c === escape && i + 1 < text.length) {
      const next = text[i + 1];
      if (next === '$' || next === escape || next === '"' || next === "'") {
        // An escaped character stays literal; the escape itself is dropped only where the quotes are removed.
        if (!removeQuotes && next !== '$') out += c;
        out += next;
        i += 2;
        continue;
      }
      out += c;
      i++;
      continue;
    }
    if (c === "'" && quote === null) {
      quote = "'";
      if (!removeQuotes) out += c;
      i++;
      continue;
    }
    if (c === '"') {
      quote = quote === '"' ? null : '"';
      if (!removeQuotes) out += c;
      i++;
      continue;
    }
    if (c === '$') {
      const r = readReference(text, i, lookup, escape, missing);
      if (r) {
        out += r.value;
        i = r.end;
        continue;
      }
    }
    out += c;
    i++;
  }
  return { value: out, missing: [...new Set(missing)] };
}

function readReference(
  text: string,
  at: number,
  lookup: Lookup,
  escape: string,
  missing: string[],
): { value: string; end: number } | null {
  const next = text[at + 1];
  if (next === undefined) return null;
  if (isNameStart(next.charCodeAt(0))) {
    let j = at + 1;
    while (j < text.length && isNameChar(text.charCodeAt(j))) j++;
    const name = text.slice(at + 1, j);
    const v = lookup(name);
    if (v === undefined) missing.push(name);
    return { value: v ?? '', end: j };
  }
  if (next !== '{') return null;
  let j = at + 2;
  while (j < text.length && isNameChar(text.charCodeAt(j))) j++;
  const name = text.slice(at + 2, j);
  if (name === '' || !isNameStart(name.charCodeAt(0))) return null;
  // Find the matching close brace, allowing nested ${…} in the word.
  let depth = 1;
  let k = j;
  while (k < text.length && depth > 0) {
    if (text[k] === escape) {
      k += 2;
      continue;
    }
    if (text[k] === '$' && text[k + 1] === '{') {
      depth++;
      k += 2;
      continue;
    }
    if (text[k] === '}') depth--;
    if (depth > 0) k++;
  }
  if (depth > 0) return null;
  const modifier = text.slice(j, k);
  const end = k + 1;
  const v = lookup(name);
  const inner = (word: string) => expandVariables(word, lookup, { escape, removeQuotes: true });
  if (modifier === '') {
    if (v === undefined) missing.push(name);
    return { value: v ?? '', end };
  }
  const op2 = modifier.slice(0, 2);
  const op1 = modifier[0];
  if (op2 === ':-' || op1 === '-') {
    const colon = op2 === ':-';
    const word = modifier.slice(colon ? 2 : 1);
    const useDefault = v === undefined || (colon && v === '');
    if (!useDefault) return { value: v!, end };
    const w = inner(word);
    missing.push(...w.missing);
    return { value: w.value, end };
  }
  if (op2 === ':+' || op1 === '+') {
    const colon = op2 === ':+';
    const word = modifier.slice(colon ? 2 : 1);
    const useAlt = v !== undefined && (!colon || v !== '');
    if (!useAlt) return { value: '', end };
    const w = inner(word);
    missing.push(...w.missing);
    return { value: w.value, end };
  }
  if (op2 === ':?' || op1 === '?') {
    if (v === undefined || (op2 === ':?' && v === '')) missing.push(name);
    return { value: v ?? '', end };
  }
  if (op1 === '#' || op1 === '%') {
    if (v === undefined) missing.push(name);
    const pattern = inner(modifier.slice(modifier[1] === op1 ? 2 : 1)).value;
    const value = v ?? '';
    if (op1 === '#') return { value: value.startsWith(pattern) ? value.slice(pattern.length) : value, end };
    return { value: value.endsWith(pattern) ? value.slice(0, value.length - pattern.length) : value, end };
  }
  // An unsupported modifier: BuildKit would fail the build; keep the text, report the name as unresolved.
  missing.push(name);
  return { value: text.slice(at, end), end };
}

/** Names referenced by `$VAR` / `${VAR…}` in a text (outside single quotes). */
export function referencedVariables(text: string, escape = '\\'): string[] {
  const names: string[] = [];
  expandVariables(
    text,
    (name) => {
      names.push(name);
      return 'x';
    },
    { escape },
  );
  return [...new Set(names)];
}
