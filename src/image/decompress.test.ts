import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { Decompressor, sniffCompression } from './decompress.ts';

function pattern(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 10)) & 0xff;
  return b;
}

/** Feeds `blob` in `step`-byte slices, honouring back-pressure; returns what came out. */
async function inflate(kind: 'gzip' | 'zstd', blob: Buffer, step = 4096, sink?: (b: Buffer) => void): Promise<Buffer> {
  const out: Buffer[] = [];
  const d = new Decompressor(kind, sink ?? ((b) => out.push(Buffer.from(b))), 'layer test.tar');
  for (let pos = 0; pos < blob.length; pos += step) {
    const r = d.write(blob.subarray(pos, pos + step));
    if (r) await r;
  }
  await d.end();
  return Buffer.concat(out);
}

describe('sniffCompression', () => {
  test('knows compressions by their magic bytes, not by name', () => {
    const data = Buffer.from('hello');
    assert.equal(sniffCompression(zlib.gzipSync(data)), 'gzip');
    assert.equal(sniffCompression(zlib.zstdCompressSync(data)), 'zstd');
    assert.equal(sniffCompression(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00])), 'xz');
    assert.equal(sniffCompression(Buffer.from('BZh91AY&SY')), 'bzip2');
    assert.equal(sniffCompression(Buffer.alloc(512)), 'none');
    assert.equal(sniffCompression(Buffer.from([0x1f])), 'none');
    assert.equal(sniffCompression(Buffer.alloc(0)), 'none');
  });
});

describe('Decompressor', () => {
  for (const kind of ['gzip', 'zstd'] as const) {
    const compress = kind === 'gzip' ? zlib.gzipSync : zlib.zstdCompressSync;

    test(`${kind}: round-trips data fed in small slices`, async () => {
      const data = pattern(3 * 1024 * 1024 + 17);
      const out = await inflate(kind, compress(data), 1000);
      assert.equal(out.length, data.length);
      assert.ok(out.equals(data));
    });

    test(`${kind}: truncated data is an error naming the layer`, async () => {
      const blob = compress(pattern(500_000));
      await assert.rejects(inflate(kind, blob.subarray(0, blob.length - 9)), {
        message: `layer test.tar: ${kind} data is corrupt or truncated (unexpected end of file)`,
      });
    });

    test(`${kind}: garbage is an error`, async () => {
      const blob = Buffer.concat([compress(Buffer.from('ok')).subarray(0, 4), Buffer.alloc(64, 0x55)]);
      await assert.rejects(inflate(kind, blob), new RegExp(`^ImageReadError: layer test.tar: ${kind} data is corrupt or truncated`));
    });

    test(`${kind}: an error thrown by the sink stops decompressing and comes out of write or end`, async () => {
      // A bomb: 64 MiB of zeros; the sink gives up after 1 MiB.
      const blob = compress(Buffer.alloc(64 * 1024 * 1024));
      let seen = 0;
      let calls = 0;
      await assert.rejects(
        inflate(kind, blob, 256, (b) => {
          calls++;
          seen += b.length;
          if (seen > 1024 * 1024) throw new Error(`too big after ${seen}`);
        }),
        /^Error: too big after \d+$/,
      );
      const callsAtFailure = calls;
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(calls, callsAtFailure, 'no output after the failure');
      assert.ok(seen < 4 * 1024 * 1024, `stopped early (saw ${seen} bytes)`);
    });
  }

  test('gzip: concatenated members are one stream (as gzip -c a b produces)', async () => {
    const blob = Buffer.concat([zlib.gzipSync(Buffer.from('first ')), zlib.gzipSync(Buffer.from('second'))]);
    assert.equal((await inflate('gzip', blob, 5)).toString(), 'first second');
  });

  test('destroy stops it; later writes throw', async () => {
    const d = new Decompressor('gzip', () => {}, 'layer x');
    d.destroy();
    assert.throws(() => d.write(Buffer.from([1, 2, 3])), /layer x: decompression stopped/);
    await assert.rejects(d.end(), /layer x: decompression stopped/);
  });
});
