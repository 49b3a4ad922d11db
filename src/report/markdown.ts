/**
 * GitHub-flavoured Markdown shared by the reporters that write it: the job summary, the check run's summary and
 * text, and the pull request's summary comment. Everything that comes from a Dockerfile, a path or a finding's
 * message goes through `escapeText` or `codeSpan`, so a hostile Dockerfile cannot inject mentions, links, images,
 * HTML, emphasis, math or table cells, nor close a code fence.
 *
 * The API, for every reporter that renders findings:
 *
 *   escapeText(s)                 inline text (sentences, list items, table cells), one line
 *   codeSpan(s, 'inline'|'table') an inline code span that always closes, one line
 *   safeUrl(u) / link(text, u)    http(s) links only, with the target percent-encoded
 *   countsPhrase(counts)          "2 errors, 5 warnings, 1 info"
 *   verdict(findings, failOn, n)  the one-line verdict, e.g. "❌ **Failing** …"
 *   countsTable(counts)           Severity | Count
 *   ruleReference(id, code, url)  `` [`rule-id`](docs) (DL3006) ``
 *   findingsTable(findings, opts) one table; `tableHeader` + `tableRow` to build one row by row
 *   imageGroups(findings)         image findings grouped by instruction and layer
 *   findingSections(results, …)   a section per Dockerfile: static table, then the image groups, within a size limit
 *   renderWithinLimit(compose, …) a whole document around the sections that stays within a size limit, with
 *                                 `omissionNote` saying how many findings were left out
 *
 * Escaping choices:
 * - ASCII punctuation with a meaning in GFM is backslash-escaped: \ ` * _ [ ] < > | ~ $ & (and, at the start of the
 *   text, # + - = and the `.`/`)` after leading digits, which would start a heading or a list). `[` escaped means no
 *   link or image; `<` escaped means no HTML and no <autolink>; `|` escaped keeps a table cell whole; `$` escaped
 *   means no math.
 * - What GitHub links after rendering (mentions, e-mail and bare-URL autolinks, issue references) cannot be undone by
 *   a backslash, so a zero-width space (U+200B) is put inside the pattern: `@​user`, `https:​//`, `www​.`, `#​12`.
 *   The text reads the same; copying it picks up the invisible character.
 * - Line breaks and tabs become spaces (a table row is one line); other control characters and the bidirectional
 *   override characters are shown as escapes (`\x1b`, `\u202e`); lone surrogates become U+FFFD.
 */
import type { FailOn } from '../config/policy.ts';
import { atLeast, compareBySeverity, compareFindings, countBySeverity, SEVERITIES, type Finding, type Severity } from '../findings.ts';
import { docsUrl as ruleDocsUrl, type RuleMeta } from '../rules/types.ts';
import { visible } from './text.ts';
import { orderedResults, type FileResult } from './types.ts';

// ---------------------------------------------------------------------------------------------------------------
// Escaping

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ZWSP = '\u200b';

/** One line of plain text: line breaks and tabs as spaces, other controls as visible escapes. */
export function oneLine(text: string): string {
  return visible(text.replace(LONE_SURROGATE, '\uFFFD').replace(/\r\n|[\r\n\t\v\f\u2028\u2029\u0085]/g, ' '));
}

