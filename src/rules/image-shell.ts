import type { ImageRule } from './types.ts';
import { findCommands, isBusybox, listText } from './util/image.ts';

/** Command names of shells. `busybox` counts too: `busybox sh` runs its shell whatever applets are linked. */
export const SHELL_NAMES: ReadonlySet<string> = new Set([
  'sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'csh', 'tcsh', 'fish', 'busybox',
]);

/**
 * A shell in the final image: each program on PATH under a shell's name, symlinks followed inside the image's own
 * tree and hardlinks counted once, reported once per program on the line whose layer added it.
 */
const rule: ImageRule = {
  meta: {
    id: 'image-shell',
    severity: 'info',
    title: 'Shell in the final image',
    description:
      'A shell lets whoever gets to run one command in the container run anything: download tools, explore the network, chain exploits. Images that need no shell at run time can ship without one: build in a stage, then copy the application onto scratch or a distroless base.',
    fixable: false,
    kind: 'image',
    enabledByDefault: true,
    category: 'image',
  },
  checkImage(ctx) {
    for (const cmd of findCommands(ctx.image, (name) => SHELL_NAMES.has(name))) {
      const what = isBusybox(cmd) ? `${cmd.binary.path} (busybox, which runs a shell as \`busybox sh\`)` : cmd.binary.path;
      ctx.report({
        layer: cmd.binary.layer,
        path: cmd.binary.path,
        message: `A shell is in the final image: ${what}, on PATH as ${listText(cmd.names)}. If the application needs no shell at run time, copy it onto a base without one (scratch or distroless) in a last stage.`,
      });
    }
  },
};

export default rule;
