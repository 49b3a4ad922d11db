/**
 * SARIF 2.1.0 for GitHub code scanning (and any other SARIF reader): one run, every rule listed (a stable rule list),
 * one result per finding.
 *
 * Choices worth knowing:
 * - Rules of the security-relevant categories carry the `security` tag and a `security-severity` from their default
 *   severity (error 8.0 = high, warning 5.0 = medium, info 2.0 = low), so code scanning files them as security
 *   alerts. Those categories are `security` (secrets, piping downloads into a shell), `user` (what the container may
 *   do: root, sudo) and `image` (what the built image contains: setuid files, secrets in layers). `base-image` is
 *   not among them although some of its rules are about the supply chain: it also holds portability and style rules
 *   (platform flags), which must not show up as security alerts. The other categories (packages, shell,
 *   instructions, labels, syntax) are about correctness and hygiene and show as plain errors, warnings and notes.
 * - GitHub rejects a run with more than 25,000 results. Beyond that the most severe 25,000 are kept and
 *   `invocations[0].toolExecutionNotifications` says how many were left out.
 * - Artifact URIs are relative to `%SRCROOT%`, with `/` separators, each segment percent-encoded (spaces, `%`, `#`,
 *   non-ASCII); `./` and empty segments are dropped. A backslash is taken as a Windows separator. An absolute path
 *   (`/x`, `C:\x`, `\\server\share`) becomes a `file://` URI.
 * - Regions are 1-based, columns in UTF-16 code units (`columnKind: utf16CodeUnits`), `endColumn` exclusive, as in
 *   findings. A position below 1 is raised to 1: GitHub rejects the whole upload for one such location.
 * - `helpUri` and `informationUri` are given only when absolute (when the action runs from a repository, see
 *   `docsUrl`); a relative docs path is still named in the help text.
 */
import { compareBySeverity, type Finding, type Severity } from '../findings.ts';
import { docsUrl, type RuleMeta } from '../rules/types.ts';
import { orderedResults, type Report } from './types.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
/** GitHub code scanning rejects a run with more results than this. */
export const GITHUB_MAX_RESULTS_PER_RUN = 25_000;
/** The key of Defang's fingerprint in `partialFingerprints`. Bump the version if fingerprints change meaning. */
export const FINGERPRINT_KEY = 'defang/v1';

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface SarifReportingDescriptor {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription?: SarifMessage;
  help?: SarifMessage;
  helpUri?: string;
  defaultConfiguration?: { level: SarifLevel };
  properties: { tags: string[]; precision?: string; 'security-severity'?: string };
}

export interface SarifFix {
  description?: SarifMessage;
  artifactChanges: Array<{
    artifactLocation: SarifArtifactLocation;
    replacements: Array<{ deletedRegion: SarifRegion; insertedContent: { text: string } }>;
  }>;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: Array<{ physicalLocation: { artifactLocation: SarifArtifactLocation; region: Required<SarifRegion> } }>;
  partialFingerprints: Record<string, string>;
  fixes?: SarifFix[];
  properties?: { hadolint?: string; imagePath?: string; layer?: string; inherited?: boolean };
}

export interface SarifNotification {
  level: SarifLevel;
  message: SarifMessage;
}

export interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: {
      driver: {
        name: string;
        informationUri?: string;
        version?: string;
        rules: SarifReportingDescriptor[];
      };
    };
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: SarifNotification[] }>;
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
  }>;
}

export interface SarifOptions {
  /** Where docs links point (see `docsUrl`). Defaults to the process environment. */
  env?: NodeJS.ProcessEnv;
}

const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

/** Rule categories whose findings are security findings in code scanning. */
export const SECURITY_CATEGORIES: ReadonlySet<RuleMeta['category']> = new Set(['security', 'user', 'image']);

function isAbsoluteUrl(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
}

/** `unpinned-base-image` → `UnpinnedBaseImage`. */
export function pascalCase(id: string): string {
  return id
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment.replace(LONE_SURROGATE, '\uFFFD'));
}

