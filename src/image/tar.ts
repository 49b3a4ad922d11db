/**
 * A streaming tar parser: it takes the archive in chunks as they arrive and reports each entry's header, then hands
 * over the entry's body as slices of those same chunks (no copy) — only when the consumer asked for it; unwanted
 * bodies are skipped by counting bytes. It reads ustar (with the `prefix` field), old GNU (`L` long names, `K` long
 * link names), PAX extended (`x`) and global (`g`) headers (path, linkpath, size, uid, gid, mtime), base-256 numeric
 * fields, and verifies every header's checksum. Broken input becomes a TarError that says what was wrong, where (byte
 * offset) and in which entry.
 *
 * Control flow: `write(chunk)` runs synchronously as far as it can; when the consumer's `body`/`entryEnd` returns a
 * promise (e.g. a decompressor asking for back-pressure), `write` returns a promise that settles once the whole chunk is
 * consumed. The caller must not call `write` again before that. Consumers whose callbacks are synchronous get a
 * synchronous parser (`write` returns undefined).
 */
import { isUtf8 } from 'node:buffer';

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo' | 'other';

export interface TarHeader {
  /** The entry's name as stored (after PAX / GNU long-name overrides), not normalised. */
  name: string;
  type: TarEntryType;
  /** The raw type flag character (`'0'`, `'5'`, `'x'`…; `'\0'` for old regular files). */
  typeflag: string;
  /** Permission bits (the low 12 bits of the mode field). */
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of body that follow the header (0 for header-only types such as directories and links). */
  size: number;
  /** Seconds since the epoch (PAX mtimes may have a fraction). */
  mtime: number;
  /** Link target for symlinks and hardlinks ('' otherwise). */
  linkname: string;
  /** True when the name or link name was not valid UTF-8 and was decoded as Latin-1. */
  nonUtf8: boolean;
  /** Byte offset of this entry's (first) header block in the archive. */
  offset: number;
}

export interface TarConsumer {
  /** A header. Return true to receive the entry's body through `body`. */
  entry(header: TarHeader): boolean;
  /** A slice of the current entry's body (a view into the written chunk: copy it if you keep it). */
  body?(chunk: Buffer): void | Promise<void>;
  /** The current entry's body is complete (called for every entry, wanted or not). */
  entryEnd?(): void | Promise<void>;
}

/** A malformed or truncated archive. `offset` is the byte offset in the (uncompressed) archive where it went wrong. */
export class TarError extends Error {
  offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'TarError';
    this.offset = offset;
  }
}

const BLOCK = 512;
/** Largest PAX or GNU long-name body accepted: names and link names are far shorter; anything bigger is hostile. */
export const MAX_META_BODY = 1024 * 1024;

const S_HEADER = 0;
const S_BODY = 1;
const S_PAD = 2;
const S_META = 3;
const S_DONE = 4;

type State = typeof S_HEADER | typeof S_BODY | typeof S_PAD | typeof S_META | typeof S_DONE;

interface Overrides {
  path?: string;
  linkpath?: string;
  size?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  nonUtf8?: boolean;
  sparse?: boolean;
}

/** Decodes a name: UTF-8 when it is valid UTF-8, else Latin-1 (lossless: every byte keeps its own character). */
export function decodeName(bytes: Buffer): { text: string; nonUtf8: boolean } {
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), nonUtf8: false };
  return { text: bytes.toString('latin1'), nonUtf8: true };
}

function cString(block: Buffer, start: number, length: number): Buffer {
  const end = block.indexOf(0, start);
  return block.subarray(start, end === -1 || end > start + length ? start + length : end);
}

function quote(name: string): string {
  return JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name);
}

function typeOf(flag: string): TarEntryType {
  switch (flag) {
    case '0':
    case '\0':
    case '7':
      return 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '3':
      return 'char';
    case '4':
      return 'block';
    case '5':
      return 'dir';
    case '6':
      return 'fifo';
    default:
      return 'other';
  }
}

