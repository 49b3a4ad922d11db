/**
 * The Docker test helpers and .ci/docker-setup.sh: Docker tests fail loudly without an engine (skip only when told),
 * the base images hold what the image tests rely on, and the setup script makes the very same images, idempotently,
 * and stops only what it started.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { removeImage, runDocker } from '../../src/image/docker.ts';
import {
  BUSYBOX_GROUP,
  BUSYBOX_PASSWD,
  RECIPES,
  REGISTRY,
  SKIP_ENV,
  baseImages,
  findStaticBusybox,
  isStaticElf,
  recipeOf,
  requireDocker,
  requireRegistry,
} from './docker.ts';

const root = join(import.meta.dirname, '..', '..');
const setupScript = join(root, '.ci', 'docker-setup.sh');
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function fakeContext(): { skip: (msg?: string) => void; skipped: (string | undefined)[] } {
  const skipped: (string | undefined)[] = [];
  return { skipped, skip: (msg?: string) => void skipped.push(msg) };
}

async function withEnv<T>(name: string, value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

async function run(image: string, script: string): Promise<string> {
  const r = await runDocker(['run', '--rm', '--network', 'none', image, 'sh', '-c', script], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, `docker run ${image} failed: ${r.stderr}`);
  return r.stdout;
}

function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [setupScript, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function layers(image: string): Promise<string[]> {
  const r = await runDocker(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', image]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

describe('requireDocker', () => {
  test('no engine: the test fails, naming the reason and the way to skip', async () => {
    const t = fakeContext();
    await withEnv(SKIP_ENV, undefined, async () => {
      await assert.rejects(
        requireDocker(t, { docker: '/nonexistent/docker' }),
        new Error(
          'no Docker engine: /nonexistent/docker not found (is Docker installed and on PATH?). This test needs it: run ' +
            '.ci/docker-setup.sh to install and start Docker and the local registry, or set DEFANG_SKIP_DOCKER_TESTS=1 ' +
            'to skip the Docker tests explicitly.',
        ),
      );
    });
    assert.deepEqual(t.skipped, []);
  });

  test('no engine and DEFANG_SKIP_DOCKER_TESTS=1: skipped, with the reason', async () => {
    const t = fakeContext();
    const ok = await withEnv(SKIP_ENV, '1', () => requireDocker(t, { docker: '/nonexistent/docker' }));
    assert.equal(ok, false);
    assert.deepEqual(t.skipped, [
      'no Docker engine: /nonexistent/docker not found (is Docker installed and on PATH?) (skipped because DEFANG_SKIP_DOCKER_TESTS=1)',
    ]);
    // Any other value does not skip.
    await withEnv(SKIP_ENV, 'yes', async () => {
      await assert.rejects(requireDocker(fakeContext(), { docker: '/nonexistent/docker' }), /no Docker engine/);
    });
  });

  test('an engine answers: true, nothing skipped', async (t) => {
    const ctx = fakeContext();
    assert.equal(await requireDocker(ctx), true);
    assert.deepEqual(ctx.skipped, []);
    assert.equal(await requireRegistry(t), true, 'the registry on 127.0.0.1:5000 answers');
  });
});

describe('base images', () => {
  test('busybox: static busybox, applet symlinks, passwd and group, sticky /tmp, recipe label', async (t) => {
    if (!(await requireDocker(t))) return;
    const { busybox } = await baseImages();
    assert.equal(busybox, 'defang-test/busybox:1');
    assert.equal(await recipeOf(busybox), RECIPES.busybox);
    const out = await run(busybox, 'readlink /bin/sh; readlink /bin/wget; cat /etc/passwd /etc/group; stat -c "%a %u" /tmp /root; ls /bin | wc -l');
    const applets = spawnSync(findStaticBusybox(), ['--list'], { encoding: 'utf8' }).stdout.trim().split('\n');
    assert.equal(out, `busybox\nbusybox\n${BUSYBOX_PASSWD}${BUSYBOX_GROUP}1777 0\n700 0\n${applets.length}\n`);
  });

  test('debian: bookworm minbase with real setuid binaries', async (t) => {
    if (!(await requireDocker(t))) return;
    const { debian } = await baseImages();
    assert.equal(debian, 'defang-test/debian:bookworm');
    assert.equal(await recipeOf(debian), RECIPES.debian);
    const out = await run(debian, 'stat -c "%a %U %n" /usr/bin/passwd /usr/bin/su; . /etc/os-release; echo "$VERSION_CODENAME"');
    assert.equal(out, '4755 root /usr/bin/passwd\n4755 root /usr/bin/su\nbookworm\n');
  });

  test('both are in the registry on 127.0.0.1:5000, with the digests the registry serves', async (t) => {
    if (!(await requireRegistry(t))) return;
    const imgs = await baseImages();
    assert.equal(imgs.registryBusybox, `${REGISTRY}/defang-test/busybox:1`);
    assert.equal(imgs.registryDebian, `${REGISTRY}/defang-test/debian:bookworm`);
    for (const [local, remote] of [[imgs.busybox, imgs.registryBusybox], [imgs.debian, imgs.registryDebian]] as const) {
      assert.deepEqual(await layers(remote), await layers(local));
      const r = await runDocker(['image', 'inspect', '--format', '{{json .RepoDigests}}', remote]);
      const digests = JSON.parse(r.stdout) as string[];
      const name = remote.slice(0, remote.lastIndexOf(':'));
      const digest = digests.find((d) => d.startsWith(`${name}@`))?.split('@')[1];
      assert.ok(digest, `a RepoDigest for ${name}: ${r.stdout}`);
      const res = await fetch(`http://${REGISTRY}/v2/${name.slice(REGISTRY.length + 1)}/manifests/${digest}`, { method: 'HEAD' });
      assert.equal(res.status, 200);
    }
    // A second call finds them all and pushes nothing (fast).
    const started = Date.now();
    assert.deepEqual(await baseImages(), imgs);
    assert.ok(Date.now() - started < 100, 'cached within the process');
  });

  test('isStaticElf tells a static busybox from a dynamic binary and from text', () => {
    assert.equal(isStaticElf(findStaticBusybox()), true);
    assert.equal(isStaticElf(process.execPath), false);
    const dir = mkdtempSync(join(tmpdir(), 'defang-elf-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'script'), '#!/bin/sh\necho not elf\n');
    assert.equal(isStaticElf(join(dir, 'script')), false);
  });
});

describe('.ci/docker-setup.sh', () => {
  test('makes the same images as the helper, then does nothing quietly on a second run', async (t) => {
    if (!(await requireRegistry(t))) return;
    const imgs = await baseImages();
    const prefix = 'defang-test-setup';
    const state = mkdtempSync(join(tmpdir(), 'defang-setup-state-'));
    dirs.push(state);
    const env = { ...process.env, DEFANG_TEST_IMAGE_PREFIX: prefix, DEFANG_DOCKER_STATE: state };
    const mine = [`${prefix}/busybox:1`, `${prefix}/debian:bookworm`, `${REGISTRY}/${prefix}/busybox:1`, `${REGISTRY}/${prefix}/debian:bookworm`];
    for (const tag of mine) await removeImage(tag);
    try {
      const first = spawnSync('bash', [setupScript], { env, encoding: 'utf8', timeout: 300_000 });
      assert.equal(first.status, 0, first.stderr);
      assert.equal(first.stdout, '');
      assert.match(first.stderr, new RegExp(`making ${prefix}/busybox:1`));
      assert.deepEqual(await layers(`${prefix}/busybox:1`), await layers(imgs.busybox), 'the same busybox layer, byte for byte');
      assert.deepEqual(await layers(`${prefix}/debian:bookworm`), await layers(imgs.debian), 'the same Debian layer, byte for byte');
      assert.equal(await recipeOf(`${prefix}/busybox:1`), RECIPES.busybox);
      assert.deepEqual(await layers(`${REGISTRY}/${prefix}/busybox:1`), await layers(imgs.busybox));

      const started = Date.now();
      const second = spawnSync('bash', [setupScript], { env, encoding: 'utf8', timeout: 60_000 });
      assert.equal(second.status, 0, second.stderr);
      assert.deepEqual([second.stdout, second.stderr], ['', ''], 'quiet when everything is there');
      assert.ok(Date.now() - started < 10_000, `fast when everything is there (${Date.now() - started} ms)`);
    } finally {
      for (const tag of mine) await removeImage(tag);
    }
  });

  test('--stop stops the processes it recorded, and only if they are still what it started', async () => {
    const state = mkdtempSync(join(tmpdir(), 'defang-setup-state-'));
    dirs.push(state);
    // A process that looks like the registry it would have started, and one whose recorded PID now belongs to
    // something else.
    const registry = spawn('bash', ['-c', 'exec -a docker-registry sleep 300'], { stdio: 'ignore' });
    const stranger = spawn('sleep', ['300'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      writeFileSync(join(state, 'registry.pid'), `${registry.pid}\n`);
      writeFileSync(join(state, 'dockerd.pid'), `${stranger.pid}\n`);
      const exited = new Promise((r) => registry.once('exit', r));
      const started = Date.now();
      // Run asynchronously so that this process reaps its child when the script signals it.
      const r = await runScript(['--stop'], { ...process.env, DEFANG_DOCKER_STATE: state });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, `[docker-setup] stopped registry (pid ${registry.pid})\n`);
      await exited;
      assert.ok(Date.now() - started < 10_000, 'stopped at once, not after the 20 s grace');
      assert.equal(registry.exitCode ?? registry.signalCode, 'SIGTERM');
      assert.equal(stranger.exitCode, null, 'a PID that is no longer dockerd is left alone');
      assert.equal(existsSync(join(state, 'registry.pid')), false);
      assert.equal(existsSync(join(state, 'dockerd.pid')), false);
    } finally {
      if (registry.exitCode === null && registry.signalCode === null) registry.kill();
      stranger.kill();
    }
  });

  test('a bad argument is refused', () => {
    const r = spawnSync('bash', [setupScript, '--frobnicate'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `[docker-setup] error: usage: ${setupScript} [--stop]\n`);
  });

  test('the script and the helper name the same recipes', () => {
    const script = readFileSync(setupScript, 'utf8');
    const value = (name: string): string | undefined => new RegExp(`^${name}=(\\S+)$`, 'm').exec(script)?.[1];
    assert.deepEqual(
      { label: value('RECIPE_LABEL'), busybox: value('BUSYBOX_RECIPE'), debian: value('DEBIAN_RECIPE') },
      { label: 'org.defang.test.recipe', busybox: RECIPES.busybox, debian: RECIPES.debian },
    );
  });
});