/** The artifact location of a Dockerfile path: relative to `%SRCROOT%`, or a `file://` URI when absolute. */
export function artifactLocation(file: string): SarifArtifactLocation {
  const path = file.replace(/\\/g, '/');
  const unc = /^\/\/([^/]+)(\/.*)?$/.exec(path);
  if (unc) return { uri: `file://${encodeSegment(unc[1])}${encodePath(unc[2] ?? '')}` };
  const drive = /^([A-Za-z]:)\//.exec(path);
  if (drive) return { uri: `file:///${drive[1]}${encodePath(path.slice(drive[1].length))}` };
  if (path.startsWith('/')) return { uri: `file://${encodePath(path)}` };
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  return { uri: segments.map(encodeSegment).join('/'), uriBaseId: '%SRCROOT%' };
}

/** An absolute path (`/a/b`) with empty segments dropped and each segment encoded. */
function encodePath(path: string): string {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => `/${encodeSegment(s)}`)
    .join('');
}

/**
 * SARIF readers turn `[text](target)` in a message into a link. When a message contains that pattern, its brackets
 * (and backslashes before brackets) are escaped so the text is shown as written.
 */
export function sarifMessageText(text: string): string {
  if (!/\[[^\]]*\]\(/.test(text)) return text;
  return text.replace(/\\(?=[[\]])/g, '\\\\').replace(/[[\]]/g, (c) => `\\${c}`);
}

