/**
 * The reader against a real Docker engine: a busybox image made with `docker import`, an image built on it, read
 * through `docker save` (Docker 20.10 writes the legacy docker-archive) and, converted with skopeo, from OCI archives
 * with gzip and zstd layers — the same filesystem every way.
 *
 * Without a Docker engine this suite FAILS, unless DEFANG_SKIP_DOCKER_TESTS=1 says to skip it (then it is reported as
 * skipped, with the reason).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readImageArchive, readSavedImage, type ImageReadResult } from './read.ts';
import { resolveInImage } from './resolve.ts';
import { tar } from './testing.ts';

const BUSYBOX = '/usr/bin/busybox';
const skipRequested = process.env.DEFANG_SKIP_DOCKER_TESTS === '1';

function run(cmd: string, args: string[], input?: Buffer | string, timeout = 120_000) {
  const r = spawnSync(cmd, args, { input, timeout, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '', error: r.error };
}

function must(cmd: string, args: string[], input?: Buffer | string): string {
  const r = run(cmd, args, input);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** Why the engine tests cannot run here, or null when they can. */
function unavailable(): string | null {
  const info = run('docker', ['info', '--format', '{{.ServerVersion}}'], undefined, 30_000);
  if (info.error) return `the docker CLI cannot be run (${info.error.message})`;
  if (info.status !== 0) return `no Docker engine answers \`docker info\`: ${info.stderr.trim() || `exit ${info.status}`}`;
  if (!fs.existsSync(BUSYBOX)) return `${BUSYBOX} is missing (install busybox-static)`;
  const skopeo = run('skopeo', ['--version'], undefined, 30_000);
  if (skopeo.status !== 0) return `skopeo is not installed (${skopeo.error?.message ?? skopeo.stderr.trim()})`;
  return null;
}

const reason = unavailable();

