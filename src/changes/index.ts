/**
 * Which Dockerfiles, and which of their lines, the pull request or push changed.
 *
 *  - pull request events: the pull request's files from the REST API (GitHub lists at most 3000);
 *  - push: `git diff before after` in the workspace, or GitHub's compare API when the before commit is not there
 *    (shallow checkout, new branch);
 *  - anything else, or `onlyChanged: false`: every Dockerfile in the workspace, every line counting as changed.
 *
 * Whenever the answer is less than exact, a notice says so in words a user can act on.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { getOctokit } from '@actions/github';
import { diffHunks, diffNameStatus, hasCommit, type GitChange } from './git.ts';
import { dockerfileMatcher, normalizePath } from './globs.ts';
import { parsePatch, type PatchRanges } from './patch.ts';
import { compareCodeUnits, listMatchingFiles } from './walk.ts';

export { parsePatch, PatchParseError, type PatchRanges } from './patch.ts';
export { matchesDockerfile, dockerfileMatcher, normalizePath } from './globs.ts';

export type Octokit = ReturnType<typeof getOctokit>;

export type ChangeStatus = 'added' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface ChangedDockerfile {
  /** Repository-relative, `/` separators; the new name of a renamed file. */
  path: string;
  /** As GitHub names it. In mode `all` every file is `unchanged`: nothing is known about its changes. */
  status: ChangeStatus;
  /** The old name of a renamed or copied file. */
  previousPath?: string;
  /** Changed (added) line numbers, ascending; null when unknown, and then every line counts as changed. */
  added: number[] | null;
  /** Line ranges `[start, end]` covered by the diff's hunks (where review comments can go); null when unknown. */
  hunks: Array<[number, number]> | null;
}

export interface FindDockerfilesOptions {
  /** The repository checkout (GITHUB_WORKSPACE). */
  workspace: string;
  /** Globs selecting Dockerfiles (see matchesDockerfile). */
  globs: string[];
  /** Only the Dockerfiles the pull request or push changed. */
  onlyChanged: boolean;
  /** GITHUB_EVENT_NAME. */
  eventName: string;
  /** The event payload (the parsed GITHUB_EVENT_PATH file). */
  payload: any;
  octokit?: Octokit;
  /** Defaults to the payload's repository. */
  repo?: { owner: string; repo: string };
}

export interface FoundDockerfiles {
  /** Where the changes came from: a pull request's diff, a push's diff, or none (every file, every line). */
  mode: 'pull_request' | 'push' | 'all';
  /** Sorted by path. */
  files: ChangedDockerfile[];
  /** What the user should know: lists cut short, diffs GitHub did not send, fallbacks taken. */
  notices: string[];
}

/** GitHub lists at most this many files of a pull request. */
export const PULL_REQUEST_FILES_LIMIT = 3000;
/** GitHub's compare API lists at most this many files. */
export const COMPARE_FILES_LIMIT = 300;

const PULL_REQUEST_EVENTS = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
]);

/** The subset of GitHub's diff entry this module reads. */
interface DiffEntry {
  filename: string;
  status: string;
  patch?: string;
  changes: number;
  previous_filename?: string;
}

export async function findDockerfiles(opts: FindDockerfilesOptions): Promise<FoundDockerfiles> {
  await assertDirectory(opts.workspace);
  const matches = dockerfileMatcher(opts.globs);
  const notices: string[] = [];
  const everyFile = async (notice?: string): Promise<FoundDockerfiles> => {
    if (notice) notices.push(notice);
    const paths = await listMatchingFiles(opts.workspace, matches);
    return {
      mode: 'all',
      files: paths.map((path) => ({ path, status: 'unchanged', added: null, hunks: null })),
      notices,
    };
  };

  if (!opts.onlyChanged) return everyFile();
  const payload: any = opts.payload ?? {};
  if (PULL_REQUEST_EVENTS.has(opts.eventName)) {
    return (await fromPullRequest(opts, payload, matches, notices)) ?? everyFile();
  }
  if (opts.eventName === 'push') return (await fromPush(opts, payload, matches, notices)) ?? everyFile();
  return everyFile(
    `The ${opts.eventName || 'unknown'} event does not say which files changed, so every Dockerfile is checked, every line.`,
  );
}

