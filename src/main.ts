/**
 * The action: find the Dockerfiles the pull request changed, lint them, build each image and inspect what was
 * built, report every finding where reviewers look, and fail the step when a finding reaches `fail-on`.
 *
 * `mode: report` posts the findings of an earlier run (its JSON report, e.g. from an artifact) without checking out
 * or building anything: the second half of the fork-safe two-workflow setup (see README).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { findDockerfiles, pullRequestChanges, pullRequestForWorkflowRun, type ChangedDockerfile } from './changes/index.ts';
import { ConfigError, loadPolicy, type ActionInputs } from './config/index.ts';
import type { FailOn } from './config/policy.ts';
import { atLeast, countBySeverity, type Finding } from './findings.ts';
import { catalogue, scanDockerfiles, type DockerfileInput } from './pipeline.ts';
import { emitAnnotations } from './report/annotations.ts';
import { completeCheckRun, startCheckRun } from './report/check-run.ts';
import type { ChangedLines, FilterMode, Octokit, ReporterContext, ReporterOutcome } from './report/github.ts';
import { writeJobSummary } from './report/job-summary.ts';
import { parseJsonReport, toJson } from './report/json.ts';
import { postReview } from './report/review.ts';
import { toSarifString } from './report/sarif.ts';
import { upsertSummaryComment } from './report/summary-comment.ts';
import type { Report } from './report/types.ts';
import { allRuleMeta } from './rules/index.ts';
import { VERSION } from './version.ts';

const REPORTERS = ['check-run', 'review', 'summary-comment', 'annotations', 'job-summary', 'sarif'] as const;
type Reporter = (typeof REPORTERS)[number];
const DEFAULT_REPORTERS: readonly Reporter[] = ['check-run', 'review', 'summary-comment', 'annotations', 'job-summary'];
const FILTER_MODES: readonly FilterMode[] = ['added', 'diff_context', 'file', 'nofilter'];
const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

interface Inputs extends ActionInputs {
  token: string;
  mode: 'run' | 'report';
  build: boolean;
  context?: string;
  target?: string;
  image?: string;
  reporters: Set<Reporter>;
  filterMode: FilterMode;
  maxReviewComments: number;
  sarifFile?: string;
  checkName: string;
  reportJson?: string;
}

function inputError(name: string, message: string): ConfigError {
  return new ConfigError({ file: `input ${name}`, line: 0, column: 0 }, message);
}

function booleanInput(name: string, fallback: boolean): boolean {
  const v = core.getInput(name).trim();
  if (v === '') return fallback;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw inputError(name, `expected true or false, got ${JSON.stringify(v)}`);
}

function listInput(name: string): string[] {
  return core
    .getInput(name)
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function readInputs(): Inputs {
  const token = core.getInput('github-token');
  if (token) core.setSecret(token);
  const mode = core.getInput('mode').trim() || 'run';
  if (mode !== 'run' && mode !== 'report') throw inputError('mode', `expected run or report, got ${JSON.stringify(mode)}`);
  const reporterNames = listInput('reporters');
  const reporters = new Set<Reporter>();
  if (reporterNames.length === 0) DEFAULT_REPORTERS.forEach((r) => reporters.add(r));
  for (const r of reporterNames) {
    if (r === 'none') continue;
    if (r === 'all') REPORTERS.forEach((x) => reporters.add(x));
    else if ((REPORTERS as readonly string[]).includes(r)) reporters.add(r as Reporter);
    else throw inputError('reporters', `unknown reporter ${JSON.stringify(r)}; expected some of ${REPORTERS.join(', ')}, or none`);
  }
  const filterMode = (core.getInput('filter-mode').trim() || 'added') as FilterMode;
  if (!FILTER_MODES.includes(filterMode)) throw inputError('filter-mode', `expected one of ${FILTER_MODES.join(', ')}, got ${JSON.stringify(filterMode)}`);
  const maxText = core.getInput('max-review-comments').trim() || '30';
  const maxReviewComments = Number(maxText);
  if (!Number.isInteger(maxReviewComments) || maxReviewComments < 0) throw inputError('max-review-comments', `expected a whole number, got ${JSON.stringify(maxText)}`);
  const onlyChanged = core.getInput('only-changed').trim();
  return {
    token,
    mode,
    config: core.getInput('config') || undefined,
    dockerfiles: listInput('dockerfiles'),
    onlyChanged: onlyChanged === '' ? undefined : booleanInput('only-changed', true),
    buildArgs: core.getInput('build-args') || undefined,
    failOn: core.getInput('fail-on') || undefined,
    platform: core.getInput('platform') || undefined,
    build: booleanInput('build', true),
    context: core.getInput('context') || undefined,
    target: core.getInput('target') || undefined,
    image: core.getInput('image') || undefined,
    reporters,
    filterMode,
    maxReviewComments,
    sarifFile: core.getInput('sarif-file') || undefined,
    checkName: core.getInput('check-name') || 'Defang',
    reportJson: core.getInput('report-json') || undefined,
  };
}

function readEvent(): { name: string; payload: any } {
  const name = process.env.GITHUB_EVENT_NAME ?? '';
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path) return { name, payload: {} };
  try {
    return { name, payload: JSON.parse(readFileSync(path, 'utf8')) };
  } catch (e) {
    throw new Error(`cannot read the event payload ${path}: ${(e as Error).message}`);
  }
}

function repoFromEnv(payload: any): { owner: string; repo: string } | null {
  const full = process.env.GITHUB_REPOSITORY ?? payload?.repository?.full_name;
  const m = typeof full === 'string' ? /^([^/]+)\/([^/]+)$/.exec(full) : null;
  return m ? { owner: m[1], repo: m[2] } : null;
}

/** An octokit that waits out rate limits (primary and secondary) and retries passing server errors. */
function makeOctokit(token: string): Octokit {
  return getOctokit(
    token,
    {
      throttle: {
        onRateLimit: (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
          core.info(`GitHub rate limit on ${options.method} ${options.url}: retrying in ${retryAfter} s`);
          return retryCount < 3;
        },
        onSecondaryRateLimit: (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
          core.info(`GitHub secondary rate limit on ${options.method} ${options.url}: waiting ${retryAfter} s`);
          return retryCount < 3;
        },
      },
      retry: { doNotRetry: [400, 401, 403, 404, 422, 429] },
    },
    throttling,
    retry,
  ) as Octokit;
}

