import type { Rule } from './types.ts';

/**
 * A failed `docker build` is a finding, not a crash: it lands on the line of the instruction that failed, with the
 * tail of the build log. Rules do no I/O: the scan pipeline builds the image and passes the failure in as the
 * option `failure` (a per-file fact). Without a build (lint only) the rule has nothing to report.
 */
interface Failure {
  line?: number;
  endLine?: number;
  error: string;
  log: string;
  instructionText?: string;
}

const rule: Rule = {
  meta: {
    id: 'build-failed',
    severity: 'error',
    title: 'The image does not build',
    description:
      'Building the Dockerfile failed, so the image could not be inspected. The finding is placed on the instruction that failed (when the build log names it) and carries the end of the build log.',
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'syntax',
    options: {
      failure: {
        type: 'map',
        default: null,
        description: 'Set by the scan pipeline when the build failed: { line?, endLine?, error, log, instructionText? }.',
      },
    },
  },
  check({ model, options, report }) {
    const f = options.failure as Failure | null;
    if (!f) return;
    const lines = model.source.lines;
    let line = f.line && f.line >= 1 && f.line <= lines.length ? f.line : 0;
    // Without a line from the log, the final stage's FROM (the build as a whole failed).
    if (!line) line = model.finalStage?.from.span.line ?? 1;
    const endLine = f.endLine && f.endLine >= line && f.endLine <= lines.length ? f.endLine : line;
    const tail = f.log.trim() ? `\n\nEnd of the build log:\n${f.log.trimEnd()}` : '';
    report({
      line,
      column: 1,
      endLine,
      endColumn: (lines[endLine - 1] ?? '').length + 1,
      message: `The image does not build: ${f.error}${tail}`,
    });
  },
};

export default rule;
