/**
 * Build the Dockerfile model from text: dockerfile-ast finds the instructions, directives and heredocs; this module
 * joins continuations with an exact source map, resolves variables as BuildKit does, resolves each stage's base, and
 * parses the shell of RUN instructions.
 */
import { DockerfileParser, type Instruction as AstInstruction, type PropertyInstruction } from 'dockerfile-ast';
import type { Span } from '../findings.ts';
import {
  DEFAULT_SHELL,
  WINDOWS_DEFAULT_SHELL,
  type Comment,
  type Directive,
  type DockerfileModel,
  type Flag,
  type Heredoc,
  type Instruction,
  type Lookup,
  type ParseProblem,
  type Property,
  type Stage,
} from './model.ts';
import { isSpaceCode } from './chars.ts';
import { ImageRefError, parseImageRef } from './refs.ts';
import { parseShell } from './shell.ts';
import { MappedText, SourceFile } from './source.ts';
import { expandVariables } from './vars.ts';

export interface ParseOptions {
  /** `--build-arg` values. */
  buildArgs?: Record<string, string>;
  /** The target platform, `os/arch[/variant]` (default linux/amd64). */
  platform?: string;
}

export const KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);
const WINDOWS_IMAGE = /(^|[/:._-])(windows|nanoserver|servercore|windowsservercore|ltsc20\d\d)([/:._-]|$)/i;
const DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const FLAGGED = new Set(['RUN', 'COPY', 'ADD', 'FROM', 'HEALTHCHECK']);
const COMMAND_FORMS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL']);
const POSIX_SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);

/** Predefined platform ARGs, available in the global scope (BuildKit). */
function platformArgs(platform: string): Record<string, string> {
  const [os = 'linux', arch = 'amd64', variant = ''] = platform.split('/');
  return {
    TARGETPLATFORM: platform,
    TARGETOS: os,
    TARGETARCH: arch,
    TARGETVARIANT: variant,
    BUILDPLATFORM: platform,
    BUILDOS: os,
    BUILDARCH: arch,
    BUILDVARIANT: variant,
  };
}


