/**
 * The shell of RUN instructions, parsed with the shell parser of sh-syntax.ts: simple commands with their words,
 * pipelines, redirects and assignments, each with its exact span in the Dockerfile. Commands inside `sh -c '…'`
 * strings and behind wrappers (`sudo`, `env`, `nice`, …) are parsed too.
 */
import { parseSh, type Node } from './sh-syntax.ts';
import type { Span } from '../findings.ts';
import type { MappedText } from './source.ts';
import type { Lookup } from './vars.ts';

export interface ShellWord {
  /** The word as written in the script. */
  text: string;
  /** The value after quote removal, or null when it depends on expansions. */
  value: string | null;
  /**
   * The fields the word becomes with the stage's known variables substituted (unquoted expansions split on
   * whitespace), or null when some part cannot be known (unknown variable, command substitution, glob).
   */
  fields: string[] | null;
  span: Span;
}

export interface ShellRedirect {
  /** The operator: `>`, `>>`, `<`, `2>&1` style `>&`, `<<` (heredoc), … */
  op: string;
  /** The file descriptor written before the operator, if any. */
  fd: string | null;
  target: ShellWord | null;
  span: Span;
}

export interface ShellAssignment {
  name: string;
  value: ShellWord | null;
  span: Span;
}

export interface ShellPipeline {
  /**
   * The pipeline's parts in order: the simple command of each part, or null where the part is a compound command
   * (`( … ) | sort`, `{ …; } | tee`), whose commands are listed in the script with `pipeline` null.
   */
  commands: Array<ShellCommand | null>;
  span: Span;
}

export interface ShellCommand {
  /** The literal command name as written (`/usr/bin/apt-get`), or null when it is computed. */
  name: string | null;
  /** The command's base name (`apt-get`), or '' when it is computed. */
  base: string;
  /** All words: the name, then the arguments. */
  words: ShellWord[];
  args: ShellWord[];
  assignments: ShellAssignment[];
  redirects: ShellRedirect[];
  span: Span;
  text: string;
  /** The pipeline of two or more commands this command is part of. */
  pipeline: ShellPipeline | null;
  pipelineIndex: number;
  /**
   * The command that runs this one: `sudo`/`env`/… for a wrapped command, `sh` for a command inside `sh -c '…'` or
   * inside the here-document a shell reads (`bash <<EOF`).
   */
  parent: ShellCommand | null;
  via: 'wrapper' | 'shell-c' | null;
  /** Inside `( … )`. */
  inSubshell: boolean;
  /**
   * Its failure does not fail the script: an `if`/`while`/`until` test, either side of `||`, or negated with `!`.
   * (Commands joined with `&&` alone are not conditional: a failure stops the RUN.)
   */
  conditional: boolean;
  /** The command's position among the script's top-level and nested commands (0-based, in source order). */
  index: number;
}

export interface ShellScript {
  /** The script as the shell receives it. */
  text: string;
  /** The script mapped to Dockerfile positions (`mapped.spanOf(start, end)`). */
  mapped: MappedText;
  commands: ShellCommand[];
  pipelines: ShellPipeline[];
  /** Spans of syntax errors (empty when the script parses). */
  errors: Span[];
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);
/** Commands that run their arguments as another command, with the options each takes a value for. */
const WRAPPERS: Record<string, { valueOptions: Set<string>; skipAssignments?: boolean }> = {
  sudo: { valueOptions: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '--user', '--group']) },
  env: { valueOptions: new Set(['-u', '--unset', '-C', '--chdir', '-S']), skipAssignments: true },
  nice: { valueOptions: new Set(['-n', '--adjustment']) },
  nohup: { valueOptions: new Set() },
  time: { valueOptions: new Set(['-f', '--format', '-o', '--output']) },
  exec: { valueOptions: new Set(['-a']) },
  command: { valueOptions: new Set() },
  stdbuf: { valueOptions: new Set(['-i', '-o', '-e']) },
  timeout: { valueOptions: new Set(['-s', '--signal', '-k', '--kill-after']) },
  chroot: { valueOptions: new Set(['--userspec', '--groups']) },
  gosu: { valueOptions: new Set() },
  'su-exec': { valueOptions: new Set() },
};
const WRAPPER_POSITIONALS: Record<string, number> = { timeout: 1, chroot: 1, gosu: 1, 'su-exec': 1 };

