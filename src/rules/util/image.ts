/**
 * Helpers for the image rules (src/rules/image-*.ts): paths resolved through symlinks inside the image's own tree,
 * commands found on PATH, the image's users and groups from its own /etc/passwd and /etc/group, file contents, the
 * Dockerfile lines of layers, and formatting. Only the types of src/image-view.ts are used: no I/O, no Docker.
 */
import picomatch from 'picomatch';
import type { Span } from '../../findings.ts';
import type { Instruction, Stage } from '../../dockerfile/model.ts';
import type { RemovedFile, ImageFile, ImageView, ReadFile } from '../../image-view.ts';
import type { ImageRuleContext } from '../types.ts';
import { argsSpan, rootStage, stageChain } from './images.ts';
import { memoSlot } from './memo.ts';

// ---------------------------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------------------------

/** Linux gives up after 40 symlinks in one lookup (ELOOP); so do we. */
export const MAX_SYMLINK_HOPS = 40;

export type Resolved =
  | { ok: true; /** The real path, every symlink followed. */ path: string; /** Undefined for `/` when the view has no entry for it. */ file: ImageFile | undefined; hops: number }
  | { ok: false; reason: 'missing' | 'loop' | 'not-a-directory'; /** Where it failed. */ path: string };

function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

/**
 * Resolve a path inside the image the way the kernel would inside the container: every symlink on the way (and the
 * last one unless `followLast` is false) is followed, absolute targets from the image's root, relative ones from
 * the link's directory; `..` never climbs above `/`. Directories a layer did not list (implied by deeper paths) are
 * taken to exist. Fails on a missing path, a loop (more than 40 symlinks), or a file used as a directory.
 */
