/**
 * The push side of the reader: feed it the outer archive's bytes in order (`write`), then `end` it for the ImageView.
 * Every outer file is classified by its first bytes — a layer tar (uncompressed, gzip or zstd), a small JSON document
 * (manifest, index, config), or something else — and handled as it streams: layers are indexed (read-layer.ts), JSON
 * is kept, the rest is skipped. `end` resolves the manifest (read-manifest.ts) and stacks the layers (read-apply.ts).
 *
 * Chunks passed to `write` are never kept after `write` returns (or its promise settles): whatever must outlive the
 * call is copied, so a caller may read into one reused buffer.
 */
import type { ImageView, LayerInfo } from '../image-view.ts';
import { ImageReadError } from '../image-view.ts';
import { sniffCompression } from './decompress.ts';
import { applyLayers } from './read-apply.ts';
import { DEFAULT_LIMITS, isSecretCandidate, LayerReader, normaliseEntryName, ReadBudget, type ReadLimits } from './read-layer.ts';
import { resolveImage, type OuterContents } from './read-manifest.ts';
import { isTarHeaderBlock, TarError, TarParser, type TarConsumer, type TarHeader } from './tar.ts';

export interface ReadOptions {
  limits?: Partial<ReadLimits>;
  /**
   * Which regular files to read (besides /etc/passwd, /etc/group, /etc/os-release and /usr/lib/os-release, which are
   * always read). Called with the absolute path and the size, once per version. Default: `isSecretCandidate`. Files
   * over `limits.maxContentBytes` are never read.
   */
  wantContent?: (path: string, size: number) => boolean;
}

/** An ImageView plus what the reader noticed but did not fail on. */
export interface ImageReadResult extends ImageView {
  warnings: string[];
}

/** How many bytes of a blob decide whether it is a layer tar (one header block). */
const SNIFF = 512;

/** One regular file of the outer archive, classified by its first bytes. */
class OuterFile {
  private readonly path: string;
  private readonly size: number;
  private readonly contents: OuterContents;
  private readonly budget: ReadBudget;
  private mode: 'sniff' | 'layer' | 'json' | 'skip' = 'sniff';
  private readonly head = Buffer.allocUnsafe(SNIFF);
  private headLen = 0;
  private layer: LayerReader | null = null;
  private json: Buffer | null = null;
  private jsonFill = 0;

  constructor(path: string, size: number, contents: OuterContents, budget: ReadBudget) {
    this.path = path;
    this.size = size;
    this.contents = contents;
    this.budget = budget;
  }

  write(chunk: Buffer): void | Promise<void> {
    switch (this.mode) {
      case 'sniff': {
        const take = Math.min(SNIFF - this.headLen, chunk.length);
        chunk.copy(this.head, this.headLen, 0, take);
        this.headLen += take;
        if (this.headLen < SNIFF) return;
        const r = this.classify();
        if (take === chunk.length) return r;
        const rest = chunk.subarray(take);
        return r ? r.then(() => this.write(rest)) : this.write(rest);
      }
      case 'layer':
        return this.layer!.write(chunk);
      case 'json':
        chunk.copy(this.json!, this.jsonFill);
        this.jsonFill += chunk.length;
        return;
      case 'skip':
        return;
    }
  }

  /** Decides what the blob is from its first bytes, then passes them on. */
  private classify(): void | Promise<void> {
    const head = this.head.subarray(0, this.headLen);
    const compression = sniffCompression(head);
    if (compression === 'gzip' || compression === 'zstd' || (compression === 'none' && isTarHeaderBlock(head))) {
      this.mode = 'layer';
      this.layer = new LayerReader(this.path, compression, this.budget);
      return this.layer.write(head);
    }
    this.mode = 'skip';
    if (compression === 'xz' || compression === 'bzip2') {
      this.contents.unusable.set(this.path, `${compression}-compressed (only uncompressed, gzip and zstd layers are read)`);
      return;
    }
    let i = 0;
    while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
    if (head[i] !== 0x7b && head[i] !== 0x5b) {
      this.contents.unusable.set(this.path, 'neither a tar layer nor a JSON document');
      return;
    }
    if (this.budget.metadataBytes + this.size > this.budget.limits.maxMetadataBytes) {
      this.contents.unusable.set(
        this.path,
        `a ${this.size}-byte JSON document, over the ${this.budget.limits.maxMetadataBytes}-byte limit for metadata (maxMetadataBytes)`,
      );
      return;
    }
    this.budget.metadataBytes += this.size;
    this.mode = 'json';
    this.json = Buffer.allocUnsafe(this.size);
    head.copy(this.json, 0);
    this.jsonFill = head.length;
  }