/** The pull request's Dockerfiles, or undefined (with a notice) when they cannot be listed. */
async function fromPullRequest(
  opts: FindDockerfilesOptions,
  payload: any,
  matches: (path: string) => boolean,
  notices: string[],
): Promise<FoundDockerfiles | undefined> {
  const pull = payload.pull_request;
  const number: unknown = pull?.number ?? payload.number;
  const fallback = (why: string): undefined => {
    notices.push(`${why}, so every Dockerfile in the workspace is checked, every line.`);
    return undefined;
  };
  if (typeof number !== 'number') return fallback(`The ${opts.eventName} event payload has no pull request number`);
  const repo = opts.repo ?? repoFromPayload(payload);
  if (!repo) return fallback(`The ${opts.eventName} event payload does not name the repository`);
  if (!opts.octokit) return fallback(`No GitHub token was given to list the files of pull request #${number}`);

  let entries: DiffEntry[];
  try {
    entries = await listPullRequestFiles(opts.octokit, repo, number);
  } catch (error) {
    return fallback(`Listing the files of pull request #${number} failed (${describeError(error)})`);
  }
  const declared: unknown = pull?.changed_files;
  if (entries.length >= PULL_REQUEST_FILES_LIMIT && !(typeof declared === 'number' && declared <= entries.length)) {
    notices.push(
      `Pull request #${number} changes ${typeof declared === 'number' ? declared : `more than ${PULL_REQUEST_FILES_LIMIT}`} ` +
        `files, but GitHub lists only the first ${PULL_REQUEST_FILES_LIMIT}: Dockerfiles beyond them are not checked.`,
    );
  }
  const files = fromDiffEntries(entries, matches, notices);
  return { mode: 'pull_request', files: await presentInWorkspace(opts.workspace, files, notices, 'pull request'), notices };
}

async function listPullRequestFiles(octokit: Octokit, repo: { owner: string; repo: string }, number: number): Promise<DiffEntry[]> {
  let count = 0;
  return octokit.paginate(
    octokit.rest.pulls.listFiles,
    { owner: repo.owner, repo: repo.repo, pull_number: number, per_page: 100 },
    (response, done) => {
      count += response.data.length;
      if (count >= PULL_REQUEST_FILES_LIMIT) done();
      return response.data as DiffEntry[];
    },
  );
}

/** The pushed Dockerfiles, or undefined (with a notice) when the push's diff cannot be had. */
async function fromPush(
  opts: FindDockerfilesOptions,
  payload: any,
  matches: (path: string) => boolean,
  notices: string[],
): Promise<FoundDockerfiles | undefined> {
  const before: unknown = payload.before;
  const after: unknown = payload.after;
  if (!isCommitId(after) || !isCommitId(before)) {
    notices.push('The push event payload has no before/after commits, so every Dockerfile in the workspace is checked, every line.');
    return undefined;
  }
  if (isZero(after)) {
    notices.push('The push deleted the branch: there is no Dockerfile to check.');
    return { mode: 'push', files: [], notices };
  }

  let localProblem: string | undefined;
  if (!isZero(before)) {
    try {
      if ((await hasCommit(opts.workspace, before)) && (await hasCommit(opts.workspace, after))) {
        const files = await fromLocalDiff(opts.workspace, before, after, matches, notices);
        return { mode: 'push', files: await presentInWorkspace(opts.workspace, files, notices, 'push'), notices };
      }
      localProblem = `the commit before the push (${before.slice(0, 12)}) is not in the local clone`;
    } catch (error) {
      localProblem = `git could not diff the push (${describeError(error)})`;
    }
  } else {
    localProblem = 'the push created the branch, so there is no commit before it';
  }

  const repo = opts.repo ?? repoFromPayload(payload);
  const defaultBranch: unknown = payload.repository?.default_branch;
  const base = isZero(before) ? (typeof defaultBranch === 'string' && defaultBranch !== '' ? defaultBranch : undefined) : before;
  if (!opts.octokit || !repo || base === undefined) {
    const missing = !opts.octokit ? 'no GitHub token was given' : !repo ? 'the payload does not name the repository' : 'the payload does not name the default branch';
    notices.push(`Cannot tell what the push changed: ${localProblem}, and ${missing} to ask GitHub. Every Dockerfile in the workspace is checked, every line.`);
    return undefined;
  }
  let entries: DiffEntry[];
  try {
    const response = await opts.octokit.rest.repos.compareCommitsWithBasehead({
      owner: repo.owner,
      repo: repo.repo,
      basehead: `${base}...${after}`,
    });
    entries = (response.data.files ?? []) as DiffEntry[];
  } catch (error) {
    notices.push(
      `Cannot tell what the push changed: ${localProblem}, and comparing ${base}...${after.slice(0, 12)} on GitHub failed ` +
        `(${describeError(error)}). Every Dockerfile in the workspace is checked, every line.`,
    );
    return undefined;
  }
  if (entries.length >= COMPARE_FILES_LIMIT) {
    notices.push(
      `GitHub's comparison of ${base}...${after.slice(0, 12)} lists only its first ${COMPARE_FILES_LIMIT} files: ` +
        'Dockerfiles beyond them are not checked.',
    );
  }
  const files = fromDiffEntries(entries, matches, notices);
  return { mode: 'push', files: await presentInWorkspace(opts.workspace, files, notices, 'push'), notices };
}