export function resolvePath(view: ImageView, path: string, followLast = true): Resolved {
  let todo = components(path);
  let cur = '';
  let hops = 0;
  while (todo.length > 0) {
    const c = todo.shift()!;
    if (c === '..') {
      cur = cur.slice(0, cur.lastIndexOf('/'));
      continue;
    }
    const next = `${cur}/${c}`;
    const f = view.files.get(next);
    const last = todo.length === 0;
    if (!f) {
      if (last) return { ok: false, reason: 'missing', path: next };
      cur = next;
      continue;
    }
    if (f.type === 'symlink' && (!last || followLast)) {
      if (++hops > MAX_SYMLINK_HOPS) return { ok: false, reason: 'loop', path: next };
      const target = f.linkTarget ?? '';
      // An empty target leads nowhere (ENOENT), as on Linux.
      if (target === '') return { ok: false, reason: 'missing', path: next };
      if (target.startsWith('/')) cur = '';
      todo = [...components(target), ...todo];
      continue;
    }
    if (!last && f.type !== 'dir') return { ok: false, reason: 'not-a-directory', path: next };
    cur = next;
  }
  const real = cur === '' ? '/' : cur;
  return { ok: true, path: real, file: view.files.get(real), hops };
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

interface ViewIndex {
  /** Directory → its entries. */
  children: Map<string, ImageFile[]>;
  /** Path of a regular file → the hardlinks that point to it. */
  hardlinks: Map<string, string[]>;
  /** Path → the versions of its contents that were read, in layer order. */
  contents: Map<string, ReadFile[]>;
}

const indexes = memoSlot<ImageView, ViewIndex>('image index');

function indexOf(view: ImageView): ViewIndex {
  let ix = indexes.get(view);
  if (ix) return ix;
  ix = { children: new Map(), hardlinks: new Map(), contents: new Map() };
  for (const f of view.files.values()) {
    const dir = dirname(f.path);
    const list = ix.children.get(dir);
    if (list) list.push(f);
    else ix.children.set(dir, [f]);
    if (f.type === 'hardlink' && f.linkTarget) {
      const links = ix.hardlinks.get(f.linkTarget);
      if (links) links.push(f.path);
      else ix.hardlinks.set(f.linkTarget, [f.path]);
    }
  }
  for (const rf of view.contents) {
    const list = ix.contents.get(rf.path);
    if (list) list.push(rf);
    else ix.contents.set(rf.path, [rf]);
  }
  indexes.set(view, ix);
  return ix;
}

/** The entries of a directory (by its real path), unsorted. */
export function childrenOf(view: ImageView, dir: string): readonly ImageFile[] {
  return indexOf(view).children.get(dir) ?? [];
}

/**
 * The file whose bytes a path holds: a hardlink's target when the target is in the final filesystem, else the path
 * itself. Two paths with the same identity are one file.
 */
export function identityOf(view: ImageView, file: ImageFile): ImageFile {
  if (file.type !== 'hardlink' || !file.linkTarget) return file;
  const target = view.files.get(file.linkTarget);
  return target && target.type === 'file' ? target : file;
}

/** Every path that is the same file as `identity` (itself and the hardlinks to it), sorted. */
export function sameFile(view: ImageView, identity: ImageFile): string[] {
  return [identity.path, ...(indexOf(view).hardlinks.get(identity.path) ?? [])].sort();
}

/** Whether a path is a regular file: a file, or a hardlink (tar hardlinks always name a regular file). */
export function isRegular(file: ImageFile): boolean {
  return file.type === 'file' || file.type === 'hardlink';
}

// ---------------------------------------------------------------------------------------------------------------
// Contents
// ---------------------------------------------------------------------------------------------------------------

/** The contents of a path as the given layer wrote it, when they were read. */
export function contentIn(view: ImageView, path: string, layer: number): Buffer | null {
  const versions = indexOf(view).contents.get(path);
  if (!versions) return null;
  for (let i = versions.length - 1; i >= 0; i--) if (versions[i].layer === layer) return versions[i].content;
  return null;
}

/** The contents of a file in the final filesystem: the version of the layer that last set it. */
export function finalContent(view: ImageView, file: ImageFile): Buffer | null {
  const own = contentIn(view, file.path, file.layer);
  if (own !== null || file.type !== 'hardlink' || !file.linkTarget) return own;
  const target = view.files.get(file.linkTarget);
  return target ? contentIn(view, target.path, target.layer) : null;
}

export type TextFile =
  | { state: 'absent' }
  | { state: 'unread'; path: string }
  | { state: 'read'; path: string; text: string };

/** A text file of the final filesystem (symlinks followed): absent, present but not read, or its text. */
export function finalText(view: ImageView, path: string): TextFile {
  const r = resolvePath(view, path);
  if (!r.ok || !r.file || !isRegular(r.file)) return { state: 'absent' };
  const content = finalContent(view, r.file);
  if (content === null) return { state: 'unread', path: r.path };
  return { state: 'read', path: r.path, text: content.toString('utf8') };
}

// ---------------------------------------------------------------------------------------------------------------
// Commands on PATH
// ---------------------------------------------------------------------------------------------------------------

/** Where shells look for commands when the image sets no PATH, and the standard ones it may leave out. */
export const STANDARD_PATH_DIRS: readonly string[] = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The value of a variable in the config's Env, or undefined. */
export function envValue(view: ImageView, name: string): string | undefined {
  let value: string | undefined;
  for (const kv of view.config.env) {
    const eq = kv.indexOf('=');
    const k = eq < 0 ? kv : kv.slice(0, eq);
    if (k === name) value = eq < 0 ? '' : kv.slice(eq + 1);
  }
  return value;
}

/** The standard command directories and the absolute directories of the image's PATH, in that order, unique. */
export function commandDirs(view: ImageView): string[] {
  const path = envValue(view, 'PATH') ?? '';
  const dirs = [...STANDARD_PATH_DIRS, ...path.split(':').filter((d) => d.startsWith('/'))];
  return [...new Set(dirs.map((d) => (d.length > 1 ? d.replace(/\/+$/, '') : d)))];
}

export interface FoundCommand {
  /** The file that holds the program (symlinks followed, hardlinks to one file counted once). */
  binary: ImageFile;
  /** The command names under which it is on PATH, sorted (`sh`, `dash`). */
  names: string[];
  /** Every hardlink of the binary (with itself), sorted. */
  links: string[];
}

/**
 * Programs on PATH whose command name matches: every entry of the command directories (each resolved through
 * symlinks, `/bin` → `/usr/bin` included) whose name matches and that leads to an executable regular file. Names
 * that lead to the same file (symlinks, hardlinks, the same directory under two names) are one program. Sorted by path.
 */
export function findCommands(view: ImageView, matches: (name: string) => boolean): FoundCommand[] {
  const found = new Map<string, FoundCommand>();
  const seenDirs = new Set<string>();
  for (const dir of commandDirs(view)) {
    const r = resolvePath(view, dir);
    // A directory no layer listed itself still has the entries listed below it.
    const real = r.ok ? r.path : r.reason === 'missing' ? r.path : null;
    if (real === null || seenDirs.has(real) || (r.ok && r.file && r.file.type !== 'dir')) continue;
    seenDirs.add(real);
    for (const entry of childrenOf(view, real)) {
      const name = basename(entry.path);
      if (!matches(name)) continue;
      const target = resolvePath(view, entry.path);
      if (!target.ok || !target.file || !isRegular(target.file)) continue;
      if ((target.file.mode & 0o111) === 0) continue;
      const binary = identityOf(view, target.file);
      let cmd = found.get(binary.path);
      if (!cmd) {
        cmd = { binary, names: [], links: sameFile(view, binary) };
        found.set(binary.path, cmd);
      }
      if (!cmd.names.includes(name)) cmd.names.push(name);
    }
  }
  const out = [...found.values()];
  for (const c of out) c.names.sort();
  return out.sort((a, b) => (a.binary.path < b.binary.path ? -1 : a.binary.path > b.binary.path ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------------------------

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}

export interface GroupEntry {
  name: string;
  gid: number;
}

function parseColonFile(text: string, minFields: number): string[][] {
  const out: string[][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = line.split(':');
    if (fields.length >= minFields) out.push(fields);
  }
  return out;
}

function parseId(s: string | undefined): number | null {
  return s !== undefined && /^\d+$/.test(s.trim()) ? Number(s.trim()) : null;
}

/** `/etc/passwd` entries (`name:x:uid:gid:…`); lines without a numeric uid are skipped, as libc does. */
export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const f of parseColonFile(text, 4)) {
    const uid = parseId(f[2]);
    const gid = parseId(f[3]);
    if (f[0] === '' || uid === null || gid === null) continue;
    out.push({ name: f[0], uid, gid });
  }
  return out;
}

/** `/etc/group` entries (`name:x:gid:members`). */
export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const f of parseColonFile(text, 3)) {
    const gid = parseId(f[2]);
    if (f[0] === '' || gid === null) continue;
    out.push({ name: f[0], gid });
  }
  return out;
}

