/**
 * Test support: a small tar writer and builders for image archives (legacy docker-archive and OCI layout), so tests
 * craft exactly the archive they need — including broken and hostile ones — in memory. Not used by production code.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

export type SpecType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

const FLAGS: Record<SpecType, string> = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };

export interface TarSpec {
  /** The stored name (a Buffer for names that are not UTF-8). */
  name: string | Buffer;
  /** An entry type, or a raw type flag character (`'x'`, `'V'`…). Default `file`. */
  type?: SpecType | string;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  body?: Buffer | string;
  /** The size field when it should differ from the body's length (a lie). */
  size?: number;
  linkname?: string | Buffer;
  /** Extra PAX records, written as an `x` header before this entry. */
  pax?: Record<string, string | Buffer>;
  /** How to store a name longer than 100 bytes: ustar prefix (default when it fits), GNU `L`, or PAX `path`. */
  longName?: 'prefix' | 'gnu' | 'pax';
  /** How to store a link name longer than 100 bytes: GNU `K` (default) or PAX `linkpath`. */
  longLink?: 'gnu' | 'pax';
  /** Numeric fields to write in base-256 instead of octal. */
  base256?: Array<'size' | 'uid' | 'gid' | 'mtime'>;
  /** Write a wrong checksum. */
  badChecksum?: boolean;
  /** Header magic: POSIX ustar (default), old GNU (`ustar  `), or none (v7). */
  format?: 'ustar' | 'gnu' | 'v7';
}

const BLOCK = 512;

function bytes(v: string | Buffer): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

function writeOctal(block: Buffer, start: number, length: number, value: number): void {
  const text = value.toString(8).padStart(length - 1, '0');
  if (text.length > length - 1) throw new Error(`value ${value} does not fit a ${length}-byte octal field`);
  block.write(text, start, 'latin1');
  block[start + length - 1] = 0;
}

function writeBase256(block: Buffer, start: number, length: number, value: number): void {
  let v = BigInt(value);
  const negative = v < 0n;
  if (negative) v = (1n << BigInt(8 * length)) + v; // two's complement over the field
  for (let i = length - 1; i >= 0; i--) {
    block[start + i] = Number(v & 0xffn);
    v >>= 8n;
  }
  block[start] = negative ? 0xff : (block[start]! & 0x7f) | 0x80;
}

function paxBody(records: Record<string, string | Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(records)) {
    const payload = Buffer.concat([Buffer.from(` ${key}=`), bytes(value), Buffer.from('\n')]);
    let len = payload.length + 1;
    while (String(len).length + payload.length !== len) len = String(len).length + payload.length;
    parts.push(Buffer.concat([Buffer.from(String(len)), payload]));
  }
  return Buffer.concat(parts);
}

function pad(body: Buffer): Buffer {
  const rest = body.length % BLOCK;
  return rest === 0 ? body : Buffer.concat([body, Buffer.alloc(BLOCK - rest)]);
}

/** One header block. `name`/`linkname` must already fit (≤ 100 bytes; prefix ≤ 155). */
function headerBlock(fields: {
  name: Buffer;
  prefix?: Buffer;
  flag: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: Buffer;
  base256: Set<string>;
  badChecksum: boolean;
  format: 'ustar' | 'gnu' | 'v7';
}): Buffer {
  const b = Buffer.alloc(BLOCK);
  fields.name.copy(b, 0, 0, Math.min(100, fields.name.length));
  writeOctal(b, 100, 8, fields.mode);
  const num = (key: string, start: number, length: number, value: number) =>
    fields.base256.has(key) ? writeBase256(b, start, length, value) : writeOctal(b, start, length, value);
  num('uid', 108, 8, fields.uid);
  num('gid', 116, 8, fields.gid);
  num('size', 124, 12, fields.size);
  num('mtime', 136, 12, fields.mtime);
  b.write(fields.flag, 156, 'latin1');
  fields.linkname.copy(b, 157, 0, Math.min(100, fields.linkname.length));
  if (fields.format === 'ustar') {
    b.write('ustar\u000000', 257, 'latin1');
    b.write('root', 265, 'latin1');
    b.write('root', 297, 'latin1');
    if (fields.prefix) fields.prefix.copy(b, 345);
  } else if (fields.format === 'gnu') {
    b.write('ustar  \u0000', 257, 'latin1');
  }
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i]!;
  if (fields.badChecksum) sum += 1;
  b.write(sum.toString(8).padStart(6, '0'), 148, 'latin1');
  b[154] = 0;
  b[155] = 0x20;
  return b;
}

