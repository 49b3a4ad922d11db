/**
 * What every reporter is given: the findings of each Dockerfile, the metadata of every rule that can appear, and the
 * run's notices. Reporters never decide what is a finding; they only place the findings they are given.
 */
import { compareFindings, type Finding } from '../findings.ts';
import type { RuleMeta } from '../rules/types.ts';

/** The findings of one Dockerfile. A file with no findings is still listed (it was checked). */
export interface FileResult {
  /** Path of the Dockerfile, relative to the repository root (or as given on the command line). */
  dockerfile: string;
  findings: Finding[];
}

export interface Report {
  results: FileResult[];
  /** Metadata of every rule that can appear (not only those with findings). */
  rules: RuleMeta[];
  /** One-line notices for the reader (a rule skipped, a tool missing, findings left out). */
  notices?: string[];
  /** The tool that produced the report; its version appears in SARIF. */
  tool?: { name: string; version: string };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The results in the order every reporter shows them: files by path (code-unit order, like `compareFindings`),
 * findings of each file by `compareFindings`. The input is not modified.
 */
export function orderedResults(report: Pick<Report, 'results'>): FileResult[] {
  return report.results
    .map((r) => ({ dockerfile: r.dockerfile, findings: [...r.findings].sort(compareFindings) }))
    .sort((a, b) => compareStrings(a.dockerfile, b.dockerfile));
}

/** Every finding of the report, in file order then `compareFindings` order. */
export function allFindings(report: Pick<Report, 'results'>): Finding[] {
  return orderedResults(report).flatMap((r) => r.findings);
}

/** The number of distinct Dockerfiles the report covers. */
export function fileCount(report: Pick<Report, 'results'>): number {
  return new Set(report.results.map((r) => r.dockerfile)).size;
}