const MAX_NESTING = 4;

/**
 * Parse a script. `mapped` maps the script's characters to Dockerfile positions; `lookup` gives the values of
 * variables known at that point of the Dockerfile (ARG and ENV).
 */
export function parseShell(mapped: MappedText, lookup: Lookup = () => undefined): ShellScript {
  const script: ShellScript = { text: mapped.text, mapped, commands: [], pipelines: [], errors: [] };
  collect(mapped, lookup, script, null, 0);
  script.commands.sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);
  script.commands.forEach((c, i) => (c.index = i));
  return script;
}

function collect(mapped: MappedText, lookup: Lookup, script: ShellScript, parent: ShellCommand | null, depth: number): void {
  const { root, errors } = parseSh(mapped.text);
  for (const e of errors) script.errors.push(mapped.spanOf(e.start, Math.max(e.end, e.start + 1)));
  walk(root, { mapped, lookup, script, parent, depth, inSubshell: false, conditional: false });
}

interface WalkState {
  mapped: MappedText;
  lookup: Lookup;
  script: ShellScript;
  parent: ShellCommand | null;
  depth: number;
  inSubshell: boolean;
  conditional: boolean;
}

function walk(node: Node, st: WalkState, pipeline: ShellPipeline | null = null, pipelineIndex = 0): void {
  switch (node.type) {
    case 'command':
      addCommand(node, st, pipeline, pipelineIndex);
      return;
    case 'pipeline': {
      const parts = node.namedChildren;
      const p: ShellPipeline = { commands: parts.map(() => null), span: st.mapped.spanOf(node.startIndex, node.endIndex) };
      st.script.pipelines.push(p);
      parts.forEach((c, i) => walk(c, st, p, i));
      return;
    }
    case 'list': {
      // a && b || c: every command but the last is a condition for the next.
      const kids = node.children;
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i];
        if (!k.isNamed) continue;
        const op = kids[i + 1] && !kids[i + 1].isNamed ? kids[i + 1].type : null;
        const cond = st.conditional || op === '||' || kids[i - 1]?.type === '||';
        walk(k, { ...st, conditional: cond }, pipeline, pipelineIndex);
      }
      return;
    }
    case 'subshell':
      for (const c of node.namedChildren) walk(c, { ...st, inSubshell: true });
      return;
    case 'negated_command':
      for (const c of node.namedChildren) walk(c, { ...st, conditional: true });
      return;
    case 'if_statement':
    case 'elif_clause':
    case 'while_statement':
    case 'until_statement': {
      const cond = node.childrenForFieldName('condition');
      for (const c of node.namedChildren) walk(c, { ...st, conditional: st.conditional || cond.includes(c) });
      return;
    }
    case 'heredoc_body':
      return;
    default:
      for (const c of node.namedChildren) walk(c, st, pipeline, pipelineIndex);
  }
}

function redirectOf(r: Node, st: WalkState): ShellRedirect {
  const span = st.mapped.spanOf(r.startIndex, r.endIndex);
  if (r.type === 'heredoc_redirect') return { op: '<<', fd: null, target: null, span };
  const dest = r.childForFieldName('destination');
  return {
    op: r.children.find((c) => !c.isNamed)?.type ?? '',
    fd: r.childForFieldName('descriptor')?.text ?? null,
    target: dest ? wordOf(dest, st) : null,
    span,
  };
}

function addCommand(
  node: Node,
  st: WalkState,
  pipeline: ShellPipeline | null,
  pipelineIndex: number,
): void {
  const redirects: ShellRedirect[] = [];
  const words: ShellWord[] = [];
  const assignments: ShellAssignment[] = [];
  for (const c of node.namedChildren) {
    if (c.type === 'variable_assignment') {
      const v = c.childForFieldName('value');
      assignments.push({
        name: c.childForFieldName('name')?.text ?? '',
        value: v ? wordOf(v, st) : null,
        span: st.mapped.spanOf(c.startIndex, c.endIndex),
      });
    } else if (c.type === 'command_name') words.push(wordOf(c.namedChildren[0], st));
    else if (c.fieldName === 'redirect') redirects.push(redirectOf(c, st));
    else if (c.fieldName === 'argument') words.push(wordOf(c, st));
  }
  if (words.length > 0) {
    const cmd = makeCommand(words, assignments, redirects, st, node.startIndex, node.endIndex, pipeline, pipelineIndex);
    cmd.parent = st.parent;
    cmd.via = st.parent ? 'shell-c' : null;
    const before = st.script.commands.length;
    push(cmd, st);
    if (st.depth < MAX_NESTING) heredocScript(node, st.script.commands.slice(before), st);
  }
  // Commands inside `$(…)`, backticks and `<(…)` in the words run too.
  for (const c of node.children) walkSubstitutions(c, st);
}