export function parseDockerfile(text: string, file: string, opts: ParseOptions = {}): DockerfileModel {
  const source = new SourceFile(text);
  const ast = DockerfileParser.parse(text);
  const escape = ast.getEscapeCharacter() === '`' ? '`' : '\\';
  const buildArgs = opts.buildArgs ?? {};
  const platform = opts.platform ?? 'linux/amd64';
  const problems: ParseProblem[] = [];
  const span = (r: { start: { line: number; character: number }; end: { line: number; character: number } }): Span =>
    source.spanOf(source.offsetAt(r.start.line, r.start.character), source.offsetAt(r.end.line, r.end.character));

  // dockerfile-ast reads any leading `# key=value` as a directive; BuildKit knows only these.
  const astDirectives = ast.getDirectives().filter((d) => DIRECTIVES.has(d.getName().toLowerCase()));
  const directives: Directive[] = astDirectives.map((d) => ({
    name: d.getName().toLowerCase(),
    value: d.getValue(),
    span: span(d.getRange()),
  }));
  const directiveLines = new Set(directives.map((d) => d.span.line));
  // Comments: every line whose first non-blank character is `#`, except directives and heredoc bodies (filled in
  // below, once the instructions and their heredocs are known).
  const heredocLines = new Set<number>();
  const comments: Comment[] = [];

  const model: DockerfileModel = {
    file,
    source,
    escape,
    directives,
    syntax: directives.find((d) => d.name === 'syntax')?.value ?? null,
    globalArgs: [],
    stages: [],
    instructions: [],
    all: [],
    comments,
    problems,
    finalStage: null,
  };

  // Variable scopes: the global one (for FROM lines) and the current stage's.
  const globalScope = new Map<string, string | undefined>(Object.entries(platformArgs(platform)));
  let scope = new Map<string, string | undefined>();
  const stageEnv = new Map<Stage, Map<string, string>>();
  let env = new Map<string, string>();
  // `# hadolint shell=powershell` / `# defang shell=pwsh` sets the default shell for the whole file.
  const shellPragma = /^[ \t]*#[ \t]*(?:hadolint|defang)[ \t]+shell[ \t]*=[ \t]*(\S+)/im.exec(text);
  const defaultShell: string[] = shellPragma ? [shellPragma[1]] : [...DEFAULT_SHELL];
  let shellCommand: string[] = [...defaultShell];
  const stageShell = new Map<Stage, string[]>();
  let stage: Stage | null = null;
  // A snapshot of the variables in effect, taken when first asked for (most instructions never are).
  const makeLookup = (): Lookup => {
    let vars: Map<string, string> | null = null;
    const scopeNow = scope.size > 0 ? [...scope] : [];
    const envNow = env.size > 0 ? [...env] : [];
    return (name) => {
      if (vars === null) {
        vars = new Map<string, string>();
        for (const [k, v] of scopeNow) if (v !== undefined) vars.set(k, v);
        for (const [k, v] of envNow) vars.set(k, v);
      }
      return vars.get(name);
    };
  };

  for (const node of ast.getInstructions()) {
    const inst = buildInstruction(node, source, escape, problems);
    if (!inst) continue;
    inst.index = model.all.length;
    model.instructions.push(inst);
    model.all.push(inst);
    if (inst.trigger) {
      inst.trigger.index = model.all.length;
      model.all.push(inst.trigger);
    }

    if (inst.keyword === 'FROM') {
      if (stage) {
        stageEnv.set(stage, env);
        stageShell.set(stage, shellCommand);
      }
      stage = makeStage(inst, model.stages, globalScope, escape, problems);
      inst.stage = stage;
      model.stages.push(stage);
      // A stage built on another stage inherits its environment and SHELL; ARGs never carry over.
      env = new Map(stage.baseStage ? stageEnv.get(stage.baseStage) ?? [] : []);
      const stageDefault = stage.windows && !shellPragma ? [...WINDOWS_DEFAULT_SHELL] : defaultShell;
      shellCommand = stage.baseStage ? [...(stageShell.get(stage.baseStage) ?? stageDefault)] : [...stageDefault];
      scope = new Map();
      inst.lookup = makeLookup();
      inst.shellCommand = shellCommand;
      continue;
    }

    inst.stage = stage;
    if (inst.trigger) inst.trigger.stage = stage;
    if (stage) stage.instructions.push(inst);
    else if (inst.keyword === 'ARG') model.globalArgs.push(inst);
    else if (KEYWORDS.has(inst.keyword)) {
      problems.push({ message: `${inst.keyword} before the first FROM: only ARG may come before FROM`, span: inst.keywordSpan });
    }

    const lookupNow = stage ? makeLookup() : (name: string) => globalScope.get(name);
    inst.lookup = lookupNow;
    inst.shellCommand = shellCommand;
    if (inst.trigger) {
      inst.trigger.lookup = lookupNow;
      inst.trigger.shellCommand = shellCommand;
    }

    switch (inst.keyword) {
      case 'ARG':
        for (const p of inst.properties) {
          let value: string | undefined;
          if (Object.hasOwn(buildArgs, p.name)) value = buildArgs[p.name];
          else if (p.value !== null) value = expandVariables(p.value, lookupNow, { escape, removeQuotes: true }).value;
          // ARG NAME inside a stage, without a default, takes the value of the global ARG of that name.
          // (The platform ARGs are predefined in the global scope, so `ARG TARGETARCH` works the same way.)
          else if (stage && globalScope.has(p.name)) value = globalScope.get(p.name);
          p.expanded = value ?? null;
          if (stage) scope.set(p.name, value);
          else globalScope.set(p.name, value);
        }
        break;
      case 'ENV':
        for (const p of inst.properties) {
          const value = expandVariables(p.value ?? '', makeLookup(), { escape, removeQuotes: true }).value;
          p.expanded = value;
          env.set(p.name, value);
        }
        break;
      case 'LABEL':
        for (const p of inst.properties) {
          p.expanded = expandVariables(p.value ?? '', lookupNow, { escape, removeQuotes: true }).value;
        }
        break;
      case 'SHELL':
        if (inst.exec && inst.exec.length > 0) shellCommand = [...inst.exec];
        else problems.push({ message: 'SHELL requires the JSON form, e.g. SHELL ["/bin/bash", "-c"]', span: inst.span });
        break;
    }
    for (const i of inst.trigger ? [inst, inst.trigger] : [inst]) {
      if (i.keyword === 'RUN') i.shell = runShell(i, shellCommand, i.lookup);
    }
  }
  if (stage) {
    stage.final = true;
    model.finalStage = stage;
  }
  for (const inst of model.instructions) {
    if (inst.heredocs.length === 0) continue;
    const firstBody = inst.heredocs[0].bodySpan?.line ?? inst.span.line + 1;
    for (let l = Math.min(firstBody, inst.span.endLine); l <= inst.span.endLine; l++) heredocLines.add(l);
  }
  const lines = source.lines;
  for (let i = 0; i < lines.length; i++) {
    const lineText = lines[i];
    let col = 0;
    while (col < lineText.length && isSpaceCode(lineText.charCodeAt(col))) col++;
    if (lineText.charCodeAt(col) !== 35 /* # */) continue;
    const line = i + 1;
    if (directiveLines.has(line) || heredocLines.has(line)) continue;
    comments.push({ text: lineText.slice(col + 1).trim(), line, span: { line, column: col + 1, endLine: line, endColumn: lineText.length + 1 } });
  }

  if (model.stages.length === 0 && model.instructions.length > 0) {
    problems.push({ message: 'no FROM instruction: a Dockerfile must start a stage with FROM', span: model.instructions[0].keywordSpan });
  }
  return model;
}

