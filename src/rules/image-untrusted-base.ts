import type { ImageRule } from './types.ts';
import { imageStage } from './util/image.ts';
import { compileRegistryGlob, describeGlobs, rootStage } from './util/images.ts';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * The base image the built image actually rests on (the first FROM of the image's stage chain, as resolved with the
 * build's arguments, and the digest the pipeline pulled when it knows it), against `trusted-registries`, matched
 * exactly as the static rule untrusted-base-registry matches them.
 */
const rule: ImageRule = {
  meta: {
    id: 'image-untrusted-base',
    severity: 'error',
    title: 'Built image rests on a base from an untrusted registry',
    description:
      'Every layer of the base image ships in yours, unreviewed. The base the image was actually built on must come from a registry or namespace in trusted-registries; the finding names the image and, when known, the digest that was pulled.',
    fixable: false,
    kind: 'image',
    enabledByDefault: true,
    category: 'image',
    options: {
      baseDigest: {
        type: 'string',
        default: '',
        description:
          'The digest (sha256:…) of the base image the build pulled, set by the image pipeline as a fact; empty when unknown (then the digest written in the FROM, if any, is shown).',
      },
    },
  },
  checkImage(ctx) {
    const stage = imageStage(ctx);
    if (!stage) return;
    const root = rootStage(stage);
    // scratch has no registry; a base that cannot be resolved is reported by unresolved-base-image.
    const ref = root.base;
    if (!ref) return;
    const globs = ctx.policy.trustedRegistries ?? [];
    if (globs.map(compileRegistryGlob).some((g) => g.regex.test(ref.name))) return;
    const fact = typeof ctx.options.baseDigest === 'string' ? ctx.options.baseDigest.trim().toLowerCase() : '';
    const digest = DIGEST.test(fact) ? fact : ref.digest;
    const shown = `${ref.name}${ref.tag ? `:${ref.tag}` : ''}${digest ? `@${digest}` : ''}`;
    const listed = globs.length === 0 ? 'no registry is trusted: trusted-registries is empty' : `trusted: ${describeGlobs(globs)}`;
    ctx.report({
      layer: null,
      at: root.baseSpan,
      message: `The image is built on ${shown}, which is not from a trusted registry (${listed}): use a base from a trusted registry, or add its registry to trusted-registries-extra in .github/defang.yml.`,
    });
  },
};

export default rule;
