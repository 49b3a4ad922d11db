/**
 * Reading a build's log, line by line as it streams: which step failed, why, and which Dockerfile line it was; the
 * BuildKit check warnings a build prints at its end. Three log shapes, as the builders print them:
 *
 * - buildx / BuildKit (plain progress): vertices `#6 [stage 3/4] RUN false`, `#6 ERROR: …`; a failure block
 *   `------` / ` > [3/4] RUN false:` / `------`; since Dockerfile 1.4 or so a source excerpt
 *   `Dockerfile:3` / `--------------------` / `   3 | >>> RUN false` / `--------------------`; then
 *   `ERROR: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1`.
 *   Older BuildKit (Docker 20.10's built-in) prints no excerpt and ends with `executor failed running […]: exit code: 1`.
 * - the legacy builder: `Step 3/7 : RUN false` … `The command '/bin/sh -c false' returned a non-zero code: 1`.
 * - parse errors from either: `dockerfile parse error line 3: …` / `dockerfile parse error on line 3: …`.
 *
 * The parser keeps only what it needs (the last step, the vertex names, the last excerpt, a tail of lines), so a
 * build that prints gigabytes costs no more memory than one that prints nothing.
 */
import { expandVariables, parseDockerfile, type DockerfileModel, type Instruction, type Stage } from '../dockerfile/index.ts';
import type { BuildCheck } from '../image-view.ts';

export type { BuildCheck } from '../image-view.ts';

export interface FailedStep {
  /** The failing instruction as the builder printed it (`RUN false`). */
  instructionText?: string;
  /** 1-based Dockerfile line of the failing instruction (its first line). */
  line?: number;
  /** Last line of the instruction, when it spans several. */
  endLine?: number;
  /** The builder's step label: BuildKit's stage (`base`, `stage-1`), when it printed one. */
  stage?: string;
  /** The step number (legacy: among all instructions; BuildKit: within the stage) and the step count. */
  step?: number;
  steps?: number;
}

/** What the log says about a failure, before the Dockerfile is consulted. */
export interface LogFailure {
  step: FailedStep | null;
  /** The most telling error line (`ERROR: failed to solve: …`, `The command '…' returned a non-zero code: 1`). */
  error: string;
  /** The builder that wrote the log, as far as the log shows. */
  format: 'buildkit' | 'legacy' | 'unknown';
}

const TAIL_LINES = 30;
const SOURCE_RULE = /^-{20}$/;
const ERROR_LINE = [
  /^ERROR: /,
  /^error: /i,
  /returned a non-zero code: \d+/,
  /^(COPY|ADD) failed: /,
  /^Error response from daemon: /,
  /^failed to (solve|compute cache key|copy|read|load|create)/,
  /^executor failed running/,
  /^unable to prepare context/,
  /dockerfile parse error/i,
  /^unknown flag: /,
  /^invalid (argument|reference)/,
];

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/** Parses a build log fed line by line. */
export class BuildLogParser {
  private tailBuf: string[] = [];
  private vertices = new Map<string, string>();
  private lastLegacyStep: { step: number; steps: number; text: string } | null = null;
  private lastFailedVertex: { label: string; text: string } | null = null;
  private lastErroredVertexId: string | null = null;
  private lastVertexError: string | null = null;
  private lastError: string | null = null;
  private parseErrorLine: number | null = null;
  private excerpt: { line: number; endLine: number; marked: number[] } | null = null;
  private inExcerpt = false;
  private prev = '';
  private inDeprecation = false;
  private sawBuildKit = false;
  private sawLegacy = false;
  private warningsHeader = false;
  private checksFound: BuildCheck[] = [];

  /** Feed one line (without its newline). */
  push(raw: string): void {
    const line = raw.replace(ANSI, '').replace(/\r$/, '').replace(/.*\r/, '');
    this.read(line);
    if (!this.isNoise(line)) {
      this.tailBuf.push(line);
      if (this.tailBuf.length > TAIL_LINES) this.tailBuf.shift();
    }
    this.prev = line;
  }

  /** Feed a whole log. */
  pushText(text: string): void {
    const lines = text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    for (const l of lines) this.push(l);
  }

  /** The last lines of the log (up to 30), without progress noise (`#5 sha256:…`, deprecation banners, blanks). */
  tail(): string[] {
    return [...this.tailBuf];
  }

  /** BuildKit check warnings printed at the end of a build (` - JSONArgsRecommended: … (line 2)`). */
  checks(): BuildCheck[] {
    return dedupeChecks(this.checksFound);
  }

