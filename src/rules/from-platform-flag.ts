import type { Rule } from './types.ts';

/**
 * `FROM --platform=linux/amd64` fixes the platform whatever `docker build --platform` asks for: multi-platform
 * builds then produce images of the wrong architecture, or run under emulation. Variables (`$BUILDPLATFORM`,
 * `$TARGETPLATFORM`, an ARG) are fine.
 */
const rule: Rule = {
  meta: {
    id: 'from-platform-flag',
    severity: 'info',
    title: 'FROM --platform uses a constant platform',
    description:
      'A constant `FROM --platform=` ties the stage to one platform whatever the build asks for. Drop the flag, or use `--platform=$BUILDPLATFORM` for stages that only run build tools (cross-compilation).',
    hadolint: ['DL3029'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'base-image',
  },
  check({ model, report }) {
    for (const stage of model.stages) {
      for (const flag of stage.from.flags) {
        if (flag.name !== 'platform' || flag.value === null) continue;
        const value = flag.value.replace(/^(["'])(.*)\1$/, '$2');
        if (value === '' || value.includes('$')) continue;
        report({
          ...flag.span,
          message: `FROM --platform=${value} pins the platform of "${stage.baseText}": drop the flag, or use --platform=$BUILDPLATFORM for a stage that only runs build tools.`,
        });
      }
    }
  },
};

export default rule;