/** The blocks of one entry: any GNU/PAX extension headers, the header, the body and its padding. */
export function tarEntry(spec: TarSpec): Buffer {
  const type = spec.type ?? 'file';
  const flag = type in FLAGS ? FLAGS[type as SpecType] : type;
  const body = spec.body === undefined ? Buffer.alloc(0) : bytes(spec.body);
  const size = spec.size ?? body.length;
  const format = spec.format ?? 'ustar';
  const common = {
    mode: spec.mode ?? (type === 'dir' ? 0o755 : 0o644),
    uid: spec.uid ?? 0,
    gid: spec.gid ?? 0,
    mtime: spec.mtime ?? 1_700_000_000,
    base256: new Set<string>(spec.base256 ?? []),
    badChecksum: false,
    format,
  };
  const out: Buffer[] = [];
  const pax: Record<string, string | Buffer> = { ...spec.pax };
  let name = bytes(spec.name);
  let prefix: Buffer | undefined;
  let linkname = bytes(spec.linkname ?? '');

  if (name.length > 100) {
    const how = spec.longName ?? 'prefix';
    if (how === 'prefix') {
      // Split at a slash so that the name part fits 100 bytes and the prefix 155.
      let cut = -1;
      for (let i = name.length - 1; i >= 0; i--) {
        if (name[i] === 0x2f && name.length - i - 1 <= 100 && i <= 155) {
          cut = i;
          break;
        }
      }
      if (cut < 0) throw new Error(`name of ${name.length} bytes cannot be split into ustar prefix and name`);
      prefix = name.subarray(0, cut);
      name = name.subarray(cut + 1);
    } else if (how === 'gnu') {
      const long = Buffer.concat([name, Buffer.alloc(1)]);
      out.push(headerBlock({ ...common, name: Buffer.from('././@LongLink'), flag: 'L', size: long.length, linkname: Buffer.alloc(0), mode: 0o644 }));
      out.push(pad(long));
      name = name.subarray(0, 100);
    } else {
      pax.path = name;
      name = name.subarray(0, 100);
    }
  }
  if (linkname.length > 100) {
    if ((spec.longLink ?? 'gnu') === 'gnu') {
      const long = Buffer.concat([linkname, Buffer.alloc(1)]);
      out.push(headerBlock({ ...common, name: Buffer.from('././@LongLink'), flag: 'K', size: long.length, linkname: Buffer.alloc(0), mode: 0o644 }));
      out.push(pad(long));
    } else {
      pax.linkpath = linkname;
    }
    linkname = linkname.subarray(0, 100);
  }
  if (Object.keys(pax).length > 0) {
    const p = paxBody(pax);
    out.push(headerBlock({ ...common, name: Buffer.from('PaxHeaders/entry'), flag: 'x', size: p.length, linkname: Buffer.alloc(0), mode: 0o644 }));
    out.push(pad(p));
  }
  const header = { ...common, name, flag, size, linkname, badChecksum: spec.badChecksum ?? false };
  if (prefix) Object.assign(header, { prefix });
  out.push(headerBlock(header));
  out.push(pad(body));
  return Buffer.concat(out);
}

