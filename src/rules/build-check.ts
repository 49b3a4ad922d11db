import type { BuildCheck } from '../image-view.ts';
import type { Rule } from './types.ts';

/**
 * BuildKit's own Dockerfile checks (`docker build --check`, Docker 27+ with buildx), as findings. The scan pipeline
 * runs them where the Docker version supports them and passes the results in as the option `checks` (a per-file
 * fact); where they are not supported the rule reports nothing.
 */
const rule: Rule = {
  meta: {
    id: 'build-check',
    severity: 'warning',
    title: "BuildKit's own Dockerfile checks",
    description:
      "Findings of BuildKit's built-in Dockerfile checks (docker build --check), such as JSONArgsRecommended or UndefinedVar, placed on their lines. They run during a scan when the Docker version supports them.",
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'syntax',
    options: {
      checks: { type: 'map', default: [], description: "Set by the scan pipeline: BuildKit's check results for this file." },
    },
  },
  check({ model, options, report }) {
    const checks = Array.isArray(options.checks) ? (options.checks as BuildCheck[]) : [];
    const lines = model.source.lines;
    for (const c of checks) {
      const line = c.line >= 1 && c.line <= lines.length ? c.line : (model.finalStage?.from.span.line ?? 1);
      const endLine = c.endLine && c.endLine >= line && c.endLine <= lines.length ? c.endLine : line;
      report({
        line,
        column: c.column && c.line === line ? c.column : 1,
        endLine,
        endColumn: (lines[endLine - 1] ?? '').length + 1,
        message: `${c.rule}: ${c.message}${c.url ? ` (${c.url})` : ''}`,
      });
    }
  },
};

export default rule;