/** Types that never carry a body, whatever their size field says (as Go's archive/tar, which Docker uses, reads them). */
function headerOnly(type: TarEntryType): boolean {
  return type === 'hardlink' || type === 'symlink' || type === 'char' || type === 'block' || type === 'dir' || type === 'fifo';
}

export class TarParser {
  private readonly consumer: TarConsumer;
  private state: State = S_HEADER;
  /** Bytes consumed so far (absolute offset of the next byte). */
  private offset = 0;
  private readonly hdr = Buffer.alloc(BLOCK);
  private hdrFill = 0;
  /** Body bytes left in the current entry (BODY / META). */
  private remaining = 0;
  /** Padding bytes left after the current body (PAD). */
  private pad = 0;
  private wantBody = false;
  /** A zero block was seen: the next block must be zero too (end of archive) or the stream must end. */
  private sawZero = false;
  private ended = false;
  /** Metadata entry being collected (PAX or GNU long name). */
  private metaType = '';
  private metaParts: Buffer[] = [];
  private metaHeaderOffset = 0;
  private pending: Overrides = {};
  private global: Overrides = {};
  private entryOffset = -1;
  /** Name of the entry whose body is being read, for messages. */
  private currentName = '';
  private entryCount = 0;

  constructor(consumer: TarConsumer) {
    this.consumer = consumer;
  }

  /** Bytes consumed so far. */
  get bytes(): number {
    return this.offset;
  }

  /** Entries reported so far. */
  get entries(): number {
    return this.entryCount;
  }

  /** True once the end-of-archive marker was read (the rest of the stream is ignored). */
  get finished(): boolean {
    return this.state === S_DONE;
  }

  /** Feeds the next chunk. Returns a promise only when a consumer callback did (see the module comment). */
  write(chunk: Buffer): void | Promise<void> {
    if (this.ended) throw new TarError('write after end', this.offset);
    return this.run(chunk, 0);
  }

  /** The stream ended: throws a TarError when the archive is truncated. */
  end(): void {
    this.ended = true;
    switch (this.state) {
      case S_DONE:
        return;
      case S_HEADER:
        if (this.hdrFill > 0) {
          throw new TarError(`archive is truncated: it ends inside the header block at byte ${this.offset - this.hdrFill}`, this.offset);
        }
        if (this.sawZero) return; // one zero block then the end: accepted, as Go's archive/tar does
        if (this.pendingMeta()) {
          throw new TarError(`archive is truncated: it ends after an extended header with no entry following it`, this.offset);
        }
        throw new TarError(
          this.offset === 0
            ? 'archive is empty (0 bytes)'
            : `archive is truncated: no end-of-archive marker after ${this.entryCount} entries (${this.offset} bytes)`,
          this.offset,
        );
      case S_BODY:
      case S_META:
        throw new TarError(
          `archive is truncated: entry ${quote(this.currentName)} ends ${this.remaining} bytes short of its size`,
          this.offset,
        );
      case S_PAD:
        throw new TarError(
          `archive is truncated: it ends in the padding after entry ${quote(this.currentName)}`,
          this.offset,
        );
    }
  }

  private pendingMeta(): boolean {
    const p = this.pending;
    return p.path !== undefined || p.linkpath !== undefined || p.size !== undefined;
  }

