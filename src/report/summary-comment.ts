/**
 * The summary comment: one issue comment per pull request, found again on every run by its hidden first line
 * `<!-- defang:summary -->` and edited in place (created on the first run). It holds:
 *
 * - the one-line verdict (pass or fail per `fail-on`) and the counts by severity;
 * - a section per Dockerfile: its Dockerfile findings in a table, then its image findings grouped by instruction and
 *   layer, with their path inside the image; findings inherited from the base image form their own group (on the
 *   FROM line, marked "inherited from the base image");
 * - the findings that could not be placed as review comments (`notPlaced`: outside the diff, over the comment
 *   limit, or refused), by Dockerfile;
 * - the run's notices, and the commit and workflow run it describes.
 *
 * GitHub refuses a comment over 65,536 characters, so the body stays under that: the most severe findings are kept
 * and a note says how many were left out (the not-placed list gets at most 40% of the room, the rest goes to the
 * per-Dockerfile sections). Everything taken from a Dockerfile, a path, a message or a notice is escaped
 * (src/report/markdown.ts).
 */
import { compareFindings, countBySeverity, type Finding } from '../findings.ts';
import type { FailOn } from '../config/policy.ts';
import type { ReporterContext, ReporterOutcome } from './github.ts';
import {
  chars,
  codeSpan,
  countsTable,
  escapeText,
  findingSections,
  link,
  omissionNote,
  plural,
  renderWithinLimit,
  verdict,
  type RenderedSections,
} from './markdown.ts';
import { githubMessage, isRefusal } from './review.ts';
import { allFindings, fileCount, type FileResult, type Report } from './types.ts';

/** The hidden first line that identifies Defang's summary comment. */
export const SUMMARY_MARKER = '<!-- defang:summary -->';

/** The longest body the comment gets: under GitHub's limit of 65,536 characters. */
export const SUMMARY_LIMIT = 65_535;

/** Share of the limit the not-placed list may take. */
const NOT_PLACED_SHARE = 0.4;

/** Notices listed at most, and their longest length. */
const MAX_NOTICES = 20;
const NOTICE_MAX = 500;

export interface SummaryInput {
  report: Report;
  notPlaced: readonly Finding[];
  failOn: FailOn;
  /** The commit the summary describes. */
  headSha: string;
  runUrl?: string;
  /** Default SUMMARY_LIMIT; smaller in tests. */
  limit?: number;
}

export interface RenderedSummary {
  body: string;
  /** Findings of the per-Dockerfile sections left out to stay within the limit. */
  omitted: number;
  /** Not-placed findings left out of their list to stay within the limit. */
  omittedNotPlaced: number;
}

function byFile(findings: readonly Finding[]): FileResult[] {
  const files = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = files.get(f.file);
    if (list) list.push(f);
    else files.set(f.file, [f]);
  }
  return [...files].map(([dockerfile, list]) => ({ dockerfile, findings: list.sort(compareFindings) }));
}

function omittedOf(sections: RenderedSections): number {
  return sections.omitted.error + sections.omitted.warning + sections.omitted.info;
}

/** The body of the summary comment, within the limit. */
export function renderSummaryComment(input: SummaryInput): RenderedSummary {
  const limit = input.limit ?? SUMMARY_LIMIT;
  const findings = allFindings(input.report);
  const limitText = `GitHub's limit of ${(limit + 1).toLocaleString('en-US')} characters for a comment`;
  const seeAlso = input.runUrl ? `The ${link('workflow run', input.runUrl)} has them all.` : 'The workflow run has them all.';

  const head = [
    SUMMARY_MARKER,
    '## Defang',
    '',
    verdict(findings, input.failOn, fileCount(input.report)),
    '',
    countsTable(countBySeverity(findings)),
  ].join('\n');

  // The not-placed list first, within its share of the room.
  let notPlacedPart = '';
  let omittedNotPlaced = 0;
  if (input.notPlaced.length > 0) {
    const sections = findingSections(byFile(input.notPlaced), {
      headingLevel: 4,
      rules: input.report.rules,
      measure: chars,
      limit: Math.floor(limit * NOT_PLACED_SHARE),
    });
    omittedNotPlaced = omittedOf(sections);
    notPlacedPart = [
      `### Not placed on the diff (${input.notPlaced.length})`,
      '',
      `${plural(input.notPlaced.length, 'finding')} could not be shown as review comments: ` +
        "their lines are outside this pull request's diff, there were more than the review comment limit, " +
        'or GitHub refused the review.',
      '',
      [omissionNote(sections, limitText, seeAlso), sections.markdown].filter((part) => part !== '').join('\n'),
    ].join('\n');
  }

  const notices = input.report.notices ?? [];
  let noticesPart = '';
  if (notices.length > 0) {
    const shown = notices.slice(0, MAX_NOTICES).map((n) => `- ${escapeText(n.length > NOTICE_MAX ? `${n.slice(0, NOTICE_MAX - 1)}…` : n)}`);
    if (notices.length > MAX_NOTICES) shown.push(`- and ${plural(notices.length - MAX_NOTICES, 'more notice')}`);
    noticesPart = ['### Notes', '', ...shown, ''].join('\n');
  }

  const sha = /^[0-9a-f]{7,64}$/i.test(input.headSha) ? input.headSha.slice(0, 12) : input.headSha;
  const foot = `<sub>Defang · commit ${codeSpan(sha)}${input.runUrl ? ` · ${link('workflow run', input.runUrl)}` : ''}</sub>\n`;

  const compose = (sections: RenderedSections): string =>
    [
      head,
      omissionNote(sections, limitText, seeAlso),
      findings.length === 0 && input.report.results.length === 0 ? 'No Dockerfiles were checked.\n' : sections.markdown,
      notPlacedPart,
      noticesPart,
      '---',
      foot,
    ]
      .filter((part) => part !== '')
      .join('\n');

  const { text, sections } = renderWithinLimit(input.report.results, compose, {
    headingLevel: 3,
    rules: input.report.rules,
    measure: chars,
    limit,
  });
  return { body: text, omitted: omittedOf(sections), omittedNotPlaced };
}

