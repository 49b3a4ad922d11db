/**
 * One Dockerfile's image side: build it (or take an existing image), stream `docker save` into the reader, learn
 * what the base image contributes, and attribute every layer to the instruction that made it. The caller (the
 * pipeline) turns the result into facts and image contexts for the rules. Knows nothing of GitHub.
 */
import type { DockerfileModel, Stage } from '../dockerfile/model.ts';
import type { Attribution, ImageView } from '../image-view.ts';
import { attribute, baseFromInspect } from './attribution.ts';
import { buildImage, type BuildCheck, type BuildOptions } from './build.ts';
import { runDocker } from './docker.ts';
import { readSavedImage } from './read.ts';

export interface ScanOptions {
  /** Absolute path of the Dockerfile. */
  dockerfile: string;
  /** The build context directory. */
  context: string;
  model: DockerfileModel;
  buildArgs: Record<string, string>;
  target?: string;
  platform?: string;
  /** Inspect this existing image instead of building. */
  image?: string;
  /** Receives build log lines. */
  log?: (line: string) => void;
  docker?: string;
  builder?: BuildOptions['builder'];
}

export interface BuildFailure {
  line?: number;
  endLine?: number;
  error: string;
  /** The end of the build log. */
  log: string;
  instructionText?: string;
}

export type ScanResult =
  | {
      kind: 'image';
      /** The image that was read: the built image's id, or the given reference. */
      imageRef: string;
      view: ImageView;
      attribution: Attribution;
      /** BuildKit's own Dockerfile checks from the build, when it ran them. */
      checks: BuildCheck[];
      /** The base image's digest (`sha256:…`), when the base is local and has one. */
      baseDigest: string | null;
      notices: string[];
    }
  | { kind: 'build-failed'; failure: BuildFailure; notices: string[] }
  | { kind: 'read-failed'; error: string; notices: string[] };

/** The stage the image is built from: `--target`, else the final stage. */
function builtStage(model: DockerfileModel, target?: string): Stage | null {
  if (target) return model.stages.find((s) => s.name === target.toLowerCase()) ?? null;
  return model.finalStage;
}

/** What the local Docker knows of the base image: its layers, history length and digest (all null when not local). */
async function baseInfo(ref: string, docker?: string): Promise<{ baseDiffIds: string[] | null; baseHistoryLength: number | null; digest: string | null; note?: string }> {
  const inspect = await runDocker(['image', 'inspect', ref], { docker });
  if (inspect.code !== 0) return { baseDiffIds: null, baseHistoryLength: null, digest: null, note: `the base image ${ref} is not local, so its layers were told apart by the documented history heuristic` };
  const history = await runDocker(['history', '--no-trunc', '--format', '{{json .}}', ref], { docker });
  try {
    const parsed = JSON.parse(inspect.stdout) as Array<{ RepoDigests?: string[] }>;
    const info = baseFromInspect(parsed, history.code === 0 ? history.stdout : null);
    const repoDigest = parsed[0]?.RepoDigests?.[0];
    return { ...info, digest: repoDigest?.includes('@') ? repoDigest.slice(repoDigest.indexOf('@') + 1) : null };
  } catch (e) {
    return { baseDiffIds: null, baseHistoryLength: null, digest: null, note: `could not read the base image ${ref}: ${(e as Error).message}` };
  }
}

export async function scanImage(opts: ScanOptions): Promise<ScanResult> {
  const notices: string[] = [];
  let imageRef = opts.image;
  let checks: BuildCheck[] = [];
  if (!imageRef) {
    const built = await buildImage({
      dockerfile: opts.dockerfile,
      context: opts.context,
      buildArgs: opts.buildArgs,
      target: opts.target,
      platform: opts.platform,
      log: opts.log,
      docker: opts.docker,
      builder: opts.builder,
    });
    if (!built.ok) {
      return {
        kind: 'build-failed',
        failure: {
          line: built.failedStep?.line,
          endLine: built.failedStep?.endLine,
          instructionText: built.failedStep?.instructionText,
          error: built.error,
          log: built.message,
        },
        notices,
      };
    }
    imageRef = built.imageId;
    checks = built.checks;
  }
  let view: ImageView;
  try {
    const read = await readSavedImage(imageRef, { docker: opts.docker });
    notices.push(...read.warnings.map((w) => `${imageRef}: ${w}`));
    view = read;
  } catch (e) {
    return { kind: 'read-failed', error: (e as Error).message, notices };
  }
  const stage = builtStage(opts.model, opts.target);
  let root = stage;
  while (root?.baseStage) root = root.baseStage;
  let base: Awaited<ReturnType<typeof baseInfo>> = { baseDiffIds: null, baseHistoryLength: null, digest: null };
  if (root?.base && root.baseResolved) {
    base = await baseInfo(root.baseResolved, opts.docker);
    if (base.note) notices.push(base.note);
  } else if (root?.scratch) {
    base = { baseDiffIds: [], baseHistoryLength: 0, digest: null };
  }
  const attribution = attribute(view, opts.model, {
    target: opts.target,
    baseDiffIds: base.baseDiffIds,
    baseHistoryLength: base.baseHistoryLength,
  });
  notices.push(...attribution.notes.map((n) => `${opts.model.file}: ${n}`));
  return { kind: 'image', imageRef, view, attribution, checks, baseDigest: base.digest, notices };
}
