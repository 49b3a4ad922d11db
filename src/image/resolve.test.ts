import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileType, ImageFile } from '../image-view.ts';
import { MAX_SYMLINK_HOPS, resolveInImage } from './resolve.ts';

function view(entries: Array<[string, FileType, string?]>): { files: Map<string, ImageFile> } {
  const files = new Map<string, ImageFile>();
  for (const [path, type, linkTarget] of entries) {
    const f: ImageFile = { path, type, mode: type === 'dir' ? 0o755 : 0o644, uid: 0, gid: 0, size: 0, layer: 0 };
    if (linkTarget !== undefined) f.linkTarget = linkTarget;
    files.set(path, f);
  }
  return { files };
}

const image = view([
  ['/', 'dir'],
  ['/bin', 'symlink', 'usr/bin'],
  ['/usr', 'dir'],
  ['/usr/bin', 'dir'],
  ['/usr/bin/busybox', 'file'],
  ['/usr/bin/sh', 'symlink', 'busybox'],
  ['/usr/bin/ash', 'symlink', '/bin/sh'],
  ['/usr/bin/up', 'symlink', '../../../../usr/bin/busybox'],
  ['/etc', 'dir'],
  ['/etc/alternatives', 'dir'],
  ['/etc/alternatives/sh', 'symlink', '/usr/bin/ash'],
  ['/etc/passwd', 'file'],
  ['/loop1', 'symlink', 'loop2'],
  ['/loop2', 'symlink', '/loop1'],
  ['/self', 'symlink', 'self'],
  ['/dangling', 'symlink', '/nowhere/x'],
  ['/lib', 'symlink', 'usr/lib'],
]);

function found(path: string, opts?: { followLast?: boolean }) {
  const r = resolveInImage(image, path, opts);
  assert.equal(r.status, 'found', `${path}: ${JSON.stringify(r)}`);
  return r.status === 'found' ? [r.path, r.file.type, r.hops] : null;
}

describe('resolveInImage', () => {
  test('follows relative and absolute symlinks in every component, inside the image only', () => {
    assert.deepEqual(found('/bin/sh'), ['/usr/bin/busybox', 'file', 2]);
    assert.deepEqual(found('/etc/alternatives/sh'), ['/usr/bin/busybox', 'file', 4]); // sh -> ash -> /bin/sh (/bin -> usr/bin) -> busybox
    assert.deepEqual(found('bin/busybox'), ['/usr/bin/busybox', 'file', 1]);
    assert.deepEqual(found('/usr/bin/up'), ['/usr/bin/busybox', 'file', 1], '.. past the root stays at the root');
  });

  test('.. after a symlinked directory goes to the parent of its target, as the kernel does', () => {
    const r = resolveInImage(image, '/bin/../bin/busybox');
    assert.deepEqual(r, { status: 'found', path: '/usr/bin/busybox', file: image.files.get('/usr/bin/busybox'), hops: 1 });
    assert.deepEqual(resolveInImage(image, '/bin/../etc/passwd'), { status: 'missing', path: '/usr/etc', hops: 1 });
  });

  test('followLast: false stops at the last symlink (lstat)', () => {
    assert.deepEqual(found('/bin/sh', { followLast: false }), ['/usr/bin/sh', 'symlink', 1]);
  });

  test('loops end with status loop after 40 symlinks', () => {
    assert.deepEqual(resolveInImage(image, '/loop1'), { status: 'loop', path: '/loop1', hops: MAX_SYMLINK_HOPS + 1 });
    assert.equal(resolveInImage(image, '/self/x').status, 'loop');
    assert.equal(resolveInImage(image, '/loop2', { followLast: false }).status, 'found');
  });

  test('a chain of exactly 40 links resolves; 41 is a loop', () => {
    const entries: Array<[string, FileType, string?]> = [['/', 'dir'], ['/target', 'file']];
    for (let i = 0; i < 41; i++) entries.push([`/l${i}`, 'symlink', i === 0 ? '/target' : `/l${i - 1}`]);
    const v = view(entries);
    const ok = resolveInImage(v, '/l39');
    assert.deepEqual([ok.status, ok.hops], ['found', 40]);
    const tooMany = resolveInImage(v, '/l40');
    assert.deepEqual([tooMany.status, tooMany.hops], ['loop', 41]);
  });

  test('missing paths, dangling links and files used as directories', () => {
    assert.deepEqual(resolveInImage(image, '/nope/x'), { status: 'missing', path: '/nope', hops: 0 });
    assert.deepEqual(resolveInImage(image, '/dangling'), { status: 'missing', path: '/nowhere', hops: 1 });
    assert.deepEqual(resolveInImage(image, '/lib/x'), { status: 'missing', path: '/usr/lib', hops: 1 });
    assert.deepEqual(resolveInImage(image, '/etc/passwd/x'), { status: 'not-directory', path: '/etc/passwd', hops: 0 });
    assert.deepEqual(resolveInImage(image, '/etc/passwd/..'), { status: 'not-directory', path: '/etc/passwd', hops: 0 });
  });

  test('the root and implied directories', () => {
    assert.deepEqual(found('/'), ['/', 'dir', 0]);
    assert.deepEqual(found('/..'), ['/', 'dir', 0]);
    const v = view([['/opt/app/run', 'file']]);
    const r = resolveInImage(v, '/opt/app/run');
    assert.deepEqual([r.status, r.path], ['found', '/opt/app/run']);
    assert.deepEqual(resolveInImage(v, '/opt/other/x'), { status: 'missing', path: '/opt/other', hops: 0 });
  });
});