  private run(chunk: Buffer, pos: number): void | Promise<void> {
    const len = chunk.length;
    while (pos < len) {
      switch (this.state) {
        case S_HEADER: {
          let block: Buffer;
          if (this.hdrFill === 0 && len - pos >= BLOCK) {
            block = chunk.subarray(pos, pos + BLOCK);
            pos += BLOCK;
          } else {
            const n = Math.min(BLOCK - this.hdrFill, len - pos);
            chunk.copy(this.hdr, this.hdrFill, pos, pos + n);
            this.hdrFill += n;
            pos += n;
            this.offset += n;
            if (this.hdrFill < BLOCK) continue;
            this.hdrFill = 0;
            this.offset -= BLOCK; // header() accounts for the block
            block = this.hdr;
          }
          const r = this.header(block);
          if (r) return r.then(() => this.run(chunk, pos));
          break;
        }
        case S_BODY: {
          const n = Math.min(this.remaining, len - pos);
          const start = pos;
          pos += n;
          this.remaining -= n;
          this.offset += n;
          const r = this.wantBody && n > 0 && this.consumer.body ? this.consumer.body(chunk.subarray(start, pos)) : undefined;
          if (this.remaining === 0) {
            this.afterBody();
            if (r) return r.then(() => this.endEntryThen(chunk, pos));
            const e = this.endEntry();
            if (e) return e.then(() => this.run(chunk, pos));
          } else if (r) {
            return r.then(() => this.run(chunk, pos));
          }
          break;
        }
        case S_META: {
          const n = Math.min(this.remaining, len - pos);
          this.metaParts.push(Buffer.from(chunk.subarray(pos, pos + n)));
          pos += n;
          this.remaining -= n;
          this.offset += n;
          if (this.remaining === 0) {
            this.afterBody();
            this.finishMeta();
          }
          break;
        }
        case S_PAD: {
          const n = Math.min(this.pad, len - pos);
          pos += n;
          this.pad -= n;
          this.offset += n;
          if (this.pad === 0) this.state = S_HEADER;
          break;
        }
        case S_DONE:
          this.offset += len - pos;
          return;
      }
    }
  }

  private endEntryThen(chunk: Buffer, pos: number): void | Promise<void> {
    const e = this.endEntry();
    if (e) return e.then(() => this.run(chunk, pos));
    return this.run(chunk, pos);
  }

  /** True between a data entry's header and its entryEnd call. */
  private entryOpen = false;

  private afterBody(): void {
    const size = this.bodySize;
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    this.pad = padding;
    this.state = padding > 0 ? S_PAD : S_HEADER;
  }

  private bodySize = 0;

  private endEntry(): void | Promise<void> {
    if (!this.entryOpen) return;
    this.entryOpen = false;
    return this.consumer.entryEnd?.();
  }