function changedMap(files: readonly ChangedDockerfile[]): Map<string, ChangedLines> {
  return new Map(files.map((f) => [f.path, { added: f.added, hunks: f.hunks }]));
}

function failsGate(findings: readonly Finding[], failOn: FailOn): boolean {
  return failOn !== 'never' && findings.some((f) => atLeast(f.severity, failOn));
}

function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server = 'https://github.com', GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = process.env;
  return repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined;
}

function outputDir(): string {
  const dir = join(process.env.RUNNER_TEMP || process.cwd(), 'defang');
  mkdirSync(dir, { recursive: true });
  return dir;
}

interface Analysis {
  report: Report;
  failOn: FailOn;
  pull: ReporterContext['pull'];
  headSha: string;
  changed: Map<string, ChangedLines>;
  checkRun: { id: number } | null;
  outcomes: ReporterOutcome[];
}

/** `mode: run`: find, lint, build and inspect. The check run is created (in progress) before the work starts. */
async function analyse(inputs: Inputs, octokit: Octokit | null, ctxBase: (a: Partial<Analysis>) => ReporterContext | null): Promise<Analysis> {
  const workspace = resolve(process.env.GITHUB_WORKSPACE ?? process.cwd());
  const policy = await loadPolicy({ workspace, inputs, catalogue: catalogue() });
  for (const n of policy.notices) core.notice(n);
  const event = readEvent();
  const pr = event.payload?.pull_request;
  const pull = pr && typeof pr.number === 'number' ? { number: pr.number as number, headSha: String(pr.head?.sha ?? ''), baseSha: String(pr.base?.sha ?? '') } : null;
  const headSha = pull?.headSha || process.env.GITHUB_SHA || '';

  const outcomes: ReporterOutcome[] = [];
  let checkRun: { id: number } | null = null;
  const early = ctxBase({ pull, headSha, failOn: policy.failOn, changed: new Map(), report: { results: [], rules: [...allRuleMeta] } });
  if (inputs.reporters.has('check-run') && early) {
    const started = await startCheckRun(early);
    if ('id' in started) checkRun = started;
    else outcomes.push(started);
  }

  const found = await findDockerfiles({
    workspace,
    globs: policy.dockerfiles,
    onlyChanged: policy.onlyChanged,
    eventName: event.name,
    payload: event.payload,
    octokit: octokit ?? undefined,
  });
  for (const n of found.notices) core.notice(n);
  core.info(`Defang: ${found.files.length} Dockerfile(s) to check (${found.mode === 'all' ? 'all files' : `changed in this ${found.mode.replace('_', ' ')}`})`);

  const context = inputs.context ? resolve(workspace, inputs.context) : undefined;
  const dockerfiles: DockerfileInput[] = found.files.map((f) => ({ file: f.path, absPath: resolve(workspace, f.path), context }));
  const result = await scanDockerfiles(dockerfiles, policy, {
    build: inputs.build && !inputs.image,
    image: inputs.image,
    target: inputs.target,
    log: (line) => core.debug(line),
  });
  for (const n of result.notices) core.notice(n);
  if (result.scanned > 0) core.info(`Defang: inspected ${result.scanned} image(s)`);
  const report: Report = {
    results: result.results.map((r) => ({ dockerfile: r.file, findings: r.findings })),
    rules: [...allRuleMeta],
    notices: [...policy.notices, ...found.notices, ...result.notices],
    tool: { name: 'defang', version: VERSION },
  };
  return { report, failOn: policy.failOn, pull, headSha, changed: changedMap(found.files), checkRun, outcomes };
}

