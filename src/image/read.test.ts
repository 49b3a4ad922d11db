import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { ImageReadError } from '../image-view.ts';
import { readImageArchive, readSavedImage, type ImageReadResult, type ReadOptions } from './read.ts';
import { resolveInImage } from './resolve.ts';
import { chunked, dockerArchive, ociArchive, once, tar, tarEntry, type ImageSpec, type TarSpec } from './testing.ts';

const read = (archive: Buffer, opts?: ReadOptions, step: number | number[] = 4096) => readImageArchive(chunked(archive, step), opts);

function rejectsWith(p: Promise<unknown>, re: RegExp): Promise<void> {
  return assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ImageReadError, `expected an ImageReadError, got ${String(e)}`);
    assert.match(e.message, re);
    return true;
  });
}

/** path → [type, mode (octal text), size, layer, linkTarget?] for compact comparisons. */
function tree(view: ImageReadResult): Record<string, Array<string | number>> {
  const out: Record<string, Array<string | number>> = {};
  for (const f of [...view.files.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const row: Array<string | number> = [f.type, f.mode.toString(8), f.size, f.layer];
    if (f.linkTarget !== undefined) row.push(f.linkTarget);
    out[f.path] = row;
  }
  return out;
}

const PASSWD1 = 'root:x:0:0:root:/root:/bin/sh\n';
const PASSWD2 = `${PASSWD1}app:x:1000:1000::/home/app:/bin/sh\n`;

/** A three-layer image: a base, an app layer, and a cleanup layer with whiteouts. */
const threeLayers: ImageSpec = {
  repoTags: ['defang-test/app:1'],
  config: { User: 'app', WorkingDir: '/srv', Labels: { a: 'b' }, ExposedPorts: { '8080/tcp': {} }, Entrypoint: ['/bin/app'] },
  history: [
    { created_by: '/bin/sh -c #(nop) ADD file:abc in /' },
    { created_by: '/bin/sh -c #(nop)  ENV A=1', empty_layer: true },
    { created_by: 'RUN /bin/sh -c make # buildkit', comment: 'buildkit.dockerfile.v0' },
    { created_by: 'RUN /bin/sh -c rm -rf /tmp/build # buildkit' },
  ],
  layers: [
    {
      entries: [
        { name: './', type: 'dir', mode: 0o755 },
        { name: './bin/', type: 'dir', mode: 0o755 },
        { name: './bin/busybox', body: 'BUSYBOX', mode: 0o755 },
        { name: './bin/sh', type: 'symlink', linkname: 'busybox', mode: 0o777 },
        { name: './bin/su', body: 'SU!', mode: 0o4755 },
        { name: './etc/', type: 'dir', mode: 0o755 },
        { name: './etc/passwd', body: PASSWD1 },
        { name: './tmp/', type: 'dir', mode: 0o1777 },
      ],
    },
    {
      entries: [
        { name: 'etc/', type: 'dir', mode: 0o755 },
        { name: 'etc/passwd', body: PASSWD2 },
        { name: 'tmp/build/', type: 'dir', mode: 0o755 },
        { name: 'tmp/build/id_rsa', body: '-----BEGIN OPENSSH PRIVATE KEY-----\n', mode: 0o600 },
        { name: 'tmp/build/obj.o', body: 'x'.repeat(5000) },
        { name: 'bin/app', body: 'APP', mode: 0o755, uid: 1000, gid: 1000 },
      ],
    },
    {
      entries: [
        { name: 'tmp/', type: 'dir', mode: 0o1777 },
        { name: 'tmp/.wh.build', body: '' },
        { name: 'bin/', type: 'dir', mode: 0o755 },
        { name: 'bin/.wh.su', body: '' },
      ],
    },
  ],
};

const threeLayersTree = {
  '/': ['dir', '755', 0, 0],
  '/bin': ['dir', '755', 0, 2],
  '/bin/app': ['file', '755', 3, 1],
  '/bin/busybox': ['file', '755', 7, 0],
  '/bin/sh': ['symlink', '777', 0, 0, 'busybox'],
  '/etc': ['dir', '755', 0, 1],
  '/etc/passwd': ['file', '644', PASSWD2.length, 1],
  '/tmp': ['dir', '1777', 0, 2],
};

const threeLayersRemoved = [
  { path: '/etc/passwd', type: 'file', size: PASSWD1.length, mode: 0o644, addedIn: 0, removedIn: 1, how: 'overwritten' },
  { path: '/tmp/build', type: 'dir', size: 0, mode: 0o755, addedIn: 1, removedIn: 2, how: 'whiteout' },
  { path: '/tmp/build/id_rsa', type: 'file', size: 36, mode: 0o600, addedIn: 1, removedIn: 2, how: 'whiteout' },
  { path: '/tmp/build/obj.o', type: 'file', size: 5000, mode: 0o644, addedIn: 1, removedIn: 2, how: 'whiteout' },
  { path: '/bin/su', type: 'file', size: 3, mode: 0o4755, addedIn: 0, removedIn: 2, how: 'whiteout' },
];

function contentsOf(view: ImageReadResult): Array<[string, number, string]> {
  return view.contents.map((c) => [c.path, c.layer, c.content.toString()]);
}

describe('readImageArchive: layouts', () => {
  test('docker-archive (layers before manifest.json, as docker save writes it)', async () => {
    const built = dockerArchive(threeLayers);
    const view = await read(built.archive);
    assert.equal(view.layout, 'docker-archive');
    assert.equal(view.id, built.id);
    assert.deepEqual(view.tags, ['defang-test/app:1']);
    assert.deepEqual(view.config, {
      user: 'app',
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      entrypoint: ['/bin/app'],
      cmd: ['/bin/sh'],
      workingDir: '/srv',
      labels: { a: 'b' },
      exposedPorts: ['8080/tcp'],
      os: 'linux',
      architecture: 'amd64',
    });
    assert.deepEqual(view.history, [
      { createdBy: '/bin/sh -c #(nop) ADD file:abc in /', emptyLayer: false },
      { createdBy: '/bin/sh -c #(nop)  ENV A=1', emptyLayer: true },
      { createdBy: 'RUN /bin/sh -c make # buildkit', comment: 'buildkit.dockerfile.v0', emptyLayer: false },
      { createdBy: 'RUN /bin/sh -c rm -rf /tmp/build # buildkit', emptyLayer: false },
    ]);
    assert.deepEqual(
      view.layers,
      built.layers.map((l, index) => ({ index, diffId: l.diffId, size: l.tar.length, entries: threeLayers.layers[index]!.entries!.length })),
    );
    assert.deepEqual(tree(view), threeLayersTree);
    assert.deepEqual(view.removed, threeLayersRemoved);
    assert.deepEqual(contentsOf(view), [
      ['/etc/passwd', 0, PASSWD1],
      ['/etc/passwd', 1, PASSWD2],
      ['/tmp/build/id_rsa', 1, '-----BEGIN OPENSSH PRIVATE KEY-----\n'],
    ]);
    assert.deepEqual(view.warnings, []);
  });

  test('the same image with manifest.json first, and in any chunking, reads the same', async () => {
    const first = await read(dockerArchive(threeLayers).archive);
    for (const step of [1000, [1, 511, 7, 65536], 1 << 20]) {
      const again = await read(dockerArchive({ ...threeLayers, order: 'manifest-first' }).archive, {}, step);
      assert.deepEqual(tree(again), tree(first), `step ${JSON.stringify(step)}`);
      assert.deepEqual(again.removed, first.removed);
      assert.deepEqual(contentsOf(again), contentsOf(first));
      assert.equal(again.id, first.id);
    }
  });

  test('OCI layout with uncompressed, gzip and zstd layers reads the same filesystem', async () => {
    const legacy = await read(dockerArchive(threeLayers).archive);
    const spec: ImageSpec = {
      ...threeLayers,
      layers: threeLayers.layers.map((l, i) => ({ ...l, compression: (['none', 'gzip', 'zstd'] as const)[i] })),
    };
    const built = ociArchive({ ...spec, refName: 'docker.io/library/app:2' });
    const view = await read(built.archive, {}, [333, 4096]);
    assert.equal(view.layout, 'oci');
    assert.equal(view.id, built.id);
    assert.deepEqual(view.tags, ['app:2']);
    assert.deepEqual(tree(view), tree(legacy));
    assert.deepEqual(view.removed, legacy.removed);
    assert.deepEqual(contentsOf(view), contentsOf(legacy));
    assert.deepEqual(
      view.layers.map((l) => l.diffId),
      legacy.layers.map((l) => l.diffId),
    );
  });

  test('OCI layout with manifest.json beside it (Docker 25+) and a nested index (containerd store)', async () => {
    const built = ociArchive({ ...threeLayers, withManifestJson: true, nestedIndex: true, layers: threeLayers.layers.map((l) => ({ ...l, compression: 'gzip' })) });
    const view = await read(built.archive);
    assert.equal(view.layout, 'oci');
    assert.deepEqual(view.tags, ['defang-test/app:1']);
    assert.deepEqual(tree(view), threeLayersTree);
  });

  test('a repeated layer that docker save stored once and linked to is read through the link', async () => {
    const same: TarSpec[] = [{ name: 'x', body: 'same' }];
    const base = dockerArchive({ layers: [{ entries: same }, { entries: [{ name: 'y', body: 'y' }] }] });
    // Rebuild by hand: layer 2 of the manifest is a symlink `<other>/layer.tar -> ../<first>/layer.tar`.
    const first = base.layerPaths[0]!;
    const alias = `${'f'.repeat(64)}/layer.tar`;
    const manifest = JSON.stringify([{ Config: `${base.id.slice(7)}x.json`, RepoTags: null, Layers: [first, base.layerPaths[1], alias] }]);
    const config = JSON.parse(base.config.toString());
    config.rootfs.diff_ids.push(base.layers[0]!.diffId);
    const archive = tar([
      { name: first, body: base.layers[0]!.blob },
      { name: base.layerPaths[1]!, body: base.layers[1]!.blob },
      { name: `${'f'.repeat(64)}/`, type: 'dir' },
      { name: alias, type: 'symlink', linkname: `../${first}` },
      { name: `${base.id.slice(7)}x.json`, body: JSON.stringify(config) },
      { name: 'manifest.json', body: manifest },
    ]);
    const view = await read(archive);
    assert.deepEqual(tree(view), {
      '/': ['dir', '755', 0, 0],
      '/x': ['file', '644', 4, 2],
      '/y': ['file', '644', 1, 1],
    });
    assert.deepEqual(view.removed, [{ path: '/x', type: 'file', size: 4, mode: 0o644, addedIn: 0, removedIn: 2, how: 'overwritten' }]);
  });

  test('keeps no chunk after writing it: a producer may reuse one buffer (gzip, zstd and plain layers)', async () => {
    // Incompressible file data, so that the compressed blobs span many chunks.
    const noise = Buffer.alloc(300_000);
    let x = 12345;
    for (let i = 0; i < noise.length; i++) noise[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    const spec: ImageSpec = {
      ...threeLayers,
      layers: threeLayers.layers.map((l, i) => ({ entries: [...l.entries!, { name: `noise${i}.bin`, body: noise }], compression: (['zstd', 'gzip', 'none'] as const)[i] })),
    };
    const archive = ociArchive(spec).archive;
    const expected = { ...threeLayersTree, '/noise0.bin': ['file', '644', 300_000, 0], '/noise1.bin': ['file', '644', 300_000, 1], '/noise2.bin': ['file', '644', 300_000, 2] };
    async function* reused(size: number): AsyncGenerator<Buffer> {
      const buf = Buffer.alloc(size);
      for (let pos = 0; pos < archive.length; pos += size) {
        const n = archive.copy(buf, 0, pos, pos + size);
        yield buf.subarray(0, n);
        buf.fill(0xee); // whatever the reader kept would now be garbage
      }
    }
    for (const size of [100, 4096, 65536]) {
      const view = await readImageArchive(reused(size));
      assert.deepEqual(tree(view), expected, `size ${size}`);
      assert.deepEqual(contentsOf(view), contentsOf(await read(dockerArchive(threeLayers).archive)));
    }
  });

  test('accepts a Node readable stream and Uint8Array chunks', async () => {
    const { Readable } = await import('node:stream');
    const archive = dockerArchive(threeLayers).archive;
    const view = await readImageArchive(Readable.from([new Uint8Array(archive.buffer, archive.byteOffset, archive.byteLength)]));
    assert.deepEqual(tree(view), threeLayersTree);
    await rejectsWith(readImageArchive(Readable.from(['text'])), /must yield bytes, not text/);
  });
});

function image(...layers: TarSpec[][]): Buffer {
  return dockerArchive({ layers: layers.map((entries) => ({ entries })) }).archive;
}

describe('readImageArchive: stacking layers', () => {
  test('an opaque directory hides earlier contents but keeps what its own layer adds, in any tar order', async () => {
    const view = await read(
      image(
        [
          { name: 'app/', type: 'dir' },
          { name: 'app/old.txt', body: 'old' },
          { name: 'app/sub/', type: 'dir' },
          { name: 'app/sub/deep', body: 'deep' },
          { name: 'keep', body: 'k' },
        ],
        [
          { name: 'app/new-before.txt', body: 'nb' },
          { name: 'app/', type: 'dir', mode: 0o700 },
          { name: 'app/.wh..wh..opq', body: '' },
          { name: 'app/new-after.txt', body: 'na' },
        ],
      ),
    );
    assert.deepEqual(tree(view), {
      '/': ['dir', '755', 0, 0],
      '/app': ['dir', '700', 0, 1],
      '/app/new-after.txt': ['file', '644', 2, 1],
      '/app/new-before.txt': ['file', '644', 2, 1],
      '/keep': ['file', '644', 1, 0],
    });
    assert.deepEqual(
      view.removed.map((r) => [r.path, r.addedIn, r.removedIn, r.how]),
      [
        ['/app/old.txt', 0, 1, 'opaque'],
        ['/app/sub', 0, 1, 'opaque'],
        ['/app/sub/deep', 0, 1, 'opaque'],
      ],
    );
  });

  test('replacing a directory with a file removes the subtree; a directory over a file replaces it', async () => {
    const view = await read(
      image(
        [
          { name: 'd/', type: 'dir' },
          { name: 'd/a', body: 'a' },
          { name: 'f', body: 'file' },
        ],
        [
          { name: 'd', body: 'now a file' },
          { name: 'f/', type: 'dir', mode: 0o750 },
          { name: 'f/inside', body: 'i' },
        ],
      ),
    );
    assert.deepEqual(tree(view), {
      '/': ['dir', '755', 0, 0],
      '/d': ['file', '644', 10, 1],
      '/f': ['dir', '750', 0, 1],
      '/f/inside': ['file', '644', 1, 1],
    });
    assert.deepEqual(
      view.removed.map((r) => [r.path, r.type, r.how]),
      [
        ['/d', 'dir', 'overwritten'],
        ['/d/a', 'file', 'overwritten'],
        ['/f', 'file', 'overwritten'],
      ],
    );
  });

  test('a directory set again only takes the new metadata; implicit parents are created 0755', async () => {
    const view = await read(image([{ name: 'etc/', type: 'dir', mode: 0o755 }, { name: 'etc/a', body: 'a' }], [{ name: 'etc/', type: 'dir', mode: 0o777, uid: 5 }, { name: 'x/y/z', body: 'z' }]));
    assert.deepEqual(tree(view), {
      '/': ['dir', '755', 0, 0],
      '/etc': ['dir', '777', 0, 1],
      '/etc/a': ['file', '644', 1, 0],
      '/x': ['dir', '755', 0, 1],
      '/x/y': ['dir', '755', 0, 1],
      '/x/y/z': ['file', '644', 1, 1],
    });
    assert.equal(view.files.get('/etc')!.uid, 5);
    assert.deepEqual(view.removed, []);
  });

  test('a later layer with a directory where an earlier one had a symlink shows a directory (no link followed)', async () => {
    const view = await read(image([{ name: 'lib', type: 'symlink', linkname: '/etc' }], [{ name: 'lib/evil', body: 'e' }]));
    assert.deepEqual(tree(view), {
      '/': ['dir', '755', 0, 0],
      '/lib': ['dir', '755', 0, 1],
      '/lib/evil': ['file', '644', 1, 1],
    });
    assert.equal(view.files.has('/etc/evil'), false);
    assert.deepEqual(view.removed.map((r) => [r.path, r.type, r.how]), [['/lib', 'symlink', 'overwritten']]);
  });

  test('whiteouts of missing paths are harmless; AUFS bookkeeping files are ignored', async () => {
    const view = await read(image([{ name: 'a', body: 'a' }], [{ name: '.wh.nothing', body: '' }, { name: '.wh..wh.plnk/', type: 'dir' }, { name: '.wh..wh.aufs', body: '' }]));
    assert.deepEqual(Object.keys(tree(view)), ['/', '/a']);
    assert.deepEqual(view.removed, []);
  });

  test('a path written twice in one layer keeps the later entry and records the earlier', async () => {
    const view = await read(image([{ name: 'f', body: 'one' }, { name: 'f', body: 'second', mode: 0o600 }]));
    assert.deepEqual(tree(view)['/f'], ['file', '600', 6, 0]);
    assert.deepEqual(view.removed, [{ path: '/f', type: 'file', size: 3, mode: 0o644, addedIn: 0, removedIn: 0, how: 'overwritten' }]);
  });
});

describe('readImageArchive: hardlinks', () => {
  test('a hardlink takes its target\'s mode, owner and size: a hardlink to a setuid file is setuid', async () => {
    const view = await read(
      image(
        [{ name: 'usr/bin/passwd', body: 'P'.repeat(100), mode: 0o4755, uid: 0 }],
        [
          { name: 'usr/bin/', type: 'dir' },
          { name: 'usr/bin/chfn', type: 'hardlink', linkname: 'usr/bin/passwd', mode: 0o644 },
          { name: 'opt/f', body: 'ff', mode: 0o2750, gid: 42 },
          { name: 'opt/g', type: 'hardlink', linkname: './opt/f' },
          { name: 'opt/h', type: 'hardlink', linkname: 'opt/g' },
        ],
      ),
    );
    const t = tree(view);
    assert.deepEqual(t['/usr/bin/chfn'], ['hardlink', '4755', 100, 1, '/usr/bin/passwd']);
    assert.deepEqual(t['/opt/g'], ['hardlink', '2750', 2, 1, '/opt/f']);
    assert.deepEqual(t['/opt/h'], ['hardlink', '2750', 2, 1, '/opt/g']);
    assert.equal(view.files.get('/opt/h')!.gid, 42);
    assert.deepEqual(view.warnings, []);
  });

  test('a hardlink to a path that does not exist is kept with its own mode and a warning (Docker could not extract it)', async () => {
    const built = dockerArchive({ layers: [{ entries: [{ name: 'ghost-link', type: 'hardlink', linkname: 'no/such/file', mode: 0o4755 }, { name: 'early', type: 'hardlink', linkname: 'later' }, { name: 'later', body: 'x' }] }] });
    const view = await read(built.archive);
    assert.deepEqual(tree(view)['/ghost-link'], ['hardlink', '4755', 0, 0, '/no/such/file']);
    assert.deepEqual(tree(view)['/early'], ['hardlink', '644', 0, 0, '/later']);
    assert.deepEqual(view.warnings, [
      `layer 0 (${built.layerPaths[0]}): hardlink /ghost-link points to /no/such/file, which does not exist in this or an earlier layer (kept with its own mode 4755, size 0; Docker could not extract it)`,
      `layer 0 (${built.layerPaths[0]}): hardlink /early points to /later, which does not exist in this or an earlier layer (kept with its own mode 644, size 0; Docker could not extract it)`,
    ]);
  });

  test('a hardlink whose target is a directory is tolerated the same way', async () => {
    const built = dockerArchive({ layers: [{ entries: [{ name: 'd/', type: 'dir' }, { name: 'l', type: 'hardlink', linkname: 'd' }] }] });
    const view = await read(built.archive);
    assert.deepEqual(tree(view)['/l'], ['hardlink', '644', 0, 0, '/d']);
    assert.deepEqual(view.warnings, [
      `layer 0 (${built.layerPaths[0]}): hardlink /l points to /d, which is a directory in this or an earlier layer (kept with its own mode 644, size 0; Docker could not extract it)`,
    ]);
  });

  test('hardlink loops cannot hang: nothing is followed while reading', async () => {
    const view = await read(image([{ name: 'a', type: 'hardlink', linkname: 'b' }, { name: 'b', type: 'hardlink', linkname: 'a' }]));
    assert.deepEqual(tree(view)['/a'], ['hardlink', '644', 0, 0, '/b']);
    assert.deepEqual(tree(view)['/b'], ['hardlink', '644', 0, 0, '/a']);
    assert.equal(view.warnings.length, 1); // b -> a exists (itself a dangling hardlink); a -> b did not exist yet
  });

  test('a wanted file reached through a hardlink shares the content that was read', async () => {
    const view = await read(image([{ name: 'root/.ssh/id_ed25519', body: 'KEY', mode: 0o600 }, { name: 'backup/id_rsa', type: 'hardlink', linkname: 'root/.ssh/id_ed25519' }]));
    assert.deepEqual(contentsOf(view), [
      ['/root/.ssh/id_ed25519', 0, 'KEY'],
      ['/backup/id_rsa', 0, 'KEY'],
    ]);
  });
});

describe('readImageArchive: contents', () => {
  test('reads every version of passwd, group and os-release, and secret candidates by default', async () => {
    const view = await read(
      image(
        [
          { name: 'etc/passwd', body: PASSWD1 },
          { name: 'etc/group', body: 'root:x:0:\n' },
          { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
          { name: 'usr/lib/os-release', body: 'ID=debian\n' },
          { name: 'usr/bin/ls', body: 'not read' },
          { name: 'app/.env', body: 'TOKEN=abc' },
          { name: 'app/.env.production', body: 'X=1' },
          { name: 'home/u/.aws/credentials', body: '[default]' },
          { name: 'home/u/.docker/config.json', body: '{"auths":{}}' },
          { name: 'srv/service-account-prod.json', body: '{}' },
          { name: 'certs/server.pem', body: 'PEM' },
          { name: 'home/u/.ssh/id_rsa.pub', body: 'public, not read' },
          { name: 'empty/.netrc', body: '' },
        ],
        [{ name: 'etc/passwd', body: PASSWD2 }],
      ),
    );
    assert.deepEqual(contentsOf(view), [
      ['/etc/passwd', 0, PASSWD1],
      ['/etc/group', 0, 'root:x:0:\n'],
      ['/usr/lib/os-release', 0, 'ID=debian\n'],
      ['/app/.env', 0, 'TOKEN=abc'],
      ['/app/.env.production', 0, 'X=1'],
      ['/home/u/.aws/credentials', 0, '[default]'],
      ['/home/u/.docker/config.json', 0, '{"auths":{}}'],
      ['/srv/service-account-prod.json', 0, '{}'],
      ['/certs/server.pem', 0, 'PEM'],
      ['/empty/.netrc', 0, ''],
      ['/etc/passwd', 1, PASSWD2],
    ]);
  });

  test('a wantContent callback replaces the secret predicate; the account files are still read', async () => {
    const asked: Array<[string, number]> = [];
    const view = await read(image([{ name: 'etc/passwd', body: PASSWD1 }, { name: 'opt/notes.txt', body: 'hello' }, { name: 'root/id_rsa', body: 'k' }, { name: 'd/', type: 'dir' }]), {
      wantContent: (p, size) => {
        asked.push([p, size]);
        return p.endsWith('.txt');
      },
    });
    assert.deepEqual(asked, [
      ['/opt/notes.txt', 5],
      ['/root/id_rsa', 1],
    ]);
    assert.deepEqual(contentsOf(view), [
      ['/etc/passwd', 0, PASSWD1],
      ['/opt/notes.txt', 0, 'hello'],
    ]);
  });

  test('files over maxContentBytes and past maxTotalContentBytes are not read, with warnings; passwd still is', async () => {
    const built = dockerArchive({
      layers: [{ entries: [{ name: 'a.key', body: 'a'.repeat(40) }, { name: 'b.key', body: 'b'.repeat(200) }, { name: 'c.key', body: 'c'.repeat(50) }, { name: 'd.key', body: 'd'.repeat(20) }, { name: 'etc/passwd', body: PASSWD1 }] }],
    });
    const view = await read(built.archive, { limits: { maxContentBytes: 100, maxTotalContentBytes: 80 } });
    assert.deepEqual(contentsOf(view), [
      ['/a.key', 0, 'a'.repeat(40)],
      ['/etc/passwd', 0, PASSWD1],
    ]);
    const layer = `layer ${built.layerPaths[0]}`;
    assert.deepEqual(view.warnings, [
      `${layer}: not reading /b.key: 200 bytes is more than the 100-byte limit (maxContentBytes)`,
      `${layer}: not reading /c.key and later wanted files: contents read so far reach the 80-byte limit (maxTotalContentBytes)`,
    ]);
  });

  test('only wanted bodies are kept: a large unwanted file costs nothing but its metadata', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 0x61);
    const view = await read(image([{ name: 'big.bin', body: big }, { name: 'small.key', body: 'k' }]), {}, 65536);
    assert.deepEqual(tree(view)['/big.bin'], ['file', '644', big.length, 0]);
    assert.deepEqual(contentsOf(view), [['/small.key', 0, 'k']]);
  });

  test('names that are not UTF-8 are kept (as Latin-1) with a warning', async () => {
    const built = dockerArchive({ layers: [{ entries: [{ name: Buffer.from([0x6e, 0x61, 0xef, 0x76, 0x65]), body: 'x' }, { name: Buffer.from([0xff, 0xfe]), body: 'y' }] }] });
    const view = await read(built.archive);
    assert.deepEqual(Object.keys(tree(view)), ['/', '/na\u00efve', '/\u00ff\u00fe']);
    assert.deepEqual(view.warnings, [`layer ${built.layerPaths[0]}: 2 entry name(s) are not valid UTF-8 and were read as Latin-1 (first: "na\u00efve")`]);
  });
});

describe('readImageArchive: hostile and broken archives', () => {
  test('an entry named with .. is rejected, naming the layer and the entry', async () => {
    const built = dockerArchive({ layers: [{ entries: [{ name: 'ok', body: '' }, { name: 'a/../../etc/passwd', body: 'x' }] }] });
    await rejectsWith(read(built.archive), new RegExp(`^layer ${built.layerPaths[0]}: entry "a/\\.\\./\\.\\./etc/passwd" \\(at byte 512\\): name contains a '\\.\\.' component$`));
  });

  test('an absolute entry name is rejected', async () => {
    await rejectsWith(read(image([{ name: '/etc/shadow', body: 'x' }])), /entry "\/etc\/shadow" \(at byte 0\): absolute entry names are not allowed/);
  });

  test('a hardlink target with .. is rejected', async () => {
    await rejectsWith(read(image([{ name: 'l', type: 'hardlink', linkname: '../../host/file' }])), /entry "l" \(at byte 0\): hardlink target "\.\.\/\.\.\/host\/file": name contains a '\.\.' component/);
  });

  test('outer archive entries with .. or absolute names are rejected', async () => {
    const good = dockerArchive(threeLayers).archive;
    const evil = Buffer.concat([tarEntry({ name: '../escape', body: 'x' }), good]);
    await rejectsWith(read(evil), /^image archive: entry "\.\.\/escape" \(at byte 0\): name contains a '\.\.' component$/);
    const abs = Buffer.concat([tarEntry({ name: '/manifest.json', body: '[]' }), good]);
    await rejectsWith(read(abs), /^image archive: entry "\/manifest\.json" \(at byte 0\): absolute entry names are not allowed/);
  });

  test('symlinks in the image may loop: reading finishes, and resolving reports the loop', async () => {
    const view = await read(image([{ name: 'a', type: 'symlink', linkname: 'b' }, { name: 'b', type: 'symlink', linkname: '/a' }, { name: 'c', type: 'symlink', linkname: 'c/x' }]));
    assert.equal(resolveInImage(view, '/a').status, 'loop');
    assert.equal(resolveInImage(view, '/c').status, 'loop');
  });

  test('a truncated outer archive is an error, wherever it is cut', async () => {
    const archive = dockerArchive(threeLayers).archive;
    for (const cut of [0, 100, 700, 3000, archive.length - 2000, archive.length - 1024]) {
      await rejectsWith(read(archive.subarray(0, cut)), /^image archive: archive (is empty|is truncated)/);
    }
  });

  test('a truncated uncompressed layer is an error naming the layer', async () => {
    const built = dockerArchive({ layers: [{ entries: [{ name: 'f', body: 'x'.repeat(2000) }], stored: (b) => b.subarray(0, 1500) }] });
    await rejectsWith(read(built.archive), new RegExp(`^layer ${built.layerPaths[0]}: archive is truncated: entry "f" ends 1012 bytes short of its size$`));
  });

  for (const compression of ['gzip', 'zstd'] as const) {
    test(`a truncated ${compression} layer is an error naming the layer`, async () => {
      const built = ociArchive({ layers: [{ entries: [{ name: 'f', body: Buffer.alloc(100_000, 1) }], compression, stored: (b) => b.subarray(0, b.length - 10) }] });
      await rejectsWith(read(built.archive), new RegExp(`^layer blobs/sha256/[0-9a-f]{64}: ${compression} data is corrupt or truncated \\(unexpected end of file\\)$`));
    });

    test(`a ${compression} bomb stops at maxLayerBytes`, async () => {
      // 256 MiB of zeros inside a tar, compressed to a few hundred KB.
      const inner = Buffer.concat([tarEntry({ name: 'zeros', size: 256 * 1024 * 1024 })]);
      const compress = compression === 'gzip' ? zlib.gzipSync : zlib.zstdCompressSync;
      const blob = compress(Buffer.concat([inner, Buffer.alloc(256 * 1024 * 1024 + 1024)]));
      assert.ok(blob.length < 2 * 1024 * 1024);
      const archive = tar([{ name: 'blobs/sha256/bomb', body: blob }]);
      await rejectsWith(
        read(archive, { limits: { maxLayerBytes: 16 * 1024 * 1024 } }, 65536),
        /^layer blobs\/sha256\/bomb: the layers decompress to more than 16777216 bytes \(limit maxLayerBytes\); a decompression bomb or an image too large to inspect$/,
      );
    });
  }

  test('a bad checksum inside a layer names the layer and the offset', async () => {
    const built = dockerArchive({ layers: [{ entries: [{ name: 'ok', body: 'x' }, { name: 'bad', body: 'y', badChecksum: true }] }] });
    await rejectsWith(read(built.archive), new RegExp(`^layer ${built.layerPaths[0]}: bad header checksum at byte 1024 \\(entry "bad"\\)`));
  });

  test('a bad checksum in the outer archive is an error', async () => {
    const archive = Buffer.concat([tarEntry({ name: 'manifest.json', body: '[]', badChecksum: true }), Buffer.alloc(1024)]);
    await rejectsWith(read(archive), /^image archive: bad header checksum at byte 0 \(entry "manifest\.json"\)/);
  });

  test('unsupported entry types in a layer are errors', async () => {
    await rejectsWith(read(image([{ name: 'vol', type: 'V', body: '' }])), /entry "vol" \(at byte 0\): unsupported tar entry type 'V'/);
  });

  test('a layer that replaces the root with a file is an error', async () => {
    await rejectsWith(read(image([{ name: './', body: 'x' }])), /entry "\.\/" \(at byte 0\): replaces the root directory with a file/);
  });

  test('more than maxEntries entries stops the read', async () => {
    const entries: TarSpec[] = [];
    for (let i = 0; i < 50; i++) entries.push({ name: `f${i}`, body: '' });
    await rejectsWith(read(image(entries), { limits: { maxEntries: 30 } }), /: more than 30 tar entries in the archive \(limit maxEntries\)/);
  });

  test('a manifest whose diff_ids do not match the layers lies, and the error names the layer', async () => {
    const built = dockerArchive({ ...threeLayers, diffIds: [] });
    await rejectsWith(read(built.archive), /^the manifest lists 3 layers but config [0-9a-f]{64}\.json has 0 rootfs\.diff_ids — the manifest lies about its layers$/);
    const real = dockerArchive(threeLayers);
    const swapped = dockerArchive({ ...threeLayers, diffIds: [real.layers[0]!.diffId, real.layers[2]!.diffId, real.layers[1]!.diffId] });
    await rejectsWith(
      read(swapped.archive),
      new RegExp(
        `^layer 1 \\(${real.layerPaths[1]}\\): its uncompressed content hashes to ${real.layers[1]!.diffId}, but config [0-9a-f]{64}\\.json says rootfs\\.diff_ids\\[1\\] is ${real.layers[2]!.diffId} — the manifest lies about its layers$`,
      ),
    );
  });

  test('a layer listed in the manifest but missing from the stream is an error', async () => {
    const built = dockerArchive({ ...threeLayers, omitLayers: [1] });
    await rejectsWith(read(built.archive), new RegExp(`^layer 1 \\(${built.layerPaths[1]}\\) is listed in the manifest but missing from the archive$`));
  });

  test('an OCI blob whose content does not match its digest is an error', async () => {
    const built = ociArchive({ layers: [{ entries: [{ name: 'a', body: 'a' }], compression: 'gzip' }] });
    // Store a different (valid) gzip layer under the first layer's name.
    const other = zlib.gzipSync(tar([{ name: 'a', body: 'b' }]));
    const blobName = built.layerPaths[0]!;
    const archive = tar([
      { name: blobName, body: other },
      { name: `blobs/sha256/${built.id.slice(7)}`, body: built.config },
      { name: `blobs/sha256/${createHash('sha256').update(built.manifest).digest('hex')}`, body: built.manifest },
      { name: 'index.json', body: JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${createHash('sha256').update(built.manifest).digest('hex')}`, size: built.manifest.length }] }) },
    ]);
    await rejectsWith(read(archive), new RegExp(`^layer 0 \\(${blobName}\\): the blob hashes to sha256:[0-9a-f]{64}, not the ${built.layers[0]!.blobDigest} the manifest names — the manifest lies about its layers$`));
  });

  test('an xz layer is named as unsupported', async () => {
    const built = dockerArchive({ layers: [{ entries: [{ name: 'a', body: 'a' }], stored: () => Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3]) }] });
    await rejectsWith(read(built.archive), new RegExp(`^layer 0 \\(${built.layerPaths[0]}\\) is xz-compressed \\(only uncompressed, gzip and zstd layers are read\\)$`));
  });

  test('a stream that is not an image archive at all', async () => {
    await rejectsWith(read(Buffer.from('this is not a tar file'.repeat(100))), /^image archive: bad header checksum at byte 0/);
    await rejectsWith(readImageArchive(once(Buffer.alloc(0))), /^image archive: archive is empty/);
    await rejectsWith(read(tar([{ name: 'hello.txt', body: 'hi' }])), /^not an image archive: neither manifest\.json \(docker-archive\) nor index\.json \(OCI layout\) is in it$/);
  });

  test('broken JSON and configs are errors naming the document', async () => {
    await rejectsWith(read(tar([{ name: 'manifest.json', body: '[{"Config": ' }])), /^manifest\.json is not valid JSON: /);
    await rejectsWith(read(tar([{ name: 'manifest.json', body: '{}' }])), /^manifest\.json is not a non-empty list of images$/);
    await rejectsWith(read(tar([{ name: 'manifest.json', body: '[{"Config":"c.json","Layers":[]}]' }])), /^manifest\.json\[0\]\.Config: c\.json is missing from the archive$/);
    await rejectsWith(read(tar([{ name: 'manifest.json', body: '[{"Config":"../c.json","Layers":[]}]' }])), /^manifest\.json\[0\]\.Config: "\.\.\/c\.json" is not a path inside the archive$/);
    const cfg = (c: unknown) => tar([{ name: 'c.json', body: JSON.stringify(c) }, { name: 'manifest.json', body: '[{"Config":"c.json","Layers":[]}]' }]);
    await rejectsWith(read(cfg({ rootfs: {} })), /^config c\.json: rootfs\.diff_ids is not a list of digests$/);
    await rejectsWith(read(cfg({ rootfs: { diff_ids: [] }, config: { Env: 'A=1' } })), /^config c\.json: config\.Env is not a list of strings$/);
    await rejectsWith(read(cfg({ rootfs: { diff_ids: [] }, history: [{ created_by: 5 }] })), /^config c\.json: history\[0\]\.created_by is not a string$/);
    const empty = await read(cfg({ rootfs: { diff_ids: [] } }));
    assert.deepEqual([empty.files.size, empty.layers, empty.config.user, empty.config.entrypoint], [0, [], '', null]);
  });

  test('archive links that loop or leave the archive are errors', async () => {
    const manifest = { name: 'manifest.json', body: '[{"Config":"c.json","Layers":["a/layer.tar"]}]' };
    await rejectsWith(
      read(tar([{ name: 'a/layer.tar', type: 'symlink', linkname: '../b/layer.tar' }, { name: 'b/layer.tar', type: 'symlink', linkname: '../a/layer.tar' }, { name: 'c.json', body: '{"rootfs":{"diff_ids":["sha256:00"]}}' }, manifest])),
      /archive links starting at a\/layer\.tar form a loop/,
    );
    await rejectsWith(
      read(tar([{ name: 'a/layer.tar', type: 'symlink', linkname: '../../etc/passwd' }, { name: 'c.json', body: '{"rootfs":{"diff_ids":["sha256:00"]}}' }, manifest])),
      /archive link a\/layer\.tar -> \.\.\/\.\.\/etc\/passwd points outside the archive/,
    );
  });

  test('more layers than maxLayers is an error', async () => {
    const built = dockerArchive({ layers: [{ entries: [{ name: 'a', body: '' }] }], manifestLayers: [0, 0, 0, 0] });
    await rejectsWith(read(built.archive, { limits: { maxLayers: 3 } }), /^the manifest lists 4 layers, more than the limit of 3 \(maxLayers\)$/);
    const ok = await read(built.archive);
    assert.deepEqual(ok.layers.map((l) => l.index), [0, 1, 2, 3]);
    assert.equal(ok.files.get('/a')!.layer, 3);
  });
});

/** Gives access to the garbage collector without --expose-gc on the command line. */
function gc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** A docker-archive with one layer of `count` empty files in 200 directories, generated as it streams. */
async function* manyFiles(count: number): AsyncGenerator<Buffer> {
  const dirs = 200;
  const layerSize = (dirs + count) * 512 + 1024;
  const layerName = `${'a'.repeat(64)}/layer.tar`;
  yield tarEntry({ name: layerName, size: layerSize });
  const hash = createHash('sha256');
  let batch: Buffer[] = [];
  const flush = () => {
    const b = Buffer.concat(batch);
    batch = [];
    hash.update(b);
    return b;
  };
  for (let d = 0; d < dirs; d++) batch.push(tarEntry({ name: `usr/share/d${d}/`, type: 'dir' }));
  for (let i = 0; i < count; i++) {
    batch.push(tarEntry({ name: `usr/share/d${i % dirs}/file-${i}.txt`, body: '', mode: i % 1000 === 0 ? 0o4755 : 0o644 }));
    if (batch.length === 256) yield flush();
  }
  batch.push(Buffer.alloc(1024));
  yield flush();
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [`sha256:${hash.digest('hex')}`] }, history: [] }));
  yield tar([
    { name: 'c.json', body: config },
    { name: 'manifest.json', body: JSON.stringify([{ Config: 'c.json', RepoTags: ['many:1'], Layers: [layerName] }]) },
  ]);
}

describe('readImageArchive: many files', () => {
  test('200,000 files complete, with memory proportional to the paths', async () => {
    gc();
    const before = process.memoryUsage();
    const view = await readImageArchive(manyFiles(200_000));
    gc();
    const after = process.memoryUsage();
    assert.equal(view.files.size, 200_000 + 200 + 3); // files, their directories, /usr/share, /usr and /
    assert.equal(view.layers[0]!.entries, 200_200);
    assert.deepEqual(view.files.get('/usr/share/d7/file-7.txt'), { path: '/usr/share/d7/file-7.txt', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, layer: 0 });
    assert.equal([...view.files.values()].filter((f) => f.mode & 0o4000).length, 200);
    const perPath = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / view.files.size;
    // About 180 bytes per path are kept; keeping a header block (512 bytes) per entry would fail this.
    assert.ok(perPath < 600, `${perPath.toFixed(0)} bytes of memory per path`);
  });

  test('the entry limit stops a flood of files early', async () => {
    await rejectsWith(readImageArchive(manyFiles(100_000), { limits: { maxEntries: 50_000 } }), /^layer a{64}\/layer\.tar: more than 50000 tar entries in the archive \(limit maxEntries\)/);
  });
});

for (const transport of ['fifo', 'stdout'] as const) describe(`readSavedImage (transport ${transport})`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'defang-read-'));
  const archivePath = path.join(dir, 'archive.tar');
  fs.writeFileSync(archivePath, dockerArchive(threeLayers).archive);

  /** A fake docker CLI: a shell script that records its arguments and runs `body`. */
  function fakeDocker(name: string, body: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/${name}.args"\n${body}\n`, { mode: 0o755 });
    return file;
  }

  test('runs `docker save <ref>` and reads its stdout', async () => {
    const docker = fakeDocker('ok', `cat "${archivePath}"`);
    const view = await readSavedImage('defang-test/app:1', { docker, transport });
    assert.deepEqual(fs.readFileSync(`${docker}.args`, 'utf8'), 'save\ndefang-test/app:1\n');
    assert.deepEqual(tree(view), threeLayersTree);
    assert.deepEqual(view.warnings, []);
  });

  test('leaves nothing behind in the temporary directory', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'defang-read-tmp-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const view = await readSavedImage('defang-test/app:1', { docker: fakeDocker('tmp', `cat "${archivePath}"`), transport });
      assert.deepEqual(tree(view), threeLayersTree);
      assert.deepEqual(fs.readdirSync(tmp), []);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('a failing docker becomes an error naming the image and quoting docker', async () => {
    const docker = fakeDocker('fail', 'echo "Error response from daemon: reference does not exist" >&2; exit 1');
    await rejectsWith(
      readSavedImage('nope:1', { docker, transport }),
      /^docker save nope:1 failed: docker exited with status 1: Error response from daemon: reference does not exist \(reading the archive: image archive: archive is empty \(0 bytes\)\)$/,
    );
  });

  test('docker dying half-way is reported with its message', async () => {
    const docker = fakeDocker('half', `head -c 3000 "${archivePath}"; echo "unexpected EOF" >&2; exit 1`);
    await rejectsWith(readSavedImage('half:1', { docker, transport }), /^docker save half:1 failed: docker exited with status 1: unexpected EOF \(reading the archive: image archive: archive is truncated/);
  });

  test('WARNING lines on stderr become warnings; anything else on stderr is an error', async () => {
    const warn = fakeDocker('warn', `echo "WARNING: Error loading config file" >&2; cat "${archivePath}"`);
    const view = await readSavedImage('w:1', { docker: warn, transport });
    assert.deepEqual(view.warnings, ['docker save w:1: WARNING: Error loading config file']);
    const noisy = fakeDocker('noisy', `echo "something went wrong" >&2; cat "${archivePath}"`);
    await rejectsWith(readSavedImage('n:1', { docker: noisy, transport }), /^docker save n:1 reported an error: something went wrong$/);
  });

  test('a hostile archive stops docker instead of hanging on it', async () => {
    // Endless bad data: the reader fails at the first header and docker (yes) must not keep the read alive.
    const docker = fakeDocker('endless', 'exec yes "garbage garbage garbage"');
    await rejectsWith(readSavedImage('endless:1', { docker, transport }), /^image endless:1: image archive: bad header checksum at byte 0/);
  });

  test('a missing docker binary and bad references are clear errors', async () => {
    await rejectsWith(readSavedImage('x:1', { docker: path.join(dir, 'no-such-docker'), transport }), /^cannot run `.*no-such-docker save x:1`: spawn .* ENOENT$/);
    await rejectsWith(readSavedImage('--output=/etc/passwd'), /^not an image reference: "--output=\/etc\/passwd"$/);
    await rejectsWith(readSavedImage(''), /^not an image reference: ""$/);
    await rejectsWith(readSavedImage('a b'), /^not an image reference: "a b"$/);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));
});

