/**
 * One layer of an image, as it streams: the (possibly compressed) blob is hashed, decompressed, hashed again (the
 * diff_id) and parsed as a tar into a LayerIndex — every path's metadata, the whiteouts, and the contents of the few
 * files that are wanted. Nothing is written anywhere and no link is followed: a layer is only a list of entries until
 * read-apply.ts stacks the layers in the manifest's order.
 */
import { createHash, type Hash } from 'node:crypto';
import type { FileType, ImageFile } from '../image-view.ts';
import { ImageReadError } from '../image-view.ts';
import { Decompressor, type Compression } from './decompress.ts';
import { TarError, TarParser, type TarConsumer, type TarHeader } from './tar.ts';

/** Limits on what one archive may make the reader do. Every one is checked while streaming. */
export interface ReadLimits {
  /** Tar entries, summed over the outer archive and every layer (a million tiny files stay fast; ten million stop). */
  maxEntries: number;
  /**
   * Bytes of layer tars after decompression, summed over all layers: the cap that stops gzip/zstd bombs. A total, not
   * an expansion ratio: legitimate layers (sparse files, zero-filled images) compress a thousandfold.
   */
  maxLayerBytes: number;
  /** Layers in the manifest (overlay stacks at most ~128; a manifest listing one layer a million times stops here). */
  maxLayers: number;
  /** Bytes of one file whose content is read (larger wanted files are skipped with a warning). */
  maxContentBytes: number;
  /** Bytes of file contents read in total (further wanted files are skipped with a warning). */
  maxTotalContentBytes: number;
  /** Bytes of JSON (manifest, index, configs) kept from the outer archive, in total. */
  maxMetadataBytes: number;
}

export const DEFAULT_LIMITS: Readonly<ReadLimits> = Object.freeze({
  maxEntries: 2_000_000,
  maxLayerBytes: 20 * 1024 ** 3,
  maxLayers: 1000,
  maxContentBytes: 1024 * 1024,
  maxTotalContentBytes: 64 * 1024 * 1024,
  maxMetadataBytes: 64 * 1024 * 1024,
});

/** Longest path accepted (Linux PATH_MAX): longer names cannot be extracted by Docker either. */
const MAX_PATH = 4096;
/** Warnings kept; further ones are counted. */
const MAX_WARNINGS = 200;

/** State shared by every layer of one archive: limits, running totals, warnings, the content predicate. */
export class ReadBudget {
  readonly limits: ReadLimits;
  entries = 0;
  layerBytes = 0;
  contentBytes = 0;
  metadataBytes = 0;
  readonly warnings: string[] = [];
  private dropped = 0;
  readonly want: (path: string, size: number) => boolean;
  private contentCapHit = false;

  constructor(limits: ReadLimits, wantContent: (path: string, size: number) => boolean) {
    this.limits = limits;
    this.want = wantContent;
  }

  warn(message: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(message);
    else this.dropped++;
  }

  /** The warnings, with a last line counting the ones left out. */
  allWarnings(): string[] {
    return this.dropped > 0 ? [...this.warnings, `… and ${this.dropped} more warnings`] : [...this.warnings];
  }

  countEntry(where: string): void {
    if (++this.entries > this.limits.maxEntries) {
      throw new ImageReadError(
        `${where}: more than ${this.limits.maxEntries} tar entries in the archive (limit maxEntries); refusing to read further`,
      );
    }
  }

  countLayerBytes(n: number, where: string): void {
    this.layerBytes += n;
    if (this.layerBytes > this.limits.maxLayerBytes) {
      throw new ImageReadError(
        `${where}: the layers decompress to more than ${this.limits.maxLayerBytes} bytes (limit maxLayerBytes); ` +
          'a decompression bomb or an image too large to inspect',
      );
    }
  }