interface ExistingSummary {
  id: number;
  body: string;
}

async function findSummary(ctx: ReporterContext, issueNumber: number): Promise<ExistingSummary | undefined> {
  const comments = await ctx.octokit.paginate(ctx.octokit.rest.issues.listComments, {
    ...ctx.repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const ours = comments.filter((c) => (c.body ?? '').trimStart().startsWith(SUMMARY_MARKER));
  // Someone may quote or copy the marker: a bot's comment (Defang posts with the workflow's token) comes first.
  const found = ours.find((c) => c.user?.type === 'Bot') ?? ours[0];
  return found ? { id: found.id, body: found.body ?? '' } : undefined;
}

function failure(error: unknown, what: string): ReporterOutcome {
  const status = (error as { status?: unknown } | null)?.status;
  return {
    reporter: 'summary-comment',
    status: isRefusal(error) ? 'refused' : 'failed',
    message: `${what}: GitHub answered ${typeof status === 'number' ? status : 'with an error'}: ${githubMessage(error)}`,
  };
}

/** Creates the summary comment, or edits it in place when a previous run made one. */
export async function upsertSummaryComment(ctx: ReporterContext, notPlaced: Finding[]): Promise<ReporterOutcome> {
  const pull = ctx.pull;
  if (!pull) return { reporter: 'summary-comment', status: 'skipped', message: 'not a pull request: no comment to write' };
  const { body, omitted, omittedNotPlaced } = renderSummaryComment({
    report: ctx.report,
    notPlaced,
    failOn: ctx.options.failOn,
    headSha: pull.headSha,
    ...(ctx.options.runUrl ? { runUrl: ctx.options.runUrl } : {}),
  });
  const cut = omitted + omittedNotPlaced > 0 ? ` (${plural(omitted + omittedNotPlaced, 'finding')} left out to fit)` : '';

  let existing: ExistingSummary | undefined;
  try {
    existing = await findSummary(ctx, pull.number);
  } catch (error) {
    return failure(error, 'listing the pull request comments');
  }
  try {
    if (existing) {
      if (existing.body === body) {
        return { reporter: 'summary-comment', status: 'skipped', message: `summary comment ${existing.id} is up to date` };
      }
      await ctx.octokit.rest.issues.updateComment({ ...ctx.repo, comment_id: existing.id, body });
      ctx.log.info(`Defang: updated the summary comment ${existing.id}${cut}`);
      return { reporter: 'summary-comment', status: 'done', message: `updated summary comment ${existing.id}${cut}` };
    }
    // A pull request that changes no Dockerfile gets no new comment (one already there is kept up to date above).
    if (ctx.report.results.length === 0) {
      return { reporter: 'summary-comment', status: 'skipped', message: 'no Dockerfile was checked: no summary comment to write' };
    }
    const created = await ctx.octokit.rest.issues.createComment({ ...ctx.repo, issue_number: pull.number, body });
    ctx.log.info(`Defang: created the summary comment ${created.data.id}${cut}`);
    return { reporter: 'summary-comment', status: 'done', message: `created summary comment ${created.data.id}${cut}` };
  } catch (error) {
    const outcome = failure(error, existing ? `editing summary comment ${existing.id}` : 'creating the summary comment');
    if (outcome.status === 'refused') ctx.log.notice(`Defang summary comment: ${outcome.message}`);
    else ctx.log.warning(`Defang summary comment: ${outcome.message}`);
    return outcome;
  }
}
