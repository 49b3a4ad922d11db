/**
 * What the outer archive says the image is: find the manifest (legacy docker-archive `manifest.json`, or OCI
 * `index.json` → image manifest), the config, and the layers in order; check every digest the archive states against
 * the bytes that streamed; parse the config into ImageConfig and history. Everything here works on what the stream
 * left in memory (small JSON documents and per-layer indexes), after the stream ended.
 */
import { createHash } from 'node:crypto';
import type { HistoryEntry, ImageConfig } from '../image-view.ts';
import { ImageReadError } from '../image-view.ts';
import type { LayerIndex } from './read-layer.ts';

/** What the stream left: JSON documents, layer indexes, links and the paths that were neither. */
export interface OuterContents {
  /** Archive path (normalised, no leading slash) → bytes of a small JSON document. */
  json: Map<string, Buffer>;
  layers: Map<string, LayerIndex>;
  /** Archive path → why it is not usable (`xz-compressed`, `neither a tar nor JSON`, …). */
  unusable: Map<string, string>;
  /** Archive path of a symlink or hardlink → its target (as stored). */
  links: Map<string, { target: string; hard: boolean }>;
}

export interface ResolvedLayer {
  /** Archive path of the blob (after following the archive's own links). */
  path: string;
  index: LayerIndex;
}

export interface ResolvedImage {
  layout: 'docker-archive' | 'oci';
  tags: string[];
  /** `sha256:` + the config's digest. */
  id: string;
  configPath: string;
  config: ImageConfig;
  history: HistoryEntry[];
  diffIds: string[];
  layers: ResolvedLayer[];
}

