import type { Rule } from './types.ts';

/**
 * A base image without a tag (or with `latest`) changes under you: the same Dockerfile builds something else
 * tomorrow. Stages built on other stages, `scratch`, digest-pinned images and bases that cannot be resolved are
 * not judged (the last ones have their own finding).
 */
const rule: Rule = {
  meta: {
    id: 'unpinned-base-image',
    severity: 'warning',
    title: 'Base image has no tag or uses latest',
    description:
      'Give every base image an explicit version tag (and ideally a digest). Without a tag Docker uses `latest`, which moves: rebuilding the same Dockerfile later gives a different image.',
    hadolint: ['DL3006', 'DL3007'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'base-image',
  },
  check({ model, report }) {
    for (const stage of model.stages) {
      const ref = stage.base;
      if (!ref || ref.digest) continue;
      if (!ref.tag) {
        report({
          ...stage.baseSpan,
          message: `Base image "${stage.baseResolved}" has no tag: pin a version, e.g. "${stage.baseResolved}:<version>".`,
          hadolint: 'DL3006',
        });
      } else if (ref.tag === 'latest') {
        report({
          ...stage.baseSpan,
          message: `Base image "${stage.baseResolved}" uses the "latest" tag: pin a version.`,
          hadolint: 'DL3007',
        });
      }
    }
  },
};

export default rule;