function makeStage(
  from: Instruction,
  stages: Stage[],
  globalScope: Map<string, string | undefined>,
  escape: string,
  problems: ParseProblem[],
): Stage {
  // FROM [--platform=…] image [AS name]
  const words = splitWords(from.argsText);
  const baseWord = words[0];
  let name: string | null = null;
  let nameSpan: Span | null = null;
  if (words.length >= 3 && words[1].text.toLowerCase() === 'as') {
    name = words[2].text.toLowerCase();
    nameSpan = from.argsText.spanOf(words[2].start, words[2].end);
  } else if (words.length === 2 || words.length > 3) {
    problems.push({ message: 'FROM takes an image and an optional "AS name"', span: from.span });
  }
  const baseText = baseWord?.text ?? '';
  const baseSpan = baseWord ? from.argsText.spanOf(baseWord.start, baseWord.end) : from.keywordSpan;
  const lookup = (n: string) => globalScope.get(n);
  const stage: Stage = {
    index: stages.length,
    name,
    nameSpan,
    from,
    baseText,
    baseSpan,
    baseResolved: null,
    base: null,
    baseStage: null,
    scratch: false,
    unresolved: null,
    platform: null,
    instructions: [from],
    final: false,
    windows: false,
  };
  const platformFlag = from.flags.find((f) => f.name === 'platform');
  if (platformFlag?.value) stage.platform = expandVariables(platformFlag.value, lookup, { escape, removeQuotes: true }).value;
  if (stage.platform && /^windows/i.test(stage.platform)) stage.windows = true;
  if (!baseWord) {
    stage.unresolved = 'FROM has no image';
    problems.push({ message: 'FROM requires an image name', span: from.span });
    return stage;
  }
  const exp = expandVariables(baseText, lookup, { escape, removeQuotes: true });
  // The backtick escape is a Windows habit: with a base that cannot be resolved, take it as a Windows stage.
  if (exp.missing.length > 0 && escape === '`') stage.windows = true;
  if (exp.missing.length > 0) {
    stage.unresolved = `the base image depends on ${exp.missing.map((m) => `$${m}`).join(', ')}, which ${exp.missing.length > 1 ? 'have' : 'has'} no value (no default and no build-arg)`;
    return stage;
  }
  const resolved = exp.value;
  stage.baseResolved = resolved;
  if (resolved === '') {
    stage.unresolved = 'the base image resolves to an empty name';
    return stage;
  }
  const lower = resolved.toLowerCase();
  const parent = stages.find((s) => s.name !== null && s.name === lower);
  if (parent) {
    stage.baseStage = parent;
    stage.windows ||= parent.windows;
    return stage;
  }
  if (WINDOWS_IMAGE.test(resolved)) stage.windows = true;
  if (lower === 'scratch') {
    stage.scratch = true;
    return stage;
  }
  try {
    stage.base = parseImageRef(resolved);
  } catch (e) {
    stage.unresolved = `invalid image reference "${resolved}": ${(e as ImageRefError).message}`;
    problems.push({ message: `invalid image reference "${resolved}": ${(e as Error).message}`, span: baseSpan });
  }
  return stage;
}

interface RawWord {
  text: string;
  start: number;
  end: number;
}

