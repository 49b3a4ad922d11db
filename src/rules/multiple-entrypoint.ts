import type { Rule } from './types.ts';
import { reportOverridden } from './util/overridden-instructions.ts';

/** Only the last ENTRYPOINT of a stage is the image's entrypoint; earlier ones are dead code. */
const rule: Rule = {
  meta: {
    id: 'multiple-entrypoint',
    severity: 'error',
    title: 'More than one ENTRYPOINT in a stage',
    description:
      'Only the last ENTRYPOINT of a stage takes effect; earlier ones are silently overridden. Keep one ENTRYPOINT per stage.',
    hadolint: ['DL4004'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    reportOverridden(model, 'ENTRYPOINT', report);
  },
};

export default rule;
