/**
 * The review reporter: one pull request review per run (event COMMENT, on the head commit) with an inline comment
 * for each new finding on a line of the pull request's diff.
 *
 * Where a finding may go (`filter-mode`; `ctx.changed` says which lines the pull request changed):
 * - `added`: findings whose lines touch an added line;
 * - `diff_context`: findings whose lines touch a diff hunk (added or context lines);
 * - `file`: any finding of a changed file;
 * - `nofilter`: every finding.
 * Whatever the mode, GitHub only takes comments on lines inside the diff's hunks (one comment outside makes it refuse
 * the whole review with 422), so a comment is anchored on the part of the finding's lines that lies inside one hunk;
 * a finding with no line inside a hunk (or in a file whose hunks are unknown, e.g. GitHub sent no diff) is not sent
 * and goes to `notPlaced`, for the summary comment. Findings the mode leaves out are not in `notPlaced`: they were
 * not meant for inline comments, and the summary comment lists every finding anyway.
 *
 * A fixable finding whose fix lines (`fix.line`..`fix.endLine`) lie inside one hunk is anchored on exactly those
 * lines and carries a ```suggestion block, so the fix can be applied in one click. When the fix lines are outside the
 * diff the comment shows the replacement as a plain code block instead (a suggestion there would replace the wrong
 * lines).
 *
 * Re-runs: every comment ends with a hidden marker `<!-- defang:fingerprint=<fp> -->`. Before posting, the pull
 * request's review comments are listed; findings that already have a comment are not posted again. A Defang
 * comment whose finding is gone (its fingerprint is among none of the current findings) is marked resolved: its body
 * is edited to a struck-through headline and "Resolved in <sha>", and its marker gets ` resolved`. Editing rather than
 * deleting was chosen because deleting would drop the thread's replies and the record of what was fixed, and because
 * REST cannot resolve a thread (GraphQL's resolveReviewThread can; a token's GraphQL rights differ, so it is not
 * used). A resolved comment does not count as posted: if the finding comes back, a new comment is posted.
 *
 * Cap: at most `maxReviewComments` Defang comments stay open on the pull request — open comments of findings still
 * there count against it — and new ones are taken most severe first; the rest go to `notPlaced`. Nothing new to
 * post: no review is created (GitHub would show an empty one).
 *
 * Errors: a 403 (read-only token, e.g. a fork's pull request) is `refused`; a 422 is `failed` with GitHub's message;
 * either way the findings that were to be posted go to `notPlaced`, so the summary comment still shows them.
 */
import { compareBySeverity, compareFindings, countBySeverity, hash128, type Finding } from '../findings.ts';
import { docsUrl } from '../rules/types.ts';
import type { ChangedLines, FilterMode, ReporterContext, ReporterOutcome } from './github.ts';
import { codeSpan, countsPhrase, escapeText, plural, safeUrl, SEVERITY_ICON } from './markdown.ts';
import { allFindings } from './types.ts';

/** GitHub refuses a comment body longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

/** The hidden marker at the end of every review comment: its fingerprint, and whether it was resolved. */
export const FINGERPRINT_MARKER = /<!-- defang:fingerprint=([A-Za-z0-9._:-]{1,200})( resolved)? -->\s*$/;

/** The hidden marker of the review's own body. */
export const REVIEW_MARKER = '<!-- defang:review -->';

/** Longest message (in characters, before escaping) a comment shows. */
export const COMMENT_MESSAGE_MAX = 4000;

/**
 * The id a finding carries in its marker: its fingerprint when that is a plain token (Defang's are 32 hex
 * digits), else a hash of it, so a hand-made report cannot put text into the marker.
 */
export function markerId(fingerprint: string): string {
  return /^[A-Za-z0-9._:-]{1,200}$/.test(fingerprint) ? fingerprint : `h${hash128(fingerprint)}`;
}

export function fingerprintMarker(fingerprint: string, resolved = false): string {
  return `<!-- defang:fingerprint=${markerId(fingerprint)}${resolved ? ' resolved' : ''} -->`;
}

/** Right-side lines `[start, end]`, inclusive. */
export type LineRange = [start: number, end: number];

export interface Placement {
  /** Whether the filter mode lets the finding become an inline comment. */
  eligible: boolean;
  /** Where the comment goes (inside one hunk); absent when no line of the finding is inside the diff. */
  anchor?: LineRange;
  /** True when the anchor is the fix's lines, so the comment carries a suggestion block. */
  suggestion: boolean;
}

