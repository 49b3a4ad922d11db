/**
 * The action end to end, as the runner runs it: `node dist/index.js` (run `node .ci/bundle.ts` first) with INPUT_*
 * variables, an event payload, a real git checkout with a base and a head commit, and the local fake GitHub (which
 * checks every request and every answer against GitHub's OpenAPI description and keeps the check runs, reviews and
 * comments the action writes).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { baseImages, requireDocker } from './helpers/docker.ts';
import {
  checkRuns,
  diffHunks,
  discussion,
  setPullRequest,
  startFakeGitHub,
  type FakeCheckRun,
  type FakeDiffFile,
  type FakeGitHub,
  type FakeIssueComment,
  type FakeReview,
  type FakeReviewComment,
} from './helpers/fake-github.ts';
import { gitWorkspace, runAction, type ActionEnv, type ActionRun, type GitWorkspace, type Tree } from './helpers/action.ts';

const OWNER = 'octo';
const REPO = 'app';
const SUMMARY_MARKER = '<!-- defang:summary -->';
/** GITHUB_SHA on a pull_request event: the merge commit, which the check run must NOT be attached to. */
const MERGE_SHA = 'e'.repeat(40);

let gh: FakeGitHub;
const dirs: string[] = [];
let scratch: string;
before(async () => {
  gh = await startFakeGitHub();
  scratch = mkdtempSync(join(tmpdir(), 'defang-action-test-'));
  dirs.push(scratch);
});
after(async () => {
  const problems = [...gh.problems];
  await gh.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  // Every request of every test, checked once more: nothing the fake GitHub could not answer as GitHub would.
  assert.deepEqual(problems, []);
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** Runs the action with its RUNNER_TEMP under this file's scratch directory (removed at the end). */
function act(env: ActionEnv): Promise<ActionRun> {
  return runAction({ tempDir: scratch, ...env });
}

interface PullOptions {
  /** The head repository's owner when the pull request comes from a fork. */
  forkOwner?: string;
  headRef?: string;
}

function workspace(base: Tree, head: Tree): GitWorkspace {
  return gitWorkspace(base, head, scratch);
}

/** Opens (or updates) pull request `number` on the fake GitHub from the workspace's base..head diff. */
function openPull(ws: GitWorkspace, number: number, options: PullOptions = {}): void {
  setPullRequest(gh, OWNER, REPO, {
    number,
    files: ws.diff(),
    headSha: ws.head,
    baseSha: ws.base,
    headRef: options.headRef ?? `topic-${number}`,
    ...(options.forkOwner ? { headOwner: options.forkOwner } : {}),
  });
}

function repository(owner = OWNER): Record<string, unknown> {
  return { name: REPO, full_name: `${owner}/${REPO}`, owner: { login: owner }, fork: owner !== OWNER, default_branch: 'main' };
}

/** A pull_request `synchronize` payload as GitHub sends it (the fields the action reads, and some it must ignore). */
function pullPayload(ws: GitWorkspace, number: number, options: PullOptions = {}): Record<string, unknown> {
  const headOwner = options.forkOwner ?? OWNER;
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      state: 'open',
      changed_files: ws.diff().length,
      head: { sha: ws.head, ref: options.headRef ?? `topic-${number}`, label: `${headOwner}:topic`, repo: repository(headOwner) },
      base: { sha: ws.base, ref: 'main', repo: repository() },
      merge_commit_sha: MERGE_SHA,
    },
    repository: repository(),
  };
}

async function runOnPull(ws: GitWorkspace, number: number, inputs: Record<string, string> = {}, options: PullOptions = {}): Promise<ActionRun> {
  return act({
    workspace: ws.dir,
    eventName: 'pull_request',
    payload: pullPayload(ws, number, options),
    apiUrl: gh.url,
    sha: MERGE_SHA,
    inputs: { 'github-token': gh.token, build: 'false', ...inputs },
  });
}

const reviewsOf = (number: number): FakeReview[] => discussion(gh, OWNER, REPO).reviews.filter((r) => r.pullNumber === number);
const reviewCommentsOf = (number: number): FakeReviewComment[] =>
  discussion(gh, OWNER, REPO).reviewComments.filter((c) => c.pullNumber === number);
const issueCommentsOf = (number: number): FakeIssueComment[] =>
  discussion(gh, OWNER, REPO).issueComments.filter((c) => c.issueNumber === number);
const checkRunsOn = (sha: string): FakeCheckRun[] => checkRuns(gh, OWNER, REPO).filter((r) => r.headSha === sha);

interface JsonFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  line: number;
  endLine: number;
  message: string;
  fix?: unknown;
}
interface JsonReport {
  results: Array<{ dockerfile: string; findings: JsonFinding[] }>;
}

function reportOf(run: ActionRun): JsonReport {
  assert.ok(run.outputs['report-json'], `no report-json output\n${run.stdout}`);
  return JSON.parse(readFileSync(run.outputs['report-json'] as string, 'utf8')) as JsonReport;
}

function findingsOf(report: JsonReport): Array<JsonFinding & { file: string }> {
  return report.results.flatMap((r) => r.findings.map((f) => ({ ...f, file: r.dockerfile })));
}

