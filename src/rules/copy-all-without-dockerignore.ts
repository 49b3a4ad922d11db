import type { Rule } from './types.ts';
import { copyArgs } from './util/copy-args.ts';

/**
 * `COPY . .` sends the whole build context into the image: `.git`, `.env` files, local credentials, build output,
 * node_modules. A `.dockerignore` keeps them out. Rules never read the disk, so whether the build context has a
 * `.dockerignore` comes in through the `hasDockerignore` option, which the CLI and the action set for each
 * Dockerfile from its build context; when it is unknown (null, the default) nothing is reported.
 */
const rule: Rule = {
  meta: {
    id: 'copy-all-without-dockerignore',
    severity: 'info',
    title: 'Whole build context copied without a .dockerignore',
    description:
      'COPY or ADD of `.` copies the whole build context into the image, including `.git`, `.env` files, credentials and local build output, unless a `.dockerignore` excludes them. Add a `.dockerignore` to the build context (or copy only the files the image needs).',
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'security',
    options: {
      hasDockerignore: {
        type: 'boolean',
        default: null,
        description:
          'Whether the build context has a .dockerignore (or a <Dockerfile>.dockerignore). Set by the CLI and the action per file; null (unknown) reports nothing.',
      },
    },
  },
  check({ model, report, options }) {
    if (options.hasDockerignore !== false) return;
    for (const inst of model.all) {
      if (inst.keyword !== 'COPY' && inst.keyword !== 'ADD') continue;
      // --from copies from a stage, an image or a named context, not from the build context.
      if (inst.flags.some((f) => f.name === 'from')) continue;
      const args = copyArgs(model, inst);
      if (!args || !args.dest) continue;
      for (const src of args.sources) {
        if (src.heredoc || src.value === null || !/^\.\/?$/.test(src.value)) continue;
        report({
          ...src.span,
          message: `${inst.keyword} ${src.value} copies the whole build context, and it has no .dockerignore: add one that excludes .git, secrets and build output, or copy only what the image needs.`,
        });
      }
    }
  },
};

export default rule;