const MAX_HOPS = 40;

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function parseJson(bytes: Buffer, label: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new ImageReadError(`${label} is not valid JSON: ${(e as Error).message}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Lexically joins an archive-relative link target onto the link's directory; null when it climbs above the root. */
function joinArchivePath(dir: string, target: string): string | null {
  const parts = target.startsWith('/') ? [] : dir.split('/').filter((p) => p !== '');
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join('/');
}

/** Normalises a path named by a manifest (`./abc/layer.tar` → `abc/layer.tar`); rejects `..` and absolute paths. */
export function archivePath(name: string, label: string): string {
  if (name.startsWith('/') || name.split('/').includes('..') || name.includes('\0')) {
    throw new ImageReadError(`${label}: ${JSON.stringify(name)} is not a path inside the archive`);
  }
  return name
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');
}

/** Follows the archive's own symlinks/hardlinks (docker save links a repeated layer to its first copy). */
function followLinks(contents: OuterContents, path: string, label: string): string {
  let p = path;
  for (let hops = 0; hops <= MAX_HOPS; hops++) {
    const l = contents.links.get(p);
    if (!l) return p;
    const dir = l.hard ? '' : p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
    const next = joinArchivePath(dir, l.target);
    if (next === null) {
      throw new ImageReadError(`${label}: archive link ${p} -> ${l.target} points outside the archive`);
    }
    p = next;
  }
  throw new ImageReadError(`${label}: archive links starting at ${path} form a loop (more than ${MAX_HOPS} hops)`);
}

function getJson(contents: OuterContents, path: string, label: string): { path: string; bytes: Buffer } {
  const p = followLinks(contents, path, label);
  const bytes = contents.json.get(p);
  if (!bytes) {
    const why = contents.unusable.get(p);
    if (why) throw new ImageReadError(`${label}: ${p} is ${why}`);
    if (contents.layers.has(p)) throw new ImageReadError(`${label}: ${p} is a layer tar, not a JSON document`);
    throw new ImageReadError(`${label}: ${p} is missing from the archive`);
  }
  return { path: p, bytes };
}

function getLayer(contents: OuterContents, path: string, label: string): ResolvedLayer {
  const p = followLinks(contents, path, label);
  const index = contents.layers.get(p);
  if (!index) {
    const why = contents.unusable.get(p);
    if (why) throw new ImageReadError(`${label} (${p}) is ${why}`);
    if (contents.json.has(p)) throw new ImageReadError(`${label} (${p}) is not a tar layer`);
    throw new ImageReadError(`${label} (${p}) is listed in the manifest but missing from the archive`);
  }
  return { path: p, index };
}

/** `docker.io/library/x:1` → `x:1`, `docker.io/u/x:1` → `u/x:1` (the form `docker images` shows). */
export function familiarName(ref: string): string {
  if (ref.startsWith('docker.io/library/')) return ref.slice('docker.io/library/'.length);
  if (ref.startsWith('docker.io/')) return ref.slice('docker.io/'.length);
  return ref;
}

const DIGEST = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number | null;
  annotations: Record<string, string>;
  platform: { os?: string; architecture?: string; variant?: string } | null;
}

function descriptor(v: unknown, label: string): Descriptor {
  if (!isObject(v)) throw new ImageReadError(`${label} is not a descriptor object`);
  const digest = v.digest;
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    throw new ImageReadError(`${label}: digest ${JSON.stringify(digest)} is not a valid digest`);
  }
  const annotations: Record<string, string> = {};
  if (isObject(v.annotations)) {
    for (const [k, val] of Object.entries(v.annotations)) if (typeof val === 'string') annotations[k] = val;
  }
  const platform = isObject(v.platform) ? (v.platform as Descriptor['platform']) : null;
  return {
    mediaType: typeof v.mediaType === 'string' ? v.mediaType : '',
    digest,
    size: typeof v.size === 'number' ? v.size : null,
    annotations,
    platform,
  };
}

function blobPath(digest: string): string {
  const m = DIGEST.exec(digest)!;
  return `blobs/${m[1]}/${m[2]}`;
}

/** Checks that a JSON blob is what its descriptor says (digest and size). */
function checkBlob(bytes: Buffer, d: Descriptor, label: string): void {
  const got = sha256(bytes);
  if (d.digest.startsWith('sha256:') && got !== d.digest) {
    throw new ImageReadError(`${label}: blob ${blobPath(d.digest)} hashes to ${got}, not the ${d.digest} it is stored as`);
  }
  if (d.size !== null && d.size !== bytes.length) {
    throw new ImageReadError(`${label}: blob ${blobPath(d.digest)} has ${bytes.length} bytes, the descriptor says ${d.size}`);
  }
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

interface Candidate {
  manifest: Descriptor;
  tags: string[];
}

function tagsOf(d: Descriptor): string[] {
  const name = d.annotations['io.containerd.image.name'];
  if (name) return [familiarName(name)];
  const ref = d.annotations['org.opencontainers.image.ref.name'];
  // A bare tag (`latest`) is not a `repo:tag`; a full reference is.
  if (ref && (ref.includes(':') || ref.includes('/'))) return [familiarName(ref)];
  return [];
}

function collectManifests(
  contents: OuterContents,
  doc: unknown,
  label: string,
  depth: number,
  inheritedTags: string[],
  out: Candidate[],
): void {
  if (!isObject(doc) || !Array.isArray(doc.manifests)) throw new ImageReadError(`${label} has no "manifests" list`);
  doc.manifests.forEach((raw, i) => {
    const d = descriptor(raw, `${label} manifests[${i}]`);
    if (d.annotations['vnd.docker.reference.type'] === 'attestation-manifest') return;
    if (d.platform?.os === 'unknown') return;
    const tags = tagsOf(d).length > 0 ? tagsOf(d) : inheritedTags;
    if (INDEX_TYPES.has(d.mediaType)) {
      if (depth >= 4) throw new ImageReadError(`${label}: image indexes nested more than 4 deep`);
      const path = blobPath(d.digest);
      if (!contents.json.has(followLinks(contents, path, label))) return; // a platform that was not exported
      const nested = getJson(contents, path, `${label} manifests[${i}]`);
      checkBlob(nested.bytes, d, `${label} manifests[${i}]`);
      collectManifests(contents, parseJson(nested.bytes, `index ${nested.path}`), `index ${nested.path}`, depth + 1, tags, out);
      return;
    }
    out.push({ manifest: d, tags });
  });
}

function resolveOci(contents: OuterContents, warn: (m: string) => void): Omit<ResolvedImage, keyof ParsedConfig> & { configBytes: Buffer } {
  const index = getJson(contents, 'index.json', 'OCI layout');
  const candidates: Candidate[] = [];
  collectManifests(contents, parseJson(index.bytes, 'index.json'), 'index.json', 0, [], candidates);
  const present = candidates.filter((c) => contents.json.has(followLinks(contents, blobPath(c.manifest.digest), 'index.json')));
  if (present.length === 0) {
    throw new ImageReadError(
      candidates.length === 0
        ? 'index.json lists no image manifest'
        : `index.json lists ${candidates.length} image manifest(s), none of which is in the archive`,
    );
  }
  const arch = GOARCH[process.arch] ?? process.arch;
  const chosen =
    present.length === 1
      ? present[0]!
      : (present.find((c) => c.manifest.platform?.architecture === arch && (c.manifest.platform.os ?? 'linux') === 'linux') ?? present[0]!);
  if (present.length > 1) {
    const p = chosen.manifest.platform;
    warn(`index.json lists ${present.length} images; reading ${chosen.manifest.digest}${p ? ` (${p.os ?? '?'}/${p.architecture ?? '?'})` : ''}`);
  }
  const mlabel = `image manifest ${blobPath(chosen.manifest.digest)}`;
  const m = getJson(contents, blobPath(chosen.manifest.digest), 'index.json');
  checkBlob(m.bytes, chosen.manifest, 'index.json');
  const doc = parseJson(m.bytes, mlabel);
  if (!isObject(doc)) throw new ImageReadError(`${mlabel} is not a JSON object`);
  if (!Array.isArray(doc.layers)) throw new ImageReadError(`${mlabel} has no "layers" list`);
  const configD = descriptor(doc.config, `${mlabel} config`);
  const config = getJson(contents, blobPath(configD.digest), `${mlabel} config`);
  checkBlob(config.bytes, configD, mlabel);
  const layers = doc.layers.map((raw, i) => {
    const d = descriptor(raw, `${mlabel} layers[${i}]`);
    const layer = getLayer(contents, blobPath(d.digest), `layer ${i}`);
    if (d.digest.startsWith('sha256:') && layer.index.blobDigest !== d.digest) {
      throw new ImageReadError(
        `layer ${i} (${layer.path}): the blob hashes to ${layer.index.blobDigest}, not the ${d.digest} the manifest names — the manifest lies about its layers`,
      );
    }
    if (d.size !== null && layer.index.blobSize !== d.size) {
      throw new ImageReadError(`layer ${i} (${layer.path}): the blob has ${layer.index.blobSize} bytes, the manifest says ${d.size}`);
    }
    return layer;
  });
  const tags = new Set(chosen.tags);
  if (contents.json.has('manifest.json')) {
    for (const t of legacyTags(contents)) tags.add(t);
  }
  return { layout: 'oci', tags: [...tags], id: sha256(config.bytes), configPath: config.path, configBytes: config.bytes, layers };
}

function legacyTags(contents: OuterContents): string[] {
  try {
    const doc = parseJson(contents.json.get('manifest.json')!, 'manifest.json');
    if (Array.isArray(doc) && isObject(doc[0]) && Array.isArray(doc[0].RepoTags)) {
      return doc[0].RepoTags.filter((t): t is string => typeof t === 'string');
    }
  } catch {
    // manifest.json is optional in an OCI layout; index.json already named the image
  }
  return [];
}

function resolveLegacy(contents: OuterContents, warn: (m: string) => void): Omit<ResolvedImage, keyof ParsedConfig> & { configBytes: Buffer } {
  const doc = parseJson(getJson(contents, 'manifest.json', 'docker-archive').bytes, 'manifest.json');
  if (!Array.isArray(doc) || doc.length === 0) throw new ImageReadError('manifest.json is not a non-empty list of images');
  if (doc.length > 1) warn(`manifest.json lists ${doc.length} images; reading the first`);
  const entry = doc[0];
  if (!isObject(entry)) throw new ImageReadError('manifest.json[0] is not an object');
  if (typeof entry.Config !== 'string') throw new ImageReadError('manifest.json[0] has no "Config" path');
  if (!Array.isArray(entry.Layers)) throw new ImageReadError('manifest.json[0] has no "Layers" list');
  const config = getJson(contents, archivePath(entry.Config, 'manifest.json[0].Config'), 'manifest.json[0].Config');
  const id = sha256(config.bytes);
  const named = /^([a-f0-9]{64})\.json$/.exec(config.path.slice(config.path.lastIndexOf('/') + 1));
  if (named && `sha256:${named[1]}` !== id) {
    throw new ImageReadError(`config ${config.path} hashes to ${id}, not the digest its name says`);
  }
  const layers = entry.Layers.map((name, i) => {
    if (typeof name !== 'string') throw new ImageReadError(`manifest.json[0].Layers[${i}] is not a path`);
    return getLayer(contents, archivePath(name, `manifest.json[0].Layers[${i}]`), `layer ${i}`);
  });
  const tags = Array.isArray(entry.RepoTags) ? entry.RepoTags.filter((t): t is string => typeof t === 'string') : [];
  return { layout: 'docker-archive', tags, id, configPath: config.path, configBytes: config.bytes, layers };
}

interface ParsedConfig {
  config: ImageConfig;
  history: HistoryEntry[];
  diffIds: string[];
}

function stringList(v: unknown, label: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new ImageReadError(`${label} is not a list of strings`);
  return v as string[];
}

function optionalList(v: unknown, label: string): string[] | null {
  if (v === undefined || v === null) return null;
  return stringList(v, label);
}

function str(v: unknown, label: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new ImageReadError(`${label} is not a string`);
  return v;
}

/** Parses an image config (`application/vnd.oci.image.config.v1+json` / Docker's). */
export function parseConfig(bytes: Buffer, path: string): ParsedConfig {
  const label = `config ${path}`;
  const doc = parseJson(bytes, label);
  if (!isObject(doc)) throw new ImageReadError(`${label} is not a JSON object`);
  const c = isObject(doc.config) ? doc.config : {};
  if (doc.config !== undefined && doc.config !== null && !isObject(doc.config)) throw new ImageReadError(`${label}: "config" is not an object`);
  const labels: Record<string, string> = {};
  if (isObject(c.Labels)) for (const [k, v] of Object.entries(c.Labels)) if (typeof v === 'string') labels[k] = v;
  const config: ImageConfig = {
    user: str(c.User, `${label}: config.User`),
    env: stringList(c.Env, `${label}: config.Env`),
    entrypoint: optionalList(c.Entrypoint, `${label}: config.Entrypoint`),
    cmd: optionalList(c.Cmd, `${label}: config.Cmd`),
    workingDir: str(c.WorkingDir, `${label}: config.WorkingDir`),
    labels,
    exposedPorts: isObject(c.ExposedPorts) ? Object.keys(c.ExposedPorts) : [],
    os: str(doc.os, `${label}: os`),
    architecture: str(doc.architecture, `${label}: architecture`),
  };
  if (!isObject(doc.rootfs)) throw new ImageReadError(`${label} has no "rootfs"`);
  const diffIds = doc.rootfs.diff_ids;
  if (!Array.isArray(diffIds) || !diffIds.every((d) => typeof d === 'string')) {
    throw new ImageReadError(`${label}: rootfs.diff_ids is not a list of digests`);
  }
  const history: HistoryEntry[] = [];
  if (doc.history !== undefined && doc.history !== null) {
    if (!Array.isArray(doc.history)) throw new ImageReadError(`${label}: "history" is not a list`);
    doc.history.forEach((h, i) => {
      if (!isObject(h)) throw new ImageReadError(`${label}: history[${i}] is not an object`);
      const entry: HistoryEntry = {
        createdBy: str(h.created_by, `${label}: history[${i}].created_by`),
        emptyLayer: h.empty_layer === true,
      };
      if (typeof h.created === 'string') entry.created = h.created;
      if (typeof h.comment === 'string') entry.comment = h.comment;
      history.push(entry);
    });
  }
  return { config, history, diffIds: diffIds as string[] };
}

/**
 * Resolves the image the archive holds, parses its config and checks the layers against the config's diff_ids.
 * `layout` is `oci` whenever the archive has an index.json (Docker 25+ writes manifest.json beside it).
 */
export function resolveImage(contents: OuterContents, maxLayers: number, warn: (m: string) => void): ResolvedImage {
  let base: ReturnType<typeof resolveLegacy>;
  if (contents.json.has('index.json')) {
    base = resolveOci(contents, warn);
  } else if (contents.json.has('manifest.json')) {
    base = resolveLegacy(contents, warn);
  } else {
    const names = [...contents.json.keys(), ...contents.layers.keys()].slice(0, 5);
    throw new ImageReadError(
      `not an image archive: neither manifest.json (docker-archive) nor index.json (OCI layout) is in it` +
        (names.length > 0 ? ` (found ${names.join(', ')}…)` : ''),
    );
  }
  if (base.layers.length > maxLayers) {
    throw new ImageReadError(`the manifest lists ${base.layers.length} layers, more than the limit of ${maxLayers} (maxLayers)`);
  }
  const parsed = parseConfig(base.configBytes, base.configPath);
  if (parsed.diffIds.length !== base.layers.length) {
    throw new ImageReadError(
      `the manifest lists ${base.layers.length} layers but config ${base.configPath} has ${parsed.diffIds.length} rootfs.diff_ids — the manifest lies about its layers`,
    );
  }
  base.layers.forEach((l, i) => {
    if (l.index.diffId !== parsed.diffIds[i]) {
      throw new ImageReadError(
        `layer ${i} (${l.path}): its uncompressed content hashes to ${l.index.diffId}, but config ${base.configPath} says rootfs.diff_ids[${i}] is ${parsed.diffIds[i]} — the manifest lies about its layers`,
      );
    }
  });
  const { configBytes: _, ...rest } = base;
  return { ...rest, ...parsed };
}
