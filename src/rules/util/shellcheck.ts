/**
 * ShellCheck for RUN scripts: finding the binary, recovering each script's map back to the Dockerfile, choosing the
 * dialect, running one `shellcheck --format=json1` process over many scripts, and mapping its comments and fixes back
 * to exact Dockerfile lines and columns.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { Fix, Span } from '../../findings.ts';
import type { DockerfileModel, Instruction, Stage } from '../../dockerfile/model.ts';
import { MappedText } from '../../dockerfile/source.ts';

export type Dialect = 'sh' | 'bash' | 'dash' | 'ksh';

// ---------------------------------------------------------------------------------------------------------------
// Finding the binary

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The absolute path of the ShellCheck binary, or null when there is none. `override` (the rule's `path` option) is a
 * path to the binary, or a bare command name looked up on PATH; empty means `shellcheck` on PATH.
 */
export function findShellcheck(override = '', env: NodeJS.ProcessEnv = process.env): string | null {
  const name = override.trim();
  if (name !== '' && /[/\\]/.test(name)) {
    const abs = resolve(name);
    return isExecutableFile(abs) ? abs : null;
  }
  const base = name || 'shellcheck';
  const names = process.platform === 'win32' && !/\.exe$/i.test(base) ? [`${base}.exe`, base] : [base];
  const pathVar = env.PATH ?? env.Path ?? '';
  for (const dir of pathVar.split(delimiter)) {
    if (dir === '') continue;
    for (const n of names) {
      const candidate = resolve(dir, n);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// The script of a RUN and its map to the Dockerfile


/** `RUN <<EOF` with nothing else on the line: the heredoc body is the whole script. */
export function isHeredocScript(inst: Instruction): boolean {
  return inst.heredocs.length === 1 && /^<<-?(["']?)([A-Za-z0-9_.-]+)\1$/.test(inst.args.trim());
}

/** The script of a RUN as the shell receives it, mapped to the Dockerfile; null for exec form or a non-POSIX shell. */
export function scriptMapping(inst: Instruction): MappedText | null {
  return inst.shell?.mapped ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Dialect

/** ShellCheck's dialect for a shell program (a path or a name); null when ShellCheck does not support it (zsh…). */
export function dialectOf(program: string): Dialect | null {
  const base = program
    .slice(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1)
    .replace(/\.exe$/i, '')
    .toLowerCase();
  switch (base) {
    case 'bash':
      return 'bash';
    case 'dash':
      return 'dash';
    case 'sh':
    case 'ash':
    case 'busybox':
      return 'sh';
    case 'ksh':
    case 'mksh':
    case 'ksh93':
    case 'pdksh':
      return 'ksh';
    default:
      return null;
  }
}

/** The SHELL a stage ends with: the one stored in the image, under which ONBUILD triggers later run. */
function finalShell(stage: Stage): string[] {
  let shell = stage.from.shellCommand;
  for (const i of stage.instructions) if (i.keyword === 'SHELL' && i.exec && i.exec.length > 0) shell = i.exec;
  return shell;
}

/**
 * The dialect to check a RUN's script in: a `RUN <<EOF` script's own shebang, else the SHELL in effect (for an
 * ONBUILD trigger, the SHELL the image ends with, since the trigger runs in a later build from that image).
 */
export function dialectFor(inst: Instruction, script: string): Dialect | null {
  if (isHeredocScript(inst)) {
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(script);
    if (shebang) return dialectOf(shebang[1].endsWith('/env') ? (shebang[2] ?? '') : shebang[1]);
  }
  const shell = inst.onbuild && inst.stage ? finalShell(inst.stage) : inst.shellCommand;
  return dialectOf(shell[0] ?? '');
}

// ---------------------------------------------------------------------------------------------------------------
// Variables the build defines

/** Proxy variables BuildKit passes to every RUN without an ARG (predefined ARGs). */
export const PROXY_VARIABLES: readonly string[] = [
  'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy',
  'ALL_PROXY', 'all_proxy',
];

function addProperties(names: Set<string>, inst: Instruction, keywords: ReadonlySet<string>): void {
  if (keywords.has(inst.keyword)) for (const p of inst.properties) names.add(p.name);
}

const ARG_ENV = new Set(['ARG', 'ENV']);
const ENV_ONLY = new Set(['ENV']);

/** ENV of a stage (all of it: what its image carries) and of the stages it builds on. */
function addImageEnv(names: Set<string>, stage: Stage | null): void {
  const seen = new Set<Stage>();
  for (let s = stage; s && !seen.has(s); s = s.baseStage) {
    seen.add(s);
    for (const i of s.instructions) addProperties(names, i, ENV_ONLY);
  }
}

/**
 * Names the build sets for a RUN: ARGs and ENVs of the stage declared before it, ENV inherited from the stages it
 * builds on, the predefined proxy ARGs, and `--mount=type=secret,env=NAME`. For an ONBUILD trigger, which runs in a
 * later build, only what the image carries (ENV) and earlier ARG/ENV triggers count.
 */
export function knownVariables(model: DockerfileModel, inst: Instruction): Set<string> {
  const names = new Set<string>(PROXY_VARIABLES);
  if (inst.onbuild) {
    addImageEnv(names, inst.stage);
    for (const t of model.all) {
      if (t.index >= inst.index) break;
      if (t.onbuild && t.stage === inst.stage) addProperties(names, t, ARG_ENV);
    }
  } else {
    for (const i of model.instructions) {
      if (i.index >= inst.index) break;
      if (i.stage === inst.stage) addProperties(names, i, ARG_ENV);
    }
    addImageEnv(names, inst.stage?.baseStage ?? null);
  }
  for (const f of inst.flags) {
    if (f.name !== 'mount' || !f.value) continue;
    for (const part of f.value.replace(/^["']|["']$/g, '').split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim().toLowerCase() === 'env') names.add(part.slice(eq + 1).trim());
    }
  }
  return names;
}

// ---------------------------------------------------------------------------------------------------------------
// The file ShellCheck reads

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface PreparedScript {
  /** What is written to the file: the script (carriage returns before newlines dropped), then an `export` line. */
  file: string;
  /** Length of the script part of `file`; offsets at or past it are the appended line. */
  length: number;
  /** Offset in `file` (≤ length) → offset in the mapped script. */
  toScript: number[];
  /** Start offset of each line of `file`. */
  lineStarts: number[];
}

/**
 * The file to check. BuildKit drops the carriage return of CRLF lines, so it is dropped here too. The build's
 * variables are declared on a line appended after the script (`export NAME=1 …`): ShellCheck then neither reports
 * them as unassigned (SC2154) nor misses near-misspellings of them (SC2153), and no position in the script moves.
 */
export function prepareScript(script: string, known: Iterable<string>): PreparedScript {
  let text = '';
  const toScript: number[] = [];
  for (let i = 0; i < script.length; i++) {
    if (script[i] === '\r' && script[i + 1] === '\n') continue;
    toScript.push(i);
    text += script[i];
  }
  toScript.push(script.length);
  const length = text.length;
  const names = [...new Set(known)].filter((n) => NAME.test(n)).sort();
  let file = text;
  if (names.length > 0) {
    if (file !== '' && !file.endsWith('\n')) file += '\n';
    file += `export ${names.map((n) => `${n}=1`).join(' ')}\n`;
  }
  const lineStarts = [0];
  for (let i = 0; i < file.length; i++) if (file[i] === '\n') lineStarts.push(i + 1);
  return { file, length, toScript, lineStarts };
}

/**
 * Offset in the prepared file of ShellCheck's 1-based line and column. json1 columns count characters (code points;
 * a tab is one column), JavaScript strings count UTF-16 units; a column past the end of its line clamps to the end.
 */
export function offsetOf(p: PreparedScript, line: number, column: number): number {
  if (line < 1) return 0;
  if (line > p.lineStarts.length) return p.file.length;
  let offset = p.lineStarts[line - 1];
  const lineEnd = line < p.lineStarts.length ? p.lineStarts[line] - 1 : p.file.length;
  for (let c = 1; c < column && offset < lineEnd; c++) {
    const code = p.file.charCodeAt(offset);
    offset += code >= 0xd800 && code <= 0xdbff && offset + 1 < lineEnd ? 2 : 1;
  }
  return offset;
}

// ---------------------------------------------------------------------------------------------------------------
// Running ShellCheck

export interface ShellcheckReplacement {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  insertionPoint: string;
  precedence: number;
  replacement: string;
}

export interface ShellcheckComment {
  line: number;
  endLine: number;
  column: number;
  endColumn: number;
  level: 'error' | 'warning' | 'info' | 'style';
  code: number;
  message: string;
  fix: { replacements: ShellcheckReplacement[] } | null;
}

export interface RunLimits {
  /** Milliseconds one ShellCheck process may run. */
  timeoutMs: number;
  /** Bytes of output accepted from one process. */
  maxBuffer: number;
  /** Most characters of file names on one command line (the rest go to further processes). */
  maxArgChars?: number;
}

/** Default command-line budget: far below Linux's and macOS's limits, and below Windows' 32,767 characters. */
export const DEFAULT_MAX_ARG_CHARS = process.platform === 'win32' ? 24_000 : 100_000;

/** Split file names into batches whose names fit in `maxChars` characters (each batch holds at least one). */
export function splitBatches(names: readonly string[], maxChars: number): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const n of names) {
    if (current.length > 0 && size + n.length + 1 > maxChars) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(n);
    size += n.length + 1;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Runs the binary with an argument array (no shell). Resolves with stdout for exit status 0 and 1 (findings). */
function execShellcheck(bin: string, args: string[], cwd: string, limits: RunLimits): Promise<string> {
  const env = { ...process.env };
  // SHELLCHECK_OPTS would add options behind our back (e.g. enable optional checks or change the format).
  delete env.SHELLCHECK_OPTS;
  return new Promise((resolvePromise, reject) => {
    execFile(
      bin,
      args,
      { cwd, env, timeout: limits.timeoutMs, maxBuffer: limits.maxBuffer, encoding: 'utf8', windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) return resolvePromise(stdout);
        const e = error as Error & { code?: number | string; killed?: boolean; signal?: string | null };
        if (e.code === 1) return resolvePromise(stdout);
        const detail = String(stderr ?? '').trim().split('\n').slice(0, 3).join(' ').slice(0, 400);
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return reject(new Error(`ShellCheck (${bin}) wrote more than ${limits.maxBuffer} bytes of output`));
        }
        if (e.killed || (e.signal && typeof e.code !== 'number')) {
          const why = e.killed ? `did not finish within ${limits.timeoutMs / 1000} s` : `was killed by ${e.signal}`;
          return reject(new Error(`ShellCheck (${bin}) ${why}`));
        }
        if (typeof e.code === 'string') {
          return reject(new Error(`could not run ShellCheck (${bin}): ${e.code} ${e.message}`));
        }
        reject(new Error(`ShellCheck (${bin}) failed with exit status ${e.code}${detail ? `: ${detail}` : ''}`));
      },
    );
  });
}

function parseOutput(stdout: string, bin: string): Array<ShellcheckComment & { file: string }> {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    throw new Error(`ShellCheck (${bin}) did not print json1 output: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  const comments = (data as { comments?: unknown })?.comments;
  if (!Array.isArray(comments)) {
    throw new Error(`ShellCheck (${bin}) printed JSON without a "comments" list: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  return comments.filter(
    (c): c is ShellcheckComment & { file: string } =>
      typeof c === 'object' &&
      c !== null &&
      typeof c.file === 'string' &&
      typeof c.code === 'number' &&
      typeof c.line === 'number' &&
      typeof c.column === 'number' &&
      typeof c.message === 'string',
  );
}

/**
 * Check many scripts of one dialect with as few ShellCheck processes as the command line allows (usually one):
 * each script is written to its own file in a fresh temporary directory, removed afterwards. Returns each script's
 * comments, in the order of `scripts`.
 */
export async function runShellcheck(
  bin: string,
  dialect: Dialect,
  scripts: readonly string[],
  exclude: readonly number[],
  limits: RunLimits,
): Promise<ShellcheckComment[][]> {
  const results: ShellcheckComment[][] = scripts.map(() => []);
  if (scripts.length === 0) return results;
  const dir = await mkdtemp(join(tmpdir(), 'defang-shellcheck-'));
  try {
    const names = scripts.map((_, i) => `${i + 1}.sh`);
    await Promise.all(scripts.map((s, i) => writeFile(join(dir, names[i]), s, 'utf8')));
    const base = ['--format=json1', `--shell=${dialect}`, '--norc'];
    if (exclude.length > 0) base.push('-e', [...exclude].sort((a, b) => a - b).map((c) => `SC${c}`).join(','));
    for (const batch of splitBatches(names, limits.maxArgChars ?? DEFAULT_MAX_ARG_CHARS)) {
      const stdout = await execShellcheck(bin, [...base, '--', ...batch], dir, limits);
      for (const c of parseOutput(stdout, bin)) {
        const m = /^(\d+)\.sh$/.exec(c.file.replace(/^.*[/\\]/, ''));
        const i = m ? Number(m[1]) - 1 : -1;
        if (i >= 0 && i < results.length) results[i].push(c);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------------------
// Back to the Dockerfile

/**
 * A prepared-file offset in the mapped script: the position of the character there (`before`), or the position just
 * after the character before it (`after`). The two differ only where a carriage return was dropped.
 */
function toScript(p: PreparedScript, offset: number, side: 'before' | 'after'): number {
  return side === 'after' && offset > 0 ? p.toScript[offset - 1] + 1 : p.toScript[offset];
}

/** Offsets in the mapped script of a comment's range, or null when it lies on the appended line only. */
export function commentRange(p: PreparedScript, c: ShellcheckComment): { start: number; end: number } | null {
  let start = offsetOf(p, c.line, c.column);
  let end = Math.max(start, offsetOf(p, c.endLine ?? c.line, c.endColumn ?? c.column));
  if (start >= p.length) {
    // Only a syntax error can land past the script (at its end, e.g. an unterminated quote); anything else
    // (unreachable code) is about the appended line and is dropped.
    if (c.level !== 'error' || p.length === 0) return null;
    start = end = p.file[p.length - 1] === '\n' ? p.length - 1 : p.length;
  }
  end = Math.min(end, p.length);
  const s = toScript(p, start, 'before');
  return { start: s, end: end > start ? toScript(p, end, 'after') : s };
}

/** The Dockerfile span of a script range; an empty range covers the character there, if any. */
export function spanOfRange(mapped: MappedText, start: number, end: number): Span {
  if (end === start && start < mapped.length && mapped.text[start] !== '\n') end = start + 1;
  return mapped.spanOf(start, end);
}

/**
 * ShellCheck's fix as a Dockerfile fix, when every replacement maps onto one Dockerfile line, exactly: replaced
 * text must come unchanged from that line, replacements must not overlap, and the result must not add or remove a
 * line continuation or turn the line into a comment.
 */
export function mapFix(
  p: PreparedScript,
  mapped: MappedText,
  replacements: readonly ShellcheckReplacement[],
  lines: readonly string[],
  escape: string,
  description: string,
): Fix | null {
  if (replacements.length === 0) return null;
  const source = mapped.source;
  const edits: Array<{ start: number; end: number; text: string }> = [];
  let line = -1;
  for (const r of replacements) {
    if (typeof r.replacement !== 'string' || /[\r\n]/.test(r.replacement)) return null;
    const fs = offsetOf(p, r.line, r.column);
    const fe = offsetOf(p, r.endLine, r.endColumn);
    if (fe < fs || fe > p.length) return null;
    let srcStart: number;
    let srcEnd: number;
    if (fs === fe) {
      // An insertion between two characters that may come from different places (a joined continuation): it
      // belongs to the text after it ("afterEnd", e.g. an opening quote) or before it ("beforeStart").
      const after = (r.insertionPoint === 'beforeStart' && fs > 0) || fs >= p.length;
      const at = toScript(p, fs, after ? 'after' : 'before');
      srcStart = after && at > 0 ? mapped.originOf(at - 1) + 1 : mapped.originOf(at);
      srcEnd = srcStart;
    } else {
      const s = toScript(p, fs, 'before');
      const e = toScript(p, fe, 'after');
      for (let k = s; k + 1 < e; k++) if (mapped.originOf(k + 1) !== mapped.originOf(k) + 1) return null;
      srcStart = mapped.originOf(s);
      srcEnd = mapped.originOf(e - 1) + 1;
      if (source.text.slice(srcStart, srcEnd) !== mapped.text.slice(s, e)) return null;
    }
    const a = source.positionAt(srcStart);
    const b = source.positionAt(srcEnd);
    if (a.line !== b.line) return null;
    if (line !== -1 && a.line !== line) return null;
    line = a.line;
    edits.push({ start: a.column - 1, end: b.column - 1, text: r.replacement });
  }
  const original = lines[line - 1];
  if (original === undefined) return null;
  edits.sort((x, y) => x.start - y.start || x.end - y.end);
  for (let i = 1; i < edits.length; i++) if (edits[i].start < edits[i - 1].end || edits[i].start === edits[i - 1].start) return null;
  let out = original;
  for (const ed of [...edits].reverse()) {
    if (ed.end > out.length) return null;
    out = out.slice(0, ed.start) + ed.text + out.slice(ed.end);
  }
  if (out === original) return null;
  const continues = (t: string) => t.replace(/[ \t]+$/, '').endsWith(escape);
  if (continues(out) !== continues(original)) return null;
  if (/^\s*#/.test(out) !== /^\s*#/.test(original)) return null;
  return { line, endLine: line, replacement: out, description };
}
