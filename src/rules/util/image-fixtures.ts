/**
 * Test-only: build an ImageView and its Attribution from a short description of layers, the way src/image/ would
 * read them from `docker save` (layers applied in order; whiteouts, opaque directories and overwrites recorded in
 * `removed`; hardlinks; the contents of files given text), and run one image rule over it through the engine.
 * Layers name the Dockerfile line of the instruction that made them, or none for layers of the base image.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { defaultPolicy, type Policy } from '../../config/policy.ts';
import { parseDockerfile } from '../../dockerfile/parse.ts';
import type { Finding } from '../../findings.ts';
import type {
  Attribution,
  FileType,
  HistoryEntry,
  ImageConfig,
  ImageFile,
  ImageView,
  LayerAttribution,
  ReadFile,
  RemovedFile,
} from '../../image-view.ts';
import { lint } from '../engine.ts';
import type { ImageRule } from '../types.ts';

export interface EntrySpec {
  path: string;
  type: FileType;
  mode?: number;
  uid?: number;
  gid?: number;
  /** Bytes; defaults to the content's length (0 without content). */
  size?: number;
  /** Contents the reader read (recorded in `contents` for this layer). */
  content?: string | Buffer;
  /** Symlink target as stored, or the absolute path a hardlink points to. */
  target?: string;
}

type EntryOptions = Omit<EntrySpec, 'path' | 'type' | 'target'>;

export function file(path: string, opts: EntryOptions = {}): EntrySpec {
  return { path, type: 'file', ...opts };
}

export function dir(path: string, mode = 0o755, opts: EntryOptions = {}): EntrySpec {
  return { path, type: 'dir', mode, ...opts };
}

export function symlink(path: string, target: string): EntrySpec {
  return { path, type: 'symlink', target };
}

export function hardlink(path: string, target: string, opts: EntryOptions = {}): EntrySpec {
  return { path, type: 'hardlink', target, ...opts };
}

export interface LayerSpec {
  /** The Dockerfile line where the instruction that made this layer starts; omit for a layer of the base image. */
  line?: number;
  /** The layer could not be tied to an instruction, for this reason. */
  unmapped?: string;
  /** Opaque directories (`.wh..wh..opq`): what lower layers put below them is hidden. Applied first. */
  opaque?: string[];
  /** Whiteouts (`.wh.name`): paths (and what is below them) deleted. Applied after the opaque directories. */
  whiteout?: string[];
  /** Entries, in tar order. Missing parent directories are added (0755) in this layer. */
  add?: EntrySpec[];
  /** The history entry's created_by. */
  createdBy?: string;
}

export interface ImageSpec {
  dockerfile: string;
  layers: LayerSpec[];
  config?: Partial<ImageConfig>;
  /** History entries that made no layer, placed before the entry of layer `before` (`layers.length`: at the end). */
  emptyHistory?: Array<{ before: number; createdBy: string }>;
  /** The stage the image was built from; the final stage by default. */
  stage?: number;
  file?: string;
}

export interface Fixture {
  view: ImageView;
  attribution: Attribution;
}

export function layerDigest(i: number): string {
  return `sha256:${createHash('sha256').update(`fixture layer ${i}`).digest('hex')}`;
}

const DEFAULT_MODES: Record<FileType, number> = {
  file: 0o644,
  dir: 0o755,
  symlink: 0o777,
  hardlink: 0o644,
  char: 0o666,
  block: 0o660,
  fifo: 0o644,
};