function walkSubstitutions(node: Node, st: WalkState): void {
  if (node.type === 'command_substitution' || node.type === 'process_substitution') {
    for (const c of node.namedChildren) walk(c, st);
    return;
  }
  for (const c of node.children) walkSubstitutions(c, st);
}

function makeCommand(
  words: ShellWord[],
  assignments: ShellAssignment[],
  redirects: ShellRedirect[],
  st: WalkState,
  start: number,
  end: number,
  pipeline: ShellPipeline | null,
  pipelineIndex: number,
): ShellCommand {
  const name = words[0].value;
  return {
    name,
    base: name ? name.slice(name.lastIndexOf('/') + 1) : '',
    words,
    args: words.slice(1),
    assignments,
    redirects,
    span: st.mapped.spanOf(start, end),
    text: st.mapped.text.slice(start, end),
    pipeline,
    pipelineIndex,
    parent: null,
    via: null,
    inSubshell: st.inSubshell,
    conditional: st.conditional,
    index: 0,
  };
}

function push(cmd: ShellCommand, st: WalkState): void {
  st.script.commands.push(cmd);
  // The part of the pipeline is the outer command (`sudo` in `curl x | sudo sh`); the unwrapped one shares its place.
  if (cmd.pipeline && cmd.via !== 'wrapper') cmd.pipeline.commands[cmd.pipelineIndex] = cmd;
  if (st.depth >= MAX_NESTING) return;
  unwrap(cmd, st);
  shellC(cmd, st);
}

/** `sudo -u x apt-get install …` → also the command `apt-get install …`, with this one as its parent. */
function unwrap(cmd: ShellCommand, st: WalkState): void {
  const spec = WRAPPERS[cmd.base];
  if (!spec) return;
  // `command -v x` / `command -V x` only look x up.
  if (cmd.base === 'command' && cmd.args.some((a) => a.value === '-v' || a.value === '-V')) return;
  let i = 0;
  let positionalsToSkip = WRAPPER_POSITIONALS[cmd.base] ?? 0;
  const args = cmd.args;
  while (i < args.length) {
    const v = args[i].value;
    if (v === null) return;
    if (v === '--') {
      i++;
      break;
    }
    if (v.startsWith('-') && v.length > 1) {
      i += spec.valueOptions.has(v) ? 2 : 1;
      continue;
    }
    if (spec.skipAssignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) {
      i++;
      continue;
    }
    if (positionalsToSkip > 0) {
      positionalsToSkip--;
      i++;
      continue;
    }
    break;
  }
  if (i >= args.length) return;
  const inner = args.slice(i);
  const startSpan = inner[0].span;
  const child: ShellCommand = {
    ...cmd,
    name: inner[0].value,
    base: inner[0].value ? inner[0].value.slice(inner[0].value.lastIndexOf('/') + 1) : '',
    words: inner,
    args: inner.slice(1),
    assignments: [],
    span: { line: startSpan.line, column: startSpan.column, endLine: cmd.span.endLine, endColumn: cmd.span.endColumn },
    text: inner.map((w) => w.text).join(' '),
    parent: cmd,
    via: 'wrapper',
  };
  push(child, { ...st, depth: st.depth + 1 });
}

/**
 * `bash <<EOF … EOF` (also behind `sudo`): a shell that reads its script from a here-document runs the commands of
 * the body. `cmds` are the command and the commands unwrapped from it; the innermost shell among them reads it.
 */