  private header(block: Buffer): void | Promise<void> {
    const at = this.offset;
    if (block[0] === 0 && isZeroBlock(block)) {
      this.offset += BLOCK;
      if (this.sawZero) {
        this.state = S_DONE;
        return;
      }
      if (this.pendingMeta()) {
        throw new TarError(`zero block at byte ${at} right after an extended header`, at);
      }
      this.sawZero = true;
      return;
    }
    if (this.sawZero) {
      throw new TarError(`a lone zero block at byte ${at - BLOCK} is followed by more data (corrupt archive)`, at);
    }
    const rawName = cString(block, 0, 100);
    const shownName = () => quote(this.pending.path ?? decodeName(rawName).text);
    verifyChecksum(block, at, shownName);

    const flag = String.fromCharCode(block[156]!);
    const field = (name: string, start: number, length: number) => parseNumber(block, start, length, name, at, shownName);
    const size = field('size', 124, 12);
    this.offset += BLOCK;

    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > MAX_META_BODY) {
        throw new TarError(
          `extended header (type '${flag}') at byte ${at} is ${size} bytes, more than the ${MAX_META_BODY} accepted`,
          at,
        );
      }
      this.metaType = flag;
      this.metaParts = [];
      this.metaHeaderOffset = at;
      this.remaining = size;
      this.bodySize = size;
      this.currentName = `(${flag} header)`;
      if (this.entryOffset < 0) this.entryOffset = at;
      if (size === 0) {
        this.afterBody();
        this.finishMeta();
      } else {
        this.state = S_META;
      }
      return;
    }

    const magic = block.toString('latin1', 257, 263);
    const ustar = magic === 'ustar\0';
    const p = this.pending;
    const g = this.global;
    let nonUtf8 = p.nonUtf8 ?? false;

    let name: string;
    const fromPax = p.path ?? g.path;
    if (fromPax !== undefined) {
      name = fromPax;
    } else {
      const decoded = decodeName(rawName);
      name = decoded.text;
      nonUtf8 ||= decoded.nonUtf8;
      if (ustar && block[345] !== 0) {
        const prefix = decodeName(cString(block, 345, 155));
        nonUtf8 ||= prefix.nonUtf8;
        name = `${prefix.text}/${name}`;
      }
    }
    let linkname: string;
    const linkFromPax = p.linkpath ?? g.linkpath;
    if (linkFromPax !== undefined) {
      linkname = linkFromPax;
    } else {
      const decoded = decodeName(cString(block, 157, 100));
      linkname = decoded.text;
      nonUtf8 ||= decoded.nonUtf8;
    }
    const type = typeOf(flag);
    const modeField = field('mode', 100, 8);
    const header: TarHeader = {
      name,
      type,
      typeflag: flag,
      mode: modeField & 0o7777,
      uid: p.uid ?? g.uid ?? field('uid', 108, 8),
      gid: p.gid ?? g.gid ?? field('gid', 116, 8),
      size: p.size ?? g.size ?? size,
      mtime: p.mtime ?? g.mtime ?? field('mtime', 136, 12),
      linkname,
      nonUtf8,
      offset: this.entryOffset >= 0 ? this.entryOffset : at,
    };
    if (p.sparse || g.sparse || flag === 'S') {
      throw new TarError(`entry ${quote(name)} at byte ${at} is a GNU sparse file, which this reader does not support`, at);
    }
    if (headerOnly(type)) header.size = 0;
    this.pending = {};
    this.entryOffset = -1;
    this.entryCount++;
    this.currentName = name;
    this.bodySize = header.size;
    this.remaining = header.size;
    this.entryOpen = true;
    this.wantBody = this.consumer.entry(header);
    if (header.size === 0) {
      this.state = S_HEADER;
      return this.endEntry();
    }
    this.state = S_BODY;
  }

  private finishMeta(): void {
    const body = this.metaParts.length === 1 ? this.metaParts[0]! : Buffer.concat(this.metaParts);
    this.metaParts = [];
    const at = this.metaHeaderOffset;
    switch (this.metaType) {
      case 'L': {
        const d = decodeName(cString(body, 0, body.length));
        this.pending.path = d.text;
        if (d.nonUtf8) this.pending.nonUtf8 = true;
        break;
      }
      case 'K': {
        const d = decodeName(cString(body, 0, body.length));
        this.pending.linkpath = d.text;
        if (d.nonUtf8) this.pending.nonUtf8 = true;
        break;
      }
      case 'x':
        parsePax(body, this.pending, at, false);
        break;
      case 'g':
        parsePax(body, this.global, at, true);
        break;
    }
  }
}

function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i += 8) {
    if (block.readBigUInt64LE(i) !== 0n) return false;
  }
  return true;
}

function verifyChecksum(block: Buffer, at: number, name: () => string): void {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  let stored: number;
  try {
    stored = parseNumber(block, 148, 8, 'checksum', at, name);
  } catch {
    throw new TarError(`bad header checksum at byte ${at} (entry ${name()}): the checksum field is not a number`, at);
  }
  if (stored !== unsigned && stored !== signed) {
    throw new TarError(
      `bad header checksum at byte ${at} (entry ${name()}): stored ${stored}, computed ${unsigned}`,
      at,
    );
  }
}

/** An octal or base-256 (GNU / star) numeric field. */
export function parseNumber(
  block: Buffer,
  start: number,
  length: number,
  field: string,
  at: number,
  name: () => string,
): number {
  const first = block[start]!;
  if (first & 0x80) {
    if (first & 0x40) {
      if (field === 'mtime') return parseBase256Negative(block, start, length);
      throw new TarError(`entry ${name()} at byte ${at}: negative ${field}`, at);
    }
    let x = first & 0x3f;
    for (let i = 1; i < length; i++) {
      x = x * 256 + block[start + i]!;
      if (x > Number.MAX_SAFE_INTEGER) throw new TarError(`entry ${name()} at byte ${at}: ${field} is too large`, at);
    }
    return x;
  }
  let i = start;
  const end = start + length;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  let x = 0;
  let digits = 0;
  while (i < end && block[i]! >= 0x30 && block[i]! <= 0x37) {
    x = x * 8 + (block[i]! - 0x30);
    i++;
    digits++;
  }
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  if (i !== end) {
    throw new TarError(
      `entry ${name()} at byte ${at}: ${field} field ${JSON.stringify(block.toString('latin1', start, end))} is not an octal number`,
      at,
    );
  }
  if (digits === 0) return 0;
  return x;
}

