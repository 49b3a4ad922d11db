/**
 * Talking to the Docker CLI: is an engine there, which builder does this CLI offer (buildx, BuildKit through
 * DOCKER_BUILDKIT=1, or the legacy builder), and small image helpers. Every command is an argument array run without
 * a shell; the short ones here have a timeout so that a hung daemon cannot hang the action.
 */
import { spawn } from 'node:child_process';

export interface DockerOptions {
  /** The docker CLI to run: a name looked up on PATH or an absolute path (default `docker`). */
  docker?: string;
  /** Extra environment for the CLI (merged over process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface CommandResult {
  /** The exit code; null when the process could not start or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why the process did not run to an exit code (not found, timed out). */
  error?: string;
}

/** The environment a docker CLI runs with: process.env, the caller's additions, and no "What's next" hints. */
export function dockerEnv(extra?: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, DOCKER_CLI_HINTS: 'false', ...extra })) {
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Run the docker CLI with an argument array (no shell), collecting stdout and stderr; never throws. */
export function runDocker(
  args: string[],
  opts: DockerOptions & { input?: string | Buffer; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const docker = opts.docker ?? 'docker';
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(docker, args, { env: dockerEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      resolve({ code: null, stdout: '', stderr: '', error: `cannot run ${docker}: ${(e as Error).message}` });
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    const finish = (r: CommandResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({
        code: null,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        error: `${docker} ${args.join(' ')} did not finish within ${Math.round(timeoutMs / 1000)} s`,
      });
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'ENOENT' ? `${docker} not found (is Docker installed and on PATH?)` : `cannot run ${docker}: ${e.message}`;
      finish({ code: null, stdout: '', stderr: '', error: why });
    });
    child.on('close', (code) => {
      finish({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => {
      /* the CLI may exit before reading its input */
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** The first non-empty lines of a command's output, for error messages. */
function firstLines(text: string, n = 3): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, n)
    .join(' ');
}

export type BuilderKind = 'buildx' | 'buildkit' | 'legacy';

export interface DockerInfo {
  ok: true;
  /** The engine's version (`20.10.24+dfsg1`). */
  version: string;
  /** The CLI's version. */
  clientVersion: string;
  /** `docker buildx` works (the action then builds with `docker buildx build --load`). */
  buildx: boolean;
  /** The buildx version (`0.17.1`), when buildx works. */
  buildxVersion: string | null;
  /** Builds can use BuildKit: through buildx, or `DOCKER_BUILDKIT=1 docker build` on a CLI with BuildKit built in. */
  buildkit: boolean;
  /** The builder `buildImage` uses by default. */
  builder: BuilderKind;
}

export type DockerAvailability = DockerInfo | { ok: false; reason: string };

/** `docker buildx version` → `0.17.1`, or null when buildx is not there. */
export async function buildxVersion(opts: DockerOptions = {}): Promise<string | null> {
  const r = await runDocker(['buildx', 'version'], { ...opts, timeoutMs: 20_000 });
  if (r.code !== 0) return null;
  // `github.com/docker/buildx v0.17.1 257815a` (or `… 0.17.1+unknown …` in distribution builds)
  const m = /\bv?(\d+\.\d+(?:\.\d+)?)/.exec(r.stdout);
  return m ? m[1] : r.stdout.trim() || 'unknown';
}

/**
 * Whether `DOCKER_BUILDKIT=1 docker build` really builds with BuildKit on this CLI and engine. CLIs before 23 have
 * BuildKit built in; newer ones need the buildx plugin and otherwise stop with "BuildKit is enabled but the buildx
 * component is missing or broken". The probe sends a Dockerfile with an unknown instruction on stdin: BuildKit
 * reports it from its frontend (`#1 [internal] load build definition…`, `failed to solve…`), the legacy builder from
 * the daemon; neither creates an image.
 */
export async function probeBuildKit(opts: DockerOptions = {}): Promise<{ ok: boolean; detail: string }> {
  const r = await runDocker(['build', '--progress=plain', '-'], {
    ...opts,
    env: { ...opts.env, DOCKER_BUILDKIT: '1' },
    input: 'FROM scratch\nDEFANGBUILDKITPROBE\n',
    timeoutMs: 60_000,
  });
  const text = `${r.stdout}\n${r.stderr}`;
  if (r.error) return { ok: false, detail: r.error };
  if (/buildx component is missing|BuildKit is enabled but/i.test(text)) return { ok: false, detail: firstLines(text, 1) };
  if (/unknown flag: --progress/.test(text)) return { ok: false, detail: 'this docker CLI has no --progress (no BuildKit)' };
  if (/^#\d+ \[internal\]/m.test(text) || /failed to solve/i.test(text)) return { ok: true, detail: 'BuildKit answered' };
  return { ok: false, detail: firstLines(text) || `docker build exited with ${r.code}` };
}

const builderCache = new Map<string, Promise<BuilderKind>>();

/**
 * The builder `buildImage` uses with this CLI: buildx when `docker buildx version` works, else BuildKit when the
 * probe shows `DOCKER_BUILDKIT=1` works, else the legacy builder. Cached per CLI and DOCKER_HOST.
 */
export function detectBuilder(opts: DockerOptions = {}): Promise<BuilderKind> {
  const env = dockerEnv(opts.env);
  const key = `${opts.docker ?? 'docker'}\0${env.DOCKER_HOST ?? ''}\0${env.DOCKER_CONTEXT ?? ''}`;
  let p = builderCache.get(key);
  if (!p) {
    p = (async () => {
      if ((await buildxVersion(opts)) !== null) return 'buildx';
      return (await probeBuildKit(opts)).ok ? 'buildkit' : 'legacy';
    })();
    builderCache.set(key, p);
  }
  return p;
}

/** Is there a Docker engine answering, and what can its CLI build with? Never throws. */
export async function dockerAvailable(opts: DockerOptions = {}): Promise<DockerAvailability> {
  const r = await runDocker(['version', '--format', '{{.Client.Version}}|{{.Server.Version}}'], { ...opts, timeoutMs: 20_000 });
  if (r.error) return { ok: false, reason: r.error };
  const [clientVersion = '', version = ''] = r.stdout.trim().split('|');
  if (r.code !== 0 || version === '' || version === '<no value>') {
    const why = firstLines(r.stderr) || firstLines(r.stdout) || `docker version exited with ${r.code}`;
    return { ok: false, reason: `no Docker engine answers: ${why}` };
  }
  const bx = await buildxVersion(opts);
  const builder = await detectBuilder(opts);
  return {
    ok: true,
    version,
    clientVersion,
    buildx: bx !== null,
    buildxVersion: bx,
    buildkit: builder !== 'legacy',
    builder,
  };
}

/** The image id (`sha256:…` of its config) of a local image, or null when there is no such image. */
export async function inspectImageId(ref: string, opts: DockerOptions = {}): Promise<string | null> {
  if (ref.startsWith('-')) throw new Error(`not an image reference: ${JSON.stringify(ref)}`);
  const r = await runDocker(['image', 'inspect', '--format', '{{.Id}}', ref], { ...opts, timeoutMs: 30_000 });
  if (r.code !== 0) {
    if (/no such image|not found/i.test(r.stderr)) return null;
    throw new Error(`docker image inspect ${ref} failed: ${r.error ?? (firstLines(r.stderr) || `exit code ${r.code}`)}`);
  }
  const id = r.stdout.trim();
  return /^sha256:[0-9a-f]{64}$/.test(id) ? id : null;
}

/**
 * Remove a local image reference (a tag, or an id nothing else refers to). Never forced: an image that containers
 * or other tags still use is left alone. Returns whether Docker removed something.
 */
export async function removeImage(ref: string, opts: DockerOptions = {}): Promise<boolean> {
  if (ref.startsWith('-')) throw new Error(`not an image reference: ${JSON.stringify(ref)}`);
  const r = await runDocker(['image', 'rm', ref], { ...opts, timeoutMs: 60_000 });
  return r.code === 0;
}