async function fromLocalDiff(
  workspace: string,
  before: string,
  after: string,
  matches: (path: string) => boolean,
  notices: string[],
): Promise<ChangedDockerfile[]> {
  const changes = (await diffNameStatus(workspace, before, after)).filter(
    (change): change is GitChange & { status: ChangeStatus } => change.status !== 'removed' && matches(change.path),
  );
  const files: ChangedDockerfile[] = [];
  for (const change of changes) {
    const { patch, binary } = await diffHunks(workspace, before, after, change);
    let ranges: PatchRanges | null = null;
    if (binary) {
      notices.push(`${change.path}: git sees a binary file, so every line counts as changed.`);
    } else {
      ranges = rangesOf(change.path, patch, 'git diff', notices);
    }
    files.push(changed(change.path, change.status, change.previousPath, ranges));
  }
  return files.sort((a, b) => compareCodeUnits(a.path, b.path));
}

function fromDiffEntries(entries: DiffEntry[], matches: (path: string) => boolean, notices: string[]): ChangedDockerfile[] {
  const files: ChangedDockerfile[] = [];
  for (const entry of entries) {
    if (entry.status === 'removed') continue;
    const path = normalizePath(entry.filename);
    if (!matches(path)) continue;
    const status = CHANGE_STATUSES.has(entry.status) ? (entry.status as ChangeStatus) : 'changed';
    let ranges: PatchRanges | null;
    if (typeof entry.patch === 'string') ranges = rangesOf(path, entry.patch, "GitHub's diff", notices);
    else if (entry.changes === 0) ranges = { added: [], hunks: [] }; // renamed or mode change only: no line changed
    else {
      ranges = null;
      notices.push(`${path}: GitHub sent no diff for this file (it is too large), so every line counts as changed.`);
    }
    const previous = entry.previous_filename === undefined ? undefined : normalizePath(entry.previous_filename);
    files.push(changed(path, status, previous, ranges));
  }
  return files.sort((a, b) => compareCodeUnits(a.path, b.path));
}

const CHANGE_STATUSES = new Set<string>(['added', 'modified', 'renamed', 'copied', 'changed', 'unchanged']);

function changed(path: string, status: ChangeStatus, previousPath: string | undefined, ranges: PatchRanges | null): ChangedDockerfile {
  return {
    path,
    status,
    ...(previousPath !== undefined ? { previousPath } : {}),
    added: ranges ? ranges.added : null,
    hunks: ranges ? ranges.hunks : null,
  };
}

function rangesOf(path: string, patch: string, source: string, notices: string[]): PatchRanges | null {
  try {
    return parsePatch(patch);
  } catch (error) {
    notices.push(`${path}: ${source} could not be read (${describeError(error)}), so every line counts as changed.`);
    return null;
  }
}

