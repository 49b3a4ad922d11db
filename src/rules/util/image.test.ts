import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  originLayer,
  commandDirs,
  findCommands,
  formatBytes,
  formatMode,
  listText,
  parseGroup,
  parsePasswd,
  pathMatcher,
  resolvePath,
  resolveUser,
} from './image.ts';
import { buildImage, dir, file, hardlink, symlink, type EntrySpec } from './image-fixtures.ts';

function view(entries: EntrySpec[], config: Record<string, unknown> = {}) {
  return buildImage({ dockerfile: 'FROM scratch\n', layers: [{ add: entries }], config }).view;
}

describe('resolvePath', () => {
  const v = view([
    dir('/usr'),
    dir('/usr/bin'),
    symlink('/bin', 'usr/bin'),
    file('/usr/bin/dash', { mode: 0o755 }),
    symlink('/usr/bin/sh', 'dash'),
    symlink('/etc/alternatives/nc', '/bin/nc.openbsd'),
    file('/usr/bin/nc.openbsd', { mode: 0o755 }),
    symlink('/usr/bin/nc', '/etc/alternatives/nc'),
    symlink('/up', '../../../usr/bin/dash'),
    symlink('/loop/a', 'b'),
    symlink('/loop/b', 'a'),
    symlink('/dangling', '/nowhere/x'),
    symlink('/empty', ''),
    file('/etc/hostname'),
  ]);

  test('follows relative and absolute links, and links in the middle of a path', () => {
    const r = resolvePath(v, '/bin/sh');
    assert.equal(r.ok, true);
    assert.equal(r.ok && r.path, '/usr/bin/dash');
    assert.equal(r.ok && r.hops, 2);
    assert.equal(r.ok && r.file?.type, 'file');
    const nc = resolvePath(v, '/bin/nc');
    assert.equal(nc.ok && nc.path, '/usr/bin/nc.openbsd');
  });

  test('.. never climbs above the root', () => {
    const r = resolvePath(v, '/up');
    assert.equal(r.ok && r.path, '/usr/bin/dash');
    const r2 = resolvePath(v, '/../../bin/./dash');
    assert.equal(r2.ok && r2.path, '/usr/bin/dash');
  });

  test('the last link is kept when asked', () => {
    const r = resolvePath(v, '/bin/sh', false);
    assert.equal(r.ok && r.path, '/usr/bin/sh');
    assert.equal(r.ok && r.file?.type, 'symlink');
  });

  test('loops, missing paths and files used as directories fail, saying where', () => {
    assert.deepEqual(resolvePath(v, '/loop/a'), { ok: false, reason: 'loop', path: '/loop/a' });
    assert.deepEqual(resolvePath(v, '/dangling'), { ok: false, reason: 'missing', path: '/nowhere/x' });
    assert.deepEqual(resolvePath(v, '/empty'), { ok: false, reason: 'missing', path: '/empty' });
    assert.deepEqual(resolvePath(v, '/bin/..'), { ok: true, path: '/usr', file: v.files.get('/usr'), hops: 1 });
    assert.deepEqual(resolvePath(v, '/etc/hostname/x'), { ok: false, reason: 'not-a-directory', path: '/etc/hostname' });
  });

  test('40 links are followed, 41 are a loop', () => {
    const chain = (n: number) => {
      const entries: EntrySpec[] = [file('/target')];
      for (let i = 0; i < n; i++) entries.push(symlink(`/l${i}`, i === n - 1 ? '/target' : `/l${i + 1}`));
      return view(entries);
    };
    const ok = resolvePath(chain(40), '/l0');
    assert.equal(ok.ok && ok.path, '/target');
    assert.equal(resolvePath(chain(41), '/l0').ok, false);
  });

  test('the root', () => {
    const r = resolvePath(v, '/');
    assert.equal(r.ok && r.path, '/');
  });
});

