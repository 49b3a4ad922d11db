/**
 * The check run: created `in_progress` on the pull request's head commit when the action starts
 * (`startCheckRun`), completed when the findings are known (`completeCheckRun`) with a conclusion, a title, a
 * Markdown summary and text, and one annotation per finding.
 *
 * Choices worth knowing:
 * - Conclusion: `failure` when a finding is at or above `fail-on` (the step fails too); `neutral` when fail-on is
 *   `never` and there are findings (nothing can fail the run, but the grey check says there is something to read;
 *   branch protection treats neutral as passing); `success` otherwise, including findings below the threshold.
 * - Limits (GitHub's REST documentation and answers): at most 50 annotations per request, so the completing
 *   request carries the 50 most severe and further updates append 50 at a time (GitHub appends annotations across
 *   updates); summary and text at most 65,535 — GitHub counts bytes here ("summary exceeds a maximum bytesize of
 *   65535"), so Defang measures UTF-8 bytes; annotation titles at most 255 characters, messages and raw details at
 *   most 64 KB. The output title has no documented limit; Defang keeps it to 255 characters too.
 * - The summary holds the verdict, the counts and a table per Dockerfile; when they do not fit, the most severe
 *   findings are kept and a note says how many were left out (they are still annotated, up to `maxAnnotations`).
 *   The text lists the rules that reported findings, with their descriptions, and the run's notices.
 * - At most `maxAnnotations` (default 1,000, i.e. 20 requests) annotations are sent, most severe first; the summary
 *   says when some were not.
 * - The completing request goes first (the conclusion is never lost if a later annotation slice fails).
 * - A 403 (a read-only token: a fork's pull request, or `checks: write` missing) is `refused`, never a throw. A 403
 *   about a rate limit, a 422 and every other error are `failed` with GitHub's message (and its `errors` details).
 *   Rate limits are waited out by the octokit plugins the action installs.
 */
import type { FailOn } from '../config/policy.ts';
import { compareBySeverity, countBySeverity, type Finding } from '../findings.ts';
import { docsUrl as ruleDocsUrl, type RuleMeta } from '../rules/types.ts';
import { annotationMessage, annotationTitle } from './annotations.ts';
import type { ReporterContext, ReporterOutcome } from './github.ts';
import {
  countsPhrase,
  countsTable,
  cutText,
  escapeText,
  failsGate,
  omissionNote,
  plural,
  renderWithinLimit,
  ruleReference,
  utf8Bytes,
  verdict,
  type RenderedSections,
} from './markdown.ts';
import { allFindings, fileCount, type Report } from './types.ts';

/** GitHub accepts at most this many annotations in one create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limit for the output summary and text, in bytes. */
export const MAX_OUTPUT_BYTES = 65_535;
/** The longest output and annotation title Defang sends. */
export const MAX_TITLE_CHARS = 255;
/** GitHub's limit for an annotation's message and raw details (64 KB). */
export const MAX_ANNOTATION_TEXT_BYTES = 64 * 1024;
/** Annotations sent by default, most severe first. */
export const DEFAULT_MAX_ANNOTATIONS = 1_000;

export type CheckConclusion = 'success' | 'failure' | 'neutral';

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  message: string;
  title: string;
  raw_details: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
}

export interface CheckOutputOptions {
  failOn: FailOn;
  /** The docs page of a rule. Default: `docsUrl` with the process environment. */
  docsUrl?: (ruleId: string) => string;
  /** A link to the lines of a finding (blob at the head commit). */
  lineUrl?: (file: string, line: number, endLine: number) => string | null;
  /** Annotations sent at most. Default DEFAULT_MAX_ANNOTATIONS. */
  maxAnnotations?: number;
  /** Limit for summary and text. Default MAX_OUTPUT_BYTES (tests use less). */
  maxOutputBytes?: number;
}

export interface CompleteOptions {
  maxAnnotations?: number;
  /** The clock, for `completed_at`. */
  now?: () => Date;
}

/** `failure` at or above fail-on; `neutral` for findings when fail-on is `never`; `success` otherwise. */
export function checkConclusion(findings: readonly Finding[], failOn: FailOn): CheckConclusion {
  if (failsGate(findings, failOn)) return 'failure';
  if (failOn === 'never' && findings.length > 0) return 'neutral';
  return 'success';
}

