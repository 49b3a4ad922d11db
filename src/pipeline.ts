/**
 * The static pipeline shared by the action and the CLI: read the Dockerfiles, gather what rules cannot find out
 * themselves, lint, and collect notices.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseDockerfile } from './dockerfile/parse.ts';
import { dockerAvailable } from './image/docker.ts';
import { scanImage } from './image/scan.ts';
import { basename, dirname, join } from 'node:path';
import type { RuleCatalogueEntry } from './config/index.ts';
import type { Policy } from './config/policy.ts';
import type { Finding } from './findings.ts';
import { ruleSettingFor } from './config/index.ts';
import { lint, type LintInput, type LintResult } from './rules/engine.ts';
import { shellcheckNotice } from './rules/shellcheck.ts';
import { allRules } from './rules/index.ts';
import type { AnyRule } from './rules/types.ts';

export interface DockerfileInput {
  /** Repository-relative (or command-line) path, `/`-separated: how findings name the file. */
  file: string;
  /** Where to read it. */
  absPath: string;
  /** The build context directory (default: the Dockerfile's directory). */
  context?: string;
}

export interface PipelineResult {
  results: LintResult[];
  findings: Finding[];
  notices: string[];
}

export function catalogue(rules: readonly AnyRule[] = allRules): RuleCatalogueEntry[] {
  return rules.map((r) => ({ id: r.meta.id, hadolint: r.meta.hadolint?.[0], hadolintCodes: r.meta.hadolint, defaultSeverity: r.meta.severity }));
}

/** BuildKit reads `<Dockerfile>.dockerignore` beside the Dockerfile first, then `.dockerignore` in the context. */
export function hasDockerignore(dockerfile: string, context: string): boolean {
  return existsSync(`${dockerfile}.dockerignore`) || existsSync(join(dirname(dockerfile), `${basename(dockerfile)}.dockerignore`)) || existsSync(join(context, '.dockerignore'));
}

/** A Dockerfile's text, its build context and the facts rules cannot find out themselves; null (with a notice) when unreadable. */
function readInput(input: DockerfileInput, notices: string[]): { text: string; context: string; facts: NonNullable<LintInput['facts']> } | null {
  let text: string;
  try {
    text = readFileSync(input.absPath, 'utf8');
  } catch (e) {
    notices.push(`${input.file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); skipped`);
    return null;
  }
  const context = input.context ?? dirname(input.absPath);
  return { text, context, facts: { 'copy-all-without-dockerignore': { hasDockerignore: hasDockerignore(input.absPath, context) } } };
}

/** One notice when ShellCheck is wanted but missing: its rule then reports nothing. */
function shellcheckMissing(policy: Policy, rules: readonly AnyRule[], files: number): string | null {
  const sc = ruleSettingFor(policy, 'shellcheck', '');
  if (!policy.shellcheck || sc.level === 'off' || files === 0 || !rules.some((r) => r.meta.id === 'shellcheck')) return null;
  return shellcheckNotice(typeof sc.options?.path === 'string' ? sc.options.path : '');
}

export async function lintDockerfiles(inputs: readonly DockerfileInput[], policy: Policy, rules: readonly AnyRule[] = allRules): Promise<PipelineResult> {
  const notices: string[] = [];
  const lintInputs: LintInput[] = [];
  for (const input of inputs) {
    const read = readInput(input, notices);
    if (read) lintInputs.push({ file: input.file, text: read.text, facts: read.facts });
  }
  const out = await lint(lintInputs, policy, { rules });
  notices.push(...out.notices);
  const missing = shellcheckMissing(policy, rules, lintInputs.length);
  if (missing) notices.push(missing);
  return { results: out.results, findings: out.results.flatMap((r) => r.findings), notices };
}

export interface ScanPipelineOptions {
  /** Build each Dockerfile (false: lint only, unless `image` names an image to inspect). */
  build: boolean;
  /** Inspect this existing image instead of building (for a single Dockerfile). */
  image?: string;
  target?: string;
  /** Receives build log lines. */
  log?: (line: string) => void;
  docker?: string;
}

/**
 * Lint, build and inspect: for each Dockerfile, build the image (or take `image`), read it, attribute its layers, and
 * run the static and image rules together. A failed build becomes a `build-failed` finding; without a Docker engine the
 * run falls back to linting with one notice. Dockerfiles are built one after the other.
 */
export async function scanDockerfiles(
  inputs: readonly DockerfileInput[],
  policy: Policy,
  opts: ScanPipelineOptions,
  rules: readonly AnyRule[] = allRules,
): Promise<PipelineResult & { scanned: number }> {
  const wantImage = opts.build || !!opts.image;
  if (!wantImage) return { ...(await lintDockerfiles(inputs, policy, rules)), scanned: 0 };
  const docker = await dockerAvailable({ docker: opts.docker });
  if (!docker.ok) {
    const linted = await lintDockerfiles(inputs, policy, rules);
    const why = /^no Docker engine/.test(docker.reason) ? docker.reason : `no Docker engine answers: ${docker.reason}`;
    linted.notices.unshift(`${why} — so the Dockerfiles were linted, but no image was built or inspected`);
    return { ...linted, scanned: 0 };
  }
  // Each image is built and read in turn; the rules run over all of them at the end.
  const notices: string[] = [];
  const lintInputs: LintInput[] = [];
  let scanned = 0;
  for (const input of inputs) {
    const read = readInput(input, notices);
    if (!read) continue;
    const { text, context, facts } = read;
    const model = parseDockerfile(text, input.file, { buildArgs: policy.buildArgs, platform: policy.platform });
    // Parsed once: the build and attribution use the model, and so do the rules.
    const lintInput: LintInput = { file: input.file, text, facts, model };
    const result = await scanImage({
      dockerfile: input.absPath,
      context,
      model,
      buildArgs: policy.buildArgs,
      target: opts.target,
      platform: policy.platform === 'linux/amd64' ? undefined : policy.platform,
      image: opts.image,
      log: opts.log,
      docker: opts.docker,
    });
    notices.push(...result.notices);
    if (result.kind === 'build-failed') facts['build-failed'] = { failure: result.failure };
    else if (result.kind === 'read-failed') notices.push(`${input.file}: the image could not be read: ${result.error}`);
    else {
      scanned++;
      lintInput.image = { view: result.view, attribution: result.attribution };
      if (result.checks.length > 0) facts['build-check'] = { checks: result.checks };
      if (result.baseDigest) facts['image-untrusted-base'] = { baseDigest: result.baseDigest };
    }
    lintInputs.push(lintInput);
  }
  const out = await lint(lintInputs, policy, { rules, kinds: ['static', 'image'] });
  notices.push(...out.notices);
  const missing = shellcheckMissing(policy, rules, lintInputs.length);
  if (missing) notices.push(missing);
  return { results: out.results, findings: out.results.flatMap((r) => r.findings), notices, scanned };
}