describe('findCommands', () => {
  test('names that lead to one program are grouped; non-executables and dangling links are skipped', () => {
    const v = view(
      [
        dir('/usr'),
        dir('/usr/bin'),
        symlink('/bin', 'usr/bin'),
        file('/usr/bin/dash', { mode: 0o755 }),
        symlink('/usr/bin/sh', 'dash'),
        file('/usr/bin/bash', { mode: 0o755 }),
        hardlink('/usr/bin/rbash', '/usr/bin/bash', { mode: 0o755 }),
        file('/opt/tools/bin/zsh', { mode: 0o644 }),
        symlink('/usr/local/bin/ksh', '/opt/ksh/bin/ksh'),
        file('/opt/busybox/busybox', { mode: 0o755 }),
        symlink('/opt/busybox/ash', 'busybox'),
      ],
      { env: ['PATH=/opt/tools/bin:/opt/busybox:relative/dir'] },
    );
    const found = findCommands(v, (n) => ['sh', 'bash', 'dash', 'rbash', 'zsh', 'ksh', 'ash', 'busybox'].includes(n));
    assert.deepEqual(
      found.map((c) => [c.binary.path, c.names, c.links]),
      [
        ['/opt/busybox/busybox', ['ash', 'busybox'], ['/opt/busybox/busybox']],
        ['/usr/bin/bash', ['bash', 'rbash'], ['/usr/bin/bash', '/usr/bin/rbash']],
        ['/usr/bin/dash', ['dash', 'sh'], ['/usr/bin/dash']],
      ],
    );
  });

  test('a command directory that no layer listed itself', () => {
    const v = view([file('/usr/local/bin/curl', { mode: 0o755 })]);
    v.files.delete('/usr/local/bin');
    v.files.delete('/usr/local');
    assert.deepEqual(findCommands(v, (n) => n === 'curl').map((c) => c.binary.path), ['/usr/local/bin/curl']);
  });

  test('command directories: the standard ones, then the absolute ones of PATH', () => {
    const v = view([], { env: ['HOME=/root', 'PATH=/app/bin/:/usr/bin:x'] });
    assert.deepEqual(commandDirs(v), ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin', '/app/bin']);
  });
});

describe('users', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/sh\n# comment\ntoor:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\nbroken:x:abc:1::/:/bin/false\n';
  const group = 'root:x:0:\napp:x:1000:\nstaff:x:50:app\n';
  const v = view([dir('/etc'), file('/etc/passwd', { content: passwd }), file('/etc/group', { content: group })]);

  test('passwd and group files', () => {
    assert.deepEqual(parsePasswd(passwd), [
      { name: 'root', uid: 0, gid: 0 },
      { name: 'toor', uid: 0, gid: 0 },
      { name: 'app', uid: 1000, gid: 1000 },
    ]);
    assert.deepEqual(parseGroup(group), [
      { name: 'root', gid: 0 },
      { name: 'app', gid: 1000 },
      { name: 'staff', gid: 50 },
    ]);
  });

  const cases: Array<[string, number | null, boolean, string | null]> = [
    ['', 0, true, null],
    ['root', 0, true, null],
    ['0', 0, true, null],
    ['0:0', 0, true, null],
    [':1000', 0, true, null],
    ['toor', 0, true, null],
    ['app', 1000, false, null],
    ['app:staff', 1000, false, null],
    ['4242', 4242, false, null],
    ['4242:4242', 4242, false, null],
    ['ghost', null, false, `the user "ghost" is not in the image's /etc/passwd`],
    ['app:ghosts', 1000, false, `the group "ghosts" is not in the image's /etc/group`],
    ['99999999999', null, false, 'uid 99999999999 is out of range (the largest is 2147483647)'],
  ];
  for (const [spec, uid, root, problem] of cases) {
    test(`user "${spec}"`, () => {
      const u = resolveUser(v, spec);
      assert.deepEqual([u.uid, u.root, u.problem], [uid, root, problem]);
    });
  }

  test('without /etc/passwd a name cannot be found; numbers need no entry', () => {
    const empty = view([file('/app', { mode: 0o755 })]);
    assert.equal(resolveUser(empty, 'root').problem, 'the image has no /etc/passwd, so the user "root" cannot be found');
    assert.equal(resolveUser(empty, '65532:65532').problem, null);
    assert.equal(resolveUser(empty, '65532:nonroot').problem, 'the image has no /etc/group, so the group "nonroot" cannot be found');
  });

  test('a passwd present but not read: names are not judged, root is still root', () => {
    const unread = view([dir('/etc'), file('/etc/passwd', { size: 2_000_000 })]);
    const app = resolveUser(unread, 'app');
    assert.deepEqual([app.uid, app.problem, app.unknown], [null, null, '/etc/passwd was not read']);
    assert.equal(resolveUser(unread, 'root').root, true);
  });

  test('/etc/passwd through a symlink; the last version of the file counts', () => {
    const b = buildImage({
      dockerfile: 'FROM scratch\nCOPY passwd /etc/passwd\n',
      layers: [
        { add: [dir('/etc'), file('/data/passwd', { content: 'root:x:0:0::/:/bin/sh\n' }), symlink('/etc/passwd', '../data/passwd')] },
        { line: 2, add: [file('/data/passwd', { content: 'root:x:0:0::/:/bin/sh\nweb:x:33:33::/:/bin/sh\n' })] },
      ],
    });
    assert.equal(resolveUser(b.view, 'web').uid, 33);
  });
});

