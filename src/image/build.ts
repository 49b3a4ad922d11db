/**
 * Build one Dockerfile: `docker buildx build --load` where buildx works (GitHub runners), else `docker build` with
 * BuildKit (DOCKER_BUILDKIT=1), else the legacy builder. Run through @actions/exec with an argument array, silently,
 * the log streamed to the caller line by line. A failed build is a result — the failing step, its Dockerfile line
 * and the tail of the log — not an exception.
 */
import { getExecOutput } from '@actions/exec';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { basename, isAbsolute, join } from 'node:path';
import { BuildLogParser, locateFailedStep, type BuildCheck, type FailedStep } from './build-log.ts';
import { detectBuilder, dockerEnv, inspectImageId, type BuilderKind } from './docker.ts';

export type { BuildCheck, FailedStep } from './build-log.ts';
export { runBuildChecks, parseBuildChecksJson, parseBuildChecksText, type BuildChecksResult } from './build-checks.ts';
export { dockerAvailable, inspectImageId, removeImage, detectBuilder, type BuilderKind, type DockerAvailability } from './docker.ts';

export interface BuildOptions {
  /** Absolute path of the Dockerfile. */
  dockerfile: string;
  /** The build context directory. */
  context: string;
  buildArgs: Record<string, string>;
  target?: string;
  platform?: string;
  /** Tag the image (`name:tag`). */
  tag?: string;
  /** Extra environment for docker (merged over process.env). */
  env?: NodeJS.ProcessEnv;
  /** Receives each line of the build log as it arrives. */
  log?: (line: string) => void;
  /** The docker CLI (default `docker` on PATH). */
  docker?: string;
  /** Force a builder instead of detecting one (tests; a runner whose buildx is broken). */
  builder?: BuilderKind;
}

export type BuildResult =
  | { ok: true; imageId: string; log: string; checks: BuildCheck[]; builder: BuilderKind }
  | {
      ok: false;
      log: string;
      /** The failing instruction, and its line when the log or the Dockerfile shows it; null when no step failed. */
      failedStep: FailedStep | null;
      /** The last lines of the build log (at most 30), progress noise left out. */
      message: string;
      /** One line: why the build failed. */
      error: string;
      builder: BuilderKind | null;
    };

/** Keep at most this much of the log in the result (the start is dropped first). */
const MAX_LOG_BYTES = 8 << 20;

/** Splits one output stream into lines (UTF-8 safe across chunks); `end()` flushes a last line without newline. */
class LineSplitter {
  private decoder = new StringDecoder('utf8');
  private rest = '';
  private readonly onLine: (line: string) => void;
  constructor(onLine: (line: string) => void) {
    this.onLine = onLine;
  }
  write(data: Buffer): void {
    this.emit(this.decoder.write(data));
  }
  end(): void {
    this.emit(this.decoder.end());
    if (this.rest !== '') this.onLine(this.rest);
    this.rest = '';
  }
  private emit(text: string): void {
    const parts = (this.rest + text).split('\n');
    this.rest = parts.pop() ?? '';
    for (const p of parts) this.onLine(p.endsWith('\r') ? p.slice(0, -1) : p);
  }
}

class LogBuffer {
  private lines: string[] = [];
  private bytes = 0;
  private dropped = 0;
  add(line: string): void {
    this.lines.push(line);
    this.bytes += line.length + 1;
    while (this.bytes > MAX_LOG_BYTES && this.lines.length > 1) {
      this.bytes -= this.lines.shift()!.length + 1;
      this.dropped++;
    }
  }
  text(): string {
    const head = this.dropped > 0 ? [`[… ${this.dropped} earlier lines of the build log left out …]`] : [];
    return [...head, ...this.lines].join('\n');
  }
}

function failure(error: string, log = '', builder: BuilderKind | null = null): BuildResult {
  return { ok: false, log, failedStep: null, message: error, error, builder };
}

const BUILD_ARG_NAME = /^[^\s=]+$/;

