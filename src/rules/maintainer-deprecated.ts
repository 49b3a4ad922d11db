import type { Rule } from './types.ts';

/**
 * MAINTAINER is deprecated: it sets the image's `Author` field, which tools no longer read. A `maintainer` label
 * (or `org.opencontainers.image.authors`) says the same in a form that is kept and shown. MAINTAINER inside ONBUILD
 * is an error of its own (onbuild-forbidden-trigger) and is not reported here.
 */

/** The MAINTAINER text as a double-quoted LABEL value: one pair of wrapping quotes dropped, `"`, `$`, escape escaped. */
export function labelValue(text: string, escape: string): string {
  let v = text.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0]) && !v.slice(1, -1).includes(v[0])) v = v.slice(1, -1);
  let out = '';
  for (const c of v) out += c === '"' || c === '$' || c === escape ? `${escape}${c}` : c;
  return `"${out}"`;
}

const rule: Rule = {
  meta: {
    id: 'maintainer-deprecated',
    severity: 'warning',
    title: 'MAINTAINER is deprecated',
    description:
      'MAINTAINER is deprecated. Use `LABEL maintainer="name <email>"` (or the OCI label `org.opencontainers.image.authors`) instead.',
    hadolint: ['DL4000'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'labels',
  },
  check({ model, report }) {
    for (const inst of model.instructions) {
      if (inst.keyword !== 'MAINTAINER') continue;
      const text = inst.args.trim();
      const written = (model.source.lines[inst.keywordSpan.line - 1] ?? '').slice(inst.keywordSpan.column - 1, inst.keywordSpan.endColumn - 1);
      const label = written === written.toLowerCase() ? 'label' : 'LABEL';
      const value = text === '' ? null : labelValue(text, model.escape);
      const indent = (model.source.lines[inst.span.line - 1] ?? '').slice(0, inst.keywordSpan.column - 1);
      report({
        ...inst.keywordSpan,
        message: `MAINTAINER is deprecated: use ${value ? `LABEL maintainer=${value}` : 'LABEL maintainer="<name>"'} instead.`,
        fix:
          value === null || inst.keywordSpan.line !== inst.span.line || indent.trim() !== ''
            ? undefined
            : {
                line: inst.span.line,
                endLine: inst.span.endLine,
                replacement: `${indent}${label} maintainer=${value}`,
                description: 'Replace MAINTAINER with a maintainer label',
              },
      });
    }
  },
};

export default rule;