/** Split a logical argument text on unquoted whitespace. */
export function splitWords(t: MappedText | string): RawWord[] {
  const text = typeof t === 'string' ? t : t.text;
  const out: RawWord[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    const start = i;
    let quote: string | null = null;
    while (i < text.length && (quote !== null || !isSpaceCode(text.charCodeAt(i)))) {
      if (quote === null && (text[i] === '"' || text[i] === "'")) quote = text[i];
      else if (quote !== null && text[i] === quote) quote = null;
      i++;
    }
    out.push({ text: text.slice(start, i), start, end: i });
  }
  return out;
}

/**
 * Join an instruction's physical lines into its logical text, as BuildKit does: an escape character at the end of a
 * line continues it (the escape and the newline are dropped), and comment lines and empty lines inside a
 * continuation are dropped. Returns the mapped text of [start, end).
 */
export function joinLines(source: SourceFile, start: number, end: number, escape: string): MappedText {
  const out = new MappedText(source);
  const text = source.text;
  let pos = start;
  let first = true;
  while (pos < end) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    let content = lineEnd;
    if (content > pos && text[content - 1] === '\r') content--;
    if (!first) {
      // Comment lines and empty lines inside a continuation are dropped.
      let k = pos;
      while (k < content && isSpaceCode(text.charCodeAt(k))) k++;
      if (k === content || text.charCodeAt(k) === 35 /* # */) {
        pos = lineEnd + 1;
        continue;
      }
    }
    first = false;
    let trimmedEnd = content;
    while (trimmedEnd > pos && (text.charCodeAt(trimmedEnd - 1) === 32 || text.charCodeAt(trimmedEnd - 1) === 9)) trimmedEnd--;
    if (trimmedEnd > pos && text[trimmedEnd - 1] === escape && lineEnd < end) {
      out.appendSource(pos, trimmedEnd - 1);
      pos = lineEnd + 1;
      continue;
    }
    out.appendSource(pos, content);
    if (lineEnd < end) out.appendSynthetic('\n', lineEnd);
    pos = lineEnd + 1;
  }
  return out;
}

function buildInstruction(node: AstInstruction, source: SourceFile, escape: string, problems: ParseProblem[]): Instruction | null {
  const r = node.getRange();
  const start = source.offsetAt(r.start.line, r.start.character);
  const end = source.offsetAt(r.end.line, r.end.character);
  const withHeredocs = node as unknown as { getHeredocs?: () => import('dockerfile-ast').Heredoc[] };
  // Asking dockerfile-ast for heredocs is costly; only an instruction with `<<` can have one.
  const heredocNodes =
    typeof withHeredocs.getHeredocs === 'function' && source.text.slice(start, end).includes('<<')
      ? (withHeredocs.getHeredocs() ?? [])
      : [];
  // The head (the logical line) ends where the first heredoc body begins.
  let headEnd = end;
  let bodyStartLine = -1;
  for (const h of heredocNodes) {
    const first = h.getContentRange() ?? h.getDelimiterRange();
    if (first) {
      bodyStartLine = first.start.line;
      headEnd = Math.min(headEnd, Math.max(start, source.offsetAt(first.start.line, 0) - 1));
      break;
    }
  }
  const head = joinLines(source, start, headEnd, escape);
  const inst = instructionFromHead(head, source.spanOf(start, end), source.text.slice(start, end), problems);
  if (!inst) return null;

  for (const h of heredocNodes) {
    const nameText = h.getName();
    const marker = new RegExp(`<<(-?)(["']?)${nameText.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\2`).exec(head.text);
    const stripTabs = marker?.[1] === '-';
    const quoted = !!marker?.[2];
    const cr = h.getContentRange();
    const dr = h.getDelimiterRange();
    let bodyText = new MappedText(source);
    let bodySpan: Span | null = null;
    if (cr) {
      const bStart = source.offsetAt(cr.start.line, 0);
      const bEnd = dr ? source.offsetAt(dr.start.line, 0) : source.offsetAt(cr.end.line, cr.end.character);
      bodyText = new MappedText(source);
      bodyText.appendSource(bStart, bEnd);
      bodySpan = source.spanOf(bStart, Math.max(bStart, bEnd - 1));
    }
    if (!dr) {
      problems.push({ message: `heredoc <<${nameText} is not terminated: no line "${nameText}" ends it`, span: inst.span });
    }
    const body = stripTabs ? bodyText.text.replace(/^\t+/gm, '') : bodyText.text;
    inst.heredocs.push({ delimiter: nameText, stripTabs, quoted, body, bodyText, bodySpan });
  }
  if (inst.heredocs.length > 0 && bodyStartLine >= 0) {
    // The raw rest (bodies and delimiters) is part of the script the shell sees when a command reads the heredoc.
    (inst as InstructionWithRest).rest = { start: source.offsetAt(bodyStartLine, 0), end };
  }

  if (inst.keyword === 'ONBUILD') {
    const t = instructionFromHead(inst.argsText, inst.span, inst.text, problems);
    if (t) {
      if (t.keyword === 'ONBUILD' || t.keyword === 'FROM' || t.keyword === 'MAINTAINER') {
        problems.push({ message: `${t.keyword} is not allowed as an ONBUILD trigger`, span: t.keywordSpan });
      }
      t.onbuild = inst;
      t.heredocs = inst.heredocs;
      if (t.keyword === 'ENV' || t.keyword === 'ARG' || t.keyword === 'LABEL') t.properties = propertiesFromArgs(t);
      (t as InstructionWithRest).rest = (inst as InstructionWithRest).rest;
      inst.trigger = t;
    } else {
      problems.push({ message: 'ONBUILD needs an instruction to trigger', span: inst.span });
    }
  } else if (KEYWORDS.has(inst.keyword) && inst.keyword !== 'ONBUILD') {
    const props = (node as PropertyInstruction).getProperties;
    if (inst.keyword === 'ARG') {
      // `ARG A B=2` declares two arguments (dockerfile-ast reads one).
      inst.properties = propertiesFromArgs(inst);
    } else if ((inst.keyword === 'ENV' || inst.keyword === 'LABEL') && typeof props === 'function') {
      const span = (rr: { start: { line: number; character: number }; end: { line: number; character: number } }): Span =>
        source.spanOf(source.offsetAt(rr.start.line, rr.start.character), source.offsetAt(rr.end.line, rr.end.character));
      for (const p of (node as PropertyInstruction).getProperties()) {
        const raw = p.getValue();
        inst.properties.push({
          name: p.getName(),
          value: raw ?? '',
          expanded: null,
          nameSpan: span(p.getNameRange()),
          span: span(p.getRange()),
        });
      }
    }
  }
  return inst;
}

