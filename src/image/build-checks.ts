/**
 * BuildKit's own Dockerfile checks (`docker build --check`, Dockerfile frontend 1.8+, buildx 0.15+): run them
 * without building, and read their output — the JSON of `--call=check,format=json` (buildkit's lint.LintResults:
 * `warnings[]` with `ruleName`, `description`, `url`, `detail`, `location.ranges[].start.line/character`; `sources[]`;
 * `buildError`), or the text `--check` prints (`Rule - URL`, the message, a `Dockerfile:N` excerpt).
 */
import { buildxVersion, runDocker, type DockerOptions } from './docker.ts';
import { BuildLogParser, dedupeChecks, type BuildCheck } from './build-log.ts';

export type { BuildCheck } from './build-log.ts';

export interface BuildChecksOptions extends DockerOptions {
  dockerfile: string;
  context: string;
  buildArgs?: Record<string, string>;
  target?: string;
  platform?: string;
  timeoutMs?: number;
}

export type BuildChecksResult =
  | {
      supported: true;
      checks: BuildCheck[];
      /** The check run could not complete (a Dockerfile BuildKit cannot parse, a base it cannot resolve, …). */
      error?: { message: string; line?: number };
    }
  | { supported: false; reason: string };

/** Build checks need buildx 0.15.0 or later. */
export const MIN_BUILDX_FOR_CHECKS = [0, 15, 0] as const;

function versionAtLeast(version: string, min: readonly number[]): boolean {
  const parts = version.split(/[.+-]/).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    const v = Number.isFinite(parts[i]) ? parts[i] : 0;
    if (v !== min[i]) return v > min[i];
  }
  return true;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function locate(location: unknown): { line: number; column?: number; endLine?: number } {
  if (!isObj(location) || !Array.isArray(location.ranges) || location.ranges.length === 0) return { line: 0 };
  if ((num(location.sourceIndex) ?? 0) < 0) return { line: 0 };
  const first = location.ranges[0];
  if (!isObj(first) || !isObj(first.start)) return { line: 0 };
  const line = num(first.start.line) ?? 0;
  const out: { line: number; column?: number; endLine?: number } = { line };
  // BuildKit's characters are 0-based and omitted when 0 (the start of the line).
  const character = num(first.start.character);
  if (character !== undefined && character > 0) out.column = character + 1;
  let end = line;
  for (const r of location.ranges) if (isObj(r) && isObj(r.end)) end = Math.max(end, num(r.end.line) ?? 0);
  if (end > line) out.endLine = end;
  return out;
}

/**
 * Parse the JSON `docker buildx build --call=check,format=json` prints. Throws (naming what is wrong) when the text
 * holds no such JSON object.
 */
export function parseBuildChecksJson(text: string): { checks: BuildCheck[]; error?: { message: string; line?: number } } {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('no JSON object in the build check output');
  let doc: unknown;
  try {
    doc = JSON.parse(text.slice(start, end + 1));
  } catch (e) {
    throw new Error(`the build check output is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObj(doc)) throw new Error('the build check output is not a JSON object');
  if (doc.warnings !== undefined && doc.warnings !== null && !Array.isArray(doc.warnings)) {
    throw new Error('the build check output has "warnings" that is not an array');
  }
  const checks: BuildCheck[] = [];
  for (const w of (doc.warnings as Json[] | null | undefined) ?? []) {
    if (!isObj(w)) continue;
    const rule = str(w.ruleName);
    if (!rule) continue;
    const check: BuildCheck = { rule, message: str(w.detail) ?? str(w.description) ?? rule, ...locate(w.location) };
    const url = str(w.url);
    if (url) check.url = url;
    checks.push(check);
  }
  const out: { checks: BuildCheck[]; error?: { message: string; line?: number } } = { checks: dedupeChecks(checks) };
  if (isObj(doc.buildError)) {
    const message = str(doc.buildError.message) ?? 'the build check failed';
    const { line } = locate(doc.buildError.location);
    out.error = line > 0 ? { message, line } : { message };
  }
  return out;
}

/**
 * Parse check warnings from text: the blocks `docker build --check` prints (`JSONArgsRecommended - URL`, the
 * message, `Dockerfile:7` and an excerpt) and the summary a build prints at its end
 * (` - JSONArgsRecommended: … (line 7)` or ` - Lint Rule 'JSONArgsRecommended': … (line 7)`).
 */
export function parseBuildChecksText(text: string): BuildCheck[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const found: BuildCheck[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^(?:WARNING: )?([A-Z][A-Za-z0-9]+) - (https?:\/\/\S+)\s*$/.exec(lines[i].trim());
    if (!head) continue;
    const check: BuildCheck = { rule: head[1], message: (lines[i + 1] ?? '').trim() || head[1], line: 0, url: head[2] };
    const loc = /^.+:(\d+)(?:-(\d+))?$/.exec((lines[i + 2] ?? '').trim());
    if (loc && /^-{20}$/.test((lines[i + 3] ?? '').trim())) {
      check.line = Number(loc[1]);
      if (loc[2] !== undefined && Number(loc[2]) > check.line) check.endLine = Number(loc[2]);
    }
    found.push(check);
  }
  const summary = new BuildLogParser();
  summary.pushText(text);
  return dedupeChecks([...found, ...summary.checks()]);
}

/**
 * Run BuildKit's Dockerfile checks without building: `docker buildx build --call=check,format=json`. Returns
 * `{ supported: false, reason }` when this Docker cannot (no buildx, buildx older than 0.15, a frontend without
 * checks). Never throws for a Docker problem.
 */
export async function runBuildChecks(opts: BuildChecksOptions): Promise<BuildChecksResult> {
  const version = await buildxVersion(opts);
  if (version === null) {
    return { supported: false, reason: 'docker buildx is not available; BuildKit build checks (docker build --check) need buildx 0.15 or later' };
  }
  if (/^\d/.test(version) && !versionAtLeast(version, MIN_BUILDX_FOR_CHECKS)) {
    return { supported: false, reason: `buildx ${version} is older than 0.15, the first with build checks (docker build --check)` };
  }
  const args = ['buildx', 'build', '--call=check,format=json', '--progress=plain', '-f', opts.dockerfile];
  for (const [k, v] of Object.entries(opts.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  if (opts.target) args.push('--target', opts.target);
  if (opts.platform) args.push('--platform', opts.platform);
  args.push(opts.context);
  const r = await runDocker(args, { docker: opts.docker, env: opts.env, timeoutMs: opts.timeoutMs ?? 300_000 });
  if (r.error) return { supported: false, reason: r.error };
  if (/unknown flag: --call|unknown (subrequest|method)|not supported|unsupported frontend/i.test(r.stderr) && !r.stdout.includes('{')) {
    return { supported: false, reason: `this builder cannot run build checks: ${r.stderr.trim().split('\n').slice(-1)[0]}` };
  }
  try {
    const parsed = parseBuildChecksJson(r.stdout);
    return { supported: true, ...parsed };
  } catch (e) {
    const last = r.stderr.trim().split('\n').filter((l) => l.trim() !== '').slice(-3).join(' ');
    return { supported: true, checks: [], error: { message: `${(e as Error).message}${last ? `: ${last}` : ''}` } };
  }
}