function cutChars(text: string, max: number): string {
  const points = [...text];
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : text;
}

/** `2 errors, 5 warnings, 1 info in 3 Dockerfiles`, `No problems found in 1 Dockerfile`, `No Dockerfiles to check`. */
export function checkTitle(report: Pick<Report, 'results'>): string {
  const findings = report.results.flatMap((r) => r.findings);
  const files = fileCount(report);
  if (files === 0) return 'No Dockerfiles to check';
  const where = plural(files, 'Dockerfile');
  const title = findings.length === 0 ? `No problems found in ${where}` : `${countsPhrase(countBySeverity(findings))} in ${where}`;
  return cutChars(title, MAX_TITLE_CHARS);
}

function cutBytes(text: string, max: number, marker: string): string {
  if (utf8Bytes(text) <= max) return text;
  const room = max - utf8Bytes(marker);
  let out = '';
  let used = 0;
  for (const point of text) {
    const size = utf8Bytes(point);
    if (used + size > room) break;
    out += point;
    used += size;
  }
  return out + marker;
}

const LEVEL: Record<Finding['severity'], CheckAnnotation['annotation_level']> = { error: 'failure', warning: 'warning', info: 'notice' };

/** One annotation for a finding. */
export function checkAnnotation(f: Finding, docs: (ruleId: string) => string = ruleDocsUrl): CheckAnnotation {
  const start = Math.max(1, f.line);
  const end = Math.max(start, f.endLine);
  const annotation: CheckAnnotation = {
    path: f.file,
    start_line: start,
    end_line: end,
    annotation_level: LEVEL[f.severity],
    message: cutBytes(annotationMessage(f), MAX_ANNOTATION_TEXT_BYTES, '…'),
    title: annotationTitle(f),
    raw_details: '',
  };
  if (start === end) {
    annotation.start_column = Math.max(1, f.column);
    annotation.end_column = Math.max(annotation.start_column, f.endColumn - 1);
  }
  const details = [`Documentation: ${docs(f.ruleId)}`];
  if (f.fix) {
    const lines = f.fix.endLine > f.fix.line ? `lines ${f.fix.line}-${f.fix.endLine}` : `line ${f.fix.line}`;
    details.push(`Suggested fix (${lines})${f.fix.description ? `: ${f.fix.description}` : ''}:\n${f.fix.replacement}`);
  }
  annotation.raw_details = cutBytes(details.join('\n\n'), MAX_ANNOTATION_TEXT_BYTES, '…');
  return annotation;
}

/** The annotations to send, most severe first, at most `max`. */
export function checkAnnotations(findings: readonly Finding[], docs?: (ruleId: string) => string, max = DEFAULT_MAX_ANNOTATIONS): CheckAnnotation[] {
  return [...findings].sort(compareBySeverity).slice(0, max).map((f) => checkAnnotation(f, docs));
}

function rulesText(report: Report, findings: readonly Finding[], docs: (ruleId: string) => string): string {
  if (findings.length === 0) return '';
  const meta = new Map<string, RuleMeta>(report.rules.map((r) => [r.id, r]));
  const counts = new Map<string, number>();
  for (const f of [...findings].sort(compareBySeverity)) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  const rows = [...counts].map(([id, n]) => {
    const m = meta.get(id);
    const rule = ruleReference(id, undefined, docs(id));
    const title = m ? escapeText(m.title) : '';
    const description = m ? escapeText(m.description) : '';
    return `| ${rule} | ${n} | ${title} | ${description} |`;
  });
  return `### Rules with findings\n\n| Rule | Findings | Title | Why it matters |\n| --- | ---: | --- | --- |\n${rows.join('\n')}\n`;
}

function noticesText(notices: readonly string[]): string {
  if (notices.length === 0) return '';
  return `### Notices\n\n${notices.map((n) => `- ${escapeText(n)}`).join('\n')}\n`;
}

/**
 * The check run's output and annotations for a report: a pure function, for tests. The summary and text are each
 * within `maxOutputBytes` UTF-8 bytes.
 */
