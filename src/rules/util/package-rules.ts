/**
 * Checks shared by the package-manager rules: which stages end up in the image, BuildKit cache mounts, cleanup
 * commands later in the same RUN, environment variables a command sees, and the three rule shapes that recur for
 * every manager (a missing "assume yes" option, a cache left in the layer, an unpinned package).
 */
import type { DockerfileModel, Instruction, Lookup } from '../../dockerfile/model.ts';
import type { ShellCommand, ShellWord } from '../../dockerfile/shell.ts';
import type { Report, RuleContext, RuleOption } from '../types.ts';
import {
  allPackageCommands,
  at,
  hasOption,
  insertAfter,
  instructionsBefore,
  judgeableOperands,
  lookupFor,
  modulePinned,
  optionValues,
  packageContext,
  packageName,
  RPM_CACHE_DIRS,
  rpmPinned,
  subcommandWord,
  unsetNote,
  type Manager,
  type PackageCommand,
  type PackageContext,
  type PackageOperand,
} from './packages.ts';

// ---------------------------------------------------------------------------------------------------------------
// Which instructions end up in the image.
// ---------------------------------------------------------------------------------------------------------------

/** The rule option that extends cache rules to every stage. */
export const ALL_STAGES_OPTION: RuleOption = {
  type: 'boolean',
  default: false,
  description:
    'Also check stages that do not end up in the final image (set it when you build and ship intermediate stages with `docker build --target`).',
};

/**
 * A filter for instructions whose layers end up in the image `docker build` produces: the final stage and the
 * stages it builds on (`FROM build`), every instruction of a file without FROM, and every ONBUILD trigger (it runs
 * in whatever image builds on this one). With `allStages`, every instruction.
 */
export function inShippedImage(model: DockerfileModel, allStages: boolean): (inst: Instruction) => boolean {
  const shipped = new Set<unknown>();
  for (let s = model.finalStage; s && !shipped.has(s); s = s.baseStage) shipped.add(s);
  return (inst) => allStages || inst.onbuild !== null || inst.stage === null || shipped.has(inst.stage);
}

// ---------------------------------------------------------------------------------------------------------------
// BuildKit mounts.
// ---------------------------------------------------------------------------------------------------------------

export interface Mount {
  type: string;
  target: string | null;
}