/** Text for inline Markdown (a sentence, a list item, a table cell): shown exactly as written, one line. */
export function escapeText(text: string): string {
  return (
    oneLine(text)
      .trim()
      .replace(/[\\`*_[\]<>|~$&]/g, '\\$&')
      // Mentions (@user, @org/team) and e-mail autolinks.
      .replace(/@(?=[\p{L}\p{N}_-])/gu, `@${ZWSP}`)
      // Bare URL autolinks (scheme://) and www. autolinks.
      .replace(/:(?=\/\/)/g, `:${ZWSP}`)
      .replace(/\b(www)\./gi, `$1${ZWSP}.`)
      // Issue and pull request references (#12, owner/repo#12).
      .replace(/#(?=\d)/g, `#${ZWSP}`)
      // What would start a block at the beginning of a line.
      .replace(/^([#+=-])/, '\\$1')
      .replace(/^(\d+)([.)])/, '$1\\$2')
  );
}

/**
 * An inline code span that shows `text` exactly (on one line) and always closes: the fence is longer than any run
 * of backticks inside. In a table (`where: 'table'`) pipes are escaped, which GFM requires even inside code.
 */
export function codeSpan(text: string, where: 'inline' | 'table' = 'inline'): string {
  let body = oneLine(text);
  if (body === '') return '` `';
  if (where === 'table') body = body.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad =
    body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '');
  return pad ? `${fence} ${body} ${fence}` : `${fence}${body}${fence}`;
}

/** An absolute http(s) URL made safe for a Markdown link target, or null for anything else. */
export function safeUrl(url: string): string | null {
  if (!/^https?:\/\/[^\s/?#]+/i.test(url)) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return parsed.href.replace(/[()<>|"'\\\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `[text](url)` when the URL is a safe absolute link; the escaped text alone otherwise. */
export function link(text: string, url: string | null | undefined): string {
  const target = url ? safeUrl(url) : null;
  return target ? `[${escapeText(text)}](${target})` : escapeText(text);
}

// ---------------------------------------------------------------------------------------------------------------
// Counts and verdict

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 errors, 5 warnings, 1 info` (every severity, zeros included). */
export function countsPhrase(counts: Readonly<Record<Severity, number>>): string {
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info')}`;
}

/** Only the severities that occur: `2 errors, 1 info`; empty when there are none. */
export function nonZeroCounts(counts: Readonly<Record<Severity, number>>): string {
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => plural(counts[s], s))
    .join(', ');
}

export const SEVERITY_ICON: Readonly<Record<Severity, string>> = { error: '❌', warning: '⚠️', info: 'ℹ️' };

/** True when some finding is at or above the `fail-on` threshold (the gate of the step and of the check run). */
export function failsGate(findings: readonly Finding[], failOn: FailOn): boolean {
  return failOn !== 'never' && findings.some((f) => atLeast(f.severity, failOn));
}

/**
 * The one-line verdict:
 * - `❌ **Failing**: 2 errors at or above fail-on `error`.` (then the rest, when there is more)
 * - `✅ **Passing**: nothing at or above fail-on `error`; 5 warnings to review.`
 * - `✅ **Passing**: no problems found in 3 Dockerfiles.`
 * - `ℹ️ **Not gating** (fail-on `never`): 2 errors, 5 warnings.`
 */
export function verdict(findings: readonly Finding[], failOn: FailOn, dockerfiles: number): string {
  const counts = countBySeverity(findings);
  if (findings.length === 0) {
    return dockerfiles === 0
      ? '✅ **Passing**: no Dockerfiles to check.'
      : `✅ **Passing**: no problems found in ${plural(dockerfiles, 'Dockerfile')}.`;
  }
  if (failOn === 'never') return `ℹ️ **Not gating** (fail-on \`never\`): ${nonZeroCounts(counts)}.`;
  const failing: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const below: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const s of SEVERITIES) (atLeast(s, failOn) ? failing : below)[s] = counts[s];
  const rest = nonZeroCounts(below);
  if (failsGate(findings, failOn)) {
    return `❌ **Failing**: ${nonZeroCounts(failing)} at or above fail-on \`${failOn}\`${rest ? `; also ${rest}` : ''}.`;
  }
  return `✅ **Passing**: nothing at or above fail-on \`${failOn}\`; ${rest} to review.`;
}

/** A two-column table of the counts by severity. */
export function countsTable(counts: Readonly<Record<Severity, number>>): string {
  const label: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };
  return [
    '| Severity | Count |',
    '| --- | ---: |',
    ...SEVERITIES.map((s) => `| ${SEVERITY_ICON[s]} ${label[s]} | ${counts[s]} |`),
  ].join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------------
// Tables

export type Column = 'line' | 'severity' | 'rule' | 'path' | 'message';

/** The columns of a Dockerfile's table and of an image group's table. */
export const STATIC_COLUMNS: readonly Column[] = ['line', 'severity', 'rule', 'message'];
export const IMAGE_COLUMNS: readonly Column[] = ['severity', 'rule', 'path', 'message'];

export interface TableOptions {
  /** The columns, in order. Default STATIC_COLUMNS. */
  columns?: readonly Column[];
  /**
   * The docs page of a rule, linked from the rule cell when it is an absolute http(s) URL. Default: `docsUrl` from
   * src/rules/types.ts with the process environment.
   */
  docsUrl?: (ruleId: string) => string | null;
  /** A link for a finding's lines (e.g. the blob at the head commit, `#L3-L5`); the line cell is plain when null. */
  lineUrl?: (file: string, line: number, endLine: number) => string | null;
}

const HEADINGS: Record<Column, string> = { line: 'Line', severity: 'Severity', rule: 'Rule', path: 'Path', message: 'Message' };
const ALIGN: Record<Column, string> = { line: '---:', severity: '---', rule: '---', path: '---', message: '---' };

/** The header and delimiter rows of a table, each ending with a line break. */
export function tableHeader(columns: readonly Column[] = STATIC_COLUMNS): string {
  return `| ${columns.map((c) => HEADINGS[c]).join(' | ')} |\n| ${columns.map((c) => ALIGN[c]).join(' | ')} |\n`;
}

function lineCell(f: Finding, options: TableOptions): string {
  const end = Math.max(f.line, f.endLine);
  const text = end > f.line ? `${f.line}–${end}` : String(f.line);
  const url = options.lineUrl?.(f.file, f.line, end) ?? null;
  const target = url ? safeUrl(url) : null;
  return target ? `[${text}](${target})` : text;
}

/**
 * A rule as code, linked to its docs page when that is an absolute http(s) URL, with the hadolint code after it:
 * `` [`unpinned-base-image`](https://…/unpinned-base-image.md) (DL3006) ``. Safe in a table cell.
 */
export function ruleReference(ruleId: string, hadolint?: string, docs: string | null = ruleDocsUrl(ruleId)): string {
  const target = docs ? safeUrl(docs) : null;
  const id = codeSpan(ruleId, 'table');
  const rule = target ? `[${id}](${target})` : id;
  return hadolint ? `${rule} (${escapeText(hadolint)})` : rule;
}

function ruleCell(f: Finding, options: TableOptions): string {
  return ruleReference(f.ruleId, f.hadolint, options.docsUrl ? options.docsUrl(f.ruleId) : ruleDocsUrl(f.ruleId));
}

/** One table row (ending with a line break) for a finding. */
export function tableRow(f: Finding, columns: readonly Column[] = STATIC_COLUMNS, options: TableOptions = {}): string {
  const cells = columns.map((c) => {
    switch (c) {
      case 'line':
        return lineCell(f, options);
      case 'severity':
        return `${SEVERITY_ICON[f.severity]} ${f.severity}`;
      case 'rule':
        return ruleCell(f, options);
      case 'path':
        return f.path === undefined ? '' : codeSpan(f.path, 'table');
      case 'message':
        return escapeText(f.message) || '\u00a0';
    }
  });
  return `| ${cells.join(' | ')} |\n`;
}

/** A whole table of `findings`, in the order given, ending with a line break. */
export function findingsTable(findings: readonly Finding[], options: TableOptions = {}): string {
  const columns = options.columns ?? STATIC_COLUMNS;
  return tableHeader(columns) + findings.map((f) => tableRow(f, columns, options)).join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Image findings

/** Image findings that one instruction's layer brought in (or that come from the base image, on the FROM line). */
export interface ImageGroup {
  line: number;
  endLine: number;
  /** The layer's digest, when the findings name one. */
  layer?: string;
  inherited: boolean;
  findings: Finding[];
}

/**
 * True for a finding about the built image: its rule is of kind `image` (when `rules` knows it), or it names a path
 * inside the image, a layer, or the base image.
 */
export function isImageFinding(f: Finding, kinds?: ReadonlyMap<string, RuleMeta['kind']>): boolean {
  const kind = kinds?.get(f.ruleId);
  if (kind) return kind === 'image';
  return f.path !== undefined || f.layer !== undefined || f.inherited === true;
}

function groupKey(f: Finding): string {
  return `${f.line}\u0000${Math.max(f.line, f.endLine)}\u0000${f.layer ?? ''}\u0000${f.inherited === true}`;
}

/** Image findings grouped by instruction (lines) and layer, groups in line order, findings most severe first. */
export function imageGroups(findings: readonly Finding[]): ImageGroup[] {
  const groups = new Map<string, ImageGroup>();
  for (const f of [...findings].sort(compareFindings)) {
    const key = groupKey(f);
    let group = groups.get(key);
    if (!group) {
      group = { line: f.line, endLine: Math.max(f.line, f.endLine), inherited: f.inherited === true, findings: [] };
      if (f.layer !== undefined) group.layer = f.layer;
      groups.set(key, group);
    }
    group.findings.push(f);
  }
  for (const g of groups.values()) g.findings.sort(compareBySeverity);
  return [...groups.values()];
}

/** `sha256:` and the first 12 hex digits of a digest; other text as it is. */
export function shortDigest(digest: string): string {
  const m = /^(sha256:)([0-9a-f]{64})$/.exec(digest);
  return m ? `${m[1]}${m[2].slice(0, 12)}` : digest;
}

/** `**Image, line 5** · layer `sha256:0123456789ab` · inherited from the base image`, one line. */
export function imageGroupHeading(group: ImageGroup): string {
  const lines = group.endLine > group.line ? `lines ${group.line}–${group.endLine}` : `line ${group.line}`;
  const parts = [`**Image, ${lines}**`];
  if (group.layer !== undefined) parts.push(`layer ${codeSpan(shortDigest(group.layer))}`);
  if (group.inherited) parts.push('inherited from the base image');
  return parts.join(' · ');
}

// ---------------------------------------------------------------------------------------------------------------
// Sections within a size limit

export interface SectionsOptions extends TableOptions {
  /** The heading level of each Dockerfile's section. Default 3. */
  headingLevel?: 2 | 3 | 4 | 5;
  /** Rule metadata (`report.rules`), to tell image findings from static ones. */
  rules?: readonly RuleMeta[];
  /** The most the sections may take, measured with `measure`. Default: no limit. */
  limit?: number;
  /** How size is counted. Default `utf8Bytes` (GitHub counts check run text in bytes). */
  measure?: (text: string) => number;
}

export interface RenderedSections {
  markdown: string;
  /** Findings listed. */
  shown: number;
  /** Findings left out to stay within the limit, by severity. */
  omitted: Record<Severity, number>;
  /** Dockerfiles without findings left out to stay within the limit. */
  omittedFiles: number;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Length in UTF-16 code units (never less than GitHub's count of characters). */
export function chars(text: string): number {
  return text.length;
}

interface Container {
  /** Text before the first row (heading, table header). */
  head: string;
  columns: readonly Column[];
  findings: Finding[];
}

interface FileLayout {
  heading: string;
  containers: Container[];
  findingCount: number;
}

function layout(result: FileResult, options: SectionsOptions, kinds: ReadonlyMap<string, RuleMeta['kind']>): FileLayout {
  const level = '#'.repeat(options.headingLevel ?? 3);
  const counts = countBySeverity(result.findings);
  const label = result.findings.length === 0 ? 'no problems found' : nonZeroCounts(counts);
  const heading = `${level} ${codeSpan(result.dockerfile)} · ${label}\n\n`;
  const staticFindings = result.findings.filter((f) => !isImageFinding(f, kinds)).sort(compareFindings);
  const containers: Container[] = [];
  if (staticFindings.length > 0) {
    containers.push({ head: tableHeader(STATIC_COLUMNS), columns: STATIC_COLUMNS, findings: staticFindings });
  }
  for (const group of imageGroups(result.findings.filter((f) => isImageFinding(f, kinds)))) {
    containers.push({ head: `${imageGroupHeading(group)}\n\n${tableHeader(IMAGE_COLUMNS)}`, columns: IMAGE_COLUMNS, findings: group.findings });
  }
  return { heading, containers, findingCount: result.findings.length };
}

/**
 * A section per Dockerfile (files in path order): a heading with the file's counts, a table of its Dockerfile
 * findings in line order, then its image findings grouped by instruction and layer. A file without findings gets
 * its heading alone. Within `limit`, the most severe findings are kept (rows are still shown in line order), then
 * the files without findings; whatever does not fit is counted in `omitted` / `omittedFiles`.
 */
export function findingSections(results: readonly FileResult[], options: SectionsOptions = {}): RenderedSections {
  const measure = options.measure ?? utf8Bytes;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const kinds = new Map((options.rules ?? []).map((r) => [r.id, r.kind] as const));
  const files = orderedResults({ results: [...results] }).map((r) => layout(r, options, kinds));

  // Where each finding goes, to price it: its file, its container, its row.
  const place = new Map<Finding, { file: FileLayout; container: Container; row: string }>();
  for (const file of files) {
    for (const container of file.containers) {
      for (const f of container.findings) place.set(f, { file, container, row: tableRow(f, container.columns, options) });
    }
  }

  const keptFiles = new Set<FileLayout>();
  const keptContainers = new Set<Container>();
  const kept = new Set<Finding>();
  let used = 0;
  let full = false;
  for (const f of [...place.keys()].sort(compareBySeverity)) {
    const p = place.get(f)!;
    let cost = measure(p.row);
    if (!keptFiles.has(p.file)) cost += measure(p.file.heading);
    // A container costs its head, and the blank line after its last row.
    if (!keptContainers.has(p.container)) cost += measure(p.container.head) + measure('\n');
    if (used + cost > limit) {
      full = true;
      break;
    }
    used += cost;
    kept.add(f);
    keptFiles.add(p.file);
    keptContainers.add(p.container);
  }
  let omittedFiles = 0;
  for (const file of files) {
    if (file.findingCount > 0) continue;
    const cost = measure(file.heading);
    if (full || used + cost > limit) {
      full = true;
      omittedFiles++;
      continue;
    }
    used += cost;
    keptFiles.add(file);
  }

  const parts: string[] = [];
  for (const file of files) {
    if (!keptFiles.has(file)) continue;
    parts.push(file.heading);
    for (const container of file.containers) {
      if (!keptContainers.has(container)) continue;
      parts.push(container.head);
      for (const f of container.findings) if (kept.has(f)) parts.push(place.get(f)!.row);
      parts.push('\n');
    }
  }
  const omitted: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of place.keys()) if (!kept.has(f)) omitted[f.severity]++;
  return { markdown: parts.join(''), shown: kept.size, omitted, omittedFiles };
}

export function omittedCount(sections: Pick<RenderedSections, 'omitted'>): number {
  return sections.omitted.error + sections.omitted.warning + sections.omitted.info;
}

/**
 * The note that says what was left out, e.g. `> **Note**: 12 findings (2 errors, 10 warnings) are not listed here,
 * to stay within GitHub's limit of 65,535 bytes. They are in the check run's annotations.` Empty when nothing was.
 */
export function omissionNote(sections: Pick<RenderedSections, 'omitted' | 'omittedFiles'>, limitText: string, seeAlso = ''): string {
  const n = omittedCount(sections);
  if (n === 0 && sections.omittedFiles === 0) return '';
  const what: string[] = [];
  if (n > 0) what.push(`${plural(n, 'finding')} (${nonZeroCounts(sections.omitted)})`);
  if (sections.omittedFiles > 0) what.push(`${plural(sections.omittedFiles, 'Dockerfile')} without findings`);
  const verb = n + sections.omittedFiles === 1 ? 'is' : 'are';
  return `> **Note**: ${what.join(' and ')} ${verb} not listed here, to stay within ${limitText}.${seeAlso ? ` ${seeAlso}` : ''}\n`;
}

/**
 * A document built around the finding sections that stays within `limit` (measured with `measure`): `compose`
 * gets the sections (with what they left out) and returns the whole text, note included. The sections shrink until
 * the text fits; if the text around them alone is too long, it is cut at a line break with `cutMarker`.
 */
export function renderWithinLimit(
  results: readonly FileResult[],
  compose: (sections: RenderedSections) => string,
  options: SectionsOptions & { limit: number; cutMarker?: string },
): { text: string; sections: RenderedSections } {
  const measure = options.measure ?? utf8Bytes;
  const unlimited = findingSections(results, { ...options, limit: Number.POSITIVE_INFINITY });
  let text = compose(unlimited);
  if (measure(text) <= options.limit) return { text, sections: unlimited };

  // Price the text around the sections with everything left out (the longest note), then shrink until it fits.
  const nothing = findingSections(results, { ...options, limit: 0 });
  let budget = options.limit - measure(compose(nothing));
  let sections = nothing;
  while (budget > 0) {
    sections = findingSections(results, { ...options, limit: budget });
    text = compose(sections);
    const excess = measure(text) - options.limit;
    if (excess <= 0) return { text, sections };
    budget -= excess;
  }
  sections = nothing;
  text = compose(sections);
  if (measure(text) <= options.limit) return { text, sections };
  return { text: cutText(text, options.limit, measure, options.cutMarker ?? '\n> **Note**: the rest of this text was cut to stay within GitHub\'s size limit.\n'), sections };
}

/** `text` cut at a line break so that it and `marker` fit in `limit`. */
export function cutText(text: string, limit: number, measure: (text: string) => number, marker: string): string {
  if (measure(text) <= limit) return text;
  const room = limit - measure(marker);
  if (room <= 0) return '';
  const lines = text.split('\n');
  let low = 0;
  let high = lines.length;
  // The most whole lines that fit.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (measure(lines.slice(0, mid).join('\n') + '\n') <= room) low = mid;
    else high = mid - 1;
  }
  if (low > 0) return lines.slice(0, low).join('\n') + '\n' + marker;
  // Not even one line fits: cut inside the first line, at a code point.
  const points = [...lines[0]];
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(points.slice(0, mid).join('') + '\n') <= room) lo = mid;
    else hi = mid - 1;
  }
  return points.slice(0, lo).join('') + '\n' + marker;
}
