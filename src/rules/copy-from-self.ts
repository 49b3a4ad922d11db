import type { Rule } from './types.ts';
import { fromReferences } from './util/images.ts';

/** `COPY --from=<this stage>`: a stage cannot copy from itself (BuildKit reports a circular dependency). */
const rule: Rule = {
  meta: {
    id: 'copy-from-self',
    severity: 'error',
    title: 'COPY --from refers to its own stage',
    description:
      'A stage cannot copy files from itself: `COPY --from=` must name another, earlier stage. Copy within the stage with `RUN cp`, or split the stage in two.',
    hadolint: ['DL3023'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    for (const ref of fromReferences(model)) {
      if (ref.kind !== 'copy' || ref.inst.onbuild || ref.value === null) continue;
      const stage = ref.inst.stage;
      if (!stage) continue;
      const value = ref.value.toLowerCase();
      const byName = stage.name !== null && value === stage.name;
      const byIndex = /^\d+$/.test(value) && Number(value) === stage.index;
      if (!byName && !byIndex) continue;
      const which = stage.name !== null ? `"${stage.name}"` : `${stage.index}`;
      report({
        ...ref.span,
        message: `COPY --from=${ref.value} refers to the stage it is in (${which}, line ${stage.from.keywordSpan.line}): copy from another, earlier stage, or use RUN cp within the stage.`,
      });
    }
  },
};

export default rule;