/** The largest id the runtime accepts (runc: 2^31 - 1). */
const MAX_ID = 2 ** 31 - 1;

export interface ResolvedUser {
  /** The config's User as written (`app`, `1000:1000`, ``). */
  spec: string;
  /** The user part (before `:`). */
  user: string;
  /** The group part, or null when none was given. */
  group: string | null;
  /** The uid the container runs as; null when it cannot be known (see `problem` and `unknown`). */
  uid: number | null;
  /** Whether the container runs as root (uid 0). */
  root: boolean;
  /**
   * Why the container will not start: the runtime looks names up in the image's own /etc/passwd and /etc/group and
   * refuses a name it cannot find (`unable to find user app: no matching entries in passwd file`).
   */
  problem: string | null;
  /** Why the user could not be checked (a file present but not read), when it could not. */
  unknown: string | null;
}

/**
 * Resolve the config's User as the container runtime does (runc's user lookup): an empty user is uid 0; a numeric
 * user is that uid, in /etc/passwd or not; a name must be in /etc/passwd (a missing file means no names); a group
 * name must be in /etc/group, a numeric group needs no entry.
 */
export function resolveUser(view: ImageView, spec: string): ResolvedUser {
  const colon = spec.indexOf(':');
  const user = colon < 0 ? spec : spec.slice(0, colon);
  const groupPart = colon < 0 ? null : spec.slice(colon + 1).split(':')[0];
  const group = groupPart === null || groupPart === '' ? null : groupPart;
  const out: ResolvedUser = { spec, user, group, uid: null, root: false, problem: null, unknown: null };

  const numericUser = /^\d+$/.test(user) ? Number(user) : null;
  if (user === '') out.uid = 0;
  else if (numericUser !== null) {
    if (numericUser > MAX_ID) out.problem = `uid ${user} is out of range (the largest is ${MAX_ID})`;
    else out.uid = numericUser;
  } else {
    const passwd = finalText(view, '/etc/passwd');
    if (passwd.state === 'absent') {
      out.problem = `the image has no /etc/passwd, so the user "${user}" cannot be found`;
    } else if (passwd.state === 'unread') {
      out.unknown = `${passwd.path} was not read`;
      // Without the file, only the name root is known for certain (uid 0 by every convention).
      if (user === 'root') out.uid = 0;
    } else {
      const entry = parsePasswd(passwd.text).find((e) => e.name === user);
      if (entry) out.uid = entry.uid;
      else out.problem = `the user "${user}" is not in the image's /etc/passwd`;
    }
  }
  if (group !== null && out.problem === null) {
    const numericGroup = /^\d+$/.test(group) ? Number(group) : null;
    if (numericGroup !== null) {
      if (numericGroup > MAX_ID) out.problem = `gid ${group} is out of range (the largest is ${MAX_ID})`;
    } else {
      const groups = finalText(view, '/etc/group');
      if (groups.state === 'absent') out.problem = `the image has no /etc/group, so the group "${group}" cannot be found`;
      else if (groups.state === 'unread') out.unknown ??= `${groups.path} was not read`;
      else if (!parseGroup(groups.text).some((g) => g.name === group)) {
        out.problem = `the group "${group}" is not in the image's /etc/group`;
      }
    }
  }
  out.root = out.uid === 0;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The Dockerfile side: stages, lines of layers
// ---------------------------------------------------------------------------------------------------------------

/** The stage the image was built from (the attribution's, else the final stage). */
export function imageStage(ctx: ImageRuleContext): Stage | null {
  return ctx.model.stages[ctx.attribution.stage] ?? ctx.model.finalStage;
}

/** Where findings about what the base image brings go: the base reference of the stage chain's first FROM. */
export function baseSpanOf(ctx: ImageRuleContext): Span {
  const stage = imageStage(ctx);
  return stage ? rootStage(stage).baseSpan : { line: 1, column: 1, endLine: 1, endColumn: 1 };
}

/** The last top-level instruction of a keyword in the image's stage chain (nearest stage first), or null. */
export function lastInChain(ctx: ImageRuleContext, test: (inst: Instruction) => boolean): Instruction | null {
  const stage = imageStage(ctx);
  if (!stage) return null;
  for (const s of stageChain(stage)) {
    for (let i = s.instructions.length - 1; i >= 0; i--) {
      const inst = s.instructions[i];
      if (!inst.onbuild && test(inst)) return inst;
    }
  }
  return null;
}

/** The span of the last `NAME=…` of ENV (or ARG) in the image's stage chain that sets `name`, or null. */
export function lastPropertySpan(ctx: ImageRuleContext, keyword: 'ENV' | 'ARG', name: string): Span | null {
  const inst = lastInChain(ctx, (i) => i.keyword === keyword && i.properties.some((p) => p.name === name));
  if (!inst) return null;
  const props = inst.properties.filter((p) => p.name === name);
  return props[props.length - 1].span;
}

/** The span of the USER the image's user comes from (the chain's last USER), or null when it is inherited. */
export function lastUserSpan(ctx: ImageRuleContext): Span | null {
  const inst = lastInChain(ctx, (i) => i.keyword === 'USER');
  return inst ? argsSpan(inst) : null;
}

/** The instruction that made a layer, when it is mapped. */
export function instructionOf(ctx: ImageRuleContext, layer: number): Instruction | null {
  const la = ctx.attribution.layers[layer];
  if (!la || la.inherited || la.instruction === null) return null;
  return ctx.model.all[la.instruction] ?? null;
}

/** A layer for a message: `the RUN on line 9`, `a layer of the base image`, `layer 4 (not tied to an instruction)`. */
export function describeLayer(ctx: ImageRuleContext, layer: number): string {
  const la = ctx.attribution.layers[layer];
  if (la?.inherited) return 'a layer of the base image';
  const inst = instructionOf(ctx, layer);
  if (inst) return `the ${inst.keyword} on line ${inst.span.line}`;
  return `layer ${layer + 1} of the image (not tied to a Dockerfile instruction)`;
}

// ---------------------------------------------------------------------------------------------------------------
// Options and formatting
// ---------------------------------------------------------------------------------------------------------------

/** A `string[]` option, ignoring anything that is not a string. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

/**
 * A matcher for path globs inside the image (picomatch, dot files included). A glob without a leading `/` or `**`
 * is taken from the root: `usr/bin/su` is `/usr/bin/su`.
 */
export function pathMatcher(globs: readonly string[]): (path: string) => boolean {
  const norm = globs.map((g) => g.trim()).map((g) => (g.startsWith('/') || g.startsWith('**') ? g : `/${g}`));
  if (norm.length === 0) return () => false;
  const m = picomatch(norm, { dot: true });
  return (path) => m(path);
}

/** A path is `dir` itself or below it. */
export function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/** Permission bits in octal, 4 digits: `4755`. */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** Bytes for people: `512 B`, `1.5 KiB`, `41.3 MiB`, `1.20 GiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  do {
    v /= 1024;
    u++;
  } while (v >= 1024 && u < units.length - 1);
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[u]}`;
}