function spanOf(line: number, endLine: number): LineRange {
  const start = Math.max(1, line);
  return [start, Math.max(start, endLine)];
}

function intersect(a: LineRange, b: LineRange): LineRange | undefined {
  const start = Math.max(a[0], b[0]);
  const end = Math.min(a[1], b[1]);
  return start <= end ? [start, end] : undefined;
}

/** Where a finding may be commented on, per `mode` and the file's changed lines (undefined: not changed). */
export function placeFinding(f: Finding, changed: ChangedLines | undefined, mode: FilterMode): Placement {
  const span = spanOf(f.line, f.endLine);
  const touchesAdded = (c: ChangedLines) => c.added === null || c.added.some((n) => n >= span[0] && n <= span[1]);
  const touchesHunk = (c: ChangedLines) => c.hunks === null || c.hunks.some((h) => intersect(span, h) !== undefined);
  const eligible =
    mode === 'nofilter' ||
    (changed !== undefined && (mode === 'file' || (mode === 'diff_context' ? touchesHunk(changed) : touchesAdded(changed))));
  if (!eligible) return { eligible: false, suggestion: false };
  const hunks = changed?.hunks;
  if (!hunks) return { eligible: true, suggestion: false };

  if (f.fix) {
    const fix = spanOf(f.fix.line, f.fix.endLine);
    if (f.fix.line >= 1 && hunks.some((h) => h[0] <= fix[0] && fix[1] <= h[1])) {
      return { eligible: true, anchor: fix, suggestion: true };
    }
  }
  // In `added` mode, prefer the hunk that holds the first added line of the finding.
  const firstAdded = mode === 'added' ? changed?.added?.find((n) => n >= span[0] && n <= span[1]) : undefined;
  const hunk =
    (firstAdded !== undefined ? hunks.find((h) => h[0] <= firstAdded && firstAdded <= h[1]) : undefined) ??
    hunks.find((h) => intersect(span, h) !== undefined);
  const anchor = hunk ? intersect(span, hunk) : undefined;
  return anchor ? { eligible: true, anchor, suggestion: false } : { eligible: true, suggestion: false };
}

/** At most `max` characters (UTF-16 code units), ending with `…` when cut; a surrogate pair is never split. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * A fenced code block that shows `content` exactly: the fence is longer than any run of backticks in it, so the
 * content cannot close the block (and inside a block GitHub renders no Markdown, HTML, mentions or links).
 */
export function codeFence(content: string, info: string): string {
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${content === '' ? '' : `${content}\n`}${fence}`;
}

/** `rule-id` (`DL3006`) · [docs](…): the docs link only when the docs have an absolute URL. */
export function ruleLine(f: Pick<Finding, 'ruleId' | 'hadolint'>): string {
  let text = codeSpan(f.ruleId);
  if (f.hadolint) text += ` (${codeSpan(f.hadolint)})`;
  // Only a plain rule id names a docs page; anything else (a hand-made report) gets no link.
  if (/^[a-z0-9][a-z0-9-]*$/i.test(f.ruleId)) {
    const target = safeUrl(docsUrl(f.ruleId));
    if (target) text += ` · [docs](${target})`;
  }
  return text;
}

/** The headline of a comment: severity and message. */
function headline(f: Finding): string {
  return `${SEVERITY_ICON[f.severity]} **${f.severity}**: ${escapeText(clip(f.message, COMMENT_MESSAGE_MAX))}`;
}

function imageDetails(f: Finding): string[] {
  const details: string[] = [];
  if (f.path !== undefined) details.push(`Path in image: ${codeSpan(clip(f.path, 500))}`);
  if (f.layer !== undefined) details.push(`layer ${codeSpan(clip(f.layer, 100))}`);
  if (f.inherited) details.push('inherited from the base image');
  return details;
}

/** The body of a finding's review comment. `suggestion`: the comment sits on the fix's lines. */
export function commentBody(f: Finding, suggestion: boolean): string {
  const parts = [headline(f), [ruleLine(f), ...imageDetails(f)].join(' · ')];
  const marker = fingerprintMarker(f.fingerprint);
  if (f.fix) {
    const description = f.fix.description ? `: ${escapeText(clip(f.fix.description, 500))}` : '';
    const lines = f.fix.endLine > f.fix.line ? `lines ${f.fix.line}–${f.fix.endLine}` : `line ${f.fix.line}`;
    const fixPart = suggestion
      ? `**Suggested fix**${description}\n\n${codeFence(f.fix.replacement, 'suggestion')}`
      : `**Suggested fix** for ${lines}${description} (outside this pull request's diff, so it cannot be applied here):\n\n${codeFence(f.fix.replacement, 'dockerfile')}`;
    const withFix = [...parts, fixPart, marker].join('\n\n');
    if (withFix.length < COMMENT_LIMIT) return withFix;
    parts.push(`**Suggested fix**${description}: too long to show here (${plural(f.fix.replacement.length, 'character')}).`);
  }
  return [...parts, marker].join('\n\n');
}

