/**
 * Docker for the image tests: `requireDocker(t)` makes a test fail loudly when no engine answers (or skip, but only
 * when DEFANG_SKIP_DOCKER_TESTS=1 says so), and `baseImages()` makes — once per machine, then found by tag and recipe
 * label — the local base images the tests build FROM, since Docker Hub is not reachable:
 *
 * - `defang-test/debian:bookworm`: a debootstrap minbase Debian (real setuid binaries: /usr/bin/passwd, /bin/su),
 *   imported with `docker import` from /tmp/deb-rootfs (made with debootstrap when missing);
 * - `defang-test/busybox:1`: a scratch image with a static /bin/busybox, a symlink in /bin for each applet, a small
 *   /etc/passwd and /etc/group (root, daemon, nobody), /root and a sticky /tmp;
 * - when a registry answers on 127.0.0.1:5000, both pushed there as `127.0.0.1:5000/defang-test/…` (for the
 *   registry-trust tests).
 *
 * .ci/docker-setup.sh makes the same images (same recipe labels) in plain shell, so either can run first.
 * Run this file directly (`node __tests__/helpers/docker.ts`) to make the images and print their names.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, closeSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { dockerAvailable, inspectImageId, runDocker, type DockerAvailability, type DockerOptions } from '../../src/image/docker.ts';

export const SKIP_ENV = 'DEFANG_SKIP_DOCKER_TESTS';
export const REGISTRY = '127.0.0.1:5000';
export const DEBIAN_TAG = 'defang-test/debian:bookworm';
export const BUSYBOX_TAG = 'defang-test/busybox:1';
/** The label the base images carry; a different or missing value means "made by an older recipe: make again". */
export const RECIPE_LABEL = 'org.defang.test.recipe';
export const RECIPES = { debian: 'debian-bookworm-minbase-1', busybox: 'busybox-scratch-1' } as const;

/** /etc/passwd and /etc/group of the busybox image (keep in step with .ci/docker-setup.sh). */
export const BUSYBOX_PASSWD = 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
export const BUSYBOX_GROUP = 'root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n';

export interface BaseImages {
  debian: string;
  busybox: string;
  /** `127.0.0.1:5000/defang-test/debian:bookworm`, when the registry answers. */
  registryDebian?: string;
  /** `127.0.0.1:5000/defang-test/busybox:1`, when the registry answers. */
  registryBusybox?: string;
}

const SETUP_HINT = 'run .ci/docker-setup.sh to install and start Docker and the local registry';

const engineChecks = new Map<string, Promise<DockerAvailability>>();
function engine(opts: DockerOptions): Promise<DockerAvailability> {
  const key = opts.docker ?? 'docker';
  let p = engineChecks.get(key);
  if (!p) {
    p = dockerAvailable(opts);
    engineChecks.set(key, p);
  }
  return p;
}

/** The part of node:test's TestContext these helpers use (so tests of the helpers can pass their own). */
export type SkippableContext = Pick<TestContext, 'skip'>;

/**
 * Call first in every test that needs Docker: `if (!(await requireDocker(t))) return;`. Returns true when an engine
 * answers. When none does, the test FAILS with the reason, unless DEFANG_SKIP_DOCKER_TESTS=1, which marks it skipped
 * (with the reason) and returns false. Never a silent pass.
 */
export async function requireDocker(t: SkippableContext, opts: DockerOptions = {}): Promise<boolean> {
  const status = await engine(opts);
  if (status.ok) return true;
  return unavailable(t, `no Docker engine: ${status.reason}`);
}

/** Like requireDocker, for tests that need the registry on 127.0.0.1:5000 too. */
export async function requireRegistry(t: SkippableContext, opts: DockerOptions = {}): Promise<boolean> {
  if (!(await requireDocker(t, opts))) return false;
  if (await registryAnswers()) return true;
  return unavailable(t, `no registry answers on http://${REGISTRY}/v2/`);
}