function helpText(meta: RuleMeta, url: string): SarifMessage {
  const codes = meta.hadolint ?? [];
  const text = [meta.description];
  const markdown = [meta.description];
  if (codes.length > 0) {
    text.push(`hadolint: ${codes.join(', ')}`);
    markdown.push(`hadolint: ${codes.map((c) => `\`${c}\``).join(', ')}`);
  }
  text.push(`Documentation: ${url}`);
  markdown.push(`[Documentation](${url.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`);
  return { text: text.join('\n\n'), markdown: markdown.join('\n\n') };
}

function ruleDescriptor(meta: RuleMeta, env: NodeJS.ProcessEnv): SarifReportingDescriptor {
  const url = docsUrl(meta.id, env);
  const security = SECURITY_CATEGORIES.has(meta.category);
  const tags = security ? ['security'] : [];
  if (!tags.includes(meta.category)) tags.push(meta.category);
  const properties: SarifReportingDescriptor['properties'] = { tags, precision: 'high' };
  if (security) properties['security-severity'] = SECURITY_SEVERITY[meta.severity];
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    defaultConfiguration: { level: LEVEL[meta.severity] },
    ...(isAbsoluteUrl(url) ? { helpUri: url } : {}),
    help: helpText(meta, url),
    properties,
  };
}

/** A finding of a rule missing from `report.rules` (e.g. an internal error) still needs a descriptor. */
function bareDescriptor(id: string): SarifReportingDescriptor {
  return { id, name: pascalCase(id), shortDescription: { text: id }, properties: { tags: [] } };
}

function region(f: Finding): Required<SarifRegion> {
  const startLine = Math.max(1, f.line);
  const startColumn = Math.max(1, f.column);
  const endLine = Math.max(startLine, f.endLine);
  const endColumn = endLine === startLine ? Math.max(startColumn, f.endColumn) : Math.max(1, f.endColumn);
  return { startLine, startColumn, endLine, endColumn };
}

function sarifFix(f: Finding, location: SarifArtifactLocation): SarifFix | undefined {
  if (!f.fix) return undefined;
  const startLine = Math.max(1, f.fix.line);
  const fix: SarifFix = {
    artifactChanges: [
      {
        artifactLocation: { ...location },
        // A region with lines only covers those whole lines' text (SARIF §3.30): replaced by the fix's text.
        replacements: [
          {
            deletedRegion: { startLine, endLine: Math.max(startLine, f.fix.endLine) },
            insertedContent: { text: f.fix.replacement },
          },
        ],
      },
    ],
  };
  if (f.fix.description) return { description: { text: f.fix.description }, ...fix };
  return fix;
}

function sarifResult(f: Finding, dockerfile: string, ruleIndex: number, rules: SarifReportingDescriptor[]): SarifResult {
  const location = artifactLocation(dockerfile);
  const text = f.message.trim() !== '' ? f.message : rules[ruleIndex].shortDescription.text;
  const result: SarifResult = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: sarifMessageText(text) },
    locations: [{ physicalLocation: { artifactLocation: location, region: region(f) } }],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
  };
  const fix = sarifFix(f, location);
  if (fix) result.fixes = [fix];
  const properties: NonNullable<SarifResult['properties']> = {};
  if (f.hadolint) properties.hadolint = f.hadolint;
  if (f.path !== undefined) properties.imagePath = f.path;
  if (f.layer !== undefined) properties.layer = f.layer;
  if (f.inherited !== undefined) properties.inherited = f.inherited;
  if (Object.keys(properties).length > 0) result.properties = properties;
  return result;
}

export function toSarif(report: Report, options: SarifOptions = {}): SarifLog {
  const env = options.env ?? process.env;
  const ordered = orderedResults(report);

  // Every rule of the report, then any rule id that appears only in findings; sorted by id for a stable list.
  const descriptors = new Map<string, SarifReportingDescriptor>();
  for (const meta of report.rules) if (!descriptors.has(meta.id)) descriptors.set(meta.id, ruleDescriptor(meta, env));
  for (const r of ordered) {
    for (const f of r.findings) if (!descriptors.has(f.ruleId)) descriptors.set(f.ruleId, bareDescriptor(f.ruleId));
  }
  const rules = [...descriptors.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ruleIndex = new Map(rules.map((d, i) => [d.id, i]));

  // Over GitHub's limit: keep the most severe, shown in the usual order.
  const all = ordered.flatMap((r) => r.findings.map((finding) => ({ finding, dockerfile: r.dockerfile })));
  let kept = all;
  const left = all.length - GITHUB_MAX_RESULTS_PER_RUN;
  if (left > 0) {
    const keep = new Set(
      [...all].sort((a, b) => compareBySeverity(a.finding, b.finding)).slice(0, GITHUB_MAX_RESULTS_PER_RUN),
    );
    kept = all.filter((x) => keep.has(x));
  }

  const notifications: SarifNotification[] = (report.notices ?? []).map((n) => ({ level: 'note', message: { text: n } }));
  if (left > 0) {
    notifications.push({
      level: 'warning',
      message: {
        text: `${left} result${left === 1 ? ' was' : 's were'} left out: GitHub code scanning accepts at most ${GITHUB_MAX_RESULTS_PER_RUN} results per run, so only the ${GITHUB_MAX_RESULTS_PER_RUN} most severe of ${all.length} are included.`,
      },
    });
  }

  const repo = env.GITHUB_ACTION_REPOSITORY;
  const informationUri =
    repo && /^[\w.-]+\/[\w.-]+$/.test(repo) ? `${env.GITHUB_SERVER_URL || 'https://github.com'}/${repo}` : undefined;
  const driver = {
    name: 'Defang',
    ...(informationUri ? { informationUri } : {}),
    ...(report.tool?.version ? { version: report.tool.version } : {}),
    rules,
  };

  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: { driver },
        invocations: [
          notifications.length > 0
            ? { executionSuccessful: true, toolExecutionNotifications: notifications }
            : { executionSuccessful: true },
        ],
        columnKind: 'utf16CodeUnits',
        results: kept.map(({ finding, dockerfile }) => sarifResult(finding, dockerfile, ruleIndex.get(finding.ruleId)!, rules)),
      },
    ],
  };
}

/** The SARIF log as text: two-space indentation and a trailing newline. */
export function toSarifString(report: Report, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(report, options), null, 2)}\n`;
}