/**
 * The `KEY=value` properties of an ENV/ARG/LABEL from its argument text (`KEY=value …`, or the legacy `KEY value`),
 * quotes removed, not expanded. Used for ARG (dockerfile-ast reads only one per instruction) and for ONBUILD
 * triggers, which dockerfile-ast does not split.
 */
function propertiesFromArgs(inst: Instruction): Property[] {
  const args = inst.argsText;
  const words = splitWords(args);
  if (words.length === 0) return [];
  if (!words[0].text.includes('=') && inst.keyword !== 'ARG') {
    const first = words[0];
    const rest = words.slice(1);
    const end = rest.length > 0 ? rest[rest.length - 1].end : first.end;
    return [
      {
        name: first.text,
        value: rest.length > 0 ? unquote(args.text.slice(rest[0].start, end)) : '',
        expanded: null,
        nameSpan: args.spanOf(first.start, first.end),
        span: args.spanOf(first.start, end),
      },
    ];
  }
  return words.map((w) => {
    const eq = w.text.indexOf('=');
    const name = eq >= 0 ? w.text.slice(0, eq) : w.text;
    return {
      name,
      value: eq >= 0 ? unquote(w.text.slice(eq + 1)) : null,
      expanded: null,
      nameSpan: args.spanOf(w.start, w.start + name.length),
      span: args.spanOf(w.start, w.end),
    };
  });
}

/** A word with its quotes removed (the quote characters themselves; nothing is expanded). */
export function unquote(word: string): string {
  let out = '';
  let quote: string | null = null;
  for (const c of word) {
    if (quote) {
      if (c === quote) quote = null;
      else out += c;
    } else if (c === '"' || c === "'") quote = c;
    else out += c;
  }
  return out;
}

interface InstructionWithRest extends Instruction {
  rest?: { start: number; end: number };
}