  /** What the log says about why the build failed (call once the build has failed). */
  failure(): LogFailure {
    const format = this.sawBuildKit ? 'buildkit' : this.sawLegacy ? 'legacy' : 'unknown';
    const error = this.lastError ?? this.lastVertexError ?? this.tailBuf[this.tailBuf.length - 1] ?? 'the build failed';
    let step: FailedStep | null = null;
    const vertex =
      this.lastFailedVertex ??
      (this.lastErroredVertexId !== null ? splitVertexName(this.vertices.get(this.lastErroredVertexId) ?? '') : null);
    if (vertex && vertex.label !== '' && !/^(internal|auth)\b/.test(vertex.label)) {
      step = { instructionText: vertex.text };
      const m = /^(?:(\S+) )?(\d+)\/(\d+)$/.exec(vertex.label);
      if (m) {
        if (m[1] !== undefined) step.stage = m[1];
        step.step = Number(m[2]);
        step.steps = Number(m[3]);
      }
    } else if (this.lastLegacyStep && !this.sawBuildKit) {
      step = { instructionText: this.lastLegacyStep.text, step: this.lastLegacyStep.step, steps: this.lastLegacyStep.steps };
    }
    const line = this.excerpt?.line ?? this.parseErrorLine ?? undefined;
    if (line !== undefined) {
      step ??= {};
      step.line = line;
      const end = this.excerpt ? Math.max(this.excerpt.endLine, ...this.excerpt.marked) : line;
      if (end > line) step.endLine = end;
    }
    return { step, error, format };
  }

  private isNoise(line: string): boolean {
    if (line.trim() === '') return true;
    if (/^#\d+ sha256:[0-9a-f]{64}$/.test(line)) return true;
    if (/^DEPRECATED: The legacy builder/.test(line)) {
      this.inDeprecation = true;
      return true;
    }
    if (this.inDeprecation) {
      if (/^\s{4,}\S/.test(line)) return true;
      this.inDeprecation = false;
    }
    return false;
  }

  private read(line: string): void {
    // Legacy builder steps.
    let m = /^Step (\d+)\/(\d+) : (.*)$/.exec(line);
    if (m) {
      this.sawLegacy = true;
      this.lastLegacyStep = { step: Number(m[1]), steps: Number(m[2]), text: m[3].trim() };
      return;
    }
    // BuildKit vertices.
    m = /^#(\d+) (.*)$/.exec(line);
    if (m) {
      this.sawBuildKit = true;
      const [, id, rest] = m;
      const err = /^ERROR: (.*)$/.exec(rest);
      if (err) {
        this.lastErroredVertexId = id;
        this.lastVertexError = err[1];
      } else if (!this.vertices.has(id)) {
        // The plain printer names a vertex on its first line.
        this.vertices.set(id, rest);
      }
      return;
    }
    // The failure block: `------` / ` > [label] text:`.
    m = /^ > \[([^\]]*)\] (.*):$/.exec(line);
    if (m && this.prev === '------') {
      this.sawBuildKit = true;
      this.lastFailedVertex = { label: m[1].trim(), text: m[2].trim() };
      return;
    }
    // Source excerpts: `Dockerfile:3` (or `:3-5`), a rule of 20 dashes, numbered lines, a closing rule.
    if (SOURCE_RULE.test(line)) {
      if (this.inExcerpt) {
        this.inExcerpt = false;
      } else {
        const h = /^.+:(\d+)(?:-(\d+))?$/.exec(this.prev);
        if (h) {
          this.excerpt = { line: Number(h[1]), endLine: Number(h[2] ?? h[1]), marked: [] };
          this.inExcerpt = true;
        }
      }
      return;
    }
    if (this.inExcerpt && this.excerpt) {
      const src = /^\s*(\d+) \|\s?(>>>)?/.exec(line);
      if (src && src[2]) this.excerpt.marked.push(Number(src[1]));
      return;
    }
    // Check warnings at the end of a build.
    if (/^\s*\d+ warnings? found\b/.test(line)) {
      this.warningsHeader = true;
      return;
    }
    if (this.warningsHeader) {
      const w = /^\s*- (?:Lint Rule '([^']+)'|([A-Za-z][A-Za-z0-9]*)): (.*?)(?: \(line (\d+)\))?\s*$/.exec(line);
      if (w) {
        this.checksFound.push({ rule: w[1] ?? w[2], message: w[3], line: w[4] ? Number(w[4]) : 0 });
        return;
      }
      const more = /^More info: (\S+)$/.exec(line.trim());
      if (more && this.checksFound.length > 0) {
        this.checksFound[this.checksFound.length - 1].url ??= more[1];
        return;
      }
    }
    // Errors.
    const pe = /dockerfile parse error (?:on )?line (\d+)/i.exec(line);
    if (pe) this.parseErrorLine = Number(pe[1]);
    if (ERROR_LINE.some((re) => re.test(line))) this.lastError = line.trim();
  }
}

function splitVertexName(name: string): { label: string; text: string } {
  const m = /^\[([^\]]*)\] (.*)$/.exec(name);
  return m ? { label: m[1].trim(), text: m[2].trim() } : { label: '', text: name };
}