/** Drops (with a notice) changed files that are not in the workspace: they cannot be checked. */
async function presentInWorkspace(
  workspace: string,
  files: ChangedDockerfile[],
  notices: string[],
  source: string,
): Promise<ChangedDockerfile[]> {
  const present: ChangedDockerfile[] = [];
  for (const file of files) {
    const info = await stat(join(workspace, file.path)).catch(() => undefined);
    if (info?.isFile()) present.push(file);
    else notices.push(`${file.path} changed in the ${source} but is not in the workspace (${workspace}); is the commit checked out? Skipped.`);
  }
  return present;
}

function repoFromPayload(payload: any): { owner: string; repo: string } | undefined {
  const repository = payload?.repository;
  const owner: unknown = repository?.owner?.login ?? repository?.owner?.name;
  const name: unknown = repository?.name;
  if (typeof owner === 'string' && owner !== '' && typeof name === 'string' && name !== '') return { owner, repo: name };
  const full: unknown = repository?.full_name;
  if (typeof full === 'string' && /^[^/]+\/[^/]+$/.test(full)) {
    const [o, r] = full.split('/') as [string, string];
    return { owner: o, repo: r };
  }
  return undefined;
}

function isCommitId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(value);
}

function isZero(sha: string): boolean {
  return /^0+$/.test(sha);
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { status?: unknown }).status;
    return typeof status === 'number' && !error.message.startsWith(String(status)) ? `${status}: ${error.message}` : error.message;
  }
  return String(error);
}

async function assertDirectory(workspace: string): Promise<void> {
  const info = await stat(workspace).catch(() => undefined);
  if (!info) throw new Error(`The workspace ${workspace} does not exist.`);
  if (!info.isDirectory()) throw new Error(`The workspace ${workspace} is not a directory.`);
}

/**
 * The Dockerfiles a pull request changes and their changed lines, from GitHub alone (no checkout): for the report
 * mode, which posts an earlier run's findings without the pull request's code.
 */
export async function pullRequestChanges(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  number: number,
  globs: string[],
): Promise<{ files: ChangedDockerfile[]; notices: string[] }> {
  const notices: string[] = [];
  const entries = await listPullRequestFiles(octokit, repo, number);
  return { files: fromDiffEntries(entries, dockerfileMatcher(globs), notices), notices };
}

export interface PullRequestRef {
  number: number;
  headSha: string;
  baseSha: string;
}

/**
 * The pull request a `workflow_run` event was for, checked against GitHub rather than taken from an artifact: the
 * run's own pull_requests list (same-repository branches), else the open pull request whose head is the run's head
 * repository and branch (pull requests from forks, which GitHub leaves out of that list). The pull request's head
 * must be the commit the run analysed; otherwise null.
 */
export async function pullRequestForWorkflowRun(octokit: Octokit, repo: { owner: string; repo: string }, payload: any): Promise<PullRequestRef | null> {
  const run = payload?.workflow_run;
  const headSha: unknown = run?.head_sha;
  if (!run || typeof headSha !== 'string') return null;
  const candidates: number[] = [];
  for (const pr of Array.isArray(run.pull_requests) ? run.pull_requests : []) if (typeof pr?.number === 'number') candidates.push(pr.number);
  if (candidates.length === 0) {
    const owner: unknown = run.head_repository?.owner?.login;
    const branch: unknown = run.head_branch;
    if (typeof owner === 'string' && typeof branch === 'string') {
      const { data } = await octokit.rest.pulls.list({ owner: repo.owner, repo: repo.repo, state: 'open', head: `${owner}:${branch}`, per_page: 10 });
      for (const pr of data) candidates.push(pr.number);
    }
  }
  for (const number of candidates) {
    const { data } = await octokit.rest.pulls.get({ owner: repo.owner, repo: repo.repo, pull_number: number });
    if (data.head.sha === headSha) return { number, headSha: data.head.sha, baseSha: data.base.sha };
  }
  return null;
}
