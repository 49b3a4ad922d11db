/**
 * Attribution: which Dockerfile instruction made each layer of a built image.
 *
 * How it works (docs/image-attribution.md has the long version, with what was observed on a real engine):
 *
 * 1. History ↔ layers. The image config's history lists one entry per build step, oldest first; entries with
 *    `empty_layer` own no layer, and the other entries, in order, own layers 0..n-1. When the number of entries that
 *    own a layer differs from the number of layers, no layer can be tied to an entry: the layers are `unmapped`
 *    (except those the base image's own layers prove inherited) and a note says why.
 * 2. The stage chain. The image was built from the final stage, or the `--target` stage; a stage written
 *    `FROM other-stage` continues that stage, so the chain runs from the target back to the stage whose base is an
 *    image (or scratch). Every instruction after FROM in the chain records exactly one history entry, under the
 *    legacy builder and under BuildKit alike, with one exception: ONBUILD records an entry under the legacy builder
 *    and none under BuildKit. A stage that continues another first runs that stage's ONBUILD triggers, each
 *    recording one entry. The legacy builder also appends one `LABEL` entry per `docker build --label`.
 * 3. Where the base image ends. Preferred: the base image's own diff_ids (the caller inspects the base when it is
 *    local): the longest common prefix of the two diff_id lists is the base, and the base's own history length says
 *    which history entries are its. Otherwise the documented heuristic: the chain's entries are the LAST k entries
 *    of the history (k from step 2), and everything before them is the base.
 * 4. Mapping. The chain's instructions are matched to their history entries in order, checking the text of each
 *    entry (see `parseHistoryEntry`): the keyword always; for RUN the command (whitespace-normalised, variables left
 *    as written, since both builders record the command unexpanded, after any `|N K=v …` build-argument prefix);
 *    for COPY and ADD the destination. The first entry that does not match stops the mapping: it and every later
 *    layer are `unmapped` with the reason. Layers before the boundary are `inherited`.
 *
 * Limits: the heuristic (no base image to compare with) cannot see entries the base image's own ONBUILD triggers add
 * at the start of the build, so their layers count as the base's (findings land on the FROM line that triggered
 * them); with the base image's layers known they are reported as unmapped instead. A RUN with a heredoc is checked
 * by keyword only. Nothing here runs Docker.
 */
import { stageChain, type DockerfileModel, type Instruction, type Stage } from '../dockerfile/model.ts';
import { KEYWORDS, splitWords } from '../dockerfile/parse.ts';
import { expandVariables } from '../dockerfile/vars.ts';
import type { Attribution, HistoryEntry, ImageView, LayerAttribution } from '../image-view.ts';

export type Builder = 'legacy' | 'buildkit';

export interface AttributeOptions {
  /** The `--target` stage name the image was built with; the final stage when absent. */
  target?: string;
  /** How many history entries the base image has (`docker history BASE` lines), when the base is local. */
  baseHistoryLength?: number | null;
  /** The base image's diff_ids (`docker image inspect BASE` → RootFS.Layers), when the base is local. */
  baseDiffIds?: string[] | null;
}

/** What one history entry says about the instruction that recorded it. */
export interface HistoryCommand {
  /** Which builder wrote the entry, by its format; null when the entry has no recognisable format (`docker import`). */
  builder: Builder | null;
  /** The instruction keyword (`RUN`, `COPY`, …); null when the entry records none. */
  keyword: string | null;
  /**
   * What the entry records after the keyword: the legacy builder's `<shell> #(nop)` prefix and BuildKit's
   * ` # buildkit` marker removed. For RUN this still holds the build-argument prefix (`|2 A=1 B=2 /bin/sh -c …`).
   */
  args: string;
  /** RUN: the N of a leading `|N` build-argument prefix; 0 when there is none. */
  buildArgCount: number;
  /**
   * RUN: the command after the build-argument prefix. Best effort when a build-argument value holds a space (the
   * record does not quote values); matching does not depend on it.
   */
  command: string;
}

/** A history entry the chain is expected to record: the instruction, and the SHELL a RUN in shell form ran with. */
interface Step {
  inst: Instruction;
  shell: readonly string[];
}