  /**
   * Reserves bytes for a file's content. Once the total would pass maxTotalContentBytes, no further wanted file is
   * read (one warning says so) — except the essential ones (ALWAYS_READ), which are small and always read.
   */
  reserveContent(n: number, path: string, where: string, essential: boolean): boolean {
    if (!essential && (this.contentCapHit || this.contentBytes + n > this.limits.maxTotalContentBytes)) {
      if (!this.contentCapHit) {
        this.contentCapHit = true;
        this.warn(
          `${where}: not reading ${path} and later wanted files: contents read so far reach the ${this.limits.maxTotalContentBytes}-byte limit (maxTotalContentBytes)`,
        );
      }
      return false;
    }
    this.contentBytes += n;
    return true;
  }
}

/** Files whose every version is read, whatever `wantContent` says: the account databases and the OS identity. */
export const ALWAYS_READ: ReadonlySet<string> = new Set(['/etc/passwd', '/etc/group', '/etc/os-release', '/usr/lib/os-release']);

const SECRET_NAMES = new Set([
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  'id_ecdsa_sk',
  'id_ed25519_sk',
  '.npmrc',
  '.pypirc',
  '.git-credentials',
  '.netrc',
  '.env',
  'credentials.json',
  'kubeconfig',
]);
const SECRET_SUFFIXES = ['.pem', '.key', '.p12', '.pfx'];
const SECRET_PATH_ENDINGS = ['/.aws/credentials', '/.docker/config.json', '/.kube/config'];

/** Files that may hold secrets are read only below this size: real keys and credential files are small. */
export const SECRET_MAX_SIZE = 1024 * 1024;

/**
 * The default `wantContent`: files under 1 MiB whose name suggests a secret — SSH private keys (id_rsa, id_ed25519, …),
 * `*.pem`, `*.key`, `*.p12`, `*.pfx`, `.aws/credentials`, `.docker/config.json`, `.npmrc`, `.pypirc`,
 * `.git-credentials`, `.netrc`, `.env` and `.env.*`, `credentials.json`, `service-account*.json`, `kubeconfig`,
 * `.kube/config`. `path` is absolute (`/root/.ssh/id_rsa`).
 */
export function isSecretCandidate(path: string, size: number): boolean {
  if (size >= SECRET_MAX_SIZE) return false;
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  if (SECRET_NAMES.has(base)) return true;
  if (base.startsWith('.env.')) return true;
  if (base.startsWith('service-account') && base.endsWith('.json')) return true;
  for (const s of SECRET_SUFFIXES) if (base.length > s.length && base.endsWith(s)) return true;
  for (const e of SECRET_PATH_ENDINGS) if (path.endsWith(e)) return true;
  return false;
}

/**
 * An entry name as an absolute, normalised path: `./usr//bin/x/` → `/usr/bin/x`, `.` → `/`. Throws on names that are
 * absolute, contain `..` or NUL, or are empty or too long — `what` says where (`layer …: entry "…"`).
 */
export function normaliseEntryName(name: string, what: () => string): string {
  if (name.length === 0) throw new ImageReadError(`${what()}: empty entry name`);
  if (name.length > MAX_PATH) throw new ImageReadError(`${what()}: name is longer than ${MAX_PATH} characters`);
  if (name.includes('\0')) throw new ImageReadError(`${what()}: name contains a NUL character`);
  if (name.charCodeAt(0) === 0x2f) {
    throw new ImageReadError(`${what()}: absolute entry names are not allowed in an image archive`);
  }
  // Fast path: the common `usr/bin/x`, `./usr/bin/x`, `usr/bin/` shapes need no splitting.
  let s = name.startsWith('./') ? name.slice(2) : name;
  if (s.endsWith('/')) s = s.slice(0, -1);
  if (s === '' || s === '.') return '/';
  if (!hasOddComponents(s)) return `/${s}`;
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw new ImageReadError(`${what()}: name contains a '..' component`);
    parts.push(part);
  }
  return parts.length === 0 ? '/' : `/${parts.join('/')}`;
}