/** The body a comment gets when its finding is gone: the headline struck through, and the commit that fixed it. */
export function resolvedBody(oldBody: string, fingerprint: string, sha: string): string {
  const first = oldBody.split('\n', 1)[0]?.trim() ?? '';
  const struck = first === '' || first.startsWith('<!--') ? 'Defang finding' : clip(first, 1000);
  const commit = /^[0-9a-f]{7,64}$/i.test(sha) ? sha : codeSpan(sha);
  return `~~${struck}~~\n\n✅ Resolved in ${commit}.\n\n<!-- defang:fingerprint=${fingerprint} resolved -->`;
}

interface ExistingComment {
  id: number;
  fingerprint: string;
  resolved: boolean;
  body: string;
}

interface ReviewCommentParams {
  path: string;
  body: string;
  line: number;
  side: 'RIGHT';
  start_line?: number;
  start_side?: 'RIGHT';
}

function commentParams(f: Finding, anchor: LineRange, suggestion: boolean): ReviewCommentParams {
  const params: ReviewCommentParams = { path: f.file, body: commentBody(f, suggestion), line: anchor[1], side: 'RIGHT' };
  // GitHub refuses a start_line equal to line ("start line must precede the end line").
  if (anchor[0] < anchor[1]) {
    params.start_line = anchor[0];
    params.start_side = 'RIGHT';
  }
  return params;
}

function statusOf(error: unknown): number | undefined {
  if (error !== null && typeof error === 'object' && 'status' in error && typeof error.status === 'number') return error.status;
  return undefined;
}

