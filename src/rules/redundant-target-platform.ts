import type { Fix } from '../findings.ts';
import type { Flag, DockerfileModel } from '../dockerfile/model.ts';
import type { Rule } from './types.ts';

/** `FROM --platform=$TARGETPLATFORM` says what FROM does anyway: stages are built for the target platform. */
const rule: Rule = {
  meta: {
    id: 'redundant-target-platform',
    severity: 'info',
    title: 'FROM --platform=$TARGETPLATFORM is redundant',
    description:
      'A stage is built for the target platform by default, so `--platform=$TARGETPLATFORM` changes nothing. Remove it; keep `--platform` for `$BUILDPLATFORM` stages, where it matters.',
    hadolint: ['DL3065'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'base-image',
  },
  check({ model, report }) {
    for (const stage of model.stages) {
      for (const flag of stage.from.flags) {
        if (flag.name !== 'platform' || flag.value === null) continue;
        const value = flag.value.replace(/^(["'])(.*)\1$/, '$2');
        if (value !== '$TARGETPLATFORM' && value !== '${TARGETPLATFORM}') continue;
        const fix = removeFlag(model, flag);
        report({
          ...flag.span,
          message: `FROM --platform=${value} is redundant: stages are built for the target platform by default; remove the flag.`,
          ...(fix ? { fix } : {}),
        });
      }
    }
  },
};

/** Remove the flag and the blanks after it, when something else follows on its line. */
function removeFlag(model: DockerfileModel, flag: Flag): Fix | null {
  if (flag.span.line !== flag.span.endLine) return null;
  const line = model.source.lines[flag.span.line - 1] ?? '';
  const start = flag.span.column - 1;
  let end = flag.span.endColumn - 1;
  while (end < line.length && (line[end] === ' ' || line[end] === '\t')) end++;
  const rest = line.slice(end);
  if (rest === '' || rest === model.escape) return null;
  return {
    line: flag.span.line,
    endLine: flag.span.line,
    replacement: line.slice(0, start) + rest,
    description: 'Remove --platform=$TARGETPLATFORM',
  };
}

export default rule;
