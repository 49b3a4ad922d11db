import type { Rule } from './types.ts';
import {
  argsSpan,
  effectiveUser,
  isKnownNonRootImage,
  isRootUser,
  lastUser,
  matchesImageGlob,
  rootStage,
  stageChain,
} from './util/images.ts';

/**
 * The image `docker build` produces runs as the USER in effect at the end of the final stage. Only that stage is
 * judged (with what it inherits from the stages it builds on): build stages may run as root.
 */
const rule: Rule = {
  meta: {
    id: 'root-user',
    severity: 'warning',
    title: 'Container runs as root',
    description:
      'The final stage should end with a USER that is not root, so that a process that is compromised does not hold root inside the container (and on the host, for a container escape). Switch to a non-root user after the steps that need root.',
    hadolint: ['DL3002'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'user',
    options: {
      nonRootImages: {
        type: 'string[]',
        default: [],
        description:
          'More base images known to run as a non-root user by default: globs over the image name as for trusted-registries, optionally with a tag glob after ":" (e.g. "ghcr.io/acme/runtime:*-nonroot").',
      },
    },
  },
  check({ model, report, options }) {
    const extra = Array.isArray(options.nonRootImages) ? options.nonRootImages.filter((g): g is string => typeof g === 'string') : [];
    const final = model.finalStage;
    if (!final) {
      // No FROM at all (the parser reports that): judge the file's last USER as if it were one stage.
      const u = lastUser(model.instructions, null, model.escape);
      if (u?.user != null && isRootUser(u.user)) {
        report({ ...argsSpan(u.inst), message: rootMessage(u.value ?? u.user) });
      }
      return;
    }
    const u = effectiveUser(final, model.escape);
    if (u) {
      if (u.user === null || !isRootUser(u.user)) return;
      if (u.stage === final) {
        report({ ...argsSpan(u.inst), message: rootMessage(u.value ?? u.user) });
      } else {
        const parent = u.stage!;
        const from = parent.name !== null ? `stage "${parent.name}"` : `stage ${parent.index}`;
        report({
          ...final.baseSpan,
          message: `The final stage runs as root: it inherits "USER ${u.value}" from ${from} (line ${u.inst.keywordSpan.line}); add a USER with a non-root user to the final stage.`,
        });
      }
      return;
    }
    const root = rootStage(final);
    if (root.unresolved !== null) return;
    // Windows images have no root user (ContainerAdministrator / ContainerUser): not judged.
    if (root.windows) return;
    if (root.base && (isKnownNonRootImage(root.base) || extra.some((g) => matchesImageGlob(g, root.base!)))) return;
    const chain = stageChain(final).length > 1 ? ' (nor in the stages it builds on)' : '';
    const base = root.scratch ? 'scratch' : `"${root.baseResolved}"`;
    report({
      ...final.baseSpan,
      // Defang's own finding: hadolint only flags an explicit USER root.
      hadolint: null,
      message: `The container runs as root because no USER is set in the final stage${chain} and its base ${base} is not known to run as non-root: add a USER with a non-root user (e.g. USER 10001).`,
    });
  },
};

function rootMessage(value: string): string {
  return `The final stage's last USER is "${value}", so the container runs as root: switch to a non-root user (e.g. USER 10001) after the steps that need root.`;
}

export default rule;
