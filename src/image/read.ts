/**
 * Reads a `docker save` stream into an ImageView, as it streams: no temporary file holds any of it, nothing is
 * extracted, no link is followed. Both layouts — the legacy docker-archive (manifest.json, `<id>/layer.tar`, `<id>.json`; Docker ≤ 24) and
 * the OCI layout (index.json, oci-layout, blobs/sha256/…; Docker 25+, skopeo) — with uncompressed, gzip and zstd
 * layers (detected by magic bytes).
 *
 * The outer entries may come in any order (docker-archive puts the layers before manifest.json), so every blob that
 * looks like a layer is indexed as it passes (paths, metadata, whiteouts, wanted contents; its diff_id hashed on the
 * way) and small JSON documents are kept; once the stream ends, the manifest and config say which layers make the
 * image and in which order, every digest is checked, and the layers are stacked (read-apply.ts). Memory grows with the
 * number of paths, never with file bytes.
 *
 * Hostile input fails with an ImageReadError naming the entry or layer: `..` or absolute names, truncated archives or
 * layers, bad checksums, decompression bombs (ReadLimits.maxLayerBytes), too many entries (maxEntries), manifests
 * whose layers do not match the config's diff_ids. Things that do not stop an image from being inspected (a hardlink
 * to a missing file, names that are not UTF-8, several images in one archive) are `warnings` on the result.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImageReadError } from '../image-view.ts';
import { asImageReadError, ImageArchiveReader, type ImageReadResult, type ReadOptions } from './read-archive.ts';

export { ImageArchiveReader, type ImageReadResult, type ReadOptions } from './read-archive.ts';
export { DEFAULT_LIMITS, isSecretCandidate, type ReadLimits } from './read-layer.ts';

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new ImageReadError('image archive stream must yield bytes, not text (was an encoding set on the stream?)');
}

/**
 * Reads an image archive (`docker save` output, docker-archive or OCI layout) from a stream.
 * Throws ImageReadError for anything malformed, hostile or over a limit.
 */
export async function readImageArchive(
  stream: NodeJS.ReadableStream | AsyncIterable<Buffer>,
  opts: ReadOptions = {},
): Promise<ImageReadResult> {
  const reader = new ImageArchiveReader(opts);
  try {
    for await (const chunk of stream as AsyncIterable<unknown>) {
      const buf = toBuffer(chunk);
      if (buf.length === 0) continue;
      const r = reader.write(buf);
      if (r) await r;
    }
    return reader.end();
  } catch (e) {
    reader.abort();
    throw asImageReadError(e);
  }
}

export interface SavedImageOptions extends ReadOptions {
  /** The docker CLI to run (default `docker`). */
  docker?: string;
  /**
   * How docker's output reaches the reader. `fifo` (the default where `mkfifo` exists): docker writes into a named
   * pipe, made in a private temporary directory and unlinked before docker starts, which is read into one reused
   * buffer — no allocation per read, so memory stays flat however fast the stream. `stdout`: docker's stdout pipe,
   * read as a Node stream (one buffer per read, left to the garbage collector).
   */
  transport?: 'fifo' | 'stdout';
}

/** How long docker may take to exit by itself after the reader failed, before it is stopped. */
const EXIT_GRACE_MS = 2000;
/** Bytes of docker's stderr kept for the error message. */
const STDERR_MAX = 16 * 1024;
/** The reused read buffer (a pipe delivers at most its capacity, 64 KiB by default, per read). */
const READ_BUFFER = 256 * 1024;

interface Fifo {
  readFd: number;
  writeFd: number;
}

/**
 * A named pipe with both ends open and its name already removed: nothing is left on disk, and nothing else can open
 * it (it lived for a moment in a fresh 0700 directory). Null when the platform has no mkfifo.
 */
