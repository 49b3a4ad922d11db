/**
 * The sources and destination of COPY and ADD, in shell form (`COPY a b /dst/`) and JSON form
 * (`COPY ["a b", "/dst/"]`), each with its exact span, its text without quotes, and its value with the stage's
 * ARG/ENV values substituted. Also: what kind of source a path is (URL, git repository, archive, heredoc).
 */
import type { Span } from '../../findings.ts';
import type { DockerfileModel, Instruction } from '../../dockerfile/model.ts';
import { splitWords } from '../../dockerfile/parse.ts';
import { expandVariables } from '../../dockerfile/vars.ts';
import { memoSlot } from './memo.ts';

export interface PathArg {
  /** As written, quotes included. */
  text: string;
  /** Without surrounding quotes, variables not substituted. */
  raw: string;
  /** With quotes removed and variables substituted; null when a variable has no known value. */
  value: string | null;
  span: Span;
  /** `<<EOF`: a heredoc source. */
  heredoc: boolean;
  /** Quoted with `"` or `'` as a whole (shell form) — the JSON form's strings count as `"`. */
  quote: '"' | "'" | null;
}

export interface CopyArgs {
  form: 'json' | 'shell';
  sources: PathArg[];
  /** The last argument; null when there is only one argument or none. */
  dest: PathArg | null;
}

function stripQuotes(text: string): { raw: string; quote: '"' | "'" | null } {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) {
    return { raw: text.slice(1, -1), quote: text[0] as '"' | "'" };
  }
  return { raw: text, quote: null };
}

/** String literals of a JSON array, with their offsets in `text`; null when `text` is not a JSON array of strings. */
function jsonStrings(text: string): Array<{ value: string; start: number; end: number }> | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) return null;
  const out: Array<{ value: string; start: number; end: number }> = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') {
      i++;
      continue;
    }
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    out.push({ value: JSON.parse(text.slice(start, i)) as string, start, end: i });
  }
  return out.length === parsed.length ? out : null;
}

const copyArgsOf = memoSlot<Instruction, CopyArgs>('COPY/ADD arguments');

const HEREDOC_WORD = /^<<-?["']?[A-Za-z0-9_.-]+["']?$/;

/**
 * Sources and destination of a COPY or ADD (top-level or ONBUILD trigger); null for other instructions. Read once
 * per instruction (several rules ask): the result is shared, so callers must not change it.
 */
export function copyArgs(model: DockerfileModel, inst: Instruction): CopyArgs | null {
  if (inst.keyword !== 'COPY' && inst.keyword !== 'ADD') return null;
  let args = copyArgsOf.get(inst);
  if (!args) {
    args = readCopyArgs(model, inst);
    copyArgsOf.set(inst, args);
  }
  return args;
}

function readCopyArgs(model: DockerfileModel, inst: Instruction): CopyArgs {
  const mapped = inst.argsText;
  const expand = (raw: string, removeQuotes: boolean): string | null => {
    const e = expandVariables(raw, inst.lookup, { escape: model.escape, removeQuotes });
    return e.missing.length > 0 ? null : e.value;
  };
  const json = jsonStrings(mapped.text);
  let args: PathArg[];
  let form: CopyArgs['form'];
  if (json) {
    form = 'json';
    args = json.map((s) => ({
      text: mapped.text.slice(s.start, s.end),
      raw: s.value,
      value: expand(s.value, false),
      span: mapped.spanOf(s.start, s.end),
      heredoc: false,
      quote: '"',
    }));
  } else {
    form = 'shell';
    args = splitWords(mapped).map((w) => {
      const { raw, quote } = stripQuotes(w.text);
      return {
        text: w.text,
        raw,
        value: expand(w.text, true),
        span: mapped.spanOf(w.start, w.end),
        heredoc: HEREDOC_WORD.test(w.text),
        quote,
      };
    });
  }
  if (args.length < 2) return { form, sources: args, dest: null };
  return { form, sources: args.slice(0, -1), dest: args[args.length - 1] };
}

/** `http://` or `https://` (any case). */
export function isHttpUrl(path: string): boolean {
  return /^https?:\/\//i.test(path);
}

/**
 * A git repository source of ADD: `git@host:repo`, `git://…`, `ssh://…`, or an http(s) URL whose path ends in
 * `.git` (optionally followed by `#ref`).
 */
export function isGitSource(path: string): boolean {
  if (/^(git@|git:\/\/|ssh:\/\/)/i.test(path)) return true;
  if (!isHttpUrl(path)) return false;
  const noFragment = path.split('#')[0].split('?')[0].replace(/\/+$/, '');
  return /\.git$/i.test(noFragment);
}

/** Any remote source of ADD: an http(s) URL or a git repository. */
export function isRemoteSource(path: string): boolean {
  return isHttpUrl(path) || isGitSource(path);
}

/**
 * File name endings of local archives ADD may unpack (hadolint's list, plus zstd). Whether ADD really unpacks one
 * depends on its content (a tar, plain or compressed with gzip, bzip2, xz or zstd), which a linter cannot see.
 */
const ARCHIVE_SUFFIXES = [
  '.tar', '.z', '.bz2', '.gz', '.lz', '.lzma', '.tz', '.tb2', '.tbz', '.tbz2', '.tgz', '.tlz', '.tpz', '.txz', '.xz',
  '.zst', '.tzst',
];

export function looksLikeArchive(path: string): boolean {
  const lower = path.toLowerCase();
  return ARCHIVE_SUFFIXES.some((s) => lower.endsWith(s));
}

/** The last path segment, splitting on `/` and `\` (Windows paths). */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