const BUILDKIT_COMMENT = /^buildkit\./;
const LEGACY_NOP = /^([^|][\s\S]*?)\s*#\(nop\)\s+([A-Z]+)(?=\s|$)\s*([\s\S]*)$/;
const BUILD_ARGS = /^\|(\d+)\s+/;
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*=/;
const DISPLAY_MAX = 80;

/** Collapse runs of whitespace to one space and trim. */
export function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Read one history entry: which builder wrote it, the instruction keyword, and (for RUN) the command. Formats:
 * BuildKit `RUN |2 A=b C=d /bin/sh -c … # buildkit`, `COPY src dst # buildkit`, `ENV A=b`, `EXPOSE map[80/tcp:{}]`,
 * `WORKDIR /app` (comment `buildkit.dockerfile.v0`); legacy `/bin/sh -c #(nop)  ENV A=b`,
 * `/bin/sh -c #(nop) COPY file:abc… in /dst `, and for RUN the bare command, `|1 A=b /bin/sh -c …`.
 */
export function parseHistoryEntry(entry: { createdBy: string; comment?: string }): HistoryCommand {
  const text = (entry.createdBy ?? '').trim();
  const buildkitComment = BUILDKIT_COMMENT.test(entry.comment ?? '');
  if (text === '') return { builder: buildkitComment ? 'buildkit' : null, keyword: null, args: '', buildArgCount: 0, command: '' };

  const head = /^([A-Z]+)(?=\s|$)/.exec(text);
  if (head && KEYWORDS.has(head[1]) && head[1] !== 'FROM') {
    let args = text.slice(head[1].length).trim();
    if (head[1] === 'RUN' || head[1] === 'COPY' || head[1] === 'ADD') args = args.replace(/\s*# buildkit$/, '');
    return withCommand({ builder: 'buildkit', keyword: head[1], args, buildArgCount: 0, command: '' });
  }
  if (buildkitComment) {
    // An entry the exporter added for a layer without history ("created by buildkit"): no instruction.
    return { builder: 'buildkit', keyword: null, args: text, buildArgCount: 0, command: '' };
  }
  const nop = LEGACY_NOP.exec(text);
  if (nop && KEYWORDS.has(nop[2]) && nop[2] !== 'FROM') {
    return { builder: 'legacy', keyword: nop[2], args: nop[3].trim(), buildArgCount: 0, command: nop[3].trim() };
  }
  // The legacy builder records RUN as the command itself (with the build-argument prefix, if any).
  return withCommand({ builder: 'legacy', keyword: 'RUN', args: text, buildArgCount: 0, command: '' });
}

function withCommand(c: HistoryCommand): HistoryCommand {
  if (c.keyword !== 'RUN') return { ...c, command: c.args };
  const m = BUILD_ARGS.exec(c.args);
  if (!m) return { ...c, command: c.args };
  const n = Number(m[1]);
  return { ...c, buildArgCount: n, command: stripBuildArgs(c.args.slice(m[0].length), n) };
}

/** Skip N `KEY=value` words (a value runs to the next ` KEY=`, the last one to the next space). */
function stripBuildArgs(text: string, n: number): string {
  let rest = text;
  for (let i = 0; i < n; i++) {
    const name = ARG_NAME.exec(rest);
    if (!name) return text;
    rest = rest.slice(name[0].length);
    if (i < n - 1) {
      const next = /\s[A-Za-z_][A-Za-z0-9_]*=/.exec(rest);
      if (!next) return text;
      rest = rest.slice(next.index + 1);
    } else {
      const space = rest.search(/\s/);
      rest = space < 0 ? '' : rest.slice(space + 1);
    }
  }
  return rest;
}

/**
 * Does a RUN entry record this command? `expected` is what the builder ran: the SHELL words and the command text
 * for the shell form, the JSON array's words for the exec form, joined by spaces (both builders record exactly
 * that). The entry may carry a `|N K=v …` prefix; values may hold spaces, so the command is matched as the
 * record's tail after the prefix rather than by splitting the prefix.
 */
export function runMatches(cmd: HistoryCommand, expected: string): boolean {
  if (cmd.keyword !== 'RUN') return false;
  const got = normaliseSpace(cmd.args);
  const want = normaliseSpace(expected);
  if (got === want) return true;
  const m = BUILD_ARGS.exec(got);
  if (!m || Number(m[1]) < 1) return false;
  const rest = got.slice(m[0].length);
  return rest.endsWith(` ${want}`) && ARG_NAME.test(rest);
}

/** The text a RUN records for this step (see `runMatches`). */
function expectedRun(step: Step): string {
  const { inst } = step;
  if (inst.form === 'exec' && inst.exec) return inst.exec.join(' ');
  return [...step.shell, inst.args].join(' ');
}

/** The destination of a COPY or ADD, as written and with variables expanded (quotes removed). */
function destinations(inst: Instruction, escape: string): string[] {
  const args = inst.args.trim();
  let dest: string | null = null;
  if (args.startsWith('[')) {
    try {
      const arr: unknown = JSON.parse(args);
      if (Array.isArray(arr) && arr.length >= 2 && arr.every((s) => typeof s === 'string')) dest = arr[arr.length - 1] as string;
    } catch {
      // Not JSON: the shell-like form below.
    }
  }
  if (dest === null) {
    const words = splitWords(args);
    if (words.length >= 2) dest = words[words.length - 1].text;
  }
  if (dest === null) return [];
  const out = new Set<string>([normaliseSpace(dest)]);
  out.add(normaliseSpace(expandVariables(dest, inst.lookup, { escape, removeQuotes: true }).value));
  out.delete('');
  return [...out];
}

/** Does this history entry record this step? */
function entryMatches(cmd: HistoryCommand, step: Step, escape: string): boolean {
  const { inst } = step;
  if (cmd.keyword !== inst.keyword) return false;
  if (inst.keyword === 'RUN') {
    // A heredoc's body is what runs, and how it is recorded differs by BuildKit version: keyword only.
    if (inst.heredocs.length > 0) return true;
    return runMatches(cmd, expectedRun(step));
  }
  if (inst.keyword === 'COPY' || inst.keyword === 'ADD') {
    const dests = destinations(inst, escape);
    if (dests.length === 0) return true;
    const got = normaliseSpace(cmd.args);
    return dests.some((d) => got === d || got.endsWith(` ${d}`));
  }
  return true;
}

/** The builder that wrote the image's last history entry (the build's own); null when none can be told. */
export function detectBuilder(history: readonly HistoryEntry[]): Builder | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const b = parseHistoryEntry(history[i]).builder;
    if (b) return b;
  }
  return null;
}