/** Added (right-side) line numbers of each file of a diff, from its patch. */
function addedLines(files: FakeDiffFile[]): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const f of files) {
    const added = new Set<number>();
    for (const hunk of diffHunks(f.patch ?? '')) for (const l of hunk.lines) if (l.kind === '+' && l.newLine !== null) added.add(l.newLine);
    out.set(f.filename, added);
  }
  return out;
}

/** The requests the fake GitHub received from index `from` on. */
const requestsSince = (from: number) => gh.requests.slice(from);

/** Everything a run printed, for assertion messages. */
const show = (run: ActionRun) => `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

// ---------------------------------------------------------------------------------------------------------------
// A pull request touching two Dockerfiles: first run, re-run, and a push that fixes a finding.

const BASE_DOCKERFILE = [
  'FROM debian',
  'WORKDIR /app',
  'COPY . /app',
  'ENV APP_HOME=/app',
  'ENV APP_MODE=prod',
  'ENV APP_PORT=8080',
  'ENV APP_USER=app',
  'LABEL maintainer=team',
  'EXPOSE 8080',
  'CMD ["/app/run"]',
  '',
].join('\n');

const HEAD_DOCKERFILE = [
  'FROM debian', // 1: unpinned base image, outside the diff
  'WORKDIR /app',
  'COPY . /app', // 3: outside the diff
  'ENV APP_HOME=/app',
  'ENV APP_MODE=prod',
  'ENV APP_PORT=8080',
  'ENV APP_USER=app',
  'LABEL maintainer=team',
  'ENV DB_PASSWORD=hunter2', // 9: error (secret)
  'RUN apt-get update && apt-get install curl', // 10: fixable warning
  'EXPOSE 70000', // 11: error (port out of range)
  'CMD ["/app/run"]',
  '',
].join('\n');

const API_DOCKERFILE = ['FROM alpine:3.20', 'RUN apk add curl', 'ENTRYPOINT ["/bin/a"]', 'ENTRYPOINT ["/bin/b"]', ''].join('\n');

describe('a pull request touching two Dockerfiles', () => {
  const PR = 7;
  let ws: GitWorkspace;
  let first: ActionRun;
  let firstComments: FakeReviewComment[];
  let summaryId: number;

  before(() => {
    ws = workspace(
      { Dockerfile: BASE_DOCKERFILE, 'old/Dockerfile': 'FROM ubuntu\n', 'README.md': '# app\n' },
      { Dockerfile: HEAD_DOCKERFILE, 'svc/api.Dockerfile': API_DOCKERFILE, 'old/Dockerfile': null, 'README.md': '# app\n\nNow in Docker.\n' },
    );
    openPull(ws, PR);
  });

  test('first run: check run, one review on the diff only, the summary comment, annotations, outputs, exit 1', async () => {
    const from = gh.requests.length;
    first = await runOnPull(ws, PR);
    assert.deepEqual(gh.problems, []);
    assert.equal(first.code, 1, show(first));
    const requests = requestsSince(from);
    assert.deepEqual(requests.filter((r) => r.status >= 400).map((r) => `${r.method} ${r.path} ${r.status} ${r.error}`), []);

    const findings = findingsOf(reportOf(first));
    assert.deepEqual(
      findings.filter((f) => f.severity === 'error').map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort(),
      ['Dockerfile:11 invalid-port', 'Dockerfile:9 secret-in-env-or-arg', 'svc/api.Dockerfile:3 multiple-entrypoint'],
    );
    assert.deepEqual([...new Set(findings.map((f) => f.file))].sort(), ['Dockerfile', 'svc/api.Dockerfile'], 'the removed and the non-Dockerfile files are not checked');

    // Outputs.
    assert.equal(first.outputs.findings, String(findings.length));
    assert.equal(first.outputs.errors, '3');
    assert.equal(first.outputs.warnings, String(findings.filter((f) => f.severity === 'warning').length));
    assert.equal(first.outputs.conclusion, 'failure');
    assert.equal(first.outputs['sarif-file'], undefined, 'the sarif reporter is not on by default');

    // The check run: created in progress on the pull request's head (not the merge commit) before the work, then
    // completed with conclusion failure and one annotation per finding.
    const creates = requests.filter((r) => r.method === 'POST' && r.template === '/repos/{owner}/{repo}/check-runs');
    assert.equal(creates.length, 1);
    assert.equal((creates[0]?.body as { status: string }).status, 'in_progress');
    assert.equal((creates[0]?.body as { head_sha: string }).head_sha, ws.head);
    const listFiles = requests.findIndex((r) => r.template === '/repos/{owner}/{repo}/pulls/{pull_number}/files');
    assert.ok(requests.indexOf(creates[0]!) < listFiles, 'the check run is started before the files are listed');
    assert.deepEqual(checkRunsOn(MERGE_SHA), []);
    const [run] = checkRunsOn(ws.head);
    assert.ok(run);
    assert.deepEqual({ name: run.name, status: run.status, conclusion: run.conclusion }, { name: 'Defang', status: 'completed', conclusion: 'failure' });
    assert.equal(run.annotations.length, findings.length);
    const port = run.annotations.find((a) => a.title?.startsWith('invalid-port'));
    assert.deepEqual(port && { path: port.path, line: port.start_line, level: port.annotation_level }, { path: 'Dockerfile', line: 11, level: 'failure' });
    assert.match(run.output.title ?? '', /^3 errors, \d+ warnings?, \d+ infos? in 2 Dockerfiles$/);

    // One review, its comments only on added lines of the diff.
    const reviews = reviewsOf(PR);
    assert.equal(reviews.length, 1);
    assert.equal(reviews[0]?.state, 'COMMENTED');
    assert.equal(reviews[0]?.commitId, ws.head);
    // Copies: the fake GitHub edits its comments in place.
    firstComments = reviewCommentsOf(PR).map((c) => ({ ...c }));
    const added = addedLines(ws.diff());
    for (const c of firstComments) {
      assert.ok(added.get(c.path)?.has(c.line), `comment on ${c.path}:${c.line} is not on an added line`);
      assert.match(c.body, /<!-- defang:fingerprint=[0-9a-f]+ -->$/);
    }
    const eligible = findings.filter((f) => added.get(f.file)?.has(f.line));
    assert.equal(firstComments.length, eligible.length, firstComments.map((c) => `${c.path}:${c.line}`).join(', '));
    const where = new Set(firstComments.map((c) => `${c.path}:${c.line}`));
    for (const at of ['Dockerfile:9', 'Dockerfile:10', 'Dockerfile:11', 'svc/api.Dockerfile:3']) assert.ok(where.has(at), `no comment on ${at}`);
    for (const at of ['Dockerfile:1', 'Dockerfile:3']) assert.ok(!where.has(at), `a comment on ${at}, outside the diff`);
    const yes = firstComments.find((c) => c.path === 'Dockerfile' && c.line === 10 && c.body.includes('apt-get-missing-yes'));
    assert.ok(yes, 'the fixable finding has a comment');
    assert.match(yes.body, /```suggestion\nRUN apt-get update && apt-get install -y curl\n```/);

    // The summary comment.
    const summaries = issueCommentsOf(PR);
    assert.equal(summaries.length, 1);
    const summary = summaries[0]!;
    summaryId = summary.id;
    assert.ok(summary.body.startsWith(SUMMARY_MARKER));
    assert.match(summary.body, /svc\/api\.Dockerfile/);
    assert.match(summary.body, /invalid-port/);
    assert.match(summary.body, /3 errors/);

    // Workflow-command annotations and the job summary.
    const portCommand = first.commands.find((c) => c.command === 'error' && c.props.title?.startsWith('invalid-port'));
    assert.deepEqual(portCommand && { file: portCommand.props.file, line: portCommand.props.line }, { file: 'Dockerfile', line: '11' });
    const unpinned = first.commands.find((c) => c.props.title?.startsWith('unpinned-base-image'));
    assert.deepEqual(
      unpinned && { command: unpinned.command, file: unpinned.props.file, line: unpinned.props.line, col: unpinned.props.col, endColumn: unpinned.props.endColumn },
      { command: 'warning', file: 'Dockerfile', line: '1', col: '6', endColumn: '11' },
    );
    assert.match(first.summary, /svc\/api\.Dockerfile/);
    const failed = first.commands.filter((c) => c.command === 'error' && !c.props.file);
    assert.equal(failed.length, 1);
    assert.match(failed[0]?.message ?? '', /^Defang found problems at or above "error" \(3 errors/);
  });

  test('re-run on the same commit: no duplicate review comments, the same summary comment', async () => {
    assert.ok(first, 'needs the first run');
    const from = gh.requests.length;
    const again = await runOnPull(ws, PR);
    assert.deepEqual(gh.problems, []);
    assert.equal(again.code, 1, show(again));
    assert.equal(reviewsOf(PR).length, 1, 'no second review');
    assert.equal(gh.requestsTo('POST', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews').filter((r) => gh.requests.indexOf(r) >= from).length, 0);
    assert.deepEqual(
      reviewCommentsOf(PR).map((c) => [c.id, c.body]),
      firstComments.map((c) => [c.id, c.body]),
    );
    const summaries = issueCommentsOf(PR);
    assert.deepEqual(summaries.map((c) => c.id), [summaryId]);
    assert.equal(requestsSince(from).filter((r) => r.method === 'POST' && r.template?.includes('/comments')).length, 0, 'no new comment');
    // A new workflow run makes a new check run, as on GitHub.
    assert.equal(checkRunsOn(ws.head).length, 2);
    assert.equal(checkRunsOn(ws.head)[1]?.conclusion, 'failure');
  });

  test('a push that fixes a finding: its comment is resolved, the summary comment is edited in place', async () => {
    assert.ok(first, 'needs the first run');
    const fixedLines = HEAD_DOCKERFILE.split('\n').filter((l) => !l.startsWith('ENV DB_PASSWORD'));
    ws.commit({ Dockerfile: fixedLines.join('\n') }, 'no password in ENV');
    openPull(ws, PR);
    const before = issueCommentsOf(PR)[0]!;
    const beforeBody = before.body;
    const beforeUpdated = before.updatedAt;
    const run = await runOnPull(ws, PR);
    assert.deepEqual(gh.problems, []);
    assert.equal(run.code, 1, show(run));
    assert.equal(run.outputs.errors, '2');

    const secret = firstComments.find((c) => c.body.includes('secret-in-env-or-arg'));
    assert.ok(secret);
    const comments = reviewCommentsOf(PR);
    const resolved = comments.find((c) => c.id === secret.id);
    assert.ok(resolved, 'the comment is kept (edited, not deleted)');
    assert.match(resolved.body, new RegExp(`Resolved in ${ws.head}`));
    assert.match(resolved.body, /<!-- defang:fingerprint=[0-9a-f]+ resolved -->$/);
    assert.match(resolved.body, /^~~/);
    // The other comments stay as they were; nothing new is posted.
    assert.equal(comments.length, firstComments.length);
    for (const c of comments.filter((x) => x.id !== secret.id)) assert.equal(c.body, firstComments.find((x) => x.id === c.id)?.body);
    assert.equal(reviewsOf(PR).length, 1);

    const summaries = issueCommentsOf(PR);
    assert.deepEqual(summaries.map((c) => c.id), [summaryId], 'edited in place');
    assert.notEqual(summaries[0]?.body, beforeBody);
    assert.notEqual(summaries[0]?.updatedAt, beforeUpdated);
    assert.match(summaries[0]?.body ?? '', /2 errors/);
    assert.doesNotMatch(summaries[0]?.body ?? '', /secret-in-env-or-arg/);
    const [latest] = checkRunsOn(ws.head);
    assert.equal(latest?.conclusion, 'failure');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Forks, empty pull requests, the analyse-then-report split

describe('the action on a pull request from a fork (read-only token)', () => {
  const PR = 20;
  let ws: GitWorkspace;
  before(() => {
    ws = workspace({ 'README.md': '# app\n' }, { Dockerfile: HEAD_DOCKERFILE });
    openPull(ws, PR, { forkOwner: 'forker' });
  });

  async function forkRun(inputs: Record<string, string>): Promise<{ run: ActionRun; from: number }> {
    gh.readOnly = true;
    const from = gh.requests.length;
    try {
      return { run: await runOnPull(ws, PR, inputs, { forkOwner: 'forker' }), from };
    } finally {
      gh.readOnly = false;
    }
  }

  test('one clear notice; annotations, job summary and SARIF instead; fails only because of the findings', async () => {
    const { run, from } = await forkRun({});
    assert.deepEqual(gh.problems, []);
    assert.equal(run.code, 1, show(run));
    const refusals = run.commands.filter((c) => c.command === 'notice' && /refused/i.test(c.message));
    assert.equal(refusals.length, 1, show(run));
    assert.match(refusals[0]?.message ?? '', /read-only/);
    assert.match(refusals[0]?.message ?? '', /annotations, the job summary and the SARIF file/);
    assert.deepEqual(run.commands.filter((c) => c.command === 'warning' && !c.props.file), [], 'no warning about reporting');
    const failures = run.commands.filter((c) => c.command === 'error' && !c.props.file);
    assert.equal(failures.length, 1);
    assert.match(failures[0]?.message ?? '', /^Defang found problems at or above "error"/);

    // Each kind of write was tried once and refused; nothing was written.
    const writes = requestsSince(from).filter((r) => r.method !== 'GET');
    assert.deepEqual(
      writes.map((r) => `${r.method} ${r.template} ${r.status}`).sort(),
      [
        'POST /repos/{owner}/{repo}/check-runs 403',
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments 403',
        'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews 403',
      ],
    );
    assert.deepEqual(checkRunsOn(ws.head), []);
    assert.deepEqual(reviewsOf(PR), []);
    assert.deepEqual(issueCommentsOf(PR), []);

    // The fallbacks.
    const findings = findingsOf(reportOf(run));
    assert.ok(run.commands.some((c) => c.command === 'error' && c.props.file === 'Dockerfile' && c.props.line === '11'));
    assert.match(run.summary, /invalid-port/);
    const sarifPath = run.outputs['sarif-file'];
    assert.ok(sarifPath && existsSync(sarifPath), show(run));
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8')) as { version: string; runs: Array<{ results: unknown[] }> };
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0]?.results.length, findings.length);
    assert.equal(run.outputs.conclusion, 'failure');
  });

  test('with fail-on: never the step passes: reporting being refused never fails it', async () => {
    const { run } = await forkRun({ 'fail-on': 'never' });
    assert.deepEqual(gh.problems, []);
    assert.equal(run.code, 0, show(run));
    assert.equal(run.outputs.conclusion, 'success');
    assert.ok(Number(run.outputs.errors) > 0);
    assert.equal(run.commands.filter((c) => c.command === 'notice' && /refused/i.test(c.message)).length, 1);
    assert.deepEqual(run.commands.filter((c) => c.command === 'error' && !c.props.file), []);
  });
});

describe('a pull request that changes no Dockerfile', () => {
  test('passes: check run success, no review', async () => {
    const PR = 30;
    const ws = workspace({ Dockerfile: 'FROM debian\n', 'src/app.py': 'print(0)\n' }, { 'src/app.py': 'print(1)\n' });
    openPull(ws, PR);
    const run = await runOnPull(ws, PR);
    assert.deepEqual(gh.problems, []);
    assert.equal(run.code, 0, show(run));
    assert.equal(run.outputs.findings, '0');
    assert.equal(run.outputs.conclusion, 'success');
    assert.match(run.stdout, /0 Dockerfile\(s\) to check/);
    const [check] = checkRunsOn(ws.head);
    assert.deepEqual(check && { status: check.status, conclusion: check.conclusion, annotations: check.annotations.length }, { status: 'completed', conclusion: 'success', annotations: 0 });
    assert.deepEqual(reviewsOf(PR), []);
    assert.deepEqual(gh.requestsTo('POST', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews').filter((r) => r.path.endsWith(`/pulls/${PR}/reviews`)), []);
    assert.deepEqual(run.commands.filter((c) => c.props.file), [], 'no annotations');
  });
});

describe('analyse, then report from another workflow (the fork-safe split)', () => {
  const PR = 40;
  let ws: GitWorkspace;
  let analysed: ActionRun;

  before(() => {
    ws = workspace({ 'README.md': '# app\n' }, { Dockerfile: HEAD_DOCKERFILE, 'svc/api.Dockerfile': API_DOCKERFILE });
    openPull(ws, PR, { forkOwner: 'forker', headRef: 'feature' });
    // Decoys: the same branch name from another owner, and another branch of the same fork.
    const other = workspace({ 'README.md': '# a\n' }, { 'README.md': '# b\n' });
    openPull(other, 41, { headRef: 'feature' });
    openPull(other, 42, { forkOwner: 'forker', headRef: 'other' });
  });

  test('run 1 (pull_request, reporters: none) writes nothing to GitHub and produces the JSON report', async () => {
    gh.readOnly = true;
    const from = gh.requests.length;
    try {
      analysed = await runOnPull(ws, PR, { reporters: 'none' }, { forkOwner: 'forker', headRef: 'feature' });
    } finally {
      gh.readOnly = false;
    }
    assert.deepEqual(gh.problems, []);
    assert.equal(analysed.code, 1, show(analysed));
    assert.deepEqual(requestsSince(from).filter((r) => r.method !== 'GET'), []);
    assert.deepEqual(analysed.commands.filter((c) => c.props.file), [], 'no annotations with reporters: none');
    assert.deepEqual(analysed.commands.filter((c) => c.command === 'notice' && /refused/i.test(c.message)), []);
    assert.equal(analysed.summary, '', 'no job summary with reporters: none');
    assert.equal(findingsOf(reportOf(analysed)).filter((f) => f.severity === 'error').length, 3);
    // The README's report workflow downloads the artifact and names this file.
    assert.equal(basename(analysed.outputs['report-json'] as string), 'defang-report.json');
  });

  test('run 2 (workflow_run, mode: report) posts the review and the summary without the pull request\'s code', async () => {
    assert.ok(analysed, 'needs run 1');
    const reportWs = mkdtempSync(join(scratch, 'report-ws-'));
    mkdirSync(join(reportWs, 'artifact'));
    copyFileSync(analysed.outputs['report-json'] as string, join(reportWs, 'artifact', 'defang-report.json'));
    const payload = {
      action: 'completed',
      workflow_run: {
        id: 4242,
        name: 'Defang',
        event: 'pull_request',
        status: 'completed',
        conclusion: 'failure',
        head_sha: ws.head,
        head_branch: 'feature',
        head_repository: { full_name: `forker/${REPO}`, name: REPO, owner: { login: 'forker' } },
        // GitHub leaves a fork's pull requests out of this list.
        pull_requests: [],
        repository: repository(),
      },
      repository: repository(),
    };
    const from = gh.requests.length;
    const run = await act({
      workspace: reportWs,
      eventName: 'workflow_run',
      payload,
      apiUrl: gh.url,
      sha: 'd'.repeat(40),
      inputs: { 'github-token': gh.token, mode: 'report', 'report-json': 'artifact/defang-report.json' },
    });
    assert.deepEqual(gh.problems, []);
    assert.equal(run.code, 1, show(run));
    assert.deepEqual(readdirSync(reportWs, { recursive: true }).sort(), ['artifact', join('artifact', 'defang-report.json')], 'nothing was checked out or built');

    const requests = requestsSince(from);
    const list = requests.find((r) => r.template === '/repos/{owner}/{repo}/pulls');
    assert.deepEqual(list && { head: list.query.head, state: list.query.state }, { head: 'forker:feature', state: 'open' });
    assert.ok(requests.some((r) => r.path === `/repos/${OWNER}/${REPO}/pulls/${PR}` && r.status === 200));
    assert.deepEqual(requests.filter((r) => r.status >= 400).map((r) => `${r.method} ${r.path} ${r.status}`), []);

    // The same findings as run 1, posted to pull request 40 only.
    assert.equal(run.outputs.findings, analysed.outputs.findings);
    assert.equal(run.outputs.errors, '3');
    const reviews = reviewsOf(PR);
    assert.equal(reviews.length, 1);
    assert.equal(reviews[0]?.commitId, ws.head);
    const added = addedLines(ws.diff());
    const findings = findingsOf(reportOf(analysed));
    const comments = reviewCommentsOf(PR);
    assert.equal(comments.length, findings.filter((f) => added.get(f.file)?.has(f.line)).length);
    for (const c of comments) assert.ok(added.get(c.path)?.has(c.line), `${c.path}:${c.line}`);
    assert.ok(comments.some((c) => c.path === 'svc/api.Dockerfile' && c.line === 3 && c.body.includes('multiple-entrypoint')));
    const summaries = issueCommentsOf(PR);
    assert.equal(summaries.length, 1);
    assert.ok(summaries[0]?.body.startsWith(SUMMARY_MARKER));
    assert.match(summaries[0]?.body ?? '', /invalid-port/);
    for (const decoy of [41, 42]) {
      assert.deepEqual(reviewsOf(decoy), []);
      assert.deepEqual(issueCommentsOf(decoy), []);
    }
    const [check] = checkRunsOn(ws.head);
    assert.deepEqual(check && { status: check.status, conclusion: check.conclusion, annotations: check.annotations.length }, {
      status: 'completed',
      conclusion: 'failure',
      annotations: findings.length,
    });
  });

  test('mode: report for a run whose commit is no longer the pull request\'s head posts no review', async () => {
    assert.ok(analysed, 'needs run 1');
    const reportWs = mkdtempSync(join(scratch, 'report-ws-'));
    copyFileSync(analysed.outputs['report-json'] as string, join(reportWs, 'report.json'));
    const stale = 'c'.repeat(40);
    const before = { reviews: reviewsOf(PR).length, comments: issueCommentsOf(PR).map((c) => c.updatedAt) };
    const run = await act({
      workspace: reportWs,
      eventName: 'workflow_run',
      payload: {
        action: 'completed',
        workflow_run: { id: 4243, event: 'pull_request', head_sha: stale, head_branch: 'feature', head_repository: { owner: { login: 'forker' } }, pull_requests: [] },
        repository: repository(),
      },
      apiUrl: gh.url,
      inputs: { 'github-token': gh.token, mode: 'report', 'report-json': 'report.json', 'fail-on': 'never' },
    });
    assert.deepEqual(gh.problems, []);
    assert.equal(run.code, 0, show(run));
    assert.ok(run.commands.some((c) => c.command === 'notice' && /no open pull request matches this run/.test(c.message)), show(run));
    assert.equal(reviewsOf(PR).length, before.reviews);
    assert.deepEqual(issueCommentsOf(PR).map((c) => c.updatedAt), before.comments);
    assert.equal(checkRunsOn(stale)[0]?.conclusion, 'neutral', 'the check run goes on the commit the run analysed');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Rate limits, secrets, hostile Dockerfiles

describe('GitHub answers a secondary rate limit once', () => {
  test('the run waits it out and succeeds', async () => {
    const PR = 50;
    const ws = workspace({ Dockerfile: BASE_DOCKERFILE }, { Dockerfile: HEAD_DOCKERFILE });
    openPull(ws, PR);
    gh.secondaryRateLimitOnce((method, path) => method === 'POST' && path === `/repos/${OWNER}/${REPO}/pulls/${PR}/reviews`);
    const run = await runOnPull(ws, PR, { 'fail-on': 'never' });
    assert.deepEqual(gh.problems, []);
    assert.equal(run.code, 0, show(run));
    const posts = gh.requests.filter((r) => r.method === 'POST' && r.path === `/repos/${OWNER}/${REPO}/pulls/${PR}/reviews`);
    assert.deepEqual(posts.map((r) => r.status), [403, 200]);
    assert.match(run.log, /secondary rate limit on POST \/repos\/\{owner\}\/\{repo\}\/pulls\/\{pull_number\}\/reviews: waiting 1 s/);
    assert.ok(run.elapsedMs >= 1000);
    assert.equal(reviewsOf(PR).length, 1);
    assert.ok(reviewCommentsOf(PR).length > 0);
    assert.deepEqual(run.commands.filter((c) => c.command === 'warning' && !c.props.file), []);
  });
});

describe('the token', () => {
  const token = `ghs_${randomBytes(18).toString('hex')}`;
  let tokenGh: FakeGitHub;
  before(async () => {
    tokenGh = await startFakeGitHub({ token });
  });
  after(async () => {
    await tokenGh.close();
  });

  /** The token in any form a log could carry it. */
  const forms = [token, Buffer.from(`x-access-token:${token}`).toString('base64'), token.slice(4)];

  test('never appears in the step log or on standard error, whether the API accepts it or not', async () => {
    const ws = workspace({ Dockerfile: BASE_DOCKERFILE }, { Dockerfile: HEAD_DOCKERFILE });
    setPullRequest(tokenGh, OWNER, REPO, { number: 60, files: ws.diff(), headSha: ws.head, baseSha: ws.base });
    const accepted = await act({
      workspace: ws.dir,
      eventName: 'pull_request',
      payload: pullPayload(ws, 60),
      apiUrl: tokenGh.url,
      inputs: { 'github-token': token, build: 'false', reporters: 'all' },
      extraEnv: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' },
    });
    assert.deepEqual(tokenGh.problems, []);
    assert.ok(tokenGh.requests.some((r) => r.headers.authorization === `token ${token}`), 'the token was used');
    assert.ok(discussion(tokenGh, OWNER, REPO).reviews.length === 1, show(accepted));
    // The one place the token may be printed: the add-mask command, which the runner consumes before logging.
    assert.deepEqual(accepted.stdout.split('\n').filter((l) => l.includes(token)), [`::add-mask::${token}`]);

    const refused = await act({
      workspace: ws.dir,
      eventName: 'pull_request',
      payload: pullPayload(ws, 60),
      apiUrl: gh.url, // which knows another token: every request is answered 401 Bad credentials
      inputs: { 'github-token': token, build: 'false' },
    });
    assert.ok(gh.requests.some((r) => r.status === 401 && r.headers.authorization === `token ${token}`));
    assert.match(refused.log, /Bad credentials/);
    for (const run of [accepted, refused]) {
      for (const form of forms) {
        assert.ok(!run.log.includes(form), `the token is in the log:\n${run.log}`);
        assert.ok(!run.stderr.includes(form), `the token is on stderr:\n${run.stderr}`);
        assert.ok(!run.summary.includes(form));
      }
    }
    for (const body of discussion(tokenGh, OWNER, REPO).issueComments.map((c) => c.body)) assert.ok(!body.includes(token));
  });
});

/** Markdown outside code: fenced blocks and code spans removed (their content is shown literally by GitHub). */
function outsideCode(markdown: string): string {
  const lines: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (m && m[1]!.startsWith(fence)) fence = null;
      continue;
    }
    if (m) {
      fence = m[1]!;
      continue;
    }
    lines.push(line);
  }
  return lines.join('\n').replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, '');
}

describe('a hostile Dockerfile', () => {
  test('its path and the text in messages cannot inject mentions, links, images or HTML', async () => {
    const PR = 70;
    const dir = 'evil/@octocat <img src=x onerror=alert(1)> [click](javascript:alert(1))';
    const path = `${dir}/Dockerfile`;
    const ws = workspace(
      { 'README.md': '# app\n' },
      {
        [path]: [
          'FROM alpine:3.20',
          'RUN chmod 777 "/srv/<img src=x>@admin [a](https://evil.example) ![i](https://evil.example/i.png) `x`"',
          'ADD "https://evil.example/x?</details><b>@everyone</b>" /x',
          'ENV API_SECRET=</td></tr></table><h1>pwned</h1>',
          '',
        ].join('\n'),
      },
    );
    openPull(ws, PR);
    assert.equal(ws.diff()[0]?.filename, path);
    const run = await runOnPull(ws, PR, { 'fail-on': 'never' });
    assert.deepEqual(gh.problems, []);
    assert.equal(run.code, 0, show(run));
    const findings = findingsOf(reportOf(run));
    assert.ok(findings.some((f) => f.message.includes('<img src=x>@admin')), 'a message carries the hostile text');
    assert.ok(findings.every((f) => f.file === path));

    const [summary] = issueCommentsOf(PR);
    assert.ok(summary, show(run));
    const bodies = {
      'summary comment': summary.body,
      ...Object.fromEntries(reviewCommentsOf(PR).map((c) => [`review comment on line ${c.line}`, c.body])),
      'check run summary': checkRunsOn(ws.head)[0]?.output.summary ?? '',
      'job summary': run.summary,
    };
    assert.ok(Object.keys(bodies).length > 4, 'review comments were posted');
    for (const [name, body] of Object.entries(bodies)) {
      const text = outsideCode(body);
      // Mentions and autolinks are broken up with a zero-width space; Markdown and HTML punctuation is escaped.
      for (const bad of ['@octocat', '@admin', '@everyone', 'https://evil', '](javascript:']) {
        assert.ok(!text.includes(bad), `${name}: ${JSON.stringify(bad)} outside code in:\n${body}`);
      }
      for (const bad of [/(?<!\\)<img/, /(?<!\\)<b>/, /(?<!\\)<h1>/, /(?<!\\)<\/table>/, /(?<!\\)<\/details>/, /(?<!\\)\[(click|a|i)(?<!\\)\]\(/]) {
        assert.doesNotMatch(text, bad, `${name}: ${bad} outside code in:\n${body}`);
      }
    }
    // The text is still there, escaped, for the reader.
    assert.match(summary.body, /@\u200boctocat|`[^`]*@octocat[^`]*`/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// An image finding from a real build

describe('the action with build: true', { timeout: 600_000 }, () => {
  test('an image finding (a setuid file added by a RUN) lands on that RUN line everywhere', async (t) => {
    if (!(await requireDocker(t))) return;
    const { busybox } = await baseImages();
    const PR = 80;
    const ws = workspace(
      { '.dockerignore': '.git\n', 'README.md': '# app\n' },
      { Dockerfile: [`FROM ${busybox}`, 'RUN cp /bin/busybox /bin/x && chmod 4755 /bin/x', 'USER nobody', ''].join('\n') },
    );
    openPull(ws, PR);
    const run = await runOnPull(ws, PR, { build: 'true', 'fail-on': 'never' });
    assert.deepEqual(gh.problems, []);
    assert.equal(run.code, 0, show(run));
    const setuid = findingsOf(reportOf(run)).filter((f) => f.ruleId === 'image-setuid');
    assert.deepEqual(setuid.map((f) => f.line), [2], show(run));
    assert.match(setuid[0]?.message ?? '', /\/bin\/x/);

    const command = run.commands.find((c) => c.props.title?.startsWith('image-setuid'));
    assert.deepEqual(command && { command: command.command, file: command.props.file, line: command.props.line }, { command: 'warning', file: 'Dockerfile', line: '2' });
    const annotation = checkRunsOn(ws.head)[0]?.annotations.find((a) => a.title?.startsWith('image-setuid'));
    assert.deepEqual(annotation && { path: annotation.path, line: annotation.start_line, level: annotation.annotation_level }, { path: 'Dockerfile', line: 2, level: 'warning' });
    const comment = reviewCommentsOf(PR).find((c) => c.body.includes('image-setuid'));
    assert.deepEqual(comment && { path: comment.path, line: comment.line }, { path: 'Dockerfile', line: 2 });
    assert.match(comment?.body ?? '', /\/bin\/x/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Configuration and other events

describe('configuration and other events', () => {
  test('a broken config fails the step with the file and line', async () => {
    const ws = workspace({}, { Dockerfile: 'FROM debian:12\n', '.github/defang.yml': 'fail-on: sometimes\n' });
    openPull(ws, 90);
    const run = await runOnPull(ws, 90);
    assert.equal(run.code, 1);
    const err = run.commands.find((c) => c.command === 'error');
    assert.match(err?.message ?? '', /^Defang configuration error: \.github\/defang\.yml:1:\d+: fail-on: /);
  });

  test('an unknown reporter is an input error naming the input', async () => {
    const ws = workspace({}, { Dockerfile: 'FROM debian:12\n' });
    const run = await runOnPull(ws, 91, { reporters: 'check-run, carrier-pigeon' });
    assert.equal(run.code, 1);
    const err = run.commands.find((c) => c.command === 'error');
    assert.match(err?.message ?? '', /^Defang configuration error: input reporters: unknown reporter "carrier-pigeon"/);
  });

  test('mode: report checks its own inputs: report-json is required and must be a report, fail-on a severity', async () => {
    const ws = mkdtempSync(join(scratch, 'report-inputs-'));
    const payload = { workflow_run: { head_sha: 'a'.repeat(40), pull_requests: [] }, repository: repository() };
    const missing = await act({ workspace: ws, eventName: 'workflow_run', payload, apiUrl: gh.url, inputs: { 'github-token': gh.token, mode: 'report' } });
    assert.equal(missing.code, 1);
    assert.match(missing.commands.find((c) => c.command === 'error')?.message ?? '', /^Defang configuration error: input report-json: mode: report needs the path/);
    mkdirSync(join(ws, 'a'));
    writeFileSync(join(ws, 'a', 'bad.json'), JSON.stringify({ version: 1, results: [], summary: { files: 0, error: 0, warning: 0, info: 0 } }));
    const notAReport = await act({ workspace: ws, eventName: 'workflow_run', payload, apiUrl: gh.url, inputs: { 'github-token': gh.token, mode: 'report', 'report-json': 'a/bad.json' } });
    assert.equal(notAReport.code, 1);
    const message = notAReport.commands.find((c) => c.command === 'error')?.message ?? '';
    assert.match(message, /^Defang configuration error: input report-json: a\/bad\.json: summary\.files: unexpected key/);
    assert.doesNotMatch(message, /\n\s+at /, 'no stack trace');
    writeFileSync(join(ws, 'a', 'r.json'), JSON.stringify({ version: 1, results: [], summary: { error: 0, warning: 0, info: 0 } }));
    const badFailOn = await act({
      workspace: ws,
      eventName: 'workflow_run',
      payload,
      apiUrl: gh.url,
      inputs: { 'github-token': gh.token, mode: 'report', 'report-json': 'a/r.json', 'fail-on': 'sometimes' },
    });
    assert.equal(badFailOn.code, 1, show(badFailOn));
    assert.match(badFailOn.commands.find((c) => c.command === 'error')?.message ?? '', /^Defang configuration error: input fail-on: expected one of error, warning, info, never, got "sometimes"/);
  });

  test('on a push with only-changed: false every Dockerfile is linted', async () => {
    const ws = workspace({}, { Dockerfile: 'FROM debian:12\n', 'a/Dockerfile': 'FROM ubuntu\n', 'b/c.txt': 'x\n' });
    const run = await act({
      workspace: ws.dir,
      eventName: 'push',
      payload: { before: ws.base, after: ws.head, repository: repository() },
      sha: ws.head,
      apiUrl: gh.url,
      inputs: { 'github-token': gh.token, 'only-changed': 'false', build: 'false', reporters: 'annotations' },
    });
    assert.deepEqual(gh.problems, []);
    const files = new Set(run.commands.filter((c) => c.props.file).map((c) => c.props.file));
    assert.deepEqual([...files].sort(), ['Dockerfile', 'a/Dockerfile'], show(run));
  });
});
