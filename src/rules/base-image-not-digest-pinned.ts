import type { Rule } from './types.ts';

/**
 * A tag can be moved to another image at any time; only a digest names exactly one image. Stages built on other
 * stages, `scratch` and unresolved bases are not judged.
 */
const rule: Rule = {
  meta: {
    id: 'base-image-not-digest-pinned',
    severity: 'info',
    title: 'Base image is not pinned by digest',
    description:
      'Pin base images by digest (`image:tag@sha256:…`) so that every build uses exactly the same image: a tag can be re-pushed to point at something else, a digest cannot. Keep the tag for readers and let a bot such as Dependabot or Renovate update the digest.',
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'base-image',
  },
  check({ model, report }) {
    for (const stage of model.stages) {
      const ref = stage.base;
      if (!ref || ref.digest) continue;
      const written = stage.baseResolved ?? stage.baseText;
      report({
        ...stage.baseSpan,
        message: `Base image "${written}" is not pinned by digest: write it as "${written}@sha256:<digest>" so that rebuilds use exactly the same image.`,
      });
    }
  },
};

export default rule;