export function checkOutput(
  report: Report,
  options: CheckOutputOptions,
): { conclusion: CheckConclusion; output: CheckOutput; annotations: CheckAnnotation[]; sections: RenderedSections } {
  const docs = options.docsUrl ?? ((id: string) => ruleDocsUrl(id));
  const limit = options.maxOutputBytes ?? MAX_OUTPUT_BYTES;
  const findings = allFindings(report);
  const annotations = checkAnnotations(findings, docs, options.maxAnnotations ?? DEFAULT_MAX_ANNOTATIONS);
  const head =
    `${verdict(findings, options.failOn, fileCount(report))}\n\n${countsTable(countBySeverity(findings))}\n` +
    (annotations.length < findings.length
      ? `> **Note**: the ${annotations.length} most severe of the ${findings.length} findings are annotated.\n\n`
      : '');
  const seeAlso = annotations.length === findings.length ? 'Every finding is annotated.' : 'The JSON report (output `report-json`) lists every finding.';
  const compose = (s: RenderedSections) => head + s.markdown + omissionNote(s, `GitHub's limit of ${MAX_OUTPUT_BYTES.toLocaleString('en-US')} bytes`, seeAlso);
  const { text: summary, sections } = renderWithinLimit(report.results, compose, {
    limit,
    measure: utf8Bytes,
    rules: report.rules,
    docsUrl: (id) => docs(id),
    lineUrl: options.lineUrl,
  });
  const marker = '\n> **Note**: the rest of this text was cut to stay within GitHub\'s size limit.\n';
  const details = [rulesText(report, findings, docs), noticesText(report.notices ?? [])].filter(Boolean).join('\n');
  const output: CheckOutput = { title: checkTitle(report), summary };
  if (details) output.text = cutText(details, limit, utf8Bytes, marker);
  return { conclusion: checkConclusion(findings, options.failOn), output, annotations, sections };
}

/** `https://github.com/OWNER/REPO/blob/SHA/PATH#L3-L5`, each path segment encoded. */
export function blobLineUrl(server: string, repo: { owner: string; repo: string }, sha: string) {
  return (file: string, line: number, endLine: number): string | null => {
    if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file)) return null;
    const path = file
      .split('/')
      .filter((s) => s !== '' && s !== '.')
      .map(encodeURIComponent)
      .join('/');
    const anchor = endLine > line ? `#L${line}-L${endLine}` : `#L${line}`;
    return `${server.replace(/\/+$/, '')}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.repo)}/blob/${sha}/${path}${anchor}`;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

interface HttpErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { data?: unknown };
}

/** GitHub's message and the details of its `errors`, e.g. `Validation Failed (summary: summary exceeds …)`. */
export function githubMessage(error: unknown): string {
  const e = error as HttpErrorLike;
  const data = e?.response?.data as { message?: unknown; errors?: unknown } | undefined;
  if (data && typeof data === 'object' && typeof data.message === 'string') {
    const details = Array.isArray(data.errors)
      ? data.errors
          .map((x: unknown) => {
            if (typeof x === 'string') return x;
            const item = x as { field?: unknown; code?: unknown; message?: unknown };
            if (typeof item?.message === 'string') return typeof item.field === 'string' && item.field ? `${item.field}: ${item.message}` : item.message;
            return [item?.field, item?.code].filter((v) => typeof v === 'string' && v).join(' ');
          })
          .filter(Boolean)
      : [];
    return details.length > 0 ? `${data.message} (${details.join('; ')})` : data.message;
  }
  return error instanceof Error ? error.message : String(error);
}

function statusOf(error: unknown): number | undefined {
  const status = (error as HttpErrorLike)?.status;
  return typeof status === 'number' && status > 0 ? status : undefined;
}

/** A refused write (read-only token) is `refused`; everything else `failed`, with what GitHub said. */
export function outcomeForError(error: unknown, doing: string): ReporterOutcome {
  const status = statusOf(error);
  const message = githubMessage(error).replace(/\s+/g, ' ').trim();
  if (status === 403 && !/rate limit/i.test(message)) {
    return {
      reporter: 'check-run',
      status: 'refused',
      message:
        `GitHub refused to ${doing} (403: ${message}). The token cannot write checks: a pull request from a fork ` +
        'gets a read-only token, and otherwise the workflow needs `permissions: checks: write`.',
    };
  }
  if (status === 422) return { reporter: 'check-run', status: 'failed', message: `GitHub rejected the request to ${doing} (422: ${message})` };
  if (status !== undefined) return { reporter: 'check-run', status: 'failed', message: `GitHub answered ${status} when asked to ${doing}: ${message}` };
  return { reporter: 'check-run', status: 'failed', message: `could not ${doing}: ${message}` };
}

