/**
 * The Dockerfile model: directives, global ARGs, stages with resolved base images, and instructions with exact
 * spans, flags, heredocs, exec/shell form and parsed shell. Built by `parseDockerfile` (parse.ts).
 */
import type { Span } from '../findings.ts';
import type { ImageRef } from './refs.ts';
import type { ShellScript } from './shell.ts';
import type { MappedText, SourceFile } from './source.ts';

export interface Directive {
  name: string;
  value: string;
  span: Span;
}

export interface Flag {
  /** Without dashes: `from`, `chown`, `mount`, `platform`. */
  name: string;
  value: string | null;
  span: Span;
}

export interface Heredoc {
  /** The delimiter word (`EOF`). */
  delimiter: string;
  /** `<<-`: leading tabs are stripped from the body. */
  stripTabs: boolean;
  /** The delimiter was quoted: no expansion inside the body. */
  quoted: boolean;
  /** The body text (tabs stripped for `<<-`). */
  body: string;
  /** The body mapped to the Dockerfile (tabs not stripped). */
  bodyText: MappedText;
  /** Span of the body lines (null when empty). */
  bodySpan: Span | null;
}

/** One `KEY=value` of ENV, ARG or LABEL. */
export interface Property {
  name: string;
  /** The value as written, quotes removed, not expanded; null for `ARG NAME` without a default. */
  value: string | null;
  /** The value with variables substituted as the build would see it (null when no value). */
  expanded: string | null;
  nameSpan: Span;
  span: Span;
}

export type Lookup = (name: string) => string | undefined;

export interface Instruction {
  /** Upper-case keyword (`RUN`); unknown keywords are kept as written, upper-cased. */
  keyword: string;
  keywordSpan: Span;
  /** The whole instruction: every physical line, including heredoc bodies. */
  span: Span;
  /** The raw source text of the instruction. */
  text: string;
  /** The argument text after the flags, continuations joined and comment lines dropped (heredoc bodies excluded). */
  args: string;
  argsText: MappedText;
  flags: Flag[];
  /** For RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK CMD: `exec` for a JSON array, `shell` otherwise. */
  form: 'exec' | 'shell' | null;
  /** The JSON array's strings, in exec form. */
  exec: string[] | null;
  heredocs: Heredoc[];
  /** ENV, ARG, LABEL: the properties. */
  properties: Property[];
  /** The stage the instruction belongs to; null for instructions before the first FROM. */
  stage: Stage | null;
  /** Position among all instructions (top-level and ONBUILD triggers), in source order. */
  index: number;
  /** ONBUILD: the trigger instruction. */
  trigger: Instruction | null;
  /** For a trigger: the ONBUILD that holds it. */
  onbuild: Instruction | null;
  /** RUN in shell form (or with a heredoc script): the parsed shell; null for exec form or a non-POSIX SHELL. */
  shell: ShellScript | null;
  /** The SHELL in effect (`["/bin/sh", "-c"]` by default). */
  shellCommand: string[];
  /** Variables (ARG and ENV) in scope before this instruction runs, as the build would see them. */
  lookup: Lookup;
}

export interface Stage {
  index: number;
  /** The `AS name`, lower-cased as BuildKit does; null when unnamed. */
  name: string | null;
  nameSpan: Span | null;
  from: Instruction;
  /** The base as written (`${BASE}`, `node:20`). */
  baseText: string;
  baseSpan: Span;
  /** The base after variable substitution; null when it cannot be resolved. */
  baseResolved: string | null;
  /** The normalised image reference, when the base is an image (not a stage, not `scratch`) and resolves. */
  base: ImageRef | null;
  /** The earlier stage this one builds on (`FROM build AS test`). */
  baseStage: Stage | null;
  /** `FROM scratch`. */
  scratch: boolean;
  /** Why the base could not be resolved or parsed; null when it was. */
  unresolved: string | null;
  /** `--platform=` as resolved. */
  platform: string | null;
  /** The instructions of the stage, FROM first. */
  instructions: Instruction[];
  /** Whether this is the last stage of the file (the image `docker build` produces without --target). */
  final: boolean;
  /**
   * A Windows stage, as far as the Dockerfile shows: a `--platform=windows/…`, a Windows base image (nanoserver,
   * servercore, `mcr.microsoft.com/windows/…`, an `ltsc20xx` tag), a stage built on one, or a base that cannot be
   * resolved in a file with the backtick escape character. Its default shell is `cmd /S /C`, so RUN scripts are not
   * parsed as POSIX shell.
   */
  windows: boolean;
}

export interface Comment {
  /** The text after `#`, trimmed. */
  text: string;
  line: number;
  span: Span;
}

export interface ParseProblem {
  message: string;
  span: Span;
}

export interface DockerfileModel {
  /** Repository-relative path. */
  file: string;
  source: SourceFile;
  /** The escape character: `\` or `` ` ``. */
  escape: string;
  directives: Directive[];
  /** `# syntax=` value, if any. */
  syntax: string | null;
  /** ARG instructions before the first FROM. */
  globalArgs: Instruction[];
  stages: Stage[];
  /** Top-level instructions in source order. */
  instructions: Instruction[];
  /** Top-level instructions and ONBUILD triggers, in source order. */
  all: Instruction[];
  comments: Comment[];
  /** Things the build would reject or that could not be parsed; each becomes a finding. */
  problems: ParseProblem[];
  /** The stage `docker build` produces (the last one), or null when there is none. */
  finalStage: Stage | null;
}

export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];
export const WINDOWS_DEFAULT_SHELL: readonly string[] = ['cmd', '/S', '/C'];

/** The stage and the stages it builds on (`FROM build AS test` → [test, build, …]), nearest first. */
export function stageChain(stage: Stage): Stage[] {
  const out: Stage[] = [];
  for (let s: Stage | null = stage; s && !out.includes(s); s = s.baseStage) out.push(s);
  return out;
}
