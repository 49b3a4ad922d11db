/**
 * The job summary (core.summary, written to the file named by GITHUB_STEP_SUMMARY): the verdict, the counts by
 * severity, a section per Dockerfile with the same tables as the check run and the summary comment (src/report/
 * markdown.ts), and the run's notices. It needs no token, so it works on a fork's pull request too.
 *
 * GitHub refuses a step summary over 1 MiB ("$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of
 * 1024k") and then shows none of it. The summary is kept within what is left of that MiB in the step's file (other
 * steps' summaries do not count: each step has its own file): the most severe findings are kept and a note says how
 * many were left out.
 */
import { statSync } from 'node:fs';
import * as core from '@actions/core';
import type { FailOn } from '../config/policy.ts';
import { countBySeverity } from '../findings.ts';
import {
  countsTable,
  escapeText,
  omissionNote,
  renderWithinLimit,
  utf8Bytes,
  verdict,
  type RenderedSections,
} from './markdown.ts';
import { allFindings, fileCount, type Report } from './types.ts';

/** GitHub's limit for one step's summary, in bytes. */
export const JOB_SUMMARY_LIMIT = 1024 * 1024;

export interface JobSummaryOptions {
  failOn: FailOn;
  /** The heading. Default `Defang`. */
  title?: string;
  /** The docs page of a rule (absolute URLs are linked). Default: `docsUrl` with the process environment. */
  docsUrl?: (ruleId: string) => string | null;
  /** A link to the lines of a finding, e.g. `blobLineUrl(...)` from check-run.ts. */
  lineUrl?: (file: string, line: number, endLine: number) => string | null;
  /** The most the summary may take, in bytes. Default JOB_SUMMARY_LIMIT. */
  limit?: number;
  /** Where the reader finds every finding when some are left out. */
  seeAlso?: string;
}

function noticesSection(notices: readonly string[]): string {
  if (notices.length === 0) return '';
  return `### Notices\n\n${notices.map((n) => `- ${escapeText(n)}`).join('\n')}\n\n`;
}

/** The job summary as Markdown, within `limit` bytes: a pure function of the report. */
export function renderJobSummary(report: Report, options: JobSummaryOptions): string {
  const findings = allFindings(report);
  const limit = options.limit ?? JOB_SUMMARY_LIMIT;
  const head =
    `## ${escapeText(options.title ?? 'Defang')}\n\n${verdict(findings, options.failOn, fileCount(report))}\n\n` +
    `${countsTable(countBySeverity(findings))}\n`;
  const notices = noticesSection(report.notices ?? []);
  const seeAlso = options.seeAlso ?? 'The JSON report (output `report-json`) lists every finding.';
  const compose = (s: RenderedSections) => {
    const note = omissionNote(s, `GitHub's limit of ${limit.toLocaleString('en-US')} bytes for a job summary`, seeAlso);
    return head + s.markdown + (note ? `${note}\n` : '') + notices;
  };
  return renderWithinLimit(report.results, compose, {
    limit,
    measure: utf8Bytes,
    rules: report.rules,
    docsUrl: options.docsUrl,
    lineUrl: options.lineUrl,
  }).text;
}

/** What writing needs of core.summary (replaceable in tests). */
export interface SummaryWriter {
  addRaw(text: string, addEOL?: boolean): SummaryWriter;
  write(): Promise<unknown>;
}

export interface JobSummaryResult {
  status: 'done' | 'skipped' | 'failed';
  message: string;
  /** Bytes written. */
  bytes: number;
}

/**
 * Appends the job summary to the step's summary file, within what is left of GitHub's 1 MiB for the step. Never
 * throws: a missing GITHUB_STEP_SUMMARY (not in GitHub Actions) is `skipped`, a write error `failed`.
 */
export async function writeJobSummary(
  report: Report,
  options: JobSummaryOptions,
  writer: SummaryWriter = core.summary,
  env: NodeJS.ProcessEnv = process.env,
): Promise<JobSummaryResult> {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return { status: 'skipped', message: 'no job summary: GITHUB_STEP_SUMMARY is not set (not running in GitHub Actions)', bytes: 0 };
  let used = 0;
  try {
    used = statSync(path).size;
  } catch {
    // Not created yet: nothing used.
  }
  const room = Math.min(options.limit ?? JOB_SUMMARY_LIMIT, JOB_SUMMARY_LIMIT - used);
  // A summary needs a few hundred bytes to say anything useful.
  if (room < 512) {
    return { status: 'skipped', message: `no job summary: the step's summary already takes ${used} of GitHub's ${JOB_SUMMARY_LIMIT} bytes`, bytes: 0 };
  }
  const markdown = renderJobSummary(report, { ...options, limit: room });
  try {
    await writer.addRaw(markdown).write();
  } catch (error) {
    return { status: 'failed', message: `could not write the job summary: ${error instanceof Error ? error.message : String(error)}`, bytes: 0 };
  }
  const bytes = utf8Bytes(markdown);
  return { status: 'done', message: `job summary written (${bytes} bytes)`, bytes };
}
