import type { Rule } from './types.ts';
import { reportOverridden } from './util/overridden-instructions.ts';

/** Only the last CMD of a stage sets the image's default command; earlier ones are dead code that misleads readers. */
const rule: Rule = {
  meta: {
    id: 'multiple-cmd',
    severity: 'warning',
    title: 'More than one CMD in a stage',
    description:
      'Only the last CMD of a stage takes effect; earlier ones are silently overridden. Keep one CMD per stage so that the Dockerfile says what the image runs.',
    hadolint: ['DL4003'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    reportOverridden(model, 'CMD', report);
  },
};

export default rule;