/** Keyword, flags, args and exec form from a logical text that starts at the keyword. */
function instructionFromHead(head: MappedText, span: Span, text: string, problems: ParseProblem[]): Instruction | null {
  const t = head.text;
  let i = 0;
  while (i < t.length && isSpaceCode(t.charCodeAt(i))) i++;
  const kStart = i;
  while (i < t.length && !isSpaceCode(t.charCodeAt(i))) i++;
  if (i === kStart) return null;
  const keyword = t.slice(kStart, i).toUpperCase();
  const keywordSpan = head.spanOf(kStart, i);
  if (!KEYWORDS.has(keyword)) {
    problems.push({ message: `unknown instruction "${t.slice(kStart, i)}"`, span: keywordSpan });
  }
  while (i < t.length && isSpaceCode(t.charCodeAt(i))) i++;
  const flags: Flag[] = [];
  if (FLAGGED.has(keyword)) {
    while (t.startsWith('--', i)) {
      const fStart = i;
      while (i < t.length && !isSpaceCode(t.charCodeAt(i))) i++;
      const word = t.slice(fStart + 2, i);
      if (word === '') {
        // `--` alone ends the flags.
        while (i < t.length && isSpaceCode(t.charCodeAt(i))) i++;
        break;
      }
      const eq = word.indexOf('=');
      flags.push({
        name: (eq >= 0 ? word.slice(0, eq) : word).toLowerCase(),
        value: eq >= 0 ? word.slice(eq + 1) : null,
        span: head.spanOf(fStart, i),
      });
      while (i < t.length && isSpaceCode(t.charCodeAt(i))) i++;
    }
  }
  let argEnd = t.length;
  while (argEnd > i && isSpaceCode(t.charCodeAt(argEnd - 1))) argEnd--;
  const argsText = head.slice(i, argEnd);
  const args = argsText.text;
  let form: Instruction['form'] = null;
  let exec: string[] | null = null;
  let formArgs = args;
  if (keyword === 'HEALTHCHECK') {
    const m = /^CMD\s+/i.exec(args);
    formArgs = m ? args.slice(m[0].length) : '';
  }
  if (COMMAND_FORMS.has(keyword) || (keyword === 'HEALTHCHECK' && formArgs !== '')) {
    form = 'shell';
    if (formArgs.trimStart().startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(formArgs);
        if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) {
          form = 'exec';
          exec = parsed as string[];
        }
      } catch {
        // BuildKit runs text that is not a valid JSON array in shell form.
      }
    }
  }
  return {
    keyword,
    keywordSpan,
    span,
    text,
    args,
    argsText,
    flags,
    form,
    exec,
    heredocs: [],
    properties: [],
    stage: null,
    index: 0,
    trigger: null,
    onbuild: null,
    shell: null,
    shellCommand: [...DEFAULT_SHELL],
    lookup: () => undefined,
  };
}

/** The shell script a RUN hands to a POSIX shell, parsed; null when it is exec form or the SHELL is not POSIX. */
function runShell(inst: Instruction, shellCommand: string[], lookup: Lookup): Instruction['shell'] {
  if (inst.form === 'exec') return null;
  const sh = shellCommand[0] ?? '';
  if (!POSIX_SHELLS.has(sh.slice(sh.lastIndexOf('/') + 1).replace(/\.exe$/i, '').toLowerCase())) return null;
  const rest = (inst as InstructionWithRest).rest;
  if (inst.heredocs.length > 0) {
    const only = /^<<-?(["']?)([A-Za-z0-9_.-]+)\1$/.exec(inst.args.trim());
    if (only && inst.heredocs.length === 1) {
      const h = inst.heredocs[0];
      const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(h.body);
      if (shebang) {
        const interp = shebang[1].endsWith('/env') ? (shebang[2] ?? '') : shebang[1];
        if (!POSIX_SHELLS.has(interp.slice(interp.lastIndexOf('/') + 1))) return null;
      }
      return parseShell(h.stripTabs ? h.bodyText.stripLeadingTabs() : h.bodyText, lookup);
    }
    if (rest) {
      const script = inst.argsText.slice(0, inst.argsText.length);
      script.appendSynthetic('\n', rest.start);
      script.appendSource(rest.start, rest.end);
      return parseShell(script, lookup);
    }
  }
  return parseShell(inst.argsText, lookup);
}

/** The Span of a whole instruction's first line (where line-level findings go when nothing more exact exists). */
export function firstLine(inst: Instruction): Span {
  return { line: inst.span.line, column: inst.span.column, endLine: inst.span.line, endColumn: inst.keywordSpan.endColumn };
}