function parseBase256Negative(block: Buffer, start: number, length: number): number {
  // Two's complement: invert, read, negate, minus one.
  let x = ~block[start]! & 0x7f;
  for (let i = 1; i < length; i++) x = x * 256 + (~block[start + i]! & 0xff);
  return -(x + 1);
}

const PAX_NUMBERS = new Set(['size', 'uid', 'gid']);

/** Parses PAX records (`LEN key=value\n`) into `into`. Unknown keys are ignored; an empty value deletes the key. */
export function parsePax(body: Buffer, into: Overrides, at: number, global: boolean): void {
  let pos = 0;
  const kind = global ? 'global PAX header' : 'PAX header';
  while (pos < body.length) {
    if (body[pos] === 0) break; // trailing NUL padding some writers leave
    const space = body.indexOf(0x20, pos);
    if (space === -1 || space - pos > 20) throw new TarError(`${kind} at byte ${at}: malformed record length`, at);
    const lenText = body.toString('latin1', pos, space);
    if (!/^[0-9]+$/.test(lenText)) throw new TarError(`${kind} at byte ${at}: malformed record length ${JSON.stringify(lenText)}`, at);
    const recLen = Number(lenText);
    const recEnd = pos + recLen;
    if (recLen <= lenText.length + 1 || recEnd > body.length || body[recEnd - 1] !== 0x0a) {
      throw new TarError(`${kind} at byte ${at}: record length ${recLen} does not match its record`, at);
    }
    const eq = body.indexOf(0x3d, space + 1);
    if (eq === -1 || eq >= recEnd - 1) throw new TarError(`${kind} at byte ${at}: record without '='`, at);
    const key = body.toString('utf8', space + 1, eq);
    const raw = body.subarray(eq + 1, recEnd - 1);
    pos = recEnd;
    if (key.startsWith('GNU.sparse.')) {
      into.sparse = true;
      continue;
    }
    if (raw.length === 0) {
      if (key === 'path' || key === 'linkpath' || PAX_NUMBERS.has(key) || key === 'mtime') {
        delete into[key as keyof Overrides];
      }
      continue;
    }
    switch (key) {
      case 'path':
      case 'linkpath': {
        const d = decodeName(raw);
        into[key] = d.text;
        if (d.nonUtf8) into.nonUtf8 = true;
        break;
      }
      case 'size':
      case 'uid':
      case 'gid': {
        const text = raw.toString('latin1');
        if (!/^[0-9]{1,16}$/.test(text) || Number(text) > Number.MAX_SAFE_INTEGER) {
          throw new TarError(`${kind} at byte ${at}: ${key}=${JSON.stringify(text)} is not a valid number`, at);
        }
        into[key] = Number(text);
        break;
      }
      case 'mtime': {
        const text = raw.toString('latin1');
        if (!/^-?[0-9]{1,16}(\.[0-9]*)?$/.test(text)) {
          throw new TarError(`${kind} at byte ${at}: mtime=${JSON.stringify(text)} is not a valid time`, at);
        }
        into.mtime = Number(text);
        break;
      }
      default:
        break; // uname, gname, atime, ctime, comment, SCHILY.*, LIBARCHIVE.*: not needed
    }
  }
}

/**
 * Whether a 512-byte block is a tar header (its checksum verifies) or an all-zero block (an empty archive): how a blob
 * is recognised as an uncompressed tar without trusting its name.
 */
export function isTarHeaderBlock(block: Buffer): boolean {
  if (block.length < BLOCK) return false;
  const b = block.subarray(0, BLOCK);
  if (isZeroBlock(b)) return true;
  try {
    verifyChecksum(b, 0, () => '');
    return true;
  } catch {
    return false;
  }
}