function openFifo(): Fifo | null {
  let dir: string | null = null;
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'defang-save-'));
    const fifo = path.join(dir, 'stdout');
    const made = spawnSync('mkfifo', ['-m', '600', fifo], { stdio: 'ignore' });
    if (made.status !== 0) return null;
    // The read end first, non-blocking (no writer yet); then the write end, which opens at once since a reader exists.
    const readFd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    let writeFd: number;
    try {
      writeFd = fs.openSync(fifo, fs.constants.O_WRONLY);
    } catch (e) {
      fs.closeSync(readFd);
      throw e;
    }
    return { readFd, writeFd };
  } catch {
    return null;
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Reads a pipe into one reused buffer, pushing each read into `reader`; pauses while the reader asks to wait.
 * `state.ended` says whether the writer closed the pipe (rather than the reader giving up first).
 */
function pumpFd(fd: number, reader: ImageArchiveReader, state: { ended: boolean }): Promise<ImageReadResult> {
  return new Promise<ImageReadResult>((resolve, reject) => {
    let done = false;
    let socket: net.Socket | null = null;
    const fail = (e: unknown) => {
      if (done) return;
      done = true;
      reader.abort();
      socket?.destroy();
      reject(asImageReadError(e));
    };
    try {
      socket = new net.Socket({
        fd,
        readable: true,
        writable: false,
        onread: {
          buffer: Buffer.allocUnsafe(READ_BUFFER),
          callback: (n: number, buf: Uint8Array) => {
            if (done) return false;
            let r: void | Promise<void>;
            try {
              r = reader.write((buf as Buffer).subarray(0, n));
            } catch (e) {
              fail(e);
              return false;
            }
            if (!r) return true;
            // The buffer must not be refilled until the reader is done with it: pause reading until then.
            r.then(() => {
              if (!done) socket!.resume();
            }, fail);
            return false;
          },
        },
      });
    } catch (e) {
      fs.closeSync(fd);
      fail(e);
      return;
    }
    socket.on('error', fail);
    socket.on('end', () => {
      state.ended = true;
      if (done) return;
      try {
        const view = reader.end();
        done = true;
        resolve(view);
      } catch (e) {
        fail(e);
      }
    });
  });
}

/**
 * Runs `docker save <imageRef>` and reads its output as it streams. A docker failure (non-zero exit, or anything on
 * stderr other than `WARNING` lines) becomes an ImageReadError naming the image and quoting docker; docker's
 * `WARNING` lines on a successful save become warnings on the result.
 */
export async function readSavedImage(imageRef: string, opts: SavedImageOptions = {}): Promise<ImageReadResult> {
  if (imageRef === '' || imageRef.startsWith('-') || /[\s\0]/.test(imageRef)) {
    throw new ImageReadError(`not an image reference: ${JSON.stringify(imageRef)}`);
  }
  const docker = opts.docker ?? 'docker';
  const fifo = (opts.transport ?? 'fifo') === 'fifo' ? openFifo() : null;
  let child;
  try {
    child = spawn(docker, ['save', imageRef], { stdio: ['ignore', fifo ? fifo.writeFd : 'pipe', 'pipe'] });
  } catch (e) {
    if (fifo) fs.closeSync(fifo.readFd);
    throw new ImageReadError(`cannot run \`${docker} save ${imageRef}\`: ${(e as Error).message}`, { cause: e });
  } finally {
    // docker has its own copy now; ours must go, or the reader would never see the end of the stream.
    if (fifo) fs.closeSync(fifo.writeFd);
  }
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    if (stderr.length < STDERR_MAX) stderr += s.slice(0, STDERR_MAX - stderr.length);
  });
  let spawnError: Error | null = null;
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (e) => {
      spawnError = e;
      resolve({ code: null, signal: null });
    });
    child.on('close', (code, signal) => resolve({ code, signal }));
  });

  let view: ImageReadResult | null = null;
  let readError: ImageReadError | null = null;
  let killed = false;
  /** Whether docker closed its output (else the reader stopped reading first, and docker's failure follows from it). */
  const pipe = { ended: false };
  try {
    view = fifo ? await pumpFd(fifo.readFd, new ImageArchiveReader(opts), pipe) : await readImageArchive(child.stdout!, opts);
  } catch (e) {
    readError = asImageReadError(e);
    if (!fifo) pipe.ended = child.stdout!.readableEnded;
    // When the stream broke because docker failed, docker is exiting and its message says why: give it a moment.
    // When the archive itself was bad, the reader closed the pipe and docker dies of SIGPIPE; if not, stop it.
    let timer: NodeJS.Timeout | undefined;
    const exited = await Promise.race([
      closed.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), EXIT_GRACE_MS))),
    ]);
    clearTimeout(timer);
    if (!exited && child.exitCode === null && child.signalCode === null) killed = child.kill('SIGTERM');
  }
  const { code, signal } = await closed;
  const said = stderr.trim();
  if (spawnError) {
    throw new ImageReadError(`cannot run \`${docker} save ${imageRef}\`: ${(spawnError as Error).message}`);
  }
  // A reader that gave up first closed the pipe: docker then dies of SIGPIPE or a write error, which is no news.
  const dockerFailed = code !== 0 && !killed && (readError === null || pipe.ended);
  if (dockerFailed) {
    const how = code === null ? `was killed by ${signal}` : `exited with status ${code}`;
    let message = `docker save ${imageRef} failed: docker ${how}: ${said || '(no message)'}`;
    if (readError) message += ` (reading the archive: ${readError.message})`;
    throw new ImageReadError(message, { cause: readError ?? undefined });
  }
  if (readError) throw new ImageReadError(`image ${imageRef}: ${readError.message}`, { cause: readError });
  const lines = said === '' ? [] : said.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const notWarnings = lines.filter((l) => !/^WARNING\b/i.test(l));
  if (notWarnings.length > 0) {
    throw new ImageReadError(`docker save ${imageRef} reported an error: ${notWarnings.join(' ')}`);
  }
  const result = view!;
  for (const l of lines) result.warnings.push(`docker save ${imageRef}: ${l}`);
  return result;
}
