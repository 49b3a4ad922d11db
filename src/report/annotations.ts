/**
 * Annotations through workflow commands (`::error file=…,line=…::message`), the reporter that needs no token: it
 * works on a fork's pull request too.
 *
 * GitHub turns at most 10 workflow-command annotations of each type (error, warning, notice) per step into
 * annotations (and 50 per job); later ones stay plain log lines. So the findings are emitted most severe first, at
 * most 10 of each type, and when findings are left out the last notice slot is kept for a notice that says how many
 * and where they are; the findings left out are printed to the step log as plain lines, so the log still lists every
 * finding. Other notices the action prints in the same step (configuration notices) share the same 10 slots: pass a
 * smaller `perType` to leave room for them.
 *
 * Escaping: @actions/core escapes `%`, CR and LF in the message and additionally `:` and `,` in properties, so a
 * message or path cannot end the command or start another one. The plain log lines for left-out findings are made
 * one line (control characters shown as escapes) and start with two spaces, so they can never be read as a command.
 */
import * as core from '@actions/core';
import { compareBySeverity, countBySeverity, type Finding, type Severity } from '../findings.ts';
import { docsUrl } from '../rules/types.ts';
import { nonZeroCounts, plural } from './markdown.ts';
import { visible } from './text.ts';
import { allFindings, type Report } from './types.ts';

export type WorkflowLevel = 'error' | 'warning' | 'notice';

export interface WorkflowAnnotation {
  level: WorkflowLevel;
  message: string;
  properties: core.AnnotationProperties;
}

export interface AnnotationPlan {
  /** In the order they are emitted: most severe first, the overflow notice (if any) last. */
  annotations: WorkflowAnnotation[];
  /** Findings not emitted as annotations (printed to the log instead), most severe first. */
  leftOut: Finding[];
}

export interface AnnotationOptions {
  /** Annotations of each type GitHub shows per step. Default 10. */
  perType?: number;
  /** Where the reader finds every finding, for the overflow notice. */
  seeAlso?: string;
  /** The docs page of a rule. Default: `docsUrl` with the process environment. */
  docsUrl?: (ruleId: string) => string;
}

/** GitHub shows this many workflow-command annotations of each type per step. */
export const ANNOTATIONS_PER_TYPE = 10;

/** The longest annotation title Defang sends (GitHub documents 255 characters for check-run annotation titles). */
export const MAX_TITLE_LENGTH = 255;

const LEVEL: Record<Severity, WorkflowLevel> = { error: 'error', warning: 'warning', info: 'notice' };

/** `rule-id (DL3006)`, at most 255 characters. */
export function annotationTitle(f: Finding): string {
  const title = f.hadolint ? `${f.ruleId} (${f.hadolint})` : f.ruleId;
  return [...title].length > MAX_TITLE_LENGTH ? `${[...title].slice(0, MAX_TITLE_LENGTH - 1).join('')}…` : title;
}

/**
 * The plain-text message of an annotation: the finding's message (its rule id if empty), then for image findings
 * the path in the image, the layer and whether it comes from the base image.
 */
export function annotationMessage(f: Finding): string {
  // GitHub requires a message; a finding always has one, but never send an empty annotation.
  const lines = [f.message.trim() === '' ? f.ruleId : f.message];
  const image: string[] = [];
  if (f.path !== undefined) image.push(`path in the image: ${f.path}`);
  if (f.layer !== undefined) image.push(`layer ${f.layer}`);
  if (f.inherited) image.push('inherited from the base image');
  if (image.length > 0) lines.push(image.join('; '));
  return lines.join('\n');
}

/**
 * Where an annotation goes. Lines are raised to 1 and the end line to the start line; columns are given only for a
 * span on one line (GitHub accepts them only then), the end column inclusive (the finding's is exclusive).
 */
export function annotationPosition(f: Finding): Pick<core.AnnotationProperties, 'startLine' | 'endLine' | 'startColumn' | 'endColumn'> {
  const startLine = Math.max(1, f.line);
  const endLine = Math.max(startLine, f.endLine);
  if (startLine !== endLine) return { startLine, endLine };
  const startColumn = Math.max(1, f.column);
  return { startLine, endLine, startColumn, endColumn: Math.max(startColumn, f.endColumn - 1) };
}

