import type { Stage } from '../dockerfile/model.ts';
import type { Rule } from './types.ts';
import { firstLineSpan } from './util/instruction-args.ts';

/**
 * Without a HEALTHCHECK, Docker (and Swarm, Compose `depends_on: service_healthy`) only knows whether the process
 * runs, not whether it works. The final image is judged, with the stages it builds on (`FROM base` inherits the
 * base stage's HEALTHCHECK); `HEALTHCHECK NONE` counts as a deliberate choice. A HEALTHCHECK in the base image itself
 * cannot be seen here, so the rule is off by default.
 */
const rule: Rule = {
  meta: {
    id: 'healthcheck-missing',
    severity: 'info',
    title: 'The image has no HEALTHCHECK',
    description:
      'Add a HEALTHCHECK to the final stage (or `HEALTHCHECK NONE` to say there is none on purpose), so that Docker can tell a running container from a working one. Off by default: the base image may define one, which the Dockerfile does not show.',
    hadolint: ['DL3057'],
    fixable: false,
    kind: 'static',
    enabledByDefault: false,
    category: 'instructions',
  },
  check({ model, report }) {
    const final = model.finalStage;
    if (!final) return;
    const seen = new Set<Stage>();
    for (let s: Stage | null = final; s && !seen.has(s); s = s.baseStage) {
      seen.add(s);
      if (s.instructions.some((i) => i.keyword === 'HEALTHCHECK')) return;
    }
    const chain = seen.size > 1 ? ' (nor do the stages it builds on)' : '';
    report({
      ...firstLineSpan(model, final.from),
      message: `The final image defines no HEALTHCHECK${chain}: add one, e.g. HEALTHCHECK CMD ["/app/healthcheck"], or HEALTHCHECK NONE if it cannot have one.`,
    });
  },
};

export default rule;