export function dedupeChecks(checks: BuildCheck[]): BuildCheck[] {
  const seen = new Map<string, BuildCheck>();
  for (const c of checks) {
    const key = `${c.rule}\0${c.line}\0${c.message}`;
    const had = seen.get(key);
    if (!had) seen.set(key, { ...c });
    else {
      if (had.url === undefined && c.url !== undefined) had.url = c.url;
      if (had.column === undefined && c.column !== undefined) had.column = c.column;
      if (had.endLine === undefined && c.endLine !== undefined) had.endLine = c.endLine;
    }
  }
  return [...seen.values()].sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

/** Parse a whole log at once. */
export function parseBuildLog(text: string): { failure: LogFailure; checks: BuildCheck[]; tail: string[] } {
  const p = new BuildLogParser();
  p.pushText(text);
  return { failure: p.failure(), checks: p.checks(), tail: p.tail() };
}

// ---------------------------------------------------------------------------------------------------------------
// From the builder's step to the Dockerfile line.

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();
const loose = (s: string): string => norm(s.replace(/[[\]",]/g, ' '));

/** The ways a builder may print an instruction: as written, with variables expanded, exec-form punctuation dropped. */
function printedForms(inst: Instruction): string[] {
  const flags = inst.flags.map((f) => (f.value === null ? `--${f.name}` : `--${f.name}=${f.value}`)).join(' ');
  const head = `${inst.keyword} ${flags}`;
  const forms = [norm(`${head} ${inst.args}`)];
  try {
    const expanded = expandVariables(inst.args, inst.lookup).value;
    forms.push(norm(`${head} ${expanded}`));
  } catch {
    /* unexpandable text: compare as written */
  }
  return forms;
}

function textMatches(inst: Instruction, printed: string): boolean {
  const p = norm(printed);
  const [kw, ...rest] = p.split(' ');
  const target = `${kw.toUpperCase()} ${rest.join(' ')}`.trim();
  for (const f of printedForms(inst)) {
    if (f === target || loose(f) === loose(target)) return true;
  }
  return false;
}

/** The instructions of a stage that BuildKit shows as numbered steps: FROM an image, RUN, COPY, ADD, WORKDIR. */
function buildKitSteps(stage: Stage): Instruction[] {
  return stage.instructions.filter((i) =>
    i.keyword === 'FROM' ? !stage.scratch && stage.baseStage === null : ['RUN', 'COPY', 'ADD', 'WORKDIR'].includes(i.keyword),
  );
}

function findStage(model: DockerfileModel, label: string): Stage | null {
  const byName = model.stages.find((s) => s.name !== null && s.name === label.toLowerCase());
  if (byName) return byName;
  const m = /^stage-(\d+)$/.exec(label);
  return m ? (model.stages[Number(m[1])] ?? null) : null;
}

function place(step: FailedStep, inst: Instruction): FailedStep {
  const out: FailedStep = { ...step, line: inst.span.line };
  if (inst.span.endLine > inst.span.line) out.endLine = inst.span.endLine;
  else delete out.endLine;
  return out;
}

/**
 * Find the Dockerfile line of a failed step the log named only by text and number. Keeps a line the log already
 * gave (BuildKit's excerpt, a parse error). Leaves `line` unset rather than guess when the text matches no
 * instruction, or several and the step number does not decide.
 */
export function locateFailedStep(
  dockerfileText: string,
  step: FailedStep,
  opts: { format?: LogFailure['format']; file?: string; buildArgs?: Record<string, string>; platform?: string } = {},
): FailedStep {
  if (step.line !== undefined) {
    if (step.instructionText !== undefined) return step;
    // A line without text (parse errors): name the instruction there, when there is one.
    try {
      const model = parseDockerfile(dockerfileText, opts.file ?? 'Dockerfile', { buildArgs: opts.buildArgs, platform: opts.platform });
      const at = model.instructions.find((i) => i.span.line <= step.line! && step.line! <= i.span.endLine);
      if (at) return { ...step, instructionText: norm(`${at.keyword} ${at.args}`) };
    } catch {
      /* keep what the log said */
    }
    return step;
  }
  const text = step.instructionText;
  if (text === undefined) return step;
  let model: DockerfileModel;
  try {
    model = parseDockerfile(dockerfileText, opts.file ?? 'Dockerfile', { buildArgs: opts.buildArgs, platform: opts.platform });
  } catch {
    return step;
  }
  const keyword = norm(text).split(' ')[0].toUpperCase();

  // BuildKit: `[stage N/M] TEXT` — N counts within the stage.
  if (opts.format === 'buildkit' || step.stage !== undefined) {
    const stages = step.stage !== undefined ? [findStage(model, step.stage)].filter((s): s is Stage => s !== null) : model.stages;
    if (keyword === 'FROM') {
      const withImage = stages.filter((s) => !s.scratch && s.baseStage === null);
      return withImage.length === 1 ? place(step, withImage[0].from) : step;
    }
    const matches = stages.flatMap((s) => s.instructions.filter((i) => textMatches(i, text)));
    if (matches.length === 1) return place(step, matches[0]);
    if (matches.length > 1 && step.step !== undefined && stages.length === 1) {
      const numbered = buildKitSteps(stages[0])[step.step - 1];
      if (numbered && matches.includes(numbered)) return place(step, numbered);
    }
    return step;
  }

  // Legacy: `Step N/M : TEXT` — N counts every instruction of the file, global ARGs included.
  if (step.step !== undefined) {
    const nth = model.instructions[step.step - 1];
    if (nth && textMatches(nth, text)) return place(step, nth);
  }
  const matches = model.instructions.filter((i) => textMatches(i, text));
  return matches.length === 1 ? place(step, matches[0]) : step;
}