function toAnnotation(f: Finding): WorkflowAnnotation {
  return {
    level: LEVEL[f.severity],
    message: annotationMessage(f),
    properties: { title: annotationTitle(f), file: f.file, ...annotationPosition(f) },
  };
}

/**
 * Which findings become workflow-command annotations, in what order, and what is left out: a pure function of the
 * findings, for tests. At most `perType` of each type, most severe first; when something is left out, the last
 * notice slot holds the overflow notice.
 */
export function planAnnotations(report: Pick<Report, 'results'>, options: AnnotationOptions = {}): AnnotationPlan {
  const perType = options.perType ?? ANNOTATIONS_PER_TYPE;
  if (!Number.isInteger(perType) || perType < 1) throw new Error(`annotations: perType must be a positive integer, got ${perType}`);
  const ordered = allFindings(report).sort(compareBySeverity);
  const used: Record<WorkflowLevel, number> = { error: 0, warning: 0, notice: 0 };
  const shown: Finding[] = [];
  const leftOut: Finding[] = [];
  for (const f of ordered) {
    const level = LEVEL[f.severity];
    if (used[level] < perType) {
      used[level]++;
      shown.push(f);
    } else {
      leftOut.push(f);
    }
  }
  // The overflow notice needs a notice slot: give it the last one.
  if (leftOut.length > 0 && used.notice === perType) {
    const last = shown.pop()!;
    leftOut.push(last);
    leftOut.sort(compareBySeverity);
  }
  const annotations = shown.map(toAnnotation);
  if (leftOut.length > 0) annotations.push({ level: 'notice', message: overflowMessage(leftOut, perType, options.seeAlso), properties: { title: 'Defang: more findings' } });
  return { annotations, leftOut };
}

function overflowMessage(leftOut: readonly Finding[], perType: number, seeAlso?: string): string {
  const counts = nonZeroCounts(countBySeverity(leftOut));
  const verb = leftOut.length === 1 ? 'is' : 'are';
  return (
    `${plural(leftOut.length, 'more finding')} (${counts}) ${verb} not shown as annotations: GitHub shows at most ` +
    `${perType} of each type per step. ${seeAlso ?? 'The step log lists every finding.'}`
  );
}

/** One plain log line for a finding that is not an annotation: indented, one line, never a workflow command. */
export function logLine(f: Finding, docs: (ruleId: string) => string = docsUrl): string {
  const rule = f.hadolint ? `${f.ruleId} (${f.hadolint})` : f.ruleId;
  const where = `${visible(f.file)}:${f.line}:${f.column}`;
  const image = f.path !== undefined ? ` [${visible(f.path)}${f.inherited ? ', inherited from the base image' : ''}]` : '';
  return `  ${where} ${f.severity} ${visible(rule)}: ${visible(f.message)}${image} (${visible(docs(f.ruleId))})`;
}

/** What emitting needs from @actions/core (replaceable in tests). */
export interface AnnotationSink {
  error(message: string, properties?: core.AnnotationProperties): void;
  warning(message: string, properties?: core.AnnotationProperties): void;
  notice(message: string, properties?: core.AnnotationProperties): void;
  info(message: string): void;
}

/** Emits the plan: the annotations, then the left-out findings as plain log lines. Returns the plan. */
export function emitAnnotations(report: Pick<Report, 'results'>, options: AnnotationOptions = {}, sink: AnnotationSink = core): AnnotationPlan {
  const plan = planAnnotations(report, options);
  const overflow = plan.leftOut.length > 0 ? plan.annotations[plan.annotations.length - 1] : undefined;
  for (const a of plan.annotations) {
    if (a === overflow) continue;
    sink[a.level](a.message, a.properties);
  }
  if (plan.leftOut.length > 0) {
    sink.info(`Defang: ${plural(plan.leftOut.length, 'finding')} not shown as annotations:`);
    for (const f of plan.leftOut) sink.info(logLine(f, options.docsUrl));
  }
  if (overflow) sink.notice(overflow.message, overflow.properties);
  return plan;
}
