import type { ImageRule } from './types.ts';
import { commandLabel, findCommands } from './util/image.ts';

export const PACKAGE_MANAGERS: ReadonlySet<string> = new Set([
  'apt', 'apt-get', 'dpkg', 'apk', 'yum', 'dnf', 'microdnf', 'rpm', 'pip', 'pip3',
]);

/** A package manager's command name: the list above, and versioned pip (`pip3.12`). */
export function isPackageManager(name: string): boolean {
  return PACKAGE_MANAGERS.has(name) || /^pip\d+(?:\.\d+)?$/.test(name);
}

/**
 * Package managers left in the final image (on PATH, symlinks followed, one finding per program), reported on the
 * line whose layer added them.
 */
const rule: ImageRule = {
  meta: {
    id: 'image-package-manager',
    severity: 'info',
    title: 'Package manager in the final image',
    description:
      'A package manager in the running image lets whoever gets into the container install anything they like, and ships its database and tooling for nothing. Install packages in a build stage and copy the results onto a minimal or distroless base.',
    fixable: false,
    kind: 'image',
    enabledByDefault: true,
    category: 'image',
  },
  checkImage(ctx) {
    for (const cmd of findCommands(ctx.image, isPackageManager)) {
      const { text, several } = commandLabel(cmd);
      const [what, is, it] = several ? ['Package managers', 'are', 'them'] : ['Package manager', 'is', 'it'];
      ctx.report({
        layer: cmd.binary.layer,
        path: cmd.binary.path,
        message: `${what} ${text} ${is} in the final image (${cmd.binary.path}): whoever gets into the container can install anything with ${it}; install packages in a build stage and copy the results onto a minimal base.`,
      });
    }
  },
};

export default rule;