function hasOddComponents(s: string): boolean {
  return (
    s.includes('//') ||
    s.endsWith('/') ||
    s === '..' ||
    s.startsWith('./') ||
    s.startsWith('../') ||
    s.startsWith('/') ||
    s.includes('/./') ||
    s.includes('/../') ||
    s.endsWith('/.') ||
    s.endsWith('/..')
  );
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** One entry of a layer that adds (or replaces) a path. */
export interface LayerEntry extends Omit<ImageFile, 'layer'> {
  /** The content, when the file was wanted (see ReadOptions.wantContent). */
  content?: Buffer;
}

export interface Whiteout {
  /** The path deleted (`.wh.name`), or the directory whose earlier contents are hidden (`.wh..wh..opq`). */
  path: string;
  opaque: boolean;
}

/** A layer read from the stream, before it is put in the manifest's order. */
export interface LayerIndex {
  /** Where the blob was in the outer archive (`<id>/layer.tar`, `blobs/sha256/<hex>`). */
  archivePath: string;
  compression: Compression;
  /** sha256 of the blob as stored (compressed or not). */
  blobDigest: string;
  blobSize: number;
  /** sha256 of the uncompressed tar: the config's rootfs.diff_ids entry. */
  diffId: string;
  /** Bytes of the uncompressed tar. */
  size: number;
  /** Entries in the tar (after PAX/GNU headers are folded in). */
  entries: number;
  /** Entries that add a path, in tar order. */
  adds: LayerEntry[];
  whiteouts: Whiteout[];
}

function entryType(h: TarHeader): FileType {
  // 'other' is rejected before this is called.
  return h.type as FileType;
}

/** Builds a LayerIndex from the entries of one layer tar. */
class LayerIndexer implements TarConsumer {
  readonly adds: LayerEntry[] = [];
  readonly whiteouts: Whiteout[] = [];
  private readonly label: string;
  private readonly budget: ReadBudget;
  /** Contents read in this layer, by path: a hardlink to a read file shares its Buffer. */
  private readonly readHere = new Map<string, Buffer>();
  private collecting: { entry: LayerEntry; buf: Buffer; fill: number } | null = null;
  private nonUtf8 = 0;
  private firstNonUtf8 = '';

  constructor(label: string, budget: ReadBudget) {
    this.label = label;
    this.budget = budget;
  }

  entry(h: TarHeader): boolean {
    const where = () => `${this.label}: entry ${JSON.stringify(h.name)} (at byte ${h.offset})`;
    this.budget.countEntry(this.label);
    if (h.type === 'other') {
      throw new ImageReadError(`${where()}: unsupported tar entry type '${h.typeflag.replace('\0', '\\0')}'`);
    }
    if (h.nonUtf8 && this.nonUtf8++ === 0) this.firstNonUtf8 = h.name;
    const path = normaliseEntryName(h.name, where);
    const slash = path.lastIndexOf('/');
    const base = path.slice(slash + 1);
    if (base.startsWith('.wh.')) {
      const parent = parentOf(path);
      if (base === '.wh..wh..opq') {
        this.whiteouts.push({ path: parent, opaque: true });
      } else if (base.startsWith('.wh..wh.')) {
        // AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs): not part of the image's filesystem.
      } else if (base === '.wh.') {
        throw new ImageReadError(`${where()}: whiteout names no file`);
      } else {
        this.whiteouts.push({ path: parent === '/' ? `/${base.slice(4)}` : `${parent}/${base.slice(4)}`, opaque: false });
      }
      return false;
    }
    const type = entryType(h);
    if (path === '/' && type !== 'dir') throw new ImageReadError(`${where()}: replaces the root directory with a ${type}`);
    const e: LayerEntry = { path, type, mode: h.mode, uid: h.uid, gid: h.gid, size: type === 'file' ? h.size : 0 };
    if (type === 'symlink') {
      e.linkTarget = h.linkname;
    } else if (type === 'hardlink') {
      const target = normaliseEntryName(h.linkname, () => `${where()}: hardlink target ${JSON.stringify(h.linkname)}`);
      e.linkTarget = target;
      const shared = this.readHere.get(target);
      if (shared && (ALWAYS_READ.has(path) || this.budget.want(path, shared.length))) e.content = shared;
    }
    this.adds.push(e);
    if (type !== 'file') return false;
    const essential = ALWAYS_READ.has(path);
    if (!(essential || this.budget.want(path, e.size))) return false;
    if (e.size > this.budget.limits.maxContentBytes) {
      this.budget.warn(
        `${this.label}: not reading ${path}: ${e.size} bytes is more than the ${this.budget.limits.maxContentBytes}-byte limit (maxContentBytes)`,
      );
      return false;
    }
    if (!this.budget.reserveContent(e.size, path, this.label, essential)) return false;
    if (e.size === 0) {
      e.content = Buffer.alloc(0);
      this.readHere.set(path, e.content);
      return false;
    }
    this.collecting = { entry: e, buf: Buffer.allocUnsafe(e.size), fill: 0 };
    return true;
  }

  body(chunk: Buffer): void {
    const c = this.collecting;
    if (!c) return;
    chunk.copy(c.buf, c.fill);
    c.fill += chunk.length;
  }

  entryEnd(): void {
    const c = this.collecting;
    if (!c) return;
    this.collecting = null;
    c.entry.content = c.buf;
    this.readHere.set(c.entry.path, c.buf);
  }

  finish(): void {
    if (this.nonUtf8 > 0) {
      this.budget.warn(
        `${this.label}: ${this.nonUtf8} entry name(s) are not valid UTF-8 and were read as Latin-1 (first: ${JSON.stringify(this.firstNonUtf8)})`,
      );
    }
  }
}

/**
 * Reads one layer blob as it streams: `write` the raw bytes in order, then `end`. Compression is given (the caller
 * sniffed the magic bytes). `write` returns a promise when the decompressor wants the caller to wait.
 */
export class LayerReader {
  private readonly label: string;
  private readonly archivePath: string;
  private readonly compression: Compression;
  private readonly budget: ReadBudget;
  private readonly indexer: LayerIndexer;
  private readonly parser: TarParser;
  private readonly diffHash: Hash;
  /** For compressed blobs; for uncompressed ones the blob digest is the diff_id. */
  private readonly blobHash: Hash | null;
  private readonly decompressor: Decompressor | null;
  private blobSize = 0;
  private size = 0;

  constructor(archivePath: string, compression: Compression, budget: ReadBudget) {
    this.archivePath = archivePath;
    this.label = `layer ${archivePath}`;
    this.compression = compression;
    this.budget = budget;
    this.indexer = new LayerIndexer(this.label, budget);
    this.parser = new TarParser(this.indexer);
    this.diffHash = createHash('sha256');
    this.blobHash = compression === 'none' ? null : createHash('sha256');
    this.decompressor =
      compression === 'none' ? null : new Decompressor(compression, (chunk) => this.feed(chunk), this.label);
  }

  write(raw: Buffer): void | Promise<void> {
    this.blobSize += raw.length;
    if (!this.decompressor) {
      this.feed(raw);
      return;
    }
    this.blobHash!.update(raw);
    return this.decompressor.write(raw);
  }

  /** Uncompressed tar bytes: hash, count, parse. */
  private feed(data: Buffer): void {
    this.diffHash.update(data);
    this.size += data.length;
    this.budget.countLayerBytes(data.length, this.label);
    try {
      this.parser.write(data);
    } catch (e) {
      throw this.tarError(e);
    }
  }

  private tarError(e: unknown): unknown {
    if (e instanceof TarError) return new ImageReadError(`${this.label}: ${e.message}`);
    return e;
  }

  async end(): Promise<LayerIndex> {
    if (this.decompressor) await this.decompressor.end();
    try {
      this.parser.end();
    } catch (e) {
      throw this.tarError(e);
    }
    this.indexer.finish();
    const diffId = `sha256:${this.diffHash.digest('hex')}`;
    return {
      archivePath: this.archivePath,
      compression: this.compression,
      blobDigest: this.blobHash ? `sha256:${this.blobHash.digest('hex')}` : diffId,
      blobSize: this.blobSize,
      diffId,
      size: this.size,
      entries: this.parser.entries,
      adds: this.indexer.adds,
      whiteouts: this.indexer.whiteouts,
    };
  }

  /** Stop (the outer stream failed). */
  abort(): void {
    this.decompressor?.destroy();
  }
}
