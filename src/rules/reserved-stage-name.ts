import type { Rule } from './types.ts';
import { spanText } from './util/images.ts';

/**
 * BuildKit reserves two stage names (compared after lower-casing): `scratch`, the empty image, and `context`, the
 * build context (`COPY --from=context`, named contexts). A stage with either name cannot be referred to.
 */
export const RESERVED_STAGE_NAMES: readonly string[] = ['scratch', 'context'];

const rule: Rule = {
  meta: {
    id: 'reserved-stage-name',
    severity: 'error',
    title: 'Stage name is reserved',
    description:
      'BuildKit reserves the stage names `scratch` (the empty image) and `context` (the build context). A stage with one of these names cannot be used by `FROM` or `COPY --from`; choose another name.',
    hadolint: ['DL3063'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'syntax',
  },
  check({ model, report }) {
    for (const stage of model.stages) {
      if (stage.name === null || stage.nameSpan === null || !RESERVED_STAGE_NAMES.includes(stage.name)) continue;
      const written = spanText(model, stage.nameSpan) || stage.name;
      const meaning = stage.name === 'scratch' ? 'the empty image' : 'the build context';
      report({
        ...stage.nameSpan,
        message: `Stage name "${written}" is reserved by BuildKit (it means ${meaning}): choose another name.`,
      });
    }
  },
};

export default rule;