if (reason !== null && skipRequested) {
  test('reading real docker save streams (legacy and OCI archives of a built image)', {
    skip: `DEFANG_SKIP_DOCKER_TESTS=1 and ${reason}`,
  }, () => {});
} else if (reason !== null) {
  test('reading real docker save streams needs a Docker engine', () => {
    assert.fail(`${reason} — start dockerd, or set DEFANG_SKIP_DOCKER_TESTS=1 to skip the engine tests explicitly`);
  });
} else {
  describe('reading real docker save streams', () => {
    const suffix = `${process.pid}-${Date.now().toString(36)}`;
    const baseTag = `defang-test-read/busybox:${suffix}`;
    const appTag = `defang-test-read/app:${suffix}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'defang-read-docker-'));
    const busyboxSize = fs.statSync(BUSYBOX).size;
    let legacy: ImageReadResult;

    before(() => {
      const rootfs = tar([
        { name: 'bin/', type: 'dir', mode: 0o755 },
        { name: 'bin/busybox', body: fs.readFileSync(BUSYBOX), mode: 0o755 },
        { name: 'bin/sh', type: 'symlink', linkname: 'busybox', mode: 0o777 },
        { name: 'etc/', type: 'dir', mode: 0o755 },
        { name: 'etc/passwd', body: 'root:x:0:0:root:/root:/bin/sh\n', mode: 0o644 },
        { name: 'etc/group', body: 'root:x:0:\n', mode: 0o644 },
        { name: 'tmp/', type: 'dir', mode: 0o1777 },
      ]);
      must('docker', ['import', '-', baseTag], rootfs);
      const dockerfile = [
        `FROM ${baseTag}`,
        'RUN mkdir -p /opt/app && echo "-----BEGIN OPENSSH PRIVATE KEY-----" > /opt/app/id_rsa && cp /bin/busybox /opt/app/su && chmod 4755 /opt/app/su && ln /opt/app/su /opt/app/su-link',
        'RUN rm /opt/app/id_rsa && echo "app:x:1000:1000::/home/app:/bin/sh" >> /etc/passwd',
        'ENV MODE=test',
        'USER app',
        '',
      ].join('\n');
      // The legacy builder (runs everywhere, no buildx needed); `-` reads the Dockerfile from stdin with no context.
      const build = spawnSync('docker', ['build', '-q', '-t', appTag, '-'], {
        input: dockerfile,
        env: { ...process.env, DOCKER_BUILDKIT: '0' },
        timeout: 300_000,
      });
      if (build.status !== 0) throw new Error(`docker build failed: ${build.stderr.toString()}`);
    });

    after(() => {
      run('docker', ['rmi', appTag, baseTag]);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('docker save (legacy docker-archive): files, modes, layers, history, contents', async () => {
      legacy = await readSavedImage(appTag);
      const v = legacy;
      assert.equal(v.layout, 'docker-archive');
      assert.deepEqual(v.tags, [appTag]);
      assert.equal(v.id, must('docker', ['image', 'inspect', '--format', '{{.Id}}', appTag]).trim());
      const diffIds = JSON.parse(must('docker', ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', appTag])) as string[];
      assert.deepEqual(
        v.layers.map((l) => l.diffId),
        diffIds,
      );
      assert.equal(v.layers.length, 3);
      assert.equal(v.config.user, 'app');
      assert.ok(v.config.env.includes('MODE=test'));
      assert.deepEqual(
        v.history.map((h) => [h.emptyLayer, h.createdBy.includes('mkdir -p /opt/app'), h.createdBy.includes('rm /opt/app/id_rsa')]),
        [
          [false, false, false], // the import
          [false, true, false],
          [false, false, true],
          [true, false, false], // ENV
          [true, false, false], // USER
        ],
      );
      const f = (p: string) => {
        const file = v.files.get(p);
        assert.ok(file, `${p} missing`);
        return [file.type, file.mode.toString(8), file.size, file.layer, file.linkTarget ?? null];
      };
      assert.deepEqual(f('/bin/busybox'), ['file', '755', busyboxSize, 0, null]);
      assert.deepEqual(f('/bin/sh'), ['symlink', '777', 0, 0, 'busybox']);
      assert.deepEqual(f('/tmp'), ['dir', '1777', 0, 0, null]);
      assert.deepEqual(f('/opt/app/su'), ['file', '4755', busyboxSize, 1, null]);
      assert.deepEqual(f('/opt/app/su-link'), ['hardlink', '4755', busyboxSize, 1, '/opt/app/su']);
      assert.equal(v.files.get('/etc/passwd')!.layer, 2);
      assert.equal(v.files.has('/opt/app/id_rsa'), false);
      assert.deepEqual(
        v.removed.filter((r) => r.path === '/opt/app/id_rsa').map((r) => [r.addedIn, r.removedIn, r.how]),
        [[1, 2, 'whiteout']],
      );
      assert.deepEqual(
        v.contents.map((c) => [c.path, c.layer, c.content.toString()]),
        [
          ['/etc/passwd', 0, 'root:x:0:0:root:/root:/bin/sh\n'],
          ['/etc/group', 0, 'root:x:0:\n'],
          ['/opt/app/id_rsa', 1, '-----BEGIN OPENSSH PRIVATE KEY-----\n'],
          ['/etc/passwd', 2, 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n'],
        ],
      );
      const sh = resolveInImage(v, '/bin/sh');
      assert.deepEqual([sh.status, sh.path], ['found', '/bin/busybox']);
    });

    for (const compression of ['gzip', 'zstd'] as const) {
      test(`the same image as an OCI archive with ${compression} layers (skopeo) has the same filesystem`, async () => {
        assert.ok(legacy, 'the docker save test must run first');
        const file = path.join(dir, `${compression}.tar`);
        const args = ['copy', '-q', '--dest-compress', '--dest-compress-format', compression, `docker-daemon:${appTag}`, `oci-archive:${file}:${appTag}`];
        must('skopeo', args);
        const oci = await readImageArchive(fs.createReadStream(file));
        assert.equal(oci.layout, 'oci');
        assert.deepEqual(oci.tags, [appTag]);
        assert.deepEqual(
          oci.layers.map((l) => [l.diffId, l.size, l.entries]),
          legacy.layers.map((l) => [l.diffId, l.size, l.entries]),
        );
        assert.deepEqual([...oci.files.entries()].sort(), [...legacy.files.entries()].sort());
        assert.deepEqual(oci.removed, legacy.removed);
        assert.deepEqual(oci.contents, legacy.contents);
        assert.deepEqual(oci.config, legacy.config);
        assert.deepEqual(
          oci.history.map((h) => [h.createdBy, h.emptyLayer]),
          legacy.history.map((h) => [h.createdBy, h.emptyLayer]),
        );
      });
    }
  });
}
