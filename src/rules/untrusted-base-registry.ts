import type { Rule } from './types.ts';
import { compileRegistryGlob, describeGlobs, fromImage, fromReferences } from './util/images.ts';

/**
 * Base images (and images pulled by `COPY --from=<image>` or `RUN --mount=…,from=<image>`) must come from a trusted
 * registry: `policy.trustedRegistries` globs matched against the normalised `registry/repository`.
 */
const rule: Rule = {
  meta: {
    id: 'untrusted-base-registry',
    severity: 'error',
    title: 'Image comes from a registry that is not trusted',
    description:
      'Every image the build pulls (FROM, COPY --from=<image>, RUN --mount=…,from=<image>) must come from a registry or namespace in the trusted list (trusted-registries). An image from anywhere else runs in your build and ships in your image without review.',
    hadolint: ['DL3026'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'base-image',
  },
  check({ model, report, policy }) {
    const globs = policy.trustedRegistries ?? [];
    const compiled = globs.map(compileRegistryGlob);
    const trusted = (name: string) => compiled.some((g) => g.regex.test(name));
    // Said in messages only: worked out at the first one.
    let listedText: string | null = null;
    const listed = () =>
      (listedText ??= globs.length === 0 ? 'no registry is trusted: trusted-registries is empty' : `trusted: ${describeGlobs(globs)}`);
    const advice = 'use an image from a trusted registry, or add its registry to trusted-registries-extra in .github/defang.yml';

    for (const stage of model.stages) {
      const ref = stage.base;
      if (!ref || trusted(ref.name)) continue;
      report({
        ...stage.baseSpan,
        message: `Base image "${stage.baseResolved}" (${ref.name}) is not from a trusted registry (${listed()}): ${advice}.`,
      });
    }
    for (const from of fromReferences(model)) {
      const ref = fromImage(model, from);
      if (!ref || trusted(ref.name)) continue;
      const what = from.kind === 'copy' ? 'COPY --from' : 'RUN --mount from=';
      report({
        ...from.span,
        message: `${what} image "${from.value}" (${ref.name}) is not from a trusted registry (${listed()}): ${advice}.`,
      });
    }
  },
};

export default rule;