function heredocScript(node: Node, cmds: ShellCommand[], st: WalkState): void {
  let shell: ShellCommand | null = null;
  for (const c of cmds) if (SHELLS.has(c.base) && c.base !== 'busybox' && (c === cmds[0] || c.via === 'wrapper')) shell = c;
  if (!shell) return;
  // Only options: `bash -ex` reads standard input; `bash script.sh` or `sh -c '…'` do not.
  for (const a of shell.args) {
    const v = a.value;
    if (v === null || !/^[-+][A-Za-z]*$/.test(v) || /^-[A-Za-z]*c/.test(v)) return;
  }
  for (const r of node.children) {
    if (r.type !== 'heredoc_redirect') continue;
    const body = r.children.find((c) => c.type === 'heredoc_body');
    if (!body || body.endIndex <= body.startIndex) continue;
    const strip = r.children.some((c) => !c.isNamed && c.type === '<<-');
    const text = st.mapped.slice(body.startIndex, body.endIndex);
    collect(strip ? text.stripLeadingTabs() : text, st.lookup, st.script, shell, st.depth + 1);
    return;
  }
}

/** `sh -c 'a && b'` → the commands of the string, mapped to their place inside the quotes. */
function shellC(cmd: ShellCommand, st: WalkState): void {
  if (!SHELLS.has(cmd.base)) return;
  const args = cmd.base === 'busybox' ? cmd.args.slice(1) : cmd.args;
  if (cmd.base === 'busybox' && !SHELLS.has(cmd.args[0]?.value ?? '')) return;
  let scriptWord: ShellWord | null = null;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === null) return;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(v)) {
      scriptWord = args[i + 1] ?? null;
      break;
    }
    if (v === '-o' || v === '+o') {
      i++;
      continue;
    }
    if (!v.startsWith('-') && !v.startsWith('+')) return;
  }
  if (!scriptWord || scriptWord.value === null) return;
  const inner = literalMapped(scriptWord);
  if (!inner) return;
  collect(inner, st.lookup, st.script, cmd, st.depth + 1);
}

/**
 * The mapped text of a word's literal value, for words written as one quoted or plain string: each character
 * maps to where it stands inside the quotes.
 */
