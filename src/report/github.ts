/**
 * What the GitHub reporters (check run, review, summary comment) are given, and what they answer. The action
 * (src/main.ts) builds one ReporterContext and hands it to each reporter in turn; a reporter never decides what is a
 * finding, it only places findings, and it never throws for a refused write: it answers `refused` instead.
 */
import type { getOctokit } from '@actions/github';
import type { FailOn } from '../config/policy.ts';
import type { Finding } from '../findings.ts';
import type { Report } from './types.ts';

export type Octokit = ReturnType<typeof getOctokit>;

export type FilterMode = 'added' | 'diff_context' | 'file' | 'nofilter';

/** The lines of one Dockerfile that the pull request changed (from src/changes). null: unknown, every line counts. */
export interface ChangedLines {
  /** Right-side line numbers of added lines. */
  added: number[] | null;
  /** Right-side line ranges covered by the diff's hunks (where GitHub accepts review comments). */
  hunks: Array<[number, number]> | null;
}

export interface ReporterContext {
  octokit: Octokit;
  repo: { owner: string; repo: string };
  /** The pull request, when the run is for one. */
  pull: { number: number; headSha: string; baseSha: string } | null;
  /** The commit the check run is attached to: the PR's head SHA (not the merge SHA), else GITHUB_SHA. */
  headSha: string;
  report: Report;
  /** By Dockerfile path: which lines the pull request changed. A file not listed was not changed by it. */
  changed: Map<string, ChangedLines>;
  options: {
    checkName: string;
    filterMode: FilterMode;
    maxReviewComments: number;
    failOn: FailOn;
    /** Link to the workflow run, for summaries. */
    runUrl?: string;
  };
  log: { info(message: string): void; notice(message: string): void; warning(message: string): void };
}

export interface ReporterOutcome {
  reporter: 'check-run' | 'review' | 'summary-comment';
  /** `done`: posted; `refused`: GitHub refused the write (read-only token, e.g. a fork's pull request); `skipped`: nothing to do. */
  status: 'done' | 'refused' | 'skipped' | 'failed';
  message?: string;
  /** Findings the reporter could not place (e.g. outside the diff for the review): the summary comment lists them. */
  notPlaced?: Finding[];
}
