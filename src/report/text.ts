/**
 * Human output, close to hadolint's: one line per finding, grouped by file, then one summary line.
 *
 *     Dockerfile:3:6 warning unpinned-base-image (DL3006): Base image "debian" has no tag: pin a version.
 *
 *     0 errors, 1 warning, 0 infos in 1 file
 *
 * Paths and messages are printed as they are, except control characters and bidirectional-override characters,
 * which are shown as escapes (`\n`, `\x1b`, `\u202e`): a finding stays on one line and text taken from a Dockerfile
 * cannot move the cursor, recolour the terminal or reorder what is shown. Notices are not part of this output (the
 * CLI prints them to standard error).
 */
import { countBySeverity, type Finding, type Severity } from '../findings.ts';
import { fileCount, orderedResults, type Report } from './types.ts';

export interface TextOptions {
  /** Use ANSI colours. The caller decides (isTTY, NO_COLOR, FORCE_COLOR). */
  color: boolean;
}

type Style = (s: string) => string;

function sgr(open: number, close: number): Style {
  return (s) => `\u001b[${open}m${s}\u001b[${close}m`;
}

const STYLES = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
  green: sgr(32, 39),
};

const PLAIN: Style = (s) => s;

const SEVERITY_STYLE: Record<Severity, Style> = { error: STYLES.red, warning: STYLES.yellow, info: STYLES.cyan };

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// C0 controls, DEL, C1 controls, and the bidirectional embedding/override/isolate characters.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Make a string safe to print on one terminal line. */
export function visible(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const named = NAMED_ESCAPES[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function findingLine(dockerfile: string, f: Finding, style: (name: keyof typeof STYLES | Severity) => Style): string {
  const location = style('bold')(`${visible(dockerfile)}:${f.line}:${f.column}`);
  const severity = style(f.severity)(f.severity);
  const rule = style('dim')(f.hadolint ? `${visible(f.ruleId)} (${visible(f.hadolint)})` : visible(f.ruleId));
  return `${location} ${severity} ${rule}: ${visible(f.message)}`;
}

/** The summary line: `N errors, N warnings, N infos in M files`, or `No problems found in M files.` */
export function summaryLine(report: Pick<Report, 'results'>): string {
  const counts = countBySeverity(report.results.flatMap((r) => r.findings));
  const files = plural(fileCount(report), 'file');
  if (counts.error + counts.warning + counts.info === 0) return `No problems found in ${files}.`;
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info')} in ${files}`;
}

export function toText(report: Pick<Report, 'results'>, options: TextOptions): string {
  const style = (name: keyof typeof STYLES | Severity): Style => {
    if (!options.color) return PLAIN;
    return name === 'error' || name === 'warning' || name === 'info' ? SEVERITY_STYLE[name] : STYLES[name];
  };
  const groups = orderedResults(report)
    .filter((r) => r.findings.length > 0)
    .map((r) => r.findings.map((f) => findingLine(r.dockerfile, f, style)).join('\n'));

  const counts = countBySeverity(report.results.flatMap((r) => r.findings));
  const summary = summaryLine(report);
  const summaryStyle: Style = !options.color
    ? PLAIN
    : counts.error > 0
      ? (s) => STYLES.bold(STYLES.red(s))
      : counts.warning > 0
        ? (s) => STYLES.bold(STYLES.yellow(s))
        : counts.info > 0
          ? (s) => STYLES.bold(STYLES.cyan(s))
          : STYLES.green;

  return [...groups, summaryStyle(summary)].join('\n\n') + '\n';
}