/** Creates the check run `in_progress` on the head commit. Answers its id, or the outcome when GitHub refused. */
export async function startCheckRun(ctx: ReporterContext, options: { now?: () => Date } = {}): Promise<{ id: number } | ReporterOutcome> {
  const now = options.now ?? (() => new Date());
  try {
    const { data } = await ctx.octokit.rest.checks.create({
      owner: ctx.repo.owner,
      repo: ctx.repo.repo,
      name: ctx.options.checkName,
      head_sha: ctx.headSha,
      status: 'in_progress',
      started_at: now().toISOString(),
      ...(ctx.options.runUrl ? { details_url: ctx.options.runUrl } : {}),
      output: {
        title: 'Checking Dockerfiles…',
        summary: 'Defang is checking the Dockerfiles of this commit. The findings appear here when it is done.',
      },
    });
    ctx.log.info(`Defang: check run "${ctx.options.checkName}" started (id ${data.id})`);
    return { id: data.id };
  } catch (error) {
    return outcomeForError(error, `create the check run "${ctx.options.checkName}"`);
  }
}

function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Completes the check run (`handle` from `startCheckRun`), or creates it completed in one go when the start
 * failed (`handle` null). The first 50 annotations go with the completing request, the rest in further updates.
 */
export async function completeCheckRun(
  ctx: ReporterContext,
  handle: { id: number } | null,
  options: CompleteOptions = {},
): Promise<ReporterOutcome> {
  const now = options.now ?? (() => new Date());
  const server = process.env.GITHUB_SERVER_URL || 'https://github.com';
  const { conclusion, output, annotations, sections } = checkOutput(ctx.report, {
    failOn: ctx.options.failOn,
    lineUrl: blobLineUrl(server, ctx.repo, ctx.headSha),
    maxAnnotations: options.maxAnnotations,
  });
  const [first = [], ...rest] = slices(annotations, ANNOTATIONS_PER_REQUEST);
  const withAnnotations = (batch: CheckAnnotation[]) => ({ ...output, ...(batch.length > 0 ? { annotations: batch } : {}) });
  const name = ctx.options.checkName;
  let id: number;
  try {
    const completion = {
      owner: ctx.repo.owner,
      repo: ctx.repo.repo,
      status: 'completed' as const,
      conclusion,
      completed_at: now().toISOString(),
      output: withAnnotations(first),
    };
    if (handle) {
      await ctx.octokit.rest.checks.update({ ...completion, check_run_id: handle.id });
      id = handle.id;
    } else {
      const { data } = await ctx.octokit.rest.checks.create({
        ...completion,
        name,
        head_sha: ctx.headSha,
        ...(ctx.options.runUrl ? { details_url: ctx.options.runUrl } : {}),
      });
      id = data.id;
    }
  } catch (error) {
    return outcomeForError(error, handle ? `complete the check run "${name}"` : `create the check run "${name}"`);
  }

  let sent = first.length;
  for (const batch of rest) {
    try {
      await ctx.octokit.rest.checks.update({ owner: ctx.repo.owner, repo: ctx.repo.repo, check_run_id: id, output: withAnnotations(batch) });
    } catch (error) {
      const outcome = outcomeForError(error, `add annotations ${sent + 1}-${sent + batch.length} to the check run "${name}"`);
      outcome.message = `The check run was completed (${conclusion}) with ${sent} of ${annotations.length} annotations. ${outcome.message}`;
      return outcome;
    }
    sent += batch.length;
  }
  const left = sections.omitted.error + sections.omitted.warning + sections.omitted.info;
  const message =
    `check run "${name}" completed: ${conclusion}, ${plural(sent, 'annotation')} in ${plural(1 + rest.length, 'request')}` +
    (left > 0 ? `; ${plural(left, 'finding')} left out of the summary to stay within GitHub's limit` : '');
  ctx.log.info(`Defang: ${message}`);
  return { reporter: 'check-run', status: 'done', message };
}

