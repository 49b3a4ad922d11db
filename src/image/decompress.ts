/**
 * Layer decompression: detect the compression by magic bytes (never by name or media type) and inflate gzip or zstd
 * with Node's zlib (which runs in the thread pool, so inflating overlaps with reading the stream), pushing each
 * decompressed slice into a synchronous sink. Back-pressure: `write` returns a promise when zlib's input buffer is full.
 * If the sink throws (a limit, a malformed inner tar), the stream is destroyed and the next `write`/`end` rejects with
 * that error.
 */
import zlib from 'node:zlib';
import { ImageReadError } from '../image-view.ts';

export type Compression = 'none' | 'gzip' | 'zstd';
/** What the first bytes say: the compressions we read, or ones we recognise but do not read. */
export type Sniffed = Compression | 'xz' | 'bzip2';

/** Bytes `sniffCompression` wants to see (fewer are fine at the end of a blob). */
export const SNIFF_BYTES = 6;

export function sniffCompression(head: Buffer): Sniffed {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if (
    head.length >= 6 &&
    head[0] === 0xfd &&
    head[1] === 0x37 &&
    head[2] === 0x7a &&
    head[3] === 0x58 &&
    head[4] === 0x5a &&
    head[5] === 0x00
  ) {
    return 'xz';
  }
  if (head.length >= 3 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return 'bzip2';
  return 'none';
}

/** Output slice size: large enough that per-slice work (hash update, tar parse call) is negligible. */
const CHUNK = 128 * 1024;

export class Decompressor {
  private readonly z: zlib.Gunzip | zlib.ZstdDecompress;
  private error: Error | null = null;
  private readonly done: Promise<void>;
  private readonly failWaiters = new Set<(e: Error) => void>();
  private readonly label: string;
  private readonly kind: 'gzip' | 'zstd';

  /**
   * @param kind gzip or zstd
   * @param sink receives every decompressed slice, in order; may throw to abort
   * @param label names the data in error messages (e.g. `layer blobs/sha256/ab12…`)
   */
  constructor(kind: 'gzip' | 'zstd', sink: (chunk: Buffer) => void, label: string) {
    this.kind = kind;
    this.label = label;
    this.z = kind === 'gzip' ? zlib.createGunzip({ chunkSize: CHUNK }) : zlib.createZstdDecompress({ chunkSize: CHUNK });
    this.done = new Promise<void>((resolve, reject) => {
      this.z.on('end', resolve);
      this.failWaiters.add(reject);
    });
    this.done.catch(() => {}); // observed in end(); never an unhandled rejection
    this.z.on('data', (chunk: Buffer) => {
      if (this.error) return;
      try {
        sink(chunk);
      } catch (e) {
        this.fail(e instanceof Error ? e : new Error(String(e)));
      }
    });
    this.z.on('error', (e: Error & { code?: string }) => {
      if (this.error) return;
      this.fail(new ImageReadError(`${this.label}: ${this.kind} data is corrupt or truncated (${e.message})`));
    });
  }

  private fail(e: Error): void {
    if (this.error) return;
    this.error = e;
    for (const w of this.failWaiters) w(e);
    this.failWaiters.clear();
    this.z.destroy();
  }

  /** The error that stopped the stream, if any. */
  get failed(): Error | null {
    return this.error;
  }

  /** Compressed input. It is copied (zlib reads it later, on another thread), so the caller may reuse its buffer. */
  write(chunk: Buffer): void | Promise<void> {
    if (this.error) throw this.error;
    if (this.z.write(Buffer.from(chunk))) return;
    return new Promise<void>((resolve, reject) => {
      const onFail = (e: Error) => {
        this.z.off('drain', onDrain);
        reject(e);
      };
      const onDrain = () => {
        this.failWaiters.delete(onFail);
        resolve();
      };
      this.z.once('drain', onDrain);
      this.failWaiters.add(onFail);
    });
  }

  /** No more input: resolves once every decompressed byte went through the sink. */
  async end(): Promise<void> {
    if (this.error) throw this.error;
    this.z.end();
    await this.done;
    if (this.error) throw this.error;
  }

  /** Stops decompressing (after an error elsewhere). */
  destroy(): void {
    if (!this.error) this.fail(new ImageReadError(`${this.label}: decompression stopped`));
  }
}