export function buildImage(spec: ImageSpec): Fixture {
  const file = spec.file ?? 'Dockerfile';
  const model = parseDockerfile(spec.dockerfile, file);
  const files = new Map<string, ImageFile>();
  const removed: RemovedFile[] = [];
  const contents: ReadFile[] = [];

  const remove = (root: string, layer: number, how: RemovedFile['how'], below: boolean) => {
    const hit = [...files.keys()].filter((p) => (!below && p === root) || p.startsWith(root === '/' ? '/' : `${root}/`));
    for (const p of hit.sort()) {
      const f = files.get(p)!;
      files.delete(p);
      if (f.layer < layer) {
        removed.push({ path: p, type: f.type, size: f.size, mode: f.mode, addedIn: f.layer, removedIn: layer, how });
      }
    }
  };

  const ensureParents = (path: string, layer: number) => {
    const parts = path.split('/').filter(Boolean);
    let cur = '';
    for (const part of parts.slice(0, -1)) {
      cur += `/${part}`;
      const f = files.get(cur);
      if (!f) files.set(cur, { path: cur, type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, layer });
      else if (f.type !== 'dir') throw new Error(`fixture: ${cur} is a ${f.type}, not a directory (adding ${path})`);
    }
  };

  spec.layers.forEach((l, layer) => {
    for (const d of l.opaque ?? []) remove(d, layer, 'opaque', true);
    for (const w of l.whiteout ?? []) {
      if (!files.has(w)) throw new Error(`fixture: whiteout of ${w} in layer ${layer}, which is not there`);
      remove(w, layer, 'whiteout', false);
    }
    for (const e of l.add ?? []) {
      if (!e.path.startsWith('/') || e.path.includes('//')) throw new Error(`fixture: ${e.path} is not a normalised absolute path`);
      ensureParents(e.path, layer);
      const existing = files.get(e.path);
      if (existing && !(existing.type === 'dir' && e.type === 'dir')) remove(e.path, layer, 'overwritten', false);
      const content = typeof e.content === 'string' ? Buffer.from(e.content) : e.content;
      let size = e.size ?? content?.length ?? 0;
      if (e.type === 'hardlink') {
        const target = e.target ? files.get(e.target) : undefined;
        if (!target) throw new Error(`fixture: hardlink ${e.path} to ${e.target}, which is not there`);
        size = target.size;
      }
      if (e.type === 'dir' || e.type === 'symlink') size = 0;
      const f: ImageFile = {
        path: e.path,
        type: e.type,
        mode: e.mode ?? existing?.mode ?? DEFAULT_MODES[e.type],
        uid: e.uid ?? 0,
        gid: e.gid ?? 0,
        size,
        layer,
      };
      if (e.target !== undefined) f.linkTarget = e.target;
      files.set(e.path, f);
      if (content !== undefined) contents.push({ path: e.path, layer, content });
    }
  });

  const layers = spec.layers.map((l, i) => ({ index: i, diffId: layerDigest(i), size: 1024 * (i + 1), entries: (l.add ?? []).length }));
  const lineToIndex = (line: number): number => {
    const inst = model.all.find((x) => x.span.line === line && x.onbuild === null);
    if (!inst) throw new Error(`fixture: no instruction starts on line ${line}`);
    return inst.index;
  };
  let ownSeen = false;
  const attributions: LayerAttribution[] = spec.layers.map((l, i) => {
    if (l.line !== undefined) {
      ownSeen = true;
      return { layer: i, instruction: lineToIndex(l.line), inherited: false };
    }
    if (l.unmapped !== undefined) {
      ownSeen = true;
      return { layer: i, instruction: null, inherited: false, unmapped: l.unmapped };
    }
    if (ownSeen) throw new Error(`fixture: base layer ${i} after the Dockerfile's own layers`);
    return { layer: i, instruction: null, inherited: true };
  });

  const history: HistoryEntry[] = [];
  const empties = (before: number) => {
    for (const e of spec.emptyHistory ?? []) if (e.before === before) history.push({ createdBy: e.createdBy, emptyLayer: true });
  };
  spec.layers.forEach((l, i) => {
    empties(i);
    const la = attributions[i];
    const inst = la.instruction === null ? null : model.all[la.instruction];
    history.push({ createdBy: l.createdBy ?? (inst ? `${inst.keyword} ${inst.args}` : `base layer ${i}`), emptyLayer: false });
  });
  empties(spec.layers.length);

  const config: ImageConfig = {
    user: '',
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    entrypoint: null,
    cmd: null,
    workingDir: '',
    labels: {},
    exposedPorts: [],
    os: 'linux',
    architecture: 'amd64',
    ...spec.config,
  };
  const view: ImageView = {
    id: `sha256:${createHash('sha256').update(JSON.stringify(spec)).digest('hex')}`,
    tags: [],
    config,
    history,
    layers,
    files,
    removed,
    contents,
    layout: 'docker-archive',
  };
  const attribution: Attribution = {
    stage: spec.stage ?? model.finalStage?.index ?? 0,
    layers: attributions,
    baseLayers: attributions.filter((a) => a.inherited).length,
    method: 'history',
    notes: [],
  };
  return { view, attribution };
}

