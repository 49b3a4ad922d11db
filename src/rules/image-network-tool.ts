import type { ImageRule } from './types.ts';
import { commandLabel, findCommands, stringList } from './util/image.ts';

export const NETWORK_TOOLS: ReadonlySet<string> = new Set([
  'nc', 'ncat', 'netcat', 'socat', 'curl', 'wget', 'telnet', 'ftp', 'ssh', 'scp', 'nmap', 'tcpdump',
]);

/**
 * Network tools in the final image (on PATH, symlinks followed, one finding per program), reported on the line whose
 * layer added them.
 */
const rule: ImageRule = {
  meta: {
    id: 'image-network-tool',
    severity: 'warning',
    title: 'Network tool in the final image',
    description:
      'curl, wget, netcat, socat, ssh and their kin are the first thing an intruder reaches for: to download more tools, open a reverse shell or send data out. Install them only in build stages, or remove them in the same RUN that uses them; for health checks, prefer a check built into the application.',
    fixable: false,
    kind: 'image',
    enabledByDefault: true,
    category: 'image',
    options: {
      allow: {
        type: 'string[]',
        default: [],
        description: 'Command names that the image needs at run time and are not reported (e.g. ["curl"] for a HEALTHCHECK that uses it).',
      },
    },
  },
  checkImage(ctx) {
    const allow = new Set(stringList(ctx.options.allow));
    for (const cmd of findCommands(ctx.image, (name) => NETWORK_TOOLS.has(name) && !allow.has(name))) {
      const { text, several } = commandLabel(cmd);
      const [tools, is, it] = several ? ['Network tools', 'are', 'them'] : ['Network tool', 'is', 'it'];
      ctx.report({
        layer: cmd.binary.layer,
        path: cmd.binary.path,
        message: `${tools} ${text} ${is} in the final image (${cmd.binary.path}): an intruder would use ${it} to fetch tools or send data out; install ${it} only in a build stage or remove ${it} in the RUN that uses ${it}, or list ${it} in the rule's allow option if the image needs ${it}.`,
      });
    }
  },
};

export default rule;