/** The SHELL in effect after a stage's last instruction. */
function shellAtEnd(stage: Stage): readonly string[] {
  const last = stage.instructions[stage.instructions.length - 1];
  if (last.keyword === 'SHELL' && last.exec && last.exec.length > 0) return last.exec;
  return last.shellCommand;
}

/** The history entries the chain records, in order, under this builder. */
function chainSteps(chain: Stage[], builder: Builder): Step[] {
  const steps: Step[] = [];
  chain.forEach((stage, j) => {
    if (j > 0) {
      // A stage built on another runs that stage's ONBUILD triggers first, with the SHELL it ended with.
      const parent = chain[j - 1];
      const shell = shellAtEnd(parent);
      for (const inst of parent.instructions) {
        if (inst.keyword === 'ONBUILD' && inst.trigger) steps.push({ inst: inst.trigger, shell });
      }
    }
    for (const inst of stage.instructions.slice(1)) {
      if (inst.keyword === 'ONBUILD' && builder === 'buildkit') continue;
      steps.push({ inst, shell: inst.shellCommand });
    }
  });
  return steps;
}

/** An entry for a message: build-argument and ARG values hidden, shortened. */
function showEntry(entry: HistoryEntry, shells: readonly string[]): string {
  const cmd = parseHistoryEntry(entry);
  if (cmd.keyword === null) return shorten(normaliseSpace(entry.createdBy)) || '(empty)';
  let args = normaliseSpace(cmd.args);
  if (cmd.keyword === 'RUN') {
    const m = BUILD_ARGS.exec(args);
    if (m) {
      const rest = args.slice(m[0].length);
      const at = shells.map((s) => rest.indexOf(`${s} `)).filter((i) => i >= 0).sort((a, b) => a - b)[0];
      args = `|${m[1]} …${at === undefined ? '' : ` ${rest.slice(at)}`}`;
    }
  } else if (cmd.keyword === 'ARG') {
    args = args.replace(/([A-Za-z_][A-Za-z0-9_]*)=\S*/g, '$1=…');
  }
  return shorten(`${cmd.keyword}${args ? ` ${args}` : ''}`);
}