/** `mode: report`: the findings of an earlier run, posted to the pull request GitHub says the run was for. */
async function fromArtifact(inputs: Inputs, octokit: Octokit | null): Promise<Analysis> {
  if (!inputs.reportJson) throw inputError('report-json', 'mode: report needs the path of the JSON report to post');
  const path = resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), inputs.reportJson);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw inputError('report-json', `cannot read ${inputs.reportJson}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let parsed: ReturnType<typeof parseJsonReport>;
  try {
    parsed = parseJsonReport(text, inputs.reportJson);
  } catch (e) {
    // Not a crash: a report that is not Defang's JSON report (its message names the file and the key).
    throw inputError('report-json', (e as Error).message);
  }
  const event = readEvent();
  const repo = repoFromEnv(event.payload);
  let pull: ReporterContext['pull'] = null;
  let changed = new Map<string, ChangedLines>();
  // No config file is read here (nothing is checked out), so fail-on comes from the input alone: check it as
  // loadPolicy would.
  const failOn = (inputs.failOn?.trim() || 'error') as FailOn;
  if (!FAIL_ON_VALUES.includes(failOn)) {
    throw inputError('fail-on', `expected one of ${FAIL_ON_VALUES.join(', ')}, got ${JSON.stringify(inputs.failOn)}`);
  }
  if (octokit && repo) {
    pull =
      event.name === 'workflow_run'
        ? await pullRequestForWorkflowRun(octokit, repo, event.payload)
        : event.payload?.pull_request
          ? { number: event.payload.pull_request.number, headSha: event.payload.pull_request.head.sha, baseSha: event.payload.pull_request.base.sha }
          : null;
    if (pull) {
      const globs = inputs.dockerfiles && inputs.dockerfiles.length > 0 ? inputs.dockerfiles : ['**/*'];
      const c = await pullRequestChanges(octokit, repo, pull.number, globs);
      changed = changedMap(c.files);
    } else core.notice('Defang: no open pull request matches this run, so only the check run and the job summary report the findings.');
  }
  const headSha = pull?.headSha || String(event.payload?.workflow_run?.head_sha ?? process.env.GITHUB_SHA ?? '');
  const report: Report = { results: parsed.results, rules: [...allRuleMeta], notices: [], tool: { name: 'defang', version: VERSION } };
  return { report, failOn, pull, headSha, changed, checkRun: null, outcomes: [] };
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const event = readEvent();
  const repo = repoFromEnv(event.payload);
  const octokit = inputs.token ? makeOctokit(inputs.token) : null;
  const ctxFor = (a: Partial<Analysis>): ReporterContext | null =>
    octokit && repo && a.headSha
      ? {
          octokit,
          repo,
          pull: a.pull ?? null,
          headSha: a.headSha,
          report: a.report ?? { results: [], rules: [] },
          changed: a.changed ?? new Map(),
          options: {
            checkName: inputs.checkName,
            filterMode: inputs.filterMode,
            maxReviewComments: inputs.maxReviewComments,
            failOn: a.failOn ?? 'error',
            runUrl: runUrl(),
          },
          // A reporter's notices (GitHub refused a write) go to the log: the action prints one notice for all of
          // them below, so a fork's run shows one clear notice instead of one per reporter.
          log: { info: core.info, notice: core.info, warning: core.warning },
        }
      : null;

  const analysis = inputs.mode === 'report' ? await fromArtifact(inputs, octokit) : await analyse(inputs, octokit, ctxFor);
  const { report, failOn } = analysis;
  const findings = report.results.flatMap((r) => r.findings);
  const outDir = outputDir();

  // The JSON report always: the output `report-json`, and the artifact of the fork-safe setup.
  const reportPath = join(outDir, 'defang-report.json');
  writeFileSync(reportPath, toJson(report));
  core.setOutput('report-json', reportPath);

  // GitHub reporters: check run, review, summary comment. A refused write (read-only token) is not a failure.
  const outcomes = [...analysis.outcomes];
  const ctx = ctxFor(analysis);
  if (ctx) {
    // When GitHub refused to create the check run at the start, the token cannot write checks: do not ask again.
    const startRefused = analysis.outcomes.some((o) => o.reporter === 'check-run' && o.status === 'refused');
    if (inputs.reporters.has('check-run') && !startRefused) outcomes.push(await completeCheckRun(ctx, analysis.checkRun));
    let notPlaced: Finding[] = [];
    if (ctx.pull && inputs.reporters.has('review')) {
      const o = await postReview(ctx);
      outcomes.push(o);
      notPlaced = o.notPlaced ?? [];
    }
    if (ctx.pull && inputs.reporters.has('summary-comment')) outcomes.push(await upsertSummaryComment(ctx, notPlaced));
  }
  const refused = outcomes.filter((o) => o.status === 'refused');
  for (const o of outcomes.filter((x) => x.status === 'failed')) core.warning(`Defang: the ${o.reporter} could not be posted: ${o.message ?? 'unknown error'}`);
  const fallback = refused.length > 0;
  if (fallback) {
    core.notice(
      `Defang: GitHub refused to let this run write (${refused.map((o) => o.reporter).join(', ')}): the token is read-only, as on pull requests from forks. ` +
        'The findings are in the annotations, the job summary and the SARIF file instead; see the README for the fork-safe two-workflow setup.',
    );
  }

  if (inputs.reporters.has('annotations') || fallback) emitAnnotations(report, { seeAlso: 'the job summary' });
  if (inputs.reporters.has('job-summary') || fallback) await writeJobSummary(report, { failOn });
  if (inputs.reporters.has('sarif') || inputs.sarifFile || fallback) {
    const sarifPath = resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), inputs.sarifFile ?? join(outDir, 'defang.sarif'));
    writeFileSync(sarifPath, toSarifString(report));
    core.setOutput('sarif-file', sarifPath);
  }

  const counts = countBySeverity(findings);
  const failed = failsGate(findings, failOn);
  core.setOutput('findings', String(findings.length));
  core.setOutput('errors', String(counts.error));
  core.setOutput('warnings', String(counts.warning));
  core.setOutput('conclusion', failed ? 'failure' : 'success');
  core.info(`Defang: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info in ${report.results.length} file(s)`);
  if (failed) core.setFailed(`Defang found problems at or above "${failOn}" (${counts.error} errors, ${counts.warning} warnings, ${counts.info} info)`);
}

run().catch((e: unknown) => {
  if (e instanceof ConfigError) core.setFailed(`Defang configuration error: ${e.message}`);
  else core.setFailed(`Defang failed: ${(e as Error).stack ?? String(e)}`);
});