/** GitHub's message and its `errors`, from an Octokit RequestError (or any error). */
export function githubMessage(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data as
    | { message?: unknown; errors?: unknown }
    | undefined;
  if (data && typeof data.message === 'string') {
    const errors = Array.isArray(data.errors)
      ? data.errors.map((e) => (typeof e === 'string' ? e : typeof e?.message === 'string' ? e.message : JSON.stringify(e)))
      : [];
    return errors.length > 0 ? `${data.message}: ${errors.join('; ')}` : data.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** A 403 that refuses the write (not a rate limit, which is waited out elsewhere). */
export function isRefusal(error: unknown): boolean {
  return statusOf(error) === 403 && !/rate limit/i.test(githubMessage(error));
}

function failure(error: unknown, what: string, notPlaced: Finding[]): ReporterOutcome {
  const status = statusOf(error);
  const message = `${what}: GitHub answered ${status ?? 'with an error'}: ${githubMessage(error)}`;
  return { reporter: 'review', status: isRefusal(error) ? 'refused' : 'failed', message, notPlaced: notPlaced.sort(compareFindings) };
}

async function existingComments(ctx: ReporterContext, pullNumber: number): Promise<ExistingComment[]> {
  const comments = await ctx.octokit.paginate(ctx.octokit.rest.pulls.listReviewComments, {
    ...ctx.repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  const ours: ExistingComment[] = [];
  for (const c of comments) {
    if (c.in_reply_to_id !== undefined && c.in_reply_to_id !== null) continue;
    const m = FINGERPRINT_MARKER.exec(c.body);
    if (m) ours.push({ id: c.id, fingerprint: m[1] as string, resolved: m[2] !== undefined, body: c.body });
  }
  return ours;
}

export async function postReview(ctx: ReporterContext): Promise<ReporterOutcome> {
  const pull = ctx.pull;
  if (!pull) return { reporter: 'review', status: 'skipped', message: 'not a pull request: no review to post' };

  const findings = allFindings(ctx.report);
  const current = new Set(findings.map((f) => markerId(f.fingerprint)));
  const notPlaced: Finding[] = [];
  const placeable: Array<{ finding: Finding; anchor: LineRange; suggestion: boolean }> = [];
  for (const f of findings) {
    const p = placeFinding(f, ctx.changed.get(f.file), ctx.options.filterMode);
    if (!p.eligible) continue;
    if (p.anchor) placeable.push({ finding: f, anchor: p.anchor, suggestion: p.suggestion });
    else notPlaced.push(f);
  }

  let existing: ExistingComment[];
  try {
    existing = await existingComments(ctx, pull.number);
  } catch (error) {
    return failure(error, 'listing the review comments', [...notPlaced, ...placeable.map((p) => p.finding)]);
  }
  const open = new Set(existing.filter((c) => !c.resolved).map((c) => c.fingerprint));
  // Findings with an open comment are on the pull request already, whether or not they could be placed now.
  const unposted = notPlaced.filter((f) => !open.has(markerId(f.fingerprint)));
  notPlaced.length = 0;
  notPlaced.push(...unposted);

  const seen = new Set<string>();
  const fresh = placeable
    .filter((p) => {
      const id = markerId(p.finding.fingerprint);
      if (open.has(id) || seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .sort((a, b) => compareBySeverity(a.finding, b.finding));
  const stillOpen = [...open].filter((id) => current.has(id)).length;
  const slots = Math.max(0, ctx.options.maxReviewComments - stillOpen);
  const toPost = fresh.slice(0, slots);
  notPlaced.push(...fresh.slice(slots).map((p) => p.finding));

  const done: string[] = [];
  let outcome: ReporterOutcome | undefined;
  if (toPost.length > 0) {
    const posted = toPost.map((p) => p.finding);
    const parts = [
      `**Defang**: ${plural(toPost.length, 'new finding')} on this pull request's changes (${countsPhrase(countBySeverity(posted))}).`,
    ];
    if (notPlaced.length > 0) {
      parts.push(`${plural(notPlaced.length, 'other finding')} could not be placed on the diff; the summary comment lists them.`);
    }
    parts.push(REVIEW_MARKER);
    try {
      await ctx.octokit.rest.pulls.createReview({
        ...ctx.repo,
        pull_number: pull.number,
        commit_id: pull.headSha,
        event: 'COMMENT',
        body: parts.join('\n\n'),
        comments: toPost.map((p) => commentParams(p.finding, p.anchor, p.suggestion)),
      });
      done.push(`posted a review with ${plural(toPost.length, 'comment')}`);
    } catch (error) {
      notPlaced.push(...posted);
      outcome = failure(error, 'creating the review', notPlaced);
      // Nothing can be written with a read-only token: stop here.
      if (outcome.status === 'refused') {
        ctx.log.notice(`Defang review: ${outcome.message}`);
        return outcome;
      }
      ctx.log.warning(`Defang review: ${outcome.message}`);
    }
  }

  // Comments whose finding is gone: marked resolved.
  const gone = existing.filter((c) => !c.resolved && !current.has(c.fingerprint));
  let resolved = 0;
  let refused = 0;
  const errors: string[] = [];
  for (const c of gone) {
    try {
      await ctx.octokit.rest.pulls.updateReviewComment({
        ...ctx.repo,
        comment_id: c.id,
        body: resolvedBody(c.body, c.fingerprint, pull.headSha),
      });
      resolved++;
    } catch (error) {
      if (statusOf(error) === 404) continue; // deleted meanwhile
      if (isRefusal(error)) refused++;
      else errors.push(`comment ${c.id}: ${githubMessage(error)}`);
      ctx.log.warning(`Defang review: could not mark comment ${c.id} resolved: ${githubMessage(error)}`);
    }
  }
  if (resolved > 0) done.push(`marked ${plural(resolved, 'fixed finding')} resolved`);
  if (refused > 0) done.push(`GitHub refused to edit ${plural(refused, 'comment')} (403)`);
  const already = placeable.length - fresh.length;
  if (already > 0) done.push(`${plural(already, 'finding')} already commented on`);
  if (notPlaced.length > 0) done.push(`${plural(notPlaced.length, 'finding')} not placed`);

  if (outcome) return { ...outcome, message: [outcome.message, ...done].join('; ') };
  notPlaced.sort(compareFindings);
  if (refused > 0 && resolved === 0 && errors.length === 0 && toPost.length === 0) {
    return { reporter: 'review', status: 'refused', message: `GitHub refused to edit ${plural(refused, 'comment')} (403)`, notPlaced };
  }
  if (errors.length > 0) {
    return { reporter: 'review', status: 'failed', message: [...done, ...errors].join('; '), notPlaced };
  }
  const wrote = toPost.length > 0 || resolved > 0;
  const message = done.length > 0 ? done.join('; ') : 'nothing to post';
  ctx.log.info(`Defang review: ${message}`);
  return { reporter: 'review', status: wrote ? 'done' : 'skipped', message, notPlaced };
}
