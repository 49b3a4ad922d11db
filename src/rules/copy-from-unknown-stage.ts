import type { Rule } from './types.ts';
import { fromReferences } from './util/images.ts';

/**
 * `COPY --from=x` takes files from an earlier stage (by name or index) or from an image. A value that names no earlier
 * stage and does not look like an image reference (no `:`, `/` or `@`) is most likely a typo or a stage defined
 * later; BuildKit would try to pull `docker.io/library/x:latest` instead.
 */
const rule: Rule = {
  meta: {
    id: 'copy-from-unknown-stage',
    severity: 'error',
    title: 'COPY --from names no earlier stage',
    description:
      '`COPY --from=` must name a stage defined above (by its `AS` name or its 0-based index) or an image reference with a tag or digest. An unknown name is pulled from Docker Hub as an image, which is rarely what was meant.',
    hadolint: ['DL3022'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    for (const ref of fromReferences(model)) {
      if (ref.kind !== 'copy' || ref.inst.onbuild || ref.value === null || ref.value === '') continue;
      const current = ref.inst.stage;
      const currentIndex = current ? current.index : -1;
      const value = ref.value;
      const lower = value.toLowerCase();
      if (/^\d+$/.test(value)) {
        const n = Number(value);
        if (current && n < current.index) continue;
        if (n === currentIndex) continue; // copy-from-self
        const before = Math.max(currentIndex, 0);
        const later = model.stages[n];
        report({
          ...ref.span,
          message: later
            ? `COPY --from=${value} refers to stage ${n} on line ${later.from.keywordSpan.line}, which comes after this instruction: move that stage above, or copy from a stage defined earlier.`
            : `COPY --from=${value} refers to stage ${n}, but ${before === 0 ? 'no stage is' : before === 1 ? 'only 1 stage is' : `only ${before} stages are`} defined before it (indexes start at 0).`,
        });
        continue;
      }
      if (/[:/@]/.test(value)) continue; // an image reference
      if (current && current.name === lower) continue; // copy-from-self
      const earlier = model.stages.find((s) => s.name === lower && s.index < currentIndex);
      if (earlier) continue;
      const later = model.stages.find((s) => s.name === lower);
      report({
        ...ref.span,
        message: later
          ? `COPY --from=${value} refers to the stage "${later.name}" defined later, on line ${later.from.keywordSpan.line}: move that stage above this instruction.`
          : `COPY --from=${value} names no stage defined above, so BuildKit would pull the image "${lower}:latest" instead: use the name of an earlier stage, or an image reference with a tag.`,
      });
    }
  },
};

export default rule;