export interface RunOptions {
  options?: Record<string, unknown>;
  policy?: Partial<Policy>;
  /** Facts the pipeline passes (merged over the options), as `LintInput.facts[rule id]`. */
  facts?: Record<string, unknown>;
}

/** Run one image rule (at its default severity) over a fixture through the engine; the rule must not fail. */
export async function runImageRule(rule: ImageRule, spec: ImageSpec, opts: RunOptions = {}): Promise<Finding[]> {
  const fixture = buildImage(spec);
  const policy: Policy = { ...defaultPolicy(), ...opts.policy };
  // Opt-in rules are switched on at their default severity; others keep their default, so per-finding severities show.
  const setting = rule.meta.enabledByDefault ? { options: opts.options } : { level: rule.meta.severity, options: opts.options };
  policy.rules = { ...policy.rules, [rule.meta.id]: setting };
  const out = await lint(
    [{ file: spec.file ?? 'Dockerfile', text: spec.dockerfile, image: fixture, facts: opts.facts ? { [rule.meta.id]: opts.facts } : undefined }],
    policy,
    { rules: [rule], kinds: ['image'] },
  );
  const internal = out.results[0].findings.filter((f) => f.ruleId !== rule.meta.id);
  assert.deepEqual(internal, [], `the rule failed: ${out.notices.join('; ')}`);
  return out.results[0].findings;
}

/** A findings list reduced to what tests compare: `line:column-endColumn path @layer [inherited] message`. */
export function summarise(findings: readonly Finding[]): Array<{
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Finding['severity'];
  message: string;
  path?: string;
  layer?: string;
  inherited?: boolean;
}> {
  return findings.map((f) => {
    const out: ReturnType<typeof summarise>[number] = {
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      severity: f.severity,
      message: f.message,
    };
    if (f.path !== undefined) out.path = f.path;
    if (f.layer !== undefined) out.layer = f.layer;
    if (f.inherited !== undefined) out.inherited = f.inherited;
    return out;
  });
}

/** A small Debian-like base tree (merged /usr): /bin → usr/bin, dash as sh, setuid su and passwd, users root and daemon. */
export function debianLikeBase(): EntrySpec[] {
  return [
    dir('/etc'),
    file('/etc/passwd', { content: 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' }),
    file('/etc/group', { content: 'root:x:0:\ndaemon:x:1:\nshadow:x:42:\nnogroup:x:65534:\n' }),
    dir('/usr'),
    dir('/usr/bin'),
    dir('/usr/sbin'),
    symlink('/bin', 'usr/bin'),
    symlink('/sbin', 'usr/sbin'),
    file('/usr/bin/dash', { mode: 0o755, size: 125_000 }),
    symlink('/usr/bin/sh', 'dash'),
    file('/usr/bin/su', { mode: 0o4755, size: 72_000 }),
    file('/usr/bin/passwd', { mode: 0o4755, size: 68_000 }),
    file('/usr/bin/chage', { mode: 0o2755, size: 80_000, gid: 42 }),
    file('/usr/bin/ls', { mode: 0o755, size: 150_000 }),
    dir('/tmp', 0o1777),
    dir('/root', 0o700),
  ];
}