function showInst(inst: Instruction): string {
  return shorten(normaliseSpace(`${inst.keyword} ${inst.args}`));
}

function shorten(text: string): string {
  return text.length <= DISPLAY_MAX ? text : `${text.slice(0, DISPLAY_MAX - 1)}…`;
}

function resolveStage(model: DockerfileModel, target: string | undefined): Stage | string {
  if (target !== undefined && target !== '') {
    const wanted = target.toLowerCase();
    const matches = model.stages.filter((s) => s.name === wanted);
    if (matches.length === 0) {
      const names = model.stages.map((s) => s.name).filter((n): n is string => n !== null);
      return `the target "${target}" names no stage of ${model.file} (named stages: ${names.length ? names.join(', ') : 'none'})`;
    }
    return matches[matches.length - 1];
  }
  return model.finalStage ?? `${model.file} has no FROM instruction, so no stage of it built this image`;
}

/**
 * Attribute each layer of `view` to the Dockerfile instruction that made it. Never guesses: a layer that cannot be
 * tied to an instruction is `unmapped`, with the reason.
 */
export function attribute(view: ImageView, model: DockerfileModel, opts: AttributeOptions = {}): Attribution {
  const notes: string[] = [];
  const layers: LayerAttribution[] = view.layers.map((_, i) => ({ layer: i, instruction: null, inherited: false }));
  const history = view.history;
  const unmapFrom = (first: number, reason: string): void => {
    for (const la of layers) if (la.layer >= first && !la.inherited && la.instruction === null) la.unmapped = reason;
  };

  const found = resolveStage(model, opts.target);
  if (typeof found === 'string') {
    notes.push(found);
    unmapFrom(0, found);
    return { stage: model.finalStage?.index ?? 0, layers, baseLayers: 0, method: 'history', notes };
  }
  const stage = found;
  // From the stage whose base is an image (or scratch) to `stage`.
  const chain = stageChain(stage).reverse();
  const root = chain[0];

  // The base image's layers, when known: the caller's inspection, or none at all for FROM scratch.
  let baseDiffIds = opts.baseDiffIds ?? null;
  let baseHistoryLength = opts.baseHistoryLength ?? null;
  if (baseDiffIds === null && root.scratch) {
    baseDiffIds = [];
    baseHistoryLength = 0;
  }
  if (baseDiffIds === null && baseHistoryLength !== null) {
    notes.push("the base image's history length is used only with its layers (baseDiffIds), which were not given; it was ignored");
    baseHistoryLength = null;
  }
  if (baseHistoryLength !== null && !(Number.isInteger(baseHistoryLength) && baseHistoryLength >= 0)) {
    notes.push(`the base image's history length ${String(baseHistoryLength)} is not a count of entries; it was ignored`);
    baseHistoryLength = null;
  }
  let method: Attribution['method'] = 'history';
  let proven = 0;
  if (baseDiffIds !== null) {
    const ids = view.layers.map((l) => l.diffId);
    while (proven < baseDiffIds.length && proven < ids.length && ids[proven] === baseDiffIds[proven]) proven++;
    if (proven === baseDiffIds.length) method = 'base-image-layers';
    else {
      notes.push(
        `the base image's ${baseDiffIds.length} layer(s) are not the first layers of this image (only ${proven} match): ` +
          'the local base is not the one the build used, so the base boundary comes from the history heuristic',
      );
    }
  }
  for (let i = 0; i < proven; i++) layers[i].inherited = true;
  if (root.unresolved && !root.scratch && !root.baseStage) {
    notes.push(`the base of stage ${root.index} (line ${root.from.span.line}) could not be resolved (${root.unresolved}); if it names a stage, its instructions are missing from the mapping`);
  }

  // 1. History entries ↔ layers.
  const layerOf: (number | undefined)[] = [];
  let owning = 0;
  history.forEach((h, i) => {
    if (!h.emptyLayer) layerOf[i] = owning++;
  });
  if (owning !== view.layers.length) {
    const reason =
      `the image's history has ${owning} entr${owning === 1 ? 'y' : 'ies'} that own a layer but the image has ` +
      `${view.layers.length} layer(s), so layers cannot be matched to history entries`;
    notes.push(reason);
    unmapFrom(proven, reason);
    return { stage: stage.index, layers, baseLayers: proven, method, notes };
  }
  const ownersBefore = (entry: number): number => {
    let n = 0;
    for (let i = 0; i < entry; i++) if (!history[i].emptyLayer) n++;
    return n;
  };

  // 2. The entries the chain records.
  const builder = detectBuilder(history);
  const steps = chainSteps(chain, builder ?? 'legacy');
  if (builder === null && chain.some((s) => s.instructions.some((i) => i.keyword === 'ONBUILD'))) {
    notes.push('the history does not show which builder made the image; ONBUILD was counted as the legacy builder records it');
  }
  let end = history.length;
  if (builder === 'legacy') {
    // `docker build --label` makes the legacy builder append one LABEL entry per label.
    let trailingEntries = 0;
    while (trailingEntries < end && parseHistoryEntry(history[end - 1 - trailingEntries]).keyword === 'LABEL') trailingEntries++;
    let trailingSteps = 0;
    while (trailingSteps < steps.length && steps[steps.length - 1 - trailingSteps].inst.keyword === 'LABEL') trailingSteps++;
    const extra = trailingEntries - trailingSteps;
    if (extra > 0 && history.slice(end - extra).every((h) => h.emptyLayer)) {
      end -= extra;
      notes.push(`the last ${extra} history entr${extra === 1 ? 'y is a LABEL' : 'ies are LABELs'} from \`docker build --label\`, not from ${model.file}`);
    }
  }
  const k = steps.length;
  const shells = [...new Set(steps.map((s) => s.shell.join(' ')))];

  // 3. Where the base ends: `base` is the first history entry after the base image's, `start` the chain's first.
  let base: number;
  let baseLayers: number;
  if (method === 'base-image-layers') {
    const n = baseDiffIds!.length;
    baseLayers = n;
    // Entries consistent with n base layers: after the n-th layer-owning entry, up to the next one.
    let lo = 0;
    for (let seen = 0; seen < n; lo++) if (!history[lo].emptyLayer) seen++;
    let hi = lo;
    while (hi < end && history[hi].emptyLayer) hi++;
    if (baseHistoryLength !== null && baseHistoryLength >= lo && baseHistoryLength <= hi) base = baseHistoryLength;
    else {
      if (baseHistoryLength !== null) {
        notes.push(`the base image's ${baseHistoryLength} history entries do not line up with its ${n} layer(s) in this image's history`);
      }
      base = Math.min(Math.max(end - k, lo), hi);
    }
  } else {
    if (k > end) {
      const reason = `the stage chain has ${k} instruction(s) that each record a history entry, but the image's history has only ${end}`;
      notes.push(reason);
      unmapFrom(proven, reason);
      return { stage: stage.index, layers, baseLayers: proven, method, notes };
    }
    base = end - k;
    baseLayers = ownersBefore(base);
    if (baseLayers < proven) {
      const reason =
        `the history heuristic puts the base boundary after layer ${baseLayers - 1} but the first ${proven} layers ` +
        "are the base image's own, so the history does not come from this Dockerfile";
      notes.push(reason);
      unmapFrom(proven, reason);
      return { stage: stage.index, layers, baseLayers: proven, method, notes };
    }
  }
  for (let i = 0; i < baseLayers; i++) layers[i].inherited = true;

  let start = base;
  if (end - base > k) {
    // More entries than the chain records: the extra ones come first (the base image's ONBUILD triggers).
    start = end - k;
    const reason = (e: number): string =>
      `history entry ${e} "${showEntry(history[e], shells)}" is not an instruction of the stage chain ` +
      "(the base image's ONBUILD triggers record such entries)";
    notes.push(`after the base image's history the image has ${end - base} entries, but the stage chain records ${k}`);
    for (let e = base; e < start; e++) {
      const l = layerOf[e];
      if (l !== undefined) layers[l].unmapped = reason(e);
    }
  } else if (end - base < k) {
    notes.push(`after the base image's history the image has ${end - base} entries, but the stage chain records ${k}`);
  }

  // 4. Map the chain's instructions to the entries in order; the first mismatch stops the mapping.
  let e = start;
  for (let i = 0; e < end; e++, i++) {
    // At most k entries from `start` (see above), so every entry has a step.
    const entry = history[e];
    const step = steps[i];
    if (!entryMatches(parseHistoryEntry(entry), step, model.escape)) {
      const reason = `history entry ${e} "${showEntry(entry, shells)}" does not match line ${step.inst.span.line} "${showInst(step.inst)}"`;
      notes.push(reason);
      unmapFrom(ownersBefore(e), reason);
      break;
    }
    const l = layerOf[e];
    if (l !== undefined) layers[l].instruction = step.inst.index;
  }
  // Trailing entries set aside above (`--label`) own no layer; anything else left is unmapped by the loop.
  return { stage: stage.index, layers, baseLayers, method, notes };
}