function literalMapped(word: ShellWord): MappedText | null {
  if (!(word instanceof Word)) return null;
  const { mapped: m, start: at, end } = word;
  const t = word.text;
  if (t.length >= 2 && t[0] === "'" && t[t.length - 1] === "'") return m.slice(at + 1, end - 1);
  if (t.length >= 2 && t[0] === '"' && t[t.length - 1] === '"' && !t.includes('\\')) return m.slice(at + 1, end - 1);
  if (!/['"\\]/.test(t)) return m.slice(at, end);
  return null;
}

/**
 * A word whose value, fields and span are worked out when first read: most words are never looked at closely,
 * and a script has many.
 */
class Word implements ShellWord {
  readonly text: string;
  /** Where the word stands in the text it was parsed from, for parsing `sh -c` strings in place. */
  readonly mapped: MappedText;
  readonly start: number;
  readonly end: number;
  private readonly node: Node;
  private readonly lookup: Lookup;
  private cache: { value?: string | null; fields?: string[] | null; span?: Span } = {};

  constructor(node: Node, st: WalkState) {
    this.node = node;
    this.lookup = st.lookup;
    this.mapped = st.mapped;
    this.start = node.startIndex;
    this.end = node.endIndex;
    this.text = node.text;
  }

  get value(): string | null {
    if (this.cache.value === undefined) this.cache.value = literal(this.node);
    return this.cache.value;
  }
  get fields(): string[] | null {
    if (this.cache.fields === undefined) this.cache.fields = expandFields(this.node, this.lookup);
    return this.cache.fields;
  }
  get span(): Span {
    return (this.cache.span ??= this.mapped.spanOf(this.start, this.end));
  }
  toJSON(): object {
    return { text: this.text, value: this.value, fields: this.fields, span: this.span };
  }
}

function wordOf(node: Node, st: WalkState): ShellWord {
  return new Word(node, st);
}

function unescapeWord(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(.)/gs, (_, c: string) => (c === '\n' ? '' : c));
}

function unescapeDouble(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\([$`"\\\n])/g, (_, c: string) => (c === '\n' ? '' : c));
}

/** The literal value of a word node, or null when it contains expansions. */
function literal(node: Node): string | null {
  switch (node.type) {
    case 'word':
      return unescapeWord(node.text);
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'string':
      for (const c of node.namedChildren) if (c.type !== 'string_content') return null;
      return unescapeDouble(node.text.slice(1, -1));
    case 'concatenation': {
      let out = '';
      for (const c of node.children) {
        const v = literal(c);
        if (v === null) return null;
        out += v;
      }
      return out;
    }
    default:
      return null;
  }
}

function expandFields(node: Node, lookup: Lookup): string[] | null {
  const lit = literal(node);
  if (lit !== null) return /[*?[]/.test(lit) && node.type === 'word' ? null : [lit];
  const parts = pieces(node, lookup, false);
  return parts === null ? null : splitFields(parts);
}

/**
 * The fields a word becomes: its pieces joined, with the results of unquoted expansions (`split`) split on blanks,
 * as the shell does. A word whose expansions are all empty and unquoted becomes no field at all.
 */
export function splitFields(parts: ReadonlyArray<{ text: string; split: boolean }>): string[] {
  const fields: string[] = [];
  let cur = '';
  let have = false;
  for (const p of parts) {
    if (!p.split) {
      cur += p.text;
      have = true;
      continue;
    }
    p.text.split(/[ \t\n]+/).forEach((bit, i) => {
      if (i > 0) {
        if (have) fields.push(cur);
        cur = '';
        have = false;
      }
      cur += bit;
      if (bit !== '') have = true;
    });
  }
  if (have) fields.push(cur);
  return fields;
}

function pieces(node: Node, lookup: Lookup, quoted: boolean): Array<{ text: string; split: boolean }> | null {
  switch (node.type) {
    case 'simple_expansion':
    case 'expansion': {
      // `$NAME` or `${NAME}`; `${NAME:-x}` and the like carry more than the name and are not resolved.
      const [nameNode, more] = node.namedChildren;
      if (nameNode?.type !== 'variable_name' || more) return null;
      const v = lookup(nameNode.text);
      if (v === undefined) return null;
      return [{ text: v, split: !quoted }];
    }
    case 'string': {
      const out: Array<{ text: string; split: boolean }> = [];
      for (const c of node.namedChildren) {
        if (c.type === 'string_content') out.push({ text: unescapeDouble(c.text), split: false });
        else {
          const p = pieces(c, lookup, true);
          if (p === null) return null;
          out.push(...p);
        }
      }
      return out;
    }
    case 'concatenation': {
      const out: Array<{ text: string; split: boolean }> = [];
      for (const c of node.children) {
        const p = pieces(c, lookup, quoted);
        if (p === null) return null;
        out.push(...p);
      }
      return out;
    }
    default: {
      const v = literal(node);
      return v === null ? null : [{ text: v, split: false }];
    }
  }
}

/** Options of a command, for rules: which flags it has and which words are operands. */
export interface ParsedArgs {
  /** Every option as written, without leading dashes for long options kept as `--name`; short clusters split. */
  flags: Map<string, ShellWord>;
  /** Values of options that take one (`-o Dpkg::Options=x`, `--target=/x`). */
  values: Map<string, string | null>;
  /** Operands, in order. */
  operands: ShellWord[];
}

/**
 * Split a command's arguments into options and operands. `valueOptions` names options that take a value in the next
 * word (`-o`, `--target`); `--name=value` always carries its own value. Short options may cluster (`-yq`).
 */
export function parseArgs(args: readonly ShellWord[], valueOptions: ReadonlySet<string> = new Set()): ParsedArgs {
  const flags = new Map<string, ShellWord>();
  const values = new Map<string, string | null>();
  const operands: ShellWord[] = [];
  let i = 0;
  let done = false;
  while (i < args.length) {
    const w = args[i];
    const v = w.value ?? w.text;
    if (done || !v.startsWith('-') || v === '-') {
      operands.push(w);
      i++;
      continue;
    }
    if (v === '--') {
      done = true;
      i++;
      continue;
    }
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      const name = eq >= 0 ? v.slice(0, eq) : v;
      flags.set(name, w);
      if (eq >= 0) values.set(name, v.slice(eq + 1));
      else if (valueOptions.has(name)) {
        values.set(name, args[i + 1]?.value ?? null);
        i++;
      }
      i++;
      continue;
    }
    // Short options: -abc, or -o value, or -ovalue for a value option.
    let j = 1;
    let consumedNext = false;
    while (j < v.length) {
      const name = `-${v[j]}`;
      flags.set(name, w);
      if (valueOptions.has(name)) {
        if (j + 1 < v.length) values.set(name, v.slice(j + 1));
        else {
          values.set(name, args[i + 1]?.value ?? null);
          consumedNext = true;
        }
        break;
      }
      j++;
    }
    i += consumedNext ? 2 : 1;
  }
  return { flags, values, operands };
}
