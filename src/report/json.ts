/**
 * The JSON report: a stable, versioned document of every finding (described in docs/json-format.md), and its reader,
 * which validates a document written by an earlier run (e.g. one downloaded as a workflow artifact).
 */
import { countBySeverity, isSeverity, type Finding, type Fix, type Severity } from '../findings.ts';
import { allFindings, orderedResults, type FileResult, type Report } from './types.ts';

/** The version of the document's shape. It changes only when a reader of the old shape would misread the new one. */
export const JSON_REPORT_VERSION = 1;

/** A finding as the JSON document holds it: no `file` (the result names the Dockerfile). Keys in document order. */
export interface JsonFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  hadolint?: string;
  fix?: Fix;
  fingerprint: string;
  path?: string;
  layer?: string;
  inherited?: boolean;
}

export interface JsonReport {
  version: typeof JSON_REPORT_VERSION;
  results: Array<{ dockerfile: string; findings: JsonFinding[] }>;
  summary: Record<Severity, number>;
}

/** What `parseJsonReport` returns: the results with complete findings (`file` set from the result's Dockerfile). */
export interface ParsedJsonReport {
  version: typeof JSON_REPORT_VERSION;
  results: FileResult[];
  summary: Record<Severity, number>;
}

function jsonFix(fix: Fix): Fix {
  const out: Fix = { line: fix.line, endLine: fix.endLine, replacement: fix.replacement };
  if (fix.description !== undefined) out.description = fix.description;
  return out;
}

function jsonFinding(f: Finding): JsonFinding {
  const out: JsonFinding = {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
  } as JsonFinding;
  if (f.hadolint) out.hadolint = f.hadolint;
  if (f.fix !== undefined) out.fix = jsonFix(f.fix);
  out.fingerprint = f.fingerprint;
  if (f.path !== undefined) out.path = f.path;
  if (f.layer !== undefined) out.layer = f.layer;
  if (f.inherited !== undefined) out.inherited = f.inherited;
  return out;
}

/** The document as an object, keys in their documented order. */
export function toJsonObject(report: Pick<Report, 'results'>): JsonReport {
  const summary = countBySeverity(allFindings(report));
  return {
    version: JSON_REPORT_VERSION,
    results: orderedResults(report).map((r) => ({ dockerfile: r.dockerfile, findings: r.findings.map(jsonFinding) })),
    summary: { error: summary.error, warning: summary.warning, info: summary.info },
  };
}

