import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyLayers, type ApplyInput } from './read-apply.ts';
import type { LayerEntry } from './read-layer.ts';

function entry(path: string, type: LayerEntry['type'] = 'file', extra: Partial<LayerEntry> = {}): LayerEntry {
  return { path, type, mode: type === 'dir' ? 0o755 : 0o644, uid: 0, gid: 0, size: type === 'file' ? 10 : 0, ...extra };
}

function layer(label: string, adds: LayerEntry[], whiteouts: Array<[string, boolean]> = []): ApplyInput {
  return { label, adds, whiteouts: whiteouts.map(([path, opaque]) => ({ path, opaque })) };
}

function run(...layers: ApplyInput[]) {
  const warnings: string[] = [];
  const out = applyLayers(layers, (m) => warnings.push(m));
  return {
    paths: [...out.files.keys()].sort(),
    files: out.files,
    removed: out.removed.map((r) => `${r.path} ${r.addedIn}->${r.removedIn} ${r.how}`),
    contents: out.contents.map((c) => `${c.path}@${c.layer}=${c.content.toString()}`),
    warnings,
  };
}

describe('applyLayers', () => {
  test('an opaque root hides every earlier path', () => {
    const r = run(layer('0', [entry('/a'), entry('/d', 'dir'), entry('/d/x')]), layer('1', [entry('/new')], [['/', true]]));
    assert.deepEqual(r.paths, ['/', '/new']);
    assert.deepEqual(r.removed, ['/a 0->1 opaque', '/d 0->1 opaque', '/d/x 0->1 opaque']);
  });

  test('a path whited out and added again in the same layer is the new version', () => {
    const r = run(layer('0', [entry('/etc', 'dir'), entry('/etc/conf', 'file', { size: 1 })]), layer('1', [entry('/etc/conf', 'file', { size: 2 })], [['/etc/conf', false]]));
    assert.equal(r.files.get('/etc/conf')!.size, 2);
    assert.equal(r.files.get('/etc/conf')!.layer, 1);
    assert.deepEqual(r.removed, ['/etc/conf 0->1 whiteout']);
  });

  test('an opaque marker for a directory no layer made creates it', () => {
    const r = run(layer('0', [entry('/a')]), layer('1', [], [['/fresh/dir', true]]));
    assert.deepEqual(r.paths, ['/', '/a', '/fresh', '/fresh/dir']);
    assert.equal(r.files.get('/fresh/dir')!.layer, 1);
  });

  test('a hardlink keeps the mode its target had when it was linked', () => {
    const r = run(
      layer('0', [entry('/bin/su', 'file', { mode: 0o4755, size: 99 }), entry('/bin/su2', 'hardlink', { linkTarget: '/bin/su' })]),
      layer('1', [entry('/bin/su', 'file', { mode: 0o755, size: 99 })]), // chmod u-s in a later layer copies up /bin/su only
    );
    assert.equal(r.files.get('/bin/su')!.mode, 0o755);
    assert.equal(r.files.get('/bin/su2')!.mode, 0o4755);
    assert.equal(r.files.get('/bin/su2')!.size, 99);
  });

  test('removing a deep tree records every version, parents first', () => {
    const r = run(
      layer('0', [entry('/t', 'dir'), entry('/t/a', 'dir'), entry('/t/a/1'), entry('/t/b'), entry('/t/a/2')]),
      layer('1', [], [['/t', false]]),
    );
    assert.deepEqual(r.paths, ['/']);
    assert.deepEqual(r.removed, ['/t 0->1 whiteout', '/t/a 0->1 whiteout', '/t/a/1 0->1 whiteout', '/t/a/2 0->1 whiteout', '/t/b 0->1 whiteout']);
  });

  test('contents are listed per layer version, in order', () => {
    const r = run(
      layer('0', [entry('/etc/passwd', 'file', { content: Buffer.from('v0') })]),
      layer('1', [entry('/etc/passwd', 'file', { content: Buffer.from('v1') }), entry('/k.pem', 'file', { content: Buffer.from('K') })]),
    );
    assert.deepEqual(r.contents, ['/etc/passwd@0=v0', '/etc/passwd@1=v1', '/k.pem@1=K']);
  });

  test('a directory entry over a directory keeps its children and records nothing', () => {
    const r = run(layer('0', [entry('/d', 'dir'), entry('/d/f')]), layer('1', [entry('/d', 'dir', { mode: 0o700 })]));
    assert.deepEqual(r.paths, ['/', '/d', '/d/f']);
    assert.deepEqual(r.removed, []);
    assert.deepEqual([r.files.get('/d')!.mode, r.files.get('/d')!.layer, r.files.get('/d/f')!.layer], [0o700, 1, 0]);
  });
});
