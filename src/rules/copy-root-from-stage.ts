import type { Rule } from './types.ts';
import { copyOperands } from './util/images.ts';

/** A path of a stage or image that is its root: `/`, `/.`, `//`, and (for sources, relative to the root) `.`, `./`. */
function isRoot(path: string, relativeIsRoot: boolean): boolean {
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length > 0) return false;
  return path.startsWith('/') || (relativeIsRoot && path !== '');
}

/**
 * `COPY --from=x / /` lays a whole root filesystem (its /etc/passwd, libraries, package database) over the stage's
 * own: the result mixes two distributions and is hard to reason about or scan.
 */
const rule: Rule = {
  meta: {
    id: 'copy-root-from-stage',
    severity: 'warning',
    title: 'COPY --from copies a whole root filesystem',
    description:
      '`COPY --from=<stage> / /` copies every file of another stage or image over this stage, replacing its system files (/etc/passwd, libraries, the package database). Copy only the directories the image needs.',
    hadolint: ['DL3067'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    for (const inst of model.all) {
      if (inst.keyword !== 'COPY') continue;
      const from = inst.flags.find((f) => f.name === 'from' && f.value !== null);
      const name = from?.value?.replace(/^(["'])(.*)\1$/, '$2') ?? '';
      if (name === '') continue;
      const ops = copyOperands(inst).filter((o) => !o.value.startsWith('<<'));
      if (ops.length < 2) continue;
      const dest = ops[ops.length - 1];
      if (!isRoot(dest.value, false)) continue;
      const source = ops.slice(0, -1).find((o) => isRoot(o.value, true));
      if (!source) continue;
      report({
        line: source.span.line,
        column: source.span.column,
        endLine: dest.span.endLine,
        endColumn: dest.span.endColumn,
        message: `COPY --from=${name} copies the whole root filesystem of "${name}" over this stage's root: copy only the directories you need (e.g. COPY --from=${name} /app /app).`,
      });
    }
  },
};

export default rule;