/** The docker arguments for a build (exported for tests). */
export function buildArgs(builder: BuilderKind, opts: BuildOptions, iidfile: string): string[] {
  const args =
    builder === 'buildx'
      ? ['buildx', 'build', '--load', '--progress=plain']
      : builder === 'buildkit'
        ? ['build', '--progress=plain']
        : // The legacy builder keeps the container of a failed step unless told otherwise.
          ['build', '--force-rm'];
  args.push('--iidfile', iidfile, '-f', opts.dockerfile);
  for (const [k, v] of Object.entries(opts.buildArgs)) args.push('--build-arg', `${k}=${v}`);
  if (opts.target) args.push('--target', opts.target);
  if (opts.platform) args.push('--platform', opts.platform);
  if (opts.tag) args.push('--tag', opts.tag);
  args.push(opts.context);
  return args;
}

export async function buildImage(opts: BuildOptions): Promise<BuildResult> {
  if (!isAbsolute(opts.dockerfile)) return failure(`the Dockerfile path must be absolute: ${opts.dockerfile}`);
  if (!existsSync(opts.dockerfile) || !statSync(opts.dockerfile).isFile()) return failure(`${opts.dockerfile}: no such Dockerfile`);
  if (!existsSync(opts.context) || !statSync(opts.context).isDirectory()) {
    return failure(`${opts.context}: the build context of ${opts.dockerfile} is not a directory`);
  }
  for (const k of Object.keys(opts.buildArgs)) {
    if (!BUILD_ARG_NAME.test(k)) return failure(`${opts.dockerfile}: invalid build-arg name ${JSON.stringify(k)}`);
  }
  for (const [what, v] of [['target', opts.target], ['platform', opts.platform], ['tag', opts.tag]] as const) {
    if (v !== undefined && (v === '' || v.startsWith('-') || /\s/.test(v))) return failure(`${opts.dockerfile}: invalid ${what} ${JSON.stringify(v)}`);
  }

  const builder = opts.builder ?? (await detectBuilder({ docker: opts.docker, env: opts.env }));
  const env: NodeJS.ProcessEnv = { ...opts.env };
  if (builder === 'buildkit') env.DOCKER_BUILDKIT = '1';
  if (builder === 'legacy') env.DOCKER_BUILDKIT = '0';
  // Keep a loaded image a plain image: no provenance/SBOM attestation manifests beside it.
  if (builder === 'buildx') env.BUILDX_NO_DEFAULT_ATTESTATIONS ??= '1';

  const dir = mkdtempSync(join(tmpdir(), 'defang-build-'));
  const iidfile = join(dir, 'iid');
  const parser = new BuildLogParser();
  const buffer = new LogBuffer();
  const onLine = (line: string): void => {
    parser.push(line);
    buffer.add(line);
    opts.log?.(line);
  };
  const out = new LineSplitter(onLine);
  const err = new LineSplitter(onLine);
  try {
    let exitCode: number;
    try {
      const r = await getExecOutput(opts.docker ?? 'docker', buildArgs(builder, opts, iidfile), {
        ignoreReturnCode: true,
        silent: true,
        env: dockerEnv(env),
        listeners: { stdout: (d) => out.write(d), stderr: (d) => err.write(d) },
      });
      exitCode = r.exitCode;
    } catch (e) {
      return failure(`cannot run ${opts.docker ?? 'docker'}: ${(e as Error).message}`, buffer.text(), builder);
    } finally {
      out.end();
      err.end();
    }
    const log = buffer.text();
    if (exitCode === 0) {
      const iid = existsSync(iidfile) ? readFileSync(iidfile, 'utf8').trim() : '';
      const imageId = iid ? ((await inspectImageId(iid, { docker: opts.docker, env: opts.env }).catch(() => null)) ?? iid) : '';
      if (!/^sha256:[0-9a-f]{64}$/.test(imageId)) {
        return failure(`the build of ${opts.dockerfile} succeeded but wrote no image id to --iidfile`, log, builder);
      }
      return { ok: true, imageId, log, checks: parser.checks(), builder };
    }
    const found = parser.failure();
    let step = found.step;
    if (step) {
      try {
        step = locateFailedStep(readFileSync(opts.dockerfile, 'utf8'), step, {
          format: found.format,
          file: basename(opts.dockerfile),
          buildArgs: opts.buildArgs,
          platform: opts.platform,
        });
      } catch {
        /* the Dockerfile vanished: keep what the log said */
      }
    }
    const tail = parser.tail();
    return {
      ok: false,
      log,
      failedStep: step,
      message: tail.length > 0 ? tail.join('\n') : found.error,
      error: found.error,
      builder,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