/** One history entry of an image config (`docker save`, a registry), validated. */
function historyEntryFrom(raw: unknown, where: string): HistoryEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${where} is not an object`);
  const r = raw as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    const v = r[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new Error(`${where}.${k} is not a string`);
    return v;
  };
  const empty = r.empty_layer;
  if (empty !== undefined && empty !== null && typeof empty !== 'boolean') throw new Error(`${where}.empty_layer is not a boolean`);
  const out: HistoryEntry = { createdBy: str('created_by') ?? '', emptyLayer: empty === true };
  const created = str('created');
  const comment = str('comment');
  if (created !== undefined) out.created = created;
  if (comment !== undefined) out.comment = comment;
  return out;
}

/**
 * The history of an image config (the JSON a `docker save` archive or a registry holds: `history[]` with `created`,
 * `created_by`, `comment`, `empty_layer`). A config without history gives []. `where` names the source in errors.
 */
export function historyFromConfig(config: unknown, where = 'image config'): HistoryEntry[] {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error(`${where}: the image config is not a JSON object`);
  const history = (config as Record<string, unknown>).history;
  if (history === undefined || history === null) return [];
  if (!Array.isArray(history)) throw new Error(`${where}: "history" is not an array`);
  return history.map((h, i) => historyEntryFrom(h, `${where}: history[${i}]`));
}

/**
 * What `attribute` needs to know about a local base image, from `docker image inspect BASE` (its JSON: an array of
 * one object, or the object) and, optionally, `docker history --no-trunc --format '{{json .}}' BASE` (one JSON object
 * a line, one line per history entry). `docker image inspect` does not show the history, so its length comes from
 * the second.
 */
export function baseFromInspect(
  inspect: unknown,
  historyLines?: string | null,
  where = 'docker image inspect',
): { baseDiffIds: string[]; baseHistoryLength: number | null } {
  const obj = Array.isArray(inspect) ? (inspect.length === 1 ? inspect[0] : undefined) : inspect;
  if (typeof obj !== 'object' || obj === null) throw new Error(`${where}: expected one image object, got ${Array.isArray(inspect) ? `${inspect.length} items` : typeof inspect}`);
  const rootFS = (obj as Record<string, unknown>).RootFS;
  if (typeof rootFS !== 'object' || rootFS === null) throw new Error(`${where}: the image has no RootFS`);
  const ids = (rootFS as Record<string, unknown>).Layers ?? [];
  if (!Array.isArray(ids)) throw new Error(`${where}: RootFS.Layers is not an array`);
  ids.forEach((id, i) => {
    if (typeof id !== 'string' || !/^[a-z0-9]+:[a-f0-9]{32,}$/.test(id)) throw new Error(`${where}: RootFS.Layers[${i}] is not a digest (${JSON.stringify(id)})`);
  });
  let baseHistoryLength: number | null = null;
  if (historyLines !== undefined && historyLines !== null) {
    const lines = historyLines.split('\n').filter((l) => l.trim() !== '');
    lines.forEach((line, i) => {
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        throw new Error(`docker history, line ${i + 1}: not JSON (${shorten(line)})`);
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`docker history, line ${i + 1}: not a JSON object`);
    });
    baseHistoryLength = lines.length;
  }
  return { baseDiffIds: ids as string[], baseHistoryLength };
}