/** `1 file`, `3 files`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Owners
// ---------------------------------------------------------------------------------------------------------------

/** A uid for a message: `root`, `www-data (uid 33)`, or `uid 1000` when the image's /etc/passwd does not name it. */
export function ownerName(view: ImageView, uid: number): string {
  const passwd = finalText(view, '/etc/passwd');
  const entry = passwd.state === 'read' ? parsePasswd(passwd.text).find((e) => e.uid === uid) : undefined;
  if (uid === 0) return 'root';
  return entry ? `${entry.name} (uid ${uid})` : `uid ${uid}`;
}

/** A gid for a message: `shadow (gid 42)`, or `gid 42` when the image's /etc/group does not name it. */
export function groupName(view: ImageView, gid: number): string {
  const group = finalText(view, '/etc/group');
  const entry = group.state === 'read' ? parseGroup(group.text).find((e) => e.gid === gid) : undefined;
  if (gid === 0) return 'root (gid 0)';
  return entry ? `${entry.name} (gid ${gid})` : `gid ${gid}`;
}

const sorted = memoSlot<ImageView, readonly ImageFile[]>('files by path');

/** The paths of the final filesystem in sorted order (for deterministic reports); computed once per view. */
export function sortedFiles(view: ImageView): readonly ImageFile[] {
  let list = sorted.get(view);
  if (!list) {
    list = [...view.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    sorted.set(view, list);
  }
  return list;
}

// ---------------------------------------------------------------------------------------------------------------
// Set-user-ID and set-group-ID files (image-setuid, image-setgid)
// ---------------------------------------------------------------------------------------------------------------

export const CLEAR_SETID_STEP = 'RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} \\; || true';

/**
 * Report every regular file (or hardlink to one) of the final filesystem with the set-user-ID (04000) or
 * set-group-ID (02000) bit, except paths the `allow` option lists. The final filesystem already reflects a later
 * chmod or deletion, so those are not reported.
 */
/**
 * The layer that first made a path what it is now. A later layer can record a path again without changing it — on
 * overlay2, `ln a b` copies `a` up into the new layer because its link count changed — so walk back through the
 * versions a later layer replaced while `unchanged(old)` holds, to the layer that introduced this state.
 */
export function originLayer(view: ImageView, file: ImageFile, unchanged: (old: RemovedFile) => boolean): number {
  let layer = file.layer;
  for (;;) {
    const earlier = view.removed.find((r) => r.path === file.path && r.how === 'overwritten' && r.removedIn === layer && r.addedIn < layer && unchanged(r));
    if (!earlier) return layer;
    layer = earlier.addedIn;
  }
}

export function reportSetId(ctx: ImageRuleContext, bit: 'setuid' | 'setgid'): void {
  const { image } = ctx;
  const mask = bit === 'setuid' ? 0o4000 : 0o2000;
  const allowed = pathMatcher(stringList(ctx.options.allow));
  for (const f of sortedFiles(image)) {
    if (!isRegular(f) || (f.mode & mask) === 0 || allowed(f.path)) continue;
    if (f.type === 'hardlink') {
      const target = f.linkTarget ? image.files.get(f.linkTarget) : undefined;
      if (target && !isRegular(target)) continue;
    }
    const link = f.type === 'hardlink' && f.linkTarget ? ` (a hardlink to ${f.linkTarget})` : '';
    const runsAs =
      bit === 'setuid'
        ? `so it runs as ${ownerName(image, f.uid)} whoever starts it`
        : `so it runs with the group ${groupName(image, f.gid)} whoever starts it`;
    const what = bit === 'setuid' ? 'set-user-ID' : 'set-group-ID';
    // Re-recorded unchanged (same bits, same size) by a later layer: the finding belongs to the layer that set the bit.
    const layer = originLayer(image, f, (old) => (old.mode & 0o7777) === (f.mode & 0o7777) && old.size === f.size && (old.type === 'file' || old.type === 'hardlink'));
    ctx.report({
      layer,
      path: f.path,
      message: `${f.path}${link} is ${what} (mode ${formatMode(f.mode)}), ${runsAs}: clear the bit late in the final stage (${CLEAR_SETID_STEP}) or remove the package that installs it; if the image needs it, list the path in the rule's allow option.`,
    });
  }
}

/** Whether a program is BusyBox: named busybox, or a hardlink of a file named busybox. */
export function isBusybox(cmd: FoundCommand): boolean {
  return basename(cmd.binary.path) === 'busybox' || cmd.names.includes('busybox') || cmd.links.some((p) => basename(p) === 'busybox');
}

/**
 * A program's names for a message, and whether they are several: its own name first when it is one of them
 * (`pip3 (also pip, pip3.11)`, one program), or BusyBox applets (`nc, telnet and wget (busybox applets)`, several).
 */
export function commandLabel(cmd: FoundCommand): { text: string; several: boolean } {
  if (isBusybox(cmd)) {
    const applets = cmd.names.filter((n) => n !== 'busybox');
    if (applets.length > 0) return { text: `${listText(applets)} (busybox ${applets.length === 1 ? 'applet' : 'applets'})`, several: applets.length > 1 };
  }
  const own = basename(cmd.binary.path);
  const first = cmd.names.includes(own) ? own : cmd.names[0];
  const others = cmd.names.filter((n) => n !== first);
  return { text: others.length === 0 ? first : `${first} (also ${others.join(', ')})`, several: false };
}
