import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isTarHeaderBlock, MAX_META_BODY, TarError, TarParser, type TarHeader } from './tar.ts';
import { paxGlobal, tar, tarEntry, type TarSpec } from './testing.ts';

interface Seen {
  h: TarHeader;
  body: Buffer | null;
}

/** Parses `buf` fed in slices of `step` bytes (or the sizes in turn); bodies are collected when `want` says so. */
function parse(buf: Buffer, step: number | number[] = buf.length || 1, want: (h: TarHeader) => boolean = () => true): Seen[] {
  const seen: Seen[] = [];
  let parts: Buffer[] | null = null;
  const p = new TarParser({
    entry(h) {
      const w = want(h);
      parts = w ? [] : null;
      seen.push({ h, body: null });
      return w;
    },
    body(chunk) {
      assert.ok(parts, 'body delivered for an entry that did not want it');
      parts.push(Buffer.from(chunk));
    },
    entryEnd() {
      if (parts) seen[seen.length - 1]!.body = Buffer.concat(parts);
      parts = null;
    },
  });
  const steps = Array.isArray(step) ? step : [step];
  let pos = 0;
  let i = 0;
  while (pos < buf.length) {
    const n = Math.max(1, steps[i++ % steps.length]!);
    const r = p.write(buf.subarray(pos, pos + n));
    assert.equal(r, undefined, 'a synchronous consumer must get a synchronous parser');
    pos += n;
  }
  p.end();
  return seen;
}

function summary(seen: Seen[]) {
  return seen.map(({ h, body }) => ({
    name: h.name,
    type: h.type,
    mode: h.mode,
    uid: h.uid,
    gid: h.gid,
    size: h.size,
    linkname: h.linkname,
    body: body === null ? null : body.toString('latin1'),
  }));
}

const basic: TarSpec[] = [
  { name: 'etc/', type: 'dir', mode: 0o755 },
  { name: 'etc/passwd', body: 'root:x:0:0::/root:/bin/sh\n', mode: 0o644 },
  { name: 'bin/su', body: Buffer.alloc(1500, 0x41), mode: 0o4755, uid: 0, gid: 0 },
  { name: 'bin/sh', type: 'symlink', linkname: 'busybox', mode: 0o777 },
  { name: 'bin/su2', type: 'hardlink', linkname: 'bin/su', mode: 0o4755 },
  { name: 'dev/null', type: 'char', mode: 0o666 },
  { name: 'run/fifo', type: 'fifo', mode: 0o600, uid: 1000, gid: 1001 },
  { name: 'empty', body: '' },
];

const basicExpected = [
  { name: 'etc/', type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, linkname: '', body: '' },
  { name: 'etc/passwd', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 26, linkname: '', body: 'root:x:0:0::/root:/bin/sh\n' },
  { name: 'bin/su', type: 'file', mode: 0o4755, uid: 0, gid: 0, size: 1500, linkname: '', body: 'A'.repeat(1500) },
  { name: 'bin/sh', type: 'symlink', mode: 0o777, uid: 0, gid: 0, size: 0, linkname: 'busybox', body: '' },
  { name: 'bin/su2', type: 'hardlink', mode: 0o4755, uid: 0, gid: 0, size: 0, linkname: 'bin/su', body: '' },
  { name: 'dev/null', type: 'char', mode: 0o666, uid: 0, gid: 0, size: 0, linkname: '', body: '' },
  { name: 'run/fifo', type: 'fifo', mode: 0o600, uid: 1000, gid: 1001, size: 0, linkname: '', body: '' },
  { name: 'empty', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, linkname: '', body: '' },
];

