import type { Rule } from './types.ts';
import { reportOverridden } from './util/overridden-instructions.ts';

/** Only the last HEALTHCHECK of a stage is kept (HEALTHCHECK NONE included); earlier ones are dead code. */
const rule: Rule = {
  meta: {
    id: 'multiple-healthcheck',
    severity: 'error',
    title: 'More than one HEALTHCHECK in a stage',
    description:
      'Only the last HEALTHCHECK of a stage takes effect; earlier ones are silently overridden. Keep one HEALTHCHECK per stage.',
    hadolint: ['DL3012'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    reportOverridden(model, 'HEALTHCHECK', report);
  },
};

export default rule;