function unavailable(t: SkippableContext, reason: string): boolean {
  if (process.env[SKIP_ENV] === '1') {
    t.skip(`${reason} (skipped because ${SKIP_ENV}=1)`);
    return false;
  }
  throw new Error(`${reason}. This test needs it: ${SETUP_HINT}, or set ${SKIP_ENV}=1 to skip the Docker tests explicitly.`);
}

/** Does the registry on 127.0.0.1:5000 answer the v2 API? */
export async function registryAnswers(): Promise<boolean> {
  try {
    const res = await fetch(`http://${REGISTRY}/v2/`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

let images: Promise<BaseImages> | undefined;

/** The base images, made on first use (and then cached by tag and recipe label, across processes). */
export function baseImages(): Promise<BaseImages> {
  images ??= makeBaseImages().catch((e: unknown) => {
    images = undefined;
    throw e;
  });
  return images;
}

async function makeBaseImages(): Promise<BaseImages> {
  const status = await engine({});
  if (!status.ok) throw new Error(`cannot make the base images, no Docker engine: ${status.reason}; ${SETUP_HINT}`);
  return withLock(join(tmpdir(), 'defang-test-base-images.lock'), async () => {
    const busybox = await ensureImage(BUSYBOX_TAG, RECIPES.busybox, () => buildBusyboxImage(BUSYBOX_TAG));
    const debian = await ensureImage(DEBIAN_TAG, RECIPES.debian, () => importDebianImage(DEBIAN_TAG, debianRootfs()));
    const out: BaseImages = { debian, busybox };
    if (await registryAnswers()) {
      out.registryBusybox = await ensurePushed(busybox, `${REGISTRY}/${BUSYBOX_TAG}`);
      out.registryDebian = await ensurePushed(debian, `${REGISTRY}/${DEBIAN_TAG}`);
    }
    return out;
  });
}

/** The recipe label of a local image; null when there is no such image. */
export async function recipeOf(ref: string): Promise<string | null> {
  const r = await runDocker(['image', 'inspect', '--format', `{{index .Config.Labels "${RECIPE_LABEL}"}}`, ref], { timeoutMs: 30_000 });
  if (r.code !== 0) return null;
  return r.stdout.trim();
}

async function ensureImage(tag: string, recipe: string, make: () => Promise<void>): Promise<string> {
  if ((await recipeOf(tag)) === recipe) return tag;
  await make();
  const got = await recipeOf(tag);
  if (got !== recipe) throw new Error(`made ${tag} but it carries recipe ${JSON.stringify(got)}, not ${recipe}`);
  return tag;
}

/** Run `producer | docker import …` with argument arrays (no shell); reject with both programs' stderr on failure. */
function pipeIntoImport(producer: { cmd: string; args: string[] }, importArgs: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const src = spawn(producer.cmd, producer.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const dst = spawn('docker', ['import', ...importArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
    let srcErr = '';
    let dstErr = '';
    let srcCode: number | null | undefined;
    let dstCode: number | null | undefined;
    src.stderr.on('data', (d: Buffer) => (srcErr += d.toString()));
    dst.stderr.on('data', (d: Buffer) => (dstErr += d.toString()));
    dst.stdout.resume();
    src.stdout.pipe(dst.stdin);
    dst.stdin.on('error', () => src.kill());
    const done = (): void => {
      if (srcCode === undefined || dstCode === undefined) return;
      if (srcCode === 0 && dstCode === 0) resolve();
      else reject(new Error(`${producer.cmd} ${producer.args.join(' ')} | docker import ${importArgs.join(' ')} failed (exit ${srcCode}/${dstCode}): ${(srcErr + dstErr).trim()}`));
    };
    src.on('error', (e) => reject(new Error(`cannot run ${producer.cmd}: ${e.message}`)));
    dst.on('error', (e) => reject(new Error(`cannot run docker: ${e.message}`)));
    src.on('close', (c) => ((srcCode = c), done()));
    dst.on('close', (c) => ((dstCode = c), done()));
  });
}

/** True when the file is an ELF executable without a program interpreter (statically linked). */
export function isStaticElf(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(64);
    if (readSync(fd, head, 0, 64, 0) < 52 || head.readUInt32BE(0) !== 0x7f454c46) return false;
    const is64 = head[4] === 2;
    const le = head[5] === 1;
    const u16 = (b: Buffer, o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b: Buffer, o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const phoff = is64 ? Number(le ? head.readBigUInt64LE(32) : head.readBigUInt64BE(32)) : u32(head, 28);
    const phentsize = u16(head, is64 ? 54 : 42);
    const phnum = u16(head, is64 ? 56 : 44);
    if (phnum === 0 || phentsize < 4) return false;
    const ph = Buffer.alloc(phentsize * phnum);
    readSync(fd, ph, 0, ph.length, phoff);
    for (let i = 0; i < phnum; i++) if (u32(ph, i * phentsize) === 3 /* PT_INTERP */) return false;
    return true;
  } finally {
    closeSync(fd);
  }
}

/** A statically linked busybox on this machine (Debian's busybox-static), or a clear error. */
export function findStaticBusybox(): string {
  const candidates = [process.env.DEFANG_BUSYBOX, '/bin/busybox', '/usr/bin/busybox'].filter((p): p is string => !!p);
  for (const p of candidates) if (existsSync(p) && isStaticElf(p)) return p;
  throw new Error(`no statically linked busybox found (looked at ${candidates.join(', ')}): apt-get install busybox-static, or ${SETUP_HINT}`);
}

/** Make the busybox scratch image under `tag` (see the file comment for what it holds). */
export async function buildBusyboxImage(tag: string): Promise<void> {
  const busybox = findStaticBusybox();
  const list = spawnSync(busybox, ['--list'], { encoding: 'utf8' });
  if (list.status !== 0) throw new Error(`${busybox} --list failed: ${list.stderr}`);
  const applets = list.stdout.split('\n').map((s) => s.trim()).filter((s) => /^[A-Za-z0-9_.[-]+$/.test(s) && s !== 'busybox');
  if (!applets.includes('sh')) throw new Error(`${busybox} has no sh applet`);
  const dir = mkdtempSync(join(tmpdir(), 'defang-busybox-rootfs-'));
  try {
    for (const d of ['bin', 'etc', 'root', 'tmp']) mkdirSync(join(dir, d));
    copyFileSync(busybox, join(dir, 'bin', 'busybox'));
    chmodSync(join(dir, 'bin', 'busybox'), 0o755);
    for (const a of applets) symlinkSync('busybox', join(dir, 'bin', a));
    writeFileSync(join(dir, 'etc', 'passwd'), BUSYBOX_PASSWD, { mode: 0o644 });
    writeFileSync(join(dir, 'etc', 'group'), BUSYBOX_GROUP, { mode: 0o644 });
    chmodSync(join(dir, 'etc', 'passwd'), 0o644);
    chmodSync(join(dir, 'etc', 'group'), 0o644);
    chmodSync(join(dir, 'bin'), 0o755);
    chmodSync(join(dir, 'etc'), 0o755);
    chmodSync(join(dir, 'root'), 0o700);
    chmodSync(join(dir, 'tmp'), 0o1777);
    await pipeIntoImport(
      { cmd: 'tar', args: ['--numeric-owner', '--owner=0', '--group=0', '--sort=name', '--mtime=@0', '-C', dir, '-c', '.'] },
      ['--change', `LABEL ${RECIPE_LABEL}=${RECIPES.busybox}`, '--change', 'CMD ["sh"]', '-', tag],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const DEFAULT_ROOTFS = '/tmp/deb-rootfs';

/** A debootstrap minbase bookworm tree: $DEFANG_DEBIAN_ROOTFS, else /tmp/deb-rootfs, made with debootstrap if missing. */
export function debianRootfs(): string {
  const wanted = process.env.DEFANG_DEBIAN_ROOTFS || DEFAULT_ROOTFS;
  if (existsSync(join(wanted, 'usr/bin/passwd')) && existsSync(join(wanted, 'etc/debian_version'))) return wanted;
  if (existsSync(wanted)) throw new Error(`${wanted} exists but is not a Debian root filesystem (no usr/bin/passwd); remove it or set DEFANG_DEBIAN_ROOTFS`);
  const partial = mkdtempSync(`${wanted}.partial-`);
  const mirror = process.env.DEFANG_DEBIAN_MIRROR || 'http://deb.debian.org/debian';
  const r = spawnSync('debootstrap', ['--variant=minbase', 'bookworm', partial, mirror], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    const why = r.error ? r.error.message : (r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n');
    throw new Error(`debootstrap --variant=minbase bookworm failed (needs root, debootstrap and the network): ${why}`);
  }
  try {
    renameSync(partial, wanted);
  } catch (e) {
    // Another process made it meanwhile: use theirs.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(join(wanted, 'usr/bin/passwd'))) throw e;
  }
  return wanted;
}

/** Import a Debian root filesystem as `tag`. */
export async function importDebianImage(tag: string, rootfs: string): Promise<void> {
  if (!statSync(rootfs).isDirectory()) throw new Error(`${rootfs} is not a directory`);
  await pipeIntoImport(
    { cmd: 'tar', args: ['--numeric-owner', '--one-file-system', '--sort=name', '-C', rootfs, '-c', '.'] },
    ['--change', `LABEL ${RECIPE_LABEL}=${RECIPES.debian}`, '--change', 'CMD ["bash"]', '-', tag],
  );
}

/** The digest the registry serves for `host/name:tag`, or null. */
async function registryDigest(remote: string): Promise<string | null> {
  const m = /^([^/]+)\/(.+):([^:/]+)$/.exec(remote);
  if (!m) return null;
  try {
    const res = await fetch(`http://${m[1]}/v2/${m[2]}/manifests/${m[3]}`, {
      method: 'HEAD',
      headers: {
        accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
      },
      signal: AbortSignal.timeout(5000),
    });
    return res.status === 200 ? res.headers.get('docker-content-digest') : null;
  } catch {
    return null;
  }
}

/** Tag `local` as `remote` and push it, unless the registry already serves exactly that image. */
async function ensurePushed(local: string, remote: string): Promise<string> {
  const localId = await inspectImageId(local);
  const remoteId = await inspectImageId(remote);
  const served = await registryDigest(remote);
  if (localId && localId === remoteId && served) {
    const r = await runDocker(['image', 'inspect', '--format', '{{json .RepoDigests}}', remote], { timeoutMs: 30_000 });
    const digests = r.code === 0 ? (JSON.parse(r.stdout) as string[] | null) ?? [] : [];
    const name = remote.slice(0, remote.lastIndexOf(':'));
    if (digests.includes(`${name}@${served}`)) return remote;
  }
  const tag = await runDocker(['tag', local, remote], { timeoutMs: 30_000 });
  if (tag.code !== 0) throw new Error(`docker tag ${local} ${remote} failed: ${tag.error ?? tag.stderr.trim()}`);
  const push = await runDocker(['push', remote], { timeoutMs: 300_000 });
  if (push.code !== 0) throw new Error(`docker push ${remote} failed: ${push.error ?? push.stderr.trim()}`);
  return remote;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Hold a lock directory across processes (test files run in parallel) while making the images. A lock whose
 * owner is gone, or older than 20 minutes, is taken over.
 */
async function withLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        /* being written, or gone */
      }
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue;
      }
      if ((Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) || age > 20 * 60_000 || (Number.isNaN(owner) && age > 10_000)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock} (held by pid ${owner})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  baseImages().then(
    (imgs) => {
      for (const [k, v] of Object.entries(imgs)) console.log(`${k}\t${v}`);
    },
    (e: unknown) => {
      console.error((e as Error).message);
      process.exitCode = 1;
    },
  );
}