describe('TarParser', () => {
  test('reads ustar entries of every type with their metadata and bodies', () => {
    assert.deepEqual(summary(parse(tar(basic))), basicExpected);
  });

  test('gives the same result whatever the chunk boundaries', () => {
    const buf = tar(basic);
    for (const step of [1, 7, 100, 511, 512, 513, 1024, [3, 509, 1, 2000]]) {
      assert.deepEqual(summary(parse(buf, step)), basicExpected, `step ${JSON.stringify(step)}`);
    }
  });

  test('skips the bodies nobody wants, and still sees every header', () => {
    const seen = parse(tar(basic), 64, (h) => h.name === 'etc/passwd');
    assert.deepEqual(
      seen.map((s) => [s.h.name, s.body?.toString() ?? null]),
      [
        ['etc/', null],
        ['etc/passwd', 'root:x:0:0::/root:/bin/sh\n'],
        ['bin/su', null],
        ['bin/sh', null],
        ['bin/su2', null],
        ['dev/null', null],
        ['run/fifo', null],
        ['empty', null],
      ],
    );
  });

  test('reports header offsets, entry count and bytes', () => {
    const buf = tar([{ name: 'a', body: 'x'.repeat(600) }, { name: 'b', body: 'y' }]);
    const offsets: number[] = [];
    const p = new TarParser({
      entry(h) {
        offsets.push(h.offset);
        return false;
      },
    });
    p.write(buf);
    p.end();
    assert.deepEqual(offsets, [0, 512 + 1024]);
    assert.equal(p.entries, 2);
    assert.equal(p.bytes, buf.length);
    assert.equal(p.finished, true);
  });

  test('joins the ustar prefix and name', () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(90)}`;
    const [e] = parse(tar([{ name: long, body: 'z', longName: 'prefix' }]));
    assert.equal(e!.h.name, long);
    assert.equal(e!.body!.toString(), 'z');
  });

  test('reads GNU long names (L) and long link names (K)', () => {
    const longName = `usr/share/${'n'.repeat(300)}`;
    const longLink = `/opt/${'t'.repeat(250)}`;
    const seen = parse(
      tar([
        { name: longName, body: 'body', longName: 'gnu', mode: 0o600 },
        { name: 'link', type: 'symlink', linkname: longLink, longLink: 'gnu' },
        { name: 'after', body: '1' },
      ]),
      [5, 300],
    );
    assert.deepEqual(
      seen.map((s) => [s.h.name, s.h.type, s.h.linkname, s.h.mode, s.body?.toString()]),
      [
        [longName, 'file', '', 0o600, 'body'],
        ['link', 'symlink', longLink, 0o644, ''],
        ['after', 'file', '', 0o644, '1'],
      ],
    );
  });

  test('reads PAX path, linkpath, size, uid, gid and mtime, for one entry only', () => {
    const longName = `var/${'p'.repeat(400)}`;
    const seen = parse(
      tar([
        {
          name: longName,
          longName: 'pax',
          body: 'abc',
          pax: { uid: '3000000', gid: '4000000', mtime: '1700000000.123456789' },
        },
        { name: 'l', type: 'symlink', linkname: `t/${'q'.repeat(200)}`, longLink: 'pax' },
        { name: 'plain', body: 'p', uid: 5, mtime: 42 },
      ]),
      13,
    );
    assert.deepEqual(
      seen.map((s) => [s.h.name, s.h.uid, s.h.gid, s.h.mtime, s.h.linkname, s.body?.toString()]),
      [
        [longName, 3000000, 4000000, 1700000000.123456789, '', 'abc'],
        ['l', 0, 0, 1_700_000_000, `t/${'q'.repeat(200)}`, ''],
        ['plain', 5, 0, 42, '', 'p'],
      ],
    );
  });

  test('a PAX size overrides the header size (bodies over 8 GiB use it)', () => {
    // Header says 0 (as writers do when the size does not fit); PAX says 700.
    const entry = tarEntry({ name: 'big', body: 'B'.repeat(700), size: 0, pax: { size: '700' } });
    const seen = parse(Buffer.concat([entry, tarEntry({ name: 'next', body: 'n' }), Buffer.alloc(1024)]));
    assert.deepEqual(
      seen.map((s) => [s.h.name, s.h.size, s.body?.length]),
      [
        ['big', 700, 700],
        ['next', 1, 1],
      ],
    );
  });

  test('applies PAX global headers to every later entry until a record clears them', () => {
    const seen = parse(
      tar([
        { name: 'before', body: '' },
        paxGlobal({ uid: '77', gid: '88' }),
        { name: 'a', body: '' },
        { name: 'b', body: '', pax: { uid: '5' } },
        paxGlobal({ uid: '' }),
        { name: 'c', body: '', uid: 9 },
      ]),
    );
    assert.deepEqual(
      seen.map((s) => [s.h.name, s.h.uid, s.h.gid]),
      [
        ['before', 0, 0],
        ['a', 77, 88],
        ['b', 5, 88],
        ['c', 9, 88],
      ],
    );
  });

  test('reads base-256 numbers (size, uid, gid, negative mtime)', () => {
    const seen = parse(
      tar([
        { name: 'b256', body: 'x'.repeat(1000), uid: 0o7777777 + 1, gid: 2 ** 40, base256: ['size', 'uid', 'gid'] },
        { name: 'old', body: '', mtime: -1000, base256: ['mtime'] },
      ]),
    );
    assert.deepEqual(
      seen.map((s) => [s.h.name, s.h.size, s.h.uid, s.h.gid, s.h.mtime, s.body?.length]),
      [
        ['b256', 1000, 0o7777777 + 1, 2 ** 40, 1_700_000_000, 1000],
        ['old', 0, 0, 0, -1000, 0],
      ],
    );
  });

  test('reads old GNU and v7 headers (no prefix field)', () => {
    const seen = parse(tar([{ name: 'gnu-file', body: 'g', format: 'gnu' }, { name: 'v7-file', body: 'v', format: 'v7', type: '\0' }]));
    assert.deepEqual(
      seen.map((s) => [s.h.name, s.h.type, s.body?.toString()]),
      [
        ['gnu-file', 'file', 'g'],
        ['v7-file', 'file', 'v'],
      ],
    );
  });

  test('a bad checksum is an error naming the entry and the offset', () => {
    const buf = tar([{ name: 'good', body: 'x' }, { name: 'evil/name', body: 'y', badChecksum: true }]);
    assert.throws(
      () => parse(buf),
      (e: unknown) =>
        e instanceof TarError &&
        e.offset === 1024 &&
        /bad header checksum at byte 1024 \(entry "evil\/name"\): stored \d+, computed \d+/.test(e.message),
    );
  });

  test('accepts the historic signed checksum', () => {
    const block = tarEntry({ name: Buffer.from([0x61, 0xe9, 0xff]), body: '' });
    // Recompute the checksum treating bytes as signed, as old Sun tar did.
    block.fill(0x20, 148, 156);
    let signed = 0;
    for (let i = 0; i < 512; i++) signed += block[i]! > 127 ? block[i]! - 256 : block[i]!;
    block.write(signed.toString(8).padStart(6, '0'), 148, 'latin1');
    block[154] = 0;
    const [e] = parse(Buffer.concat([block, Buffer.alloc(1024)]));
    assert.equal(e!.h.name, 'a\u00e9\u00ff');
  });

  test('a number field with junk is an error', () => {
    const block = tarEntry({ name: 'junk', body: '' });
    block.write('12x4567', 108, 'latin1'); // uid
    block.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += block[i]!;
    block.write(sum.toString(8).padStart(6, '0'), 148, 'latin1');
    block[154] = 0;
    assert.throws(() => parse(Buffer.concat([block, Buffer.alloc(1024)])), /entry "junk" at byte 0: uid field "12x4567\\u0000" is not an octal number/);
  });

  test('truncation anywhere is an error that says so', () => {
    const buf = tar([{ name: 'a', body: 'x'.repeat(700) }, { name: 'b', body: 'y' }]);
    const cases: Array<[number, RegExp]> = [
      [0, /archive is empty/],
      [100, /ends inside the header block at byte 0/],
      [512 + 300, /entry "a" ends 400 bytes short of its size/],
      [512 + 800, /ends in the padding after entry "a"/],
      [512 + 1024, /no end-of-archive marker after 1 entries/],
      [512 + 1024 + 512 + 512, /no end-of-archive marker after 2 entries/],
    ];
    for (const [cut, re] of cases) {
      assert.throws(() => parse(buf.subarray(0, cut), 97), (e: unknown) => e instanceof TarError && re.test(e.message), `cut at ${cut}`);
    }
  });

  test('one zero block then the end is accepted; a zero block followed by data is not', () => {
    const body = tar([{ name: 'a', body: 'x' }], { end: false });
    assert.equal(parse(Buffer.concat([body, Buffer.alloc(512)])).length, 1);
    const bad = Buffer.concat([body, Buffer.alloc(512), tarEntry({ name: 'b', body: '' })]);
    assert.throws(() => parse(bad), /a lone zero block at byte 1024 is followed by more data/);
  });

  test('ignores whatever follows the end-of-archive marker', () => {
    const buf = Buffer.concat([tar([{ name: 'a', body: 'x' }]), Buffer.from('trailing garbage that is not a header')]);
    assert.deepEqual(
      parse(buf, 300).map((s) => s.h.name),
      ['a'],
    );
  });

  test('decodes names that are not UTF-8 as Latin-1 and flags them', () => {
    const seen = parse(
      tar([
        { name: Buffer.from([0x63, 0x61, 0x66, 0xe9]), body: '' }, // "café" in Latin-1
        { name: 'caf\u00e9-utf8', body: '' },
        { name: 'link', type: 'symlink', linkname: Buffer.from([0x74, 0xff]) },
      ]),
    );
    assert.deepEqual(
      seen.map((s) => [s.h.name, s.h.linkname, s.h.nonUtf8]),
      [
        ['caf\u00e9', '', true],
        ['caf\u00e9-utf8', '', false],
        ['link', 't\u00ff', true],
      ],
    );
  });

  test('header-only types carry no body even when their size field is not zero', () => {
    const seen = parse(tar([{ name: 'd/', type: 'dir', size: 1000 }, { name: 'f', body: 'x' }]));
    assert.deepEqual(
      seen.map((s) => [s.h.name, s.h.size, s.body?.toString()]),
      [
        ['d/', 0, ''],
        ['f', 1, 'x'],
      ],
    );
  });

  test('unknown entry types are reported as "other" with their body skipped', () => {
    const seen = parse(tar([{ name: 'vol', type: 'V', body: 'label' }, { name: 'f', body: 'x' }]));
    assert.deepEqual(
      seen.map((s) => [s.h.name, s.h.type, s.h.typeflag, s.body?.toString()]),
      [
        ['vol', 'other', 'V', 'label'],
        ['f', 'file', '0', 'x'],
      ],
    );
  });

  test('rejects GNU sparse files, oversized and malformed extended headers', () => {
    assert.throws(() => parse(tar([{ name: 's', type: 'S', body: 'x' }])), /entry "s" at byte 0 is a GNU sparse file/);
    assert.throws(
      () => parse(tar([{ name: 's', body: 'x', pax: { 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0' } }])),
      /GNU sparse file/,
    );
    const huge = tarEntry({ name: 'x', type: 'x', body: Buffer.alloc(8), size: MAX_META_BODY + 1 });
    assert.throws(() => parse(huge), /extended header \(type 'x'\) at byte 0 is 1048577 bytes/);
    assert.throws(() => parse(tar([{ name: 'p', type: 'x', body: '5 path=abc\n' }])), /PAX header at byte 0: record length 5 does not match/);
    assert.throws(() => parse(tar([{ name: 'p', type: 'x', body: 'x path=abc\n' }])), /malformed record length "x"/);
    assert.throws(() => parse(tar([{ name: 'p', type: 'x', body: '10 uid=-1\n' }, { name: 'f' }])), /uid="-1" is not a valid number/);
  });

  test('an extended header with no entry after it is truncation', () => {
    assert.throws(() => parse(tar([{ name: 'p', type: 'x', body: '12 path=abc\n' }], { end: false })), /ends after an extended header/);
  });

  test('waits for asynchronous consumers and delivers every byte in order', async () => {
    const big = Buffer.alloc(200_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const buf = tar([{ name: 'big', body: big }, { name: 'small', body: 'tail' }]);
    const got: Buffer[] = [];
    const events: string[] = [];
    const p = new TarParser({
      entry(h) {
        events.push(`entry ${h.name}`);
        return true;
      },
      async body(chunk) {
        await new Promise((r) => setImmediate(r));
        got.push(Buffer.from(chunk));
      },
      async entryEnd() {
        await new Promise((r) => setImmediate(r));
        events.push('end');
      },
    });
    let promises = 0;
    for (let pos = 0; pos < buf.length; pos += 65536) {
      const r = p.write(buf.subarray(pos, pos + 65536));
      if (r) {
        promises++;
        await r;
      }
    }
    p.end();
    assert.ok(promises > 0);
    assert.deepEqual(events, ['entry big', 'end', 'entry small', 'end']);
    assert.deepEqual(Buffer.concat(got), Buffer.concat([big, Buffer.from('tail')]));
  });

  test('isTarHeaderBlock recognises headers and empty archives only', () => {
    assert.equal(isTarHeaderBlock(tar([{ name: 'a', body: 'x' }])), true);
    assert.equal(isTarHeaderBlock(Buffer.alloc(1024)), true);
    assert.equal(isTarHeaderBlock(Buffer.from('{"json": true}'.padEnd(600))), false);
    assert.equal(isTarHeaderBlock(tar([{ name: 'a', badChecksum: true }])), false);
    assert.equal(isTarHeaderBlock(Buffer.alloc(100)), false);
  });
});

describe('TarParser and GNU tar agree', () => {
  const hasTar = spawnSync('tar', ['--version']).status === 0;

  test('archives written by GNU tar in gnu and pax formats', { skip: hasTar ? false : 'GNU tar is not installed' }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'defang-tar-'));
    try {
      const root = path.join(dir, 'root');
      const deep = path.join(root, 'd'.repeat(60), 'e'.repeat(60));
      fs.mkdirSync(deep, { recursive: true });
      const longFile = path.join(deep, 'f'.repeat(120));
      fs.writeFileSync(longFile, 'long');
      fs.writeFileSync(path.join(root, 'caf\u00e9.txt'), 'utf8 name');
      fs.writeFileSync(path.join(root, 'suid'), 'x'.repeat(1234));
      fs.chmodSync(path.join(root, 'suid'), 0o4755);
      fs.linkSync(path.join(root, 'suid'), path.join(root, 'suid-link'));
      fs.symlinkSync('t'.repeat(150), path.join(root, 'longlink'));
      const rel = (p: string) => path.relative(root, p);
      for (const format of ['gnu', 'pax']) {
        const out = spawnSync('tar', [`--format=${format}`, '--sort=name', '--owner=0', '--group=0', '-C', root, '-cf', '-', '.'], {
          maxBuffer: 1 << 24,
        });
        assert.equal(out.status, 0, out.stderr.toString());
        const seen = parse(out.stdout, 4096);
        const byName = new Map(seen.map((s) => [s.h.name.replace(/^\.\//, '').replace(/\/$/, ''), s]));
        const long = byName.get(rel(longFile));
        assert.ok(long, `${format}: long name missing; got ${[...byName.keys()].join(', ')}`);
        assert.equal(long.body!.toString(), 'long');
        assert.equal(byName.get('caf\u00e9.txt')!.body!.toString(), 'utf8 name');
        const suid = byName.get('suid')!;
        const link = byName.get('suid-link')!;
        // GNU tar stores the first name as the file and the second as a hardlink to it (sorted by name).
        assert.equal(suid.h.mode, 0o4755);
        assert.equal(suid.h.size, 1234);
        assert.deepEqual([link.h.type, link.h.linkname.replace(/^\.\//, '')], ['hardlink', 'suid']);
        assert.deepEqual([byName.get('longlink')!.h.type, byName.get('longlink')!.h.linkname], ['symlink', 't'.repeat(150)]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GNU tar lists what the test writer writes', { skip: hasTar ? false : 'GNU tar is not installed' }, () => {
    const buf = tar([
      { name: 'dir/', type: 'dir', mode: 0o750 },
      { name: `dir/${'x'.repeat(130)}`, longName: 'pax', body: 'pax' },
      { name: `gnu/${'y'.repeat(130)}`, longName: 'gnu', body: 'gnu' },
      { name: 'big-uid', uid: 2 ** 31, base256: ['uid'], body: '' },
      { name: 'sl', type: 'symlink', linkname: 'dir' },
    ]);
    const out = spawnSync('tar', ['--numeric-owner', '-tvf', '-'], { input: buf });
    assert.equal(out.status, 0, out.stderr.toString());
    const lines = out.stdout.toString().trim().split('\n');
    assert.equal(lines.length, 5);
    assert.match(lines[0]!, /^drwxr-x--- 0\/0 .* dir\/$/);
    assert.match(lines[1]!, new RegExp(`^-rw-r--r-- 0/0 +3 .* dir/${'x'.repeat(130)}$`));
    assert.match(lines[2]!, new RegExp(`^-rw-r--r-- 0/0 +3 .* gnu/${'y'.repeat(130)}$`));
    assert.match(lines[3]!, /^-rw-r--r-- 2147483648\/0 .* big-uid$/);
    assert.match(lines[4]!, /^lrw-r--r-- 0\/0 .* sl -> dir$/);
  });
});