/** The `--mount=` flags of a RUN, with `type` (default `bind`) and `target` (also `dst`, `destination`). */
export function runMounts(inst: Instruction, ctx: PackageContext): Mount[] {
  const out: Mount[] = [];
  let lookup: Lookup | null = null;
  for (const f of inst.flags) {
    if (f.name !== 'mount' || f.value === null) continue;
    lookup ??= lookupFor(inst, ctx);
    const m: Mount = { type: 'bind', target: null };
    for (const part of f.value.replace(/^["']|["']$/g, '').split(',')) {
      const eq = part.indexOf('=');
      const key = (eq >= 0 ? part.slice(0, eq) : part).trim().toLowerCase();
      const value = (eq >= 0 ? part.slice(eq + 1) : '').trim().replace(/^["']|["']$/g, '');
      const expanded = value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (all, name: string) => lookup!(name) ?? all);
      if (key === 'type') m.type = expanded.toLowerCase();
      else if (key === 'target' || key === 'dst' || key === 'destination') m.target = expanded;
    }
    out.push(m);
  }
  return out;
}

function normalisePath(p: string): string {
  // Nothing to fold, expand or strip: most paths.
  if (p.length > 1 && p[0] !== '~' && !p.endsWith('/') && !p.endsWith('*') && !p.includes('//')) return p;
  let out = p.replace(/\/+/g, '/');
  out = out.replace(/^~(?=\/|$)/, '/root');
  out = out.replace(/\/\.?\*$/, '').replace(/\/\*$/, '');
  while (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return out;
}

/** Whether `outer` is `inner` or one of its parents. */
export function pathCovers(outer: string, inner: string): boolean {
  const o = normalisePath(outer);
  const i = normalisePath(inner);
  return o === i || (o === '/' ? true : i.startsWith(`${o}/`));
}

/** Whether a cache or tmpfs mount of this RUN holds `path` (so what is written there stays out of the layer). */
export function mountHolds(inst: Instruction, path: string, ctx: PackageContext): boolean {
  return runMounts(inst, ctx).some((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== null && pathCovers(m.target, path));
}

// ---------------------------------------------------------------------------------------------------------------
// Cleanup commands.
// ---------------------------------------------------------------------------------------------------------------

function wordTexts(w: ShellWord): string[] {
  return w.fields ?? (w.value !== null ? [w.value] : []);
}

/** The paths `rm` (or `find … -delete`) removes. */
export function removedPaths(cmd: ShellCommand): string[] {
  if (cmd.base === 'rm' || cmd.base === 'unlink') {
    const out: string[] = [];
    let done = false;
    for (const w of cmd.args) {
      for (const t of wordTexts(w)) {
        if (!done && t === '--') done = true;
        else if (done || !t.startsWith('-')) out.push(t);
      }
    }
    return out;
  }
  if (cmd.base === 'find' && cmd.args.some((w) => w.value === '-delete')) {
    const out: string[] = [];
    for (const w of cmd.args) {
      const v = w.value;
      if (v === null || v.startsWith('-') || v === '(' || v === '!') break;
      out.push(v);
    }
    return out;
  }
  return [];
}

/** Whether `cmd` removes `path` or everything in it. */
export function removes(cmd: ShellCommand, path: string): boolean {
  return removedPaths(cmd).some((p) => pathCovers(p, path));
}

/** The commands of the same RUN that run after `cmd` (in source order). */
export function commandsAfter(cmd: ShellCommand, inst: Instruction): ShellCommand[] {
  return (inst.shell?.commands ?? []).filter((c) => c.index > cmd.index);
}

/**
 * The commands of the RUNs before `inst` in its image, and of `inst` itself before `cmd`. For an ONBUILD trigger,
 * the earlier triggers count too: they run before it in the image that builds on this one.
 */
export function commandsBefore(cmd: ShellCommand, inst: Instruction, model: DockerfileModel): ShellCommand[] {
  const out: ShellCommand[] = [];
  for (const i of instructionsBefore(inst, model)) {
    if (i.keyword === 'RUN' && i.shell) out.push(...i.shell.commands);
    if (inst.onbuild && i.trigger?.keyword === 'RUN' && i.trigger.shell) out.push(...i.trigger.shell.commands);
  }
  out.push(...(inst.shell?.commands ?? []).filter((c) => c.index < cmd.index));
  return out;
}

/** The RUN scripts that run before `inst` in its image (ancestors included), and `inst`'s own. */
export function scriptsUpTo(inst: Instruction, model: DockerfileModel): string[] {
  const out: string[] = [];
  for (const i of instructionsBefore(inst, model)) if (i.keyword === 'RUN') out.push(i.shell?.text ?? i.args);
  out.push(inst.shell?.text ?? inst.args);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Environment variables a command sees.
// ---------------------------------------------------------------------------------------------------------------

function positionBefore(a: { line: number; column: number }, b: { line: number; column: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

/**
 * The value of an environment variable for a command: `NAME=v cmd`, `env NAME=v cmd`, `export NAME=v` or `NAME=v`
 * earlier in the same script, then ENV/ARG of the stage. undefined when it is not set.
 */
export function envFor(cmd: ShellCommand, inst: Instruction, name: string, ctx: PackageContext): string | undefined {
  for (let c: ShellCommand | null = cmd; c; c = c.parent) {
    const own = c.assignments.find((a) => a.name === name);
    if (own) return own.value?.value ?? '';
    if (c.base === 'env' && c !== cmd) {
      for (const w of c.args) {
        const v = w.value;
        if (v && v.startsWith(`${name}=`)) return v.slice(name.length + 1);
      }
    }
  }
  const script = inst.shell?.text ?? '';
  const mapped =
    inst.shell && inst.argsText.text === script
      ? inst.argsText
      : inst.heredocs.find((h) => h.bodyText.text === script)?.bodyText ?? null;
  const re = new RegExp(`(?:^|[\\s;&|(])(?:export\\s+|declare\\s+-x\\s+|readonly\\s+)?${name}=("[^"]*"|'[^']*'|[^\\s;&|)]*)`, 'g');
  let found: string | undefined;
  for (let m = re.exec(script); m; m = re.exec(script)) {
    const start = m.index + m[0].indexOf(name);
    if (mapped && !positionBefore(mapped.spanOf(start, start + 1), cmd.span)) continue;
    found = m[1].replace(/^["']|["']$/g, '');
  }
  if (found !== undefined) return found;
  return lookupFor(inst, ctx)(name);
}

/** The command is fed by `yes` (`yes | apt-get install …`), which answers every prompt. */
export function fedByYes(cmd: ShellCommand): boolean {
  for (let c: ShellCommand | null = cmd; c; c = c.via === 'wrapper' ? c.parent : null) {
    if (c.pipeline && c.pipelineIndex > 0 && c.pipeline.commands[c.pipelineIndex - 1]?.base === 'yes') return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Rule shapes.
// ---------------------------------------------------------------------------------------------------------------

export interface MissingOptionSpec {
  managers: readonly Manager[];
  /** Canonical sub-commands that need the option. */
  subcommands: ReadonlySet<string>;
  /** Whether the command already has what the rule asks for. */
  satisfied(pc: PackageCommand, ctx: PackageContext, model: DockerfileModel): boolean;
  message(pc: PackageCommand): string;
  /** The text to insert and where: after the sub-command (default) or after the program. */
  insert: string;
  insertAfter?: 'subcommand' | 'program';
  fixDescription: string;
}

/** A package-manager command lacks an option (e.g. `-y`): report at the sub-command, with a fix that adds it. */
export function checkMissingOption(spec: MissingOptionSpec): (rc: RuleContext) => void {
  return ({ model, report }) => {
    const ctx = packageContext(model);
    for (const pc of allPackageCommands(model, spec.managers, ctx)) {
      if (pc.subcommand === null || !spec.subcommands.has(pc.subcommand)) continue;
      if (spec.satisfied(pc, ctx, model)) continue;
      const word = subcommandWord(pc);
      const anchor = spec.insertAfter === 'program' ? pc.programWord : word;
      const r: Report = { ...at(word), message: spec.message(pc) };
      const fix = insertAfter(model, anchor, spec.insert, spec.fixDescription);
      if (fix) r.fix = fix;
      report(r);
    }
  };
}

export interface CacheSpec {
  managers: readonly Manager[];
  /** Canonical sub-commands that fill the cache. */
  subcommands: ReadonlySet<string>;
  /** Where the cache lives: a cache or tmpfs mount of any of these keeps it out of the layer. */
  cacheDirs: readonly string[];
  /** A later command in the same RUN that clears the cache. */
  clears(cmd: ShellCommand, pc: PackageCommand, ctx: PackageContext): boolean;
  /** Other reasons the command leaves no cache (an option, an environment variable). */
  exempt?(pc: PackageCommand, ctx: PackageContext): boolean;
  message(pc: PackageCommand): string;
  /** Report only the first such command of a RUN (when the remedy is one cleanup at the end of the RUN). */
  oncePerRun?: boolean;
  /** A fix for the command (e.g. add `--no-cache`), when there is a certain one. */
  fix?(pc: PackageCommand, model: DockerfileModel): Report['fix'];
}

/**
 * A package-manager command leaves its download cache in the layer: no cache mount, no cleanup later in the same
 * RUN. Only instructions that end up in the final image are checked unless the `allStages` option is set.
 */
export function checkCacheLeft(spec: CacheSpec): (rc: RuleContext) => void {
  return ({ model, report, options }) => {
    const ctx = packageContext(model);
    const shipped = inShippedImage(model, options.allStages === true);
    const reported = new Set<Instruction>();
    for (const pc of allPackageCommands(model, spec.managers, ctx)) {
      if (pc.subcommand === null || !spec.subcommands.has(pc.subcommand)) continue;
      if (!shipped(pc.inst) || (spec.oncePerRun && reported.has(pc.inst))) continue;
      if (spec.exempt?.(pc, ctx)) continue;
      if (spec.cacheDirs.some((d) => mountHolds(pc.inst, d, ctx))) continue;
      if (commandsAfter(pc.cmd, pc.inst).some((c) => spec.clears(c, pc, ctx))) continue;
      const r: Report = { ...at(subcommandWord(pc)), message: spec.message(pc) };
      const fix = spec.fix?.(pc, model);
      if (fix) r.fix = fix;
      reported.add(pc.inst);
      report(r);
    }
  };
}

/** `<manager> clean all` (or another clean sub-command given in `what`). */
export function isClean(cmd: ShellCommand, managers: readonly string[], what: string | null): boolean {
  if (!managers.includes(cmd.base)) return false;
  const words = cmd.args.map((w) => w.value).filter((v): v is string => v !== null && !v.startsWith('-'));
  if (words[0] !== 'clean' && !(words[0] === 'cc' && cmd.base === 'zypper')) return false;
  return what === null || words.slice(1).includes(what);
}

export interface PinSpec {
  managers: readonly Manager[];
  /** The operands to judge for one command, with the check to apply; null when the command installs nothing. */
  select(pc: PackageCommand): { operands: PackageOperand[]; pinned(spec: string): boolean } | null;
  /** How to pin this operand, e.g. `install "curl=<version>"`. */
  how(op: PackageOperand, pc: PackageCommand): string;
}

/** `Package "curl" is not pinned to a version: install "curl=<version>" so rebuilds get the same package.` */
export function pinMessage(op: PackageOperand, how: string): string {
  return `Package "${op.shown}" is not pinned to a version${unsetNote(op)}: ${how} so that rebuilds install the same version.`;
}

/** One finding per unpinned package operand, at the operand's word. */
export function checkPins(spec: PinSpec): (rc: RuleContext) => void {
  return ({ model, report }) => {
    const ctx = packageContext(model);
    for (const pc of allPackageCommands(model, spec.managers, ctx)) {
      const sel = spec.select(pc);
      if (!sel) continue;
      for (const op of sel.operands) {
        if (sel.pinned(op.spec)) continue;
        report({ ...at(op.word), message: pinMessage(op, spec.how(op, pc)) });
      }
    }
  };
}


// ---------------------------------------------------------------------------------------------------------------
// The RPM family (yum, dnf, microdnf) and zypper, shared by their rules.
// ---------------------------------------------------------------------------------------------------------------

/** yum/dnf/microdnf will not ask: -y, --assumeyes, `--setopt=assumeyes=1`, or `yes |`. */
export function rpmAssumesYes(pc: PackageCommand): boolean {
  if (hasOption(pc, '-y', '--assumeyes')) return true;
  if (optionValues(pc, '--setopt').some((v) => v !== null && /^assumeyes=(1|true|yes)$/i.test(v))) return true;
  return fedByYes(pc.cmd);
}

/**
 * `clean all` by the same tool, or removing one of the cache directories. yum and dnf are the same program where
 * both exist (RHEL 8 and later); microdnf keeps its own cache, so only `microdnf clean all` clears it.
 */
export function clearsRpmCache(cmd: ShellCommand, pc: PackageCommand): boolean {
  const same = pc.manager === 'microdnf' ? ['microdnf'] : ['yum', 'dnf', 'dnf5'];
  return isClean(cmd, same, 'all') || RPM_CACHE_DIRS.some((d) => removes(cmd, d));
}

/** Pin selection for yum/dnf/microdnf: packages of `install`, streams of `module install`; groups are not judged. */
export function rpmPinSelection(pc: PackageCommand): ReturnType<PinSpec['select']> {
  if (pc.subcommand === 'install') return { operands: judgeableOperands(pc.operands), pinned: rpmPinned };
  if (pc.subcommand === 'module install') return { operands: judgeableOperands(pc.operands), pinned: modulePinned };
  return null;
}

export function rpmPinHow(op: PackageOperand, pc: PackageCommand): string {
  return pc.subcommand === 'module install'
    ? `install "${op.spec}:<stream>"`
    : `install "${packageName(op.specShown, pc.manager)}-<version>"`;
}