describe('formatting and globs', () => {
  test('bytes, modes, lists', () => {
    assert.deepEqual(
      [0, 1023, 1024, 1536, 10 * 1024 * 1024 + 300_000, 5 * 1024 ** 3].map(formatBytes),
      ['0 B', '1023 B', '1.00 KiB', '1.50 KiB', '10.3 MiB', '5.00 GiB'],
    );
    assert.equal(formatMode(0o104755), '4755');
    assert.equal(formatMode(0o644), '0644');
    assert.deepEqual([listText([]), listText(['a']), listText(['a', 'b']), listText(['a', 'b', 'c'])], ['', 'a', 'a and b', 'a, b and c']);
  });

  test('path globs from the root, dot files included', () => {
    const m = pathMatcher(['usr/bin/s*', '/home/**/.cache/**']);
    assert.deepEqual(
      ['/usr/bin/su', '/usr/bin/x/su', '/home/a/.cache/pip/x', '/usr/sbin/su'].map(m),
      [true, false, true, false],
    );
    assert.equal(pathMatcher([])('/x'), false);
  });
});

describe('the fixture builder (test helper) applies layers like the reader', () => {
  test('whiteouts, opaque directories, overwrites and hardlinks', () => {
    const { view: v, attribution } = buildImage({
      dockerfile: 'FROM debian:12\nRUN a\nRUN b\n',
      layers: [
        { add: [file('/a/x', { size: 10 }), file('/a/y', { size: 20 }), file('/b', { size: 5, content: 'hello' })] },
        { line: 2, opaque: ['/a'], add: [file('/a/z', { size: 1 }), hardlink('/c', '/b')] },
        { line: 3, whiteout: ['/a'], add: [file('/b', { size: 3, content: 'new' })] },
      ],
    });
    assert.deepEqual([...v.files.keys()].sort(), ['/b', '/c']);
    assert.equal(v.files.get('/c')?.size, 5);
    assert.deepEqual(
      v.removed.map((r) => [r.path, r.type, r.addedIn, r.removedIn, r.how]),
      [
        ['/a/x', 'file', 0, 1, 'opaque'],
        ['/a/y', 'file', 0, 1, 'opaque'],
        ['/a', 'dir', 0, 2, 'whiteout'],
        ['/a/z', 'file', 1, 2, 'whiteout'],
        ['/b', 'file', 0, 2, 'overwritten'],
      ],
    );
    assert.deepEqual(v.contents.map((c) => [c.path, c.layer, c.content.toString()]), [['/b', 0, 'hello'], ['/b', 2, 'new']]);
    assert.deepEqual(attribution.layers.map((l) => [l.instruction, l.inherited]), [[null, true], [1, false], [2, false]]);
    assert.equal(attribution.baseLayers, 1);
    assert.deepEqual(v.history.map((h) => h.createdBy), ['base layer 0', 'RUN a', 'RUN b']);
  });
});

describe('originLayer', () => {
  test('walks back through unchanged re-recordings to the layer that made the file so', () => {
    const file = { path: '/bin/x', type: 'file' as const, mode: 0o4755, uid: 0, gid: 0, size: 10, layer: 5 };
    const view = {
      removed: [
        { path: '/bin/x', type: 'file' as const, size: 10, mode: 0o4755, addedIn: 3, removedIn: 5, how: 'overwritten' as const },
        { path: '/bin/x', type: 'file' as const, size: 10, mode: 0o0755, addedIn: 1, removedIn: 3, how: 'overwritten' as const },
        { path: '/bin/y', type: 'file' as const, size: 10, mode: 0o4755, addedIn: 0, removedIn: 5, how: 'overwritten' as const },
      ],
    } as unknown as Parameters<typeof originLayer>[0];
    const same = (old: { mode: number; size: number }) => old.mode === file.mode && old.size === file.size;
    assert.equal(originLayer(view, file, same), 3, 'layer 3 set the bit; layer 1 had it without');
    assert.equal(originLayer(view, { ...file, layer: 3 }, same), 3);
    assert.equal(originLayer(view, { ...file, path: '/bin/z' }, same), 5);
  });
});