/** A whole tar: the entries and (unless `end: false`) the two zero blocks that end an archive. */
export function tar(entries: TarSpec[], opts: { end?: boolean } = {}): Buffer {
  const parts = entries.map(tarEntry);
  if (opts.end !== false) parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

/** A PAX global header (`g`) entry. */
export function paxGlobal(records: Record<string, string | Buffer>): TarSpec {
  const body = paxBody(records);
  return { name: 'pax_global_header', type: 'g', body };
}

export function sha256(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

export type LayerCompression = 'none' | 'gzip' | 'zstd';

export interface LayerSpec {
  /** The layer's tar entries (ignored when `tar` is given). */
  entries?: TarSpec[];
  /** The uncompressed layer bytes, used as they are (for broken layers). */
  tar?: Buffer;
  compression?: LayerCompression;
  /** Bytes stored instead of the (compressed) layer — for corrupt or truncated blobs. The diff_id stays the real one. */
  stored?: (blob: Buffer) => Buffer;
}

export interface ImageSpec {
  layers: LayerSpec[];
  /** Merged into the config's `config` object (User, Env, Cmd…). */
  config?: Record<string, unknown>;
  /** The config's history (default: one `created_by: "layer N"` entry per layer). */
  history?: Array<Record<string, unknown>>;
  /** Replaces rootfs.diff_ids (to make the manifest lie). */
  diffIds?: string[];
  repoTags?: string[];
  /** docker-archive: layers before manifest.json (what docker save does) or after it. */
  order?: 'layers-first' | 'manifest-first';
  /** Drop these layer indexes from the archive (the manifest still lists them). */
  omitLayers?: number[];
  /** Extra outer entries, appended after everything else. */
  extra?: TarSpec[];
  /** Layers listed in the manifest: default every layer in order; indexes into `layers`. */
  manifestLayers?: number[];
}

export interface BuiltLayer {
  /** Uncompressed tar. */
  tar: Buffer;
  /** What is stored in the archive. */
  blob: Buffer;
  diffId: string;
  blobDigest: string;
}

export function buildLayer(spec: LayerSpec): BuiltLayer {
  const t = spec.tar ?? tar(spec.entries ?? []);
  const compression = spec.compression ?? 'none';
  let blob = compression === 'gzip' ? zlib.gzipSync(t) : compression === 'zstd' ? zlib.zstdCompressSync(t) : t;
  if (spec.stored) blob = spec.stored(blob);
  return { tar: t, blob, diffId: sha256(t), blobDigest: sha256(blob) };
}

function configJson(spec: ImageSpec, layers: BuiltLayer[]): Buffer {
  const listed = spec.manifestLayers ?? layers.map((_, i) => i);
  const config = {
    architecture: 'amd64',
    os: 'linux',
    created: '2024-01-01T00:00:00Z',
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['/bin/sh'], ...spec.config },
    rootfs: { type: 'layers', diff_ids: spec.diffIds ?? listed.map((i) => layers[i]!.diffId) },
    history: spec.history ?? listed.map((i) => ({ created: '2024-01-01T00:00:00Z', created_by: `layer ${i}` })),
  };
  return Buffer.from(JSON.stringify(config));
}

export interface BuiltArchive {
  archive: Buffer;
  /** `sha256:` of the config. */
  id: string;
  layers: BuiltLayer[];
  /** Archive paths of the layers. */
  layerPaths: string[];
  config: Buffer;
}

/** A legacy docker-archive, as Docker ≤ 24 `docker save` writes it. */
export function dockerArchive(spec: ImageSpec): BuiltArchive {
  const layers = spec.layers.map(buildLayer);
  const config = configJson(spec, layers);
  const id = sha256(config);
  const layerPaths = layers.map((l) => `${l.diffId.slice(7)}/layer.tar`);
  const listed = spec.manifestLayers ?? layers.map((_, i) => i);
  const manifest = Buffer.from(
    JSON.stringify([{ Config: `${id.slice(7)}.json`, RepoTags: spec.repoTags ?? null, Layers: listed.map((i) => layerPaths[i]) }]),
  );
  const layerEntries: TarSpec[] = [];
  const written = new Set<string>();
  layers.forEach((l, i) => {
    if (spec.omitLayers?.includes(i) || written.has(layerPaths[i]!)) return;
    written.add(layerPaths[i]!);
    const dir = l.diffId.slice(7);
    layerEntries.push(
      { name: `${dir}/`, type: 'dir' },
      { name: `${dir}/VERSION`, body: '1.0' },
      { name: `${dir}/json`, body: JSON.stringify({ id: dir }) },
      { name: `${dir}/layer.tar`, body: l.blob },
    );
  });
  const meta: TarSpec[] = [
    { name: `${id.slice(7)}.json`, body: config },
    { name: 'manifest.json', body: manifest },
    { name: 'repositories', body: '{}' },
  ];
  const entries = spec.order === 'manifest-first' ? [...meta, ...layerEntries] : [...layerEntries, ...meta];
  return { archive: tar([...entries, ...(spec.extra ?? [])]), id, layers, layerPaths, config };
}

const MEDIA = {
  none: 'application/vnd.oci.image.layer.v1.tar',
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
};

/** An OCI image layout in a tar (what Docker 25+ `docker save` and skopeo's oci-archive write). */
export function ociArchive(
  spec: ImageSpec & {
    /** Also write a manifest.json (Docker 25+ does). */
    withManifestJson?: boolean;
    /** index.json annotation `org.opencontainers.image.ref.name`. */
    refName?: string;
    /** Wrap the manifest in a nested image index (as the containerd image store exports). */
    nestedIndex?: boolean;
  },
): BuiltArchive & { manifest: Buffer } {
  const layers = spec.layers.map(buildLayer);
  const config = configJson(spec, layers);
  const id = sha256(config);
  const listed = spec.manifestLayers ?? layers.map((_, i) => i);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: id, size: config.length },
      layers: listed.map((i) => ({
        mediaType: MEDIA[spec.layers[i]!.compression ?? 'none'],
        digest: layers[i]!.blobDigest,
        size: layers[i]!.blob.length,
      })),
    }),
  );
  const manifestDigest = sha256(manifest);
  const annotations = spec.refName ? { 'org.opencontainers.image.ref.name': spec.refName } : undefined;
  const blobs: TarSpec[] = [
    { name: 'blobs/', type: 'dir' },
    { name: 'blobs/sha256/', type: 'dir' },
  ];
  const written = new Set<string>();
  layers.forEach((l, i) => {
    if (spec.omitLayers?.includes(i) || written.has(l.blobDigest)) return;
    written.add(l.blobDigest);
    blobs.push({ name: `blobs/sha256/${l.blobDigest.slice(7)}`, body: l.blob });
  });
  blobs.push({ name: `blobs/sha256/${id.slice(7)}`, body: config }, { name: `blobs/sha256/${manifestDigest.slice(7)}`, body: manifest });
  const manifestDescriptor = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: manifestDigest,
    size: manifest.length,
    platform: { architecture: 'amd64', os: 'linux' },
  };
  let index: unknown;
  if (spec.nestedIndex) {
    const inner = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [manifestDescriptor] }));
    const innerDigest = sha256(inner);
    blobs.push({ name: `blobs/sha256/${innerDigest.slice(7)}`, body: inner });
    index = {
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: innerDigest, size: inner.length, annotations }],
    };
  } else {
    index = { schemaVersion: 2, manifests: [{ ...manifestDescriptor, annotations }] };
  }
  const top: TarSpec[] = [
    { name: 'index.json', body: JSON.stringify(index) },
    { name: 'oci-layout', body: '{"imageLayoutVersion":"1.0.0"}' },
  ];
  if (spec.withManifestJson) {
    top.push({
      name: 'manifest.json',
      body: JSON.stringify([
        { Config: `blobs/sha256/${id.slice(7)}`, RepoTags: spec.repoTags ?? null, Layers: listed.map((i) => `blobs/sha256/${layers[i]!.blobDigest.slice(7)}`) },
      ]),
    });
  }
  const layerPaths = layers.map((l) => `blobs/sha256/${l.blobDigest.slice(7)}`);
  return { archive: tar([...blobs, ...top, ...(spec.extra ?? [])]), id, layers, layerPaths, config, manifest };
}

/** Yields `buf` in slices of `size` bytes (or of the sizes in turn), to exercise chunk boundaries. */
export async function* chunked(buf: Buffer, size: number | number[]): AsyncGenerator<Buffer> {
  const sizes = Array.isArray(size) ? size : [size];
  let pos = 0;
  let i = 0;
  while (pos < buf.length) {
    const n = Math.max(1, sizes[i++ % sizes.length]!);
    yield buf.subarray(pos, pos + n);
    pos += n;
  }
}

/** A one-chunk stream. */
export async function* once(buf: Buffer): AsyncGenerator<Buffer> {
  yield buf;
}