  end(): void | Promise<void> {
    if (this.mode === 'sniff') {
      const r = this.classify();
      if (r) return r.then(() => this.end());
    }
    if (this.mode === 'json') {
      this.contents.json.set(this.path, this.json!);
      return;
    }
    if (this.mode === 'layer') {
      return this.layer!.end().then((index) => {
        this.contents.layers.set(this.path, index);
      });
    }
  }

  abort(): void {
    this.layer?.abort();
  }
}

/** Legacy v1 metadata in docker-archive that nothing here needs (and `repositories`, which manifest.json repeats). */
function ignoredOuterName(path: string): boolean {
  return path === 'repositories' || /^[^/]+\/(json|VERSION)$/.test(path);
}

class OuterReader implements TarConsumer {
  readonly contents: OuterContents = { json: new Map(), layers: new Map(), unusable: new Map(), links: new Map() };
  private readonly budget: ReadBudget;
  current: OuterFile | null = null;

  constructor(budget: ReadBudget) {
    this.budget = budget;
  }

  entry(h: TarHeader): boolean {
    this.budget.countEntry('image archive');
    const where = () => `image archive: entry ${JSON.stringify(h.name)} (at byte ${h.offset})`;
    const path = normaliseEntryName(h.name, where).slice(1);
    if (h.type === 'dir' || h.type === 'other' || h.type === 'char' || h.type === 'block' || h.type === 'fifo') return false;
    // A later entry with the same name replaces the earlier one, as extracting the archive would.
    const c = this.contents;
    c.json.delete(path);
    c.layers.delete(path);
    c.unusable.delete(path);
    c.links.delete(path);
    if (h.type === 'symlink' || h.type === 'hardlink') {
      c.links.set(path, { target: h.linkname, hard: h.type === 'hardlink' });
      return false;
    }
    if (ignoredOuterName(path)) return false;
    this.current = new OuterFile(path, h.size, c, this.budget);
    return true;
  }

  body(chunk: Buffer): void | Promise<void> {
    return this.current?.write(chunk);
  }

  entryEnd(): void | Promise<void> {
    const f = this.current;
    if (!f) return;
    const r = f.end();
    if (r) return r.then(() => void (this.current = null));
    this.current = null;
  }
}

/** Any failure as an ImageReadError (tar errors of the outer archive say so; anything unexpected is wrapped). */
export function asImageReadError(e: unknown): ImageReadError {
  if (e instanceof ImageReadError) return e;
  if (e instanceof TarError) return new ImageReadError(`image archive: ${e.message}`, { cause: e });
  return new ImageReadError(`reading the image archive failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

/** Reads an image archive pushed to it in chunks. Errors (thrown or rejected) are ImageReadErrors. */
export class ImageArchiveReader {
  private readonly limits: ReadLimits;
  private readonly budget: ReadBudget;
  private readonly outer: OuterReader;
  private readonly parser: TarParser;

  constructor(opts: ReadOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.budget = new ReadBudget(this.limits, opts.wantContent ?? isSecretCandidate);
    this.outer = new OuterReader(this.budget);
    this.parser = new TarParser(this.outer);
  }

  /** The next bytes of the archive. Returns a promise when the caller must wait before writing more. */
  write(chunk: Buffer): void | Promise<void> {
    try {
      const r = this.parser.write(chunk);
      if (r) return r.catch((e: unknown) => Promise.reject(this.fail(e)));
    } catch (e) {
      throw this.fail(e);
    }
  }

  /** The archive ended: check it was complete, resolve the image and stack its layers. */
  end(): ImageReadResult {
    try {
      this.parser.end();
      const resolved = resolveImage(this.outer.contents, this.limits.maxLayers, (m) => this.budget.warn(m));
      const layers: LayerInfo[] = resolved.layers.map((l, index) => ({
        index,
        diffId: l.index.diffId,
        size: l.index.size,
        entries: l.index.entries,
      }));
      const applied = applyLayers(
        resolved.layers.map((l, i) => ({ label: `layer ${i} (${l.path})`, adds: l.index.adds, whiteouts: l.index.whiteouts })),
        (m) => this.budget.warn(m),
      );
      return {
        id: resolved.id,
        tags: resolved.tags,
        config: resolved.config,
        history: resolved.history,
        layers,
        files: applied.files,
        removed: applied.removed,
        contents: applied.contents,
        layout: resolved.layout,
        warnings: this.budget.allWarnings(),
      };
    } catch (e) {
      throw this.fail(e);
    }
  }

  /** Stops any decompression in progress (after the input failed). */
  abort(): void {
    this.outer.current?.abort();
  }

  private fail(e: unknown): ImageReadError {
    this.abort();
    return asImageReadError(e);
  }
}