/** The JSON report: two-space indentation and a trailing newline. */
export function toJson(report: Pick<Report, 'results'>): string {
  return `${JSON.stringify(toJsonObject(report), null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

class ShapeError extends Error {
  readonly jsonPath: string;
  readonly problem: string;
  constructor(jsonPath: string, problem: string) {
    super(`${jsonPath}: ${problem}`);
    this.jsonPath = jsonPath;
    this.problem = problem;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (!IDENTIFIER.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function fail(path: string, expected: string, value: unknown): never {
  if (value === undefined) throw new ShapeError(path || '(root)', `missing (expected ${expected})`);
  throw new ShapeError(path || '(root)', `expected ${expected}, got ${describe(value)}`);
}

type Obj = Record<string, unknown>;

function object(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  return value as Obj;
}

/** After an object's known keys are checked (in document order): reject any key the format does not define. */
function noOtherKeys(obj: Obj, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new ShapeError(child(path, key), `unexpected key (allowed: ${allowed.join(', ')})`);
  }
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value);
  return value;
}

function string(value: unknown, path: string, opts: { nonEmpty?: boolean; pattern?: RegExp; what?: string } = {}): string {
  const what = opts.what ?? (opts.nonEmpty ? 'a non-empty string' : 'a string');
  if (typeof value !== 'string') fail(path, what, value);
  if (opts.nonEmpty && value === '') fail(path, what, value);
  if (opts.pattern && !opts.pattern.test(value)) fail(path, what, value);
  return value;
}

function positiveInteger(value: unknown, path: string, min = 1, minWhy = ''): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) fail(path, 'a positive integer', value);
  if (value < min) fail(path, `an integer ≥ ${min}${minWhy}`, value);
  return value;
}

function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(path, 'a non-negative integer', value);
  return value;
}

const FINDING_KEYS = [
  'ruleId',
  'severity',
  'message',
  'line',
  'column',
  'endLine',
  'endColumn',
  'hadolint',
  'fix',
  'fingerprint',
  'path',
  'layer',
  'inherited',
] as const;
const FIX_KEYS = ['line', 'endLine', 'replacement', 'description'] as const;
const HADOLINT_CODE = /^(?:DL|SC)\d{4}$/;

function readFix(value: unknown, path: string): Fix {
  const o = object(value, path);
  const line = positiveInteger(o.line, child(path, 'line'));
  const endLine = positiveInteger(o.endLine, child(path, 'endLine'), line, ' (the fix\'s line)');
  const replacement = string(o.replacement, child(path, 'replacement'));
  const fix: Fix = { line, endLine, replacement };
  if (o.description !== undefined) fix.description = string(o.description, child(path, 'description'));
  noOtherKeys(o, path, FIX_KEYS);
  return fix;
}

function readFinding(value: unknown, path: string, file: string): Finding {
  const o = object(value, path);
  const ruleId = string(o.ruleId, child(path, 'ruleId'), { nonEmpty: true });
  if (!isSeverity(o.severity)) fail(child(path, 'severity'), '"error", "warning" or "info"', o.severity);
  const severity = o.severity;
  const message = string(o.message, child(path, 'message'));
  const line = positiveInteger(o.line, child(path, 'line'));
  const column = positiveInteger(o.column, child(path, 'column'));
  const endLine = positiveInteger(o.endLine, child(path, 'endLine'), line, ` (the finding's line)`);
  const endColumn = positiveInteger(
    o.endColumn,
    child(path, 'endColumn'),
    endLine === line ? column : 1,
    endLine === line ? ` (the finding's column, on the same line)` : '',
  );
  const finding = { ruleId, severity, message, file, line, column, endLine, endColumn } as Finding;
  if (o.hadolint !== undefined) {
    finding.hadolint = string(o.hadolint, child(path, 'hadolint'), {
      pattern: HADOLINT_CODE,
      what: 'a hadolint code like "DL3008" or "SC2086"',
    });
  }
  if (o.fix !== undefined) finding.fix = readFix(o.fix, child(path, 'fix'));
  finding.fingerprint = string(o.fingerprint, child(path, 'fingerprint'), { nonEmpty: true });
  if (o.path !== undefined) finding.path = string(o.path, child(path, 'path'), { nonEmpty: true });
  if (o.layer !== undefined) finding.layer = string(o.layer, child(path, 'layer'), { nonEmpty: true });
  if (o.inherited !== undefined) {
    if (typeof o.inherited !== 'boolean') fail(child(path, 'inherited'), 'true or false', o.inherited);
    finding.inherited = o.inherited;
  }
  noOtherKeys(o, path, FINDING_KEYS);
  return finding;
}

function readDocument(value: unknown): ParsedJsonReport {
  const root = object(value, '');
  if (root.version !== JSON_REPORT_VERSION) {
    if (typeof root.version === 'number' && Number.isInteger(root.version) && root.version > JSON_REPORT_VERSION) {
      throw new ShapeError('version', `this Defang reads version ${JSON_REPORT_VERSION}, the document is version ${root.version}`);
    }
    fail('version', String(JSON_REPORT_VERSION), root.version);
  }
  const results: FileResult[] = array(root.results, 'results').map((item, i) => {
    const path = child('results', i);
    const r = object(item, path);
    const dockerfile = string(r.dockerfile, child(path, 'dockerfile'), { nonEmpty: true });
    const findingsPath = child(path, 'findings');
    const findings = array(r.findings, findingsPath).map((f, j) => readFinding(f, child(findingsPath, j), dockerfile));
    noOtherKeys(r, path, ['dockerfile', 'findings']);
    return { dockerfile, findings };
  });
  const s = object(root.summary, 'summary');
  const actual = countBySeverity(results.flatMap((r) => r.findings));
  const summary = {} as Record<Severity, number>;
  for (const severity of ['error', 'warning', 'info'] as const) {
    const path = child('summary', severity);
    const n = count(s[severity], path);
    if (n !== actual[severity]) {
      throw new ShapeError(path, `is ${n}, but the results hold ${actual[severity]} ${severity} finding${actual[severity] === 1 ? '' : 's'}`);
    }
    summary[severity] = n;
  }
  noOtherKeys(s, 'summary', ['error', 'warning', 'info']);
  noOtherKeys(root, '', ['version', 'results', 'summary']);
  return { version: JSON_REPORT_VERSION, results, summary };
}

/**
 * Read and validate a JSON report. Throws an Error naming `source` and the JSON path of the first problem, e.g.
 * `report.json: results[2].findings[0].line: expected a positive integer, got 0`.
 */
export function parseJsonReport(text: string, source: string): ParsedJsonReport {
  let value: unknown;
  try {
    value = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON: ${(e as Error).message}`);
  }
  try {
    return readDocument(value);
  } catch (e) {
    if (e instanceof ShapeError) throw new Error(`${source}: ${e.message}`);
    throw e;
  }
}
