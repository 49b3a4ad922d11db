import type { Rule } from './types.ts';
import { nameSpan, runScripts } from './util/shell-commands.ts';

/** Why each command makes no sense in a build step. */
const COMMANDS: Record<string, string> = {
  ssh: 'opens a remote session',
  vim: 'is an interactive editor',
  vi: 'is an interactive editor',
  nano: 'is an interactive editor',
  top: 'is an interactive process viewer',
  ps: 'lists processes of a build container that is about to go away',
  free: 'reports memory of the build machine, not of the image',
  kill: 'signals processes of a build container that is about to go away',
  shutdown: 'tries to shut the machine down',
  service: 'starts or stops a service that does not outlive this RUN',
  mount: 'acts on the mounts of a build container that is about to go away (and mounting needs privileges a build does not have)',
  ifconfig: 'configures the network of the build container, which the image does not keep',
};

/**
 * Commands that are interactive, or that act on the running machine rather than on the image's files, do nothing
 * useful in a RUN. hadolint's list (ssh, vim, shutdown, service, ps, free, top, kill, mount) is extended with vi,
 * nano and ifconfig, which its message names but its list lacks.
 */
const rule: Rule = {
  meta: {
    id: 'avoid-interactive-commands',
    severity: 'info',
    title: 'Interactive or machine-level command in RUN',
    description:
      'Some commands make no sense in a build step: editors and viewers wait for a keyboard (vim, vi, nano, top), and others act on the running build container rather than on the image (service, ps, kill, free, mount, ifconfig, shutdown, ssh). Their effects do not persist into the image. Remove them, or do the work in the entrypoint at run time.',
    hadolint: ['DL3001'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'shell',
  },
  check({ model, report }) {
    for (const { script } of runScripts(model)) {
      for (const cmd of script.commands) {
        const why = Object.hasOwn(COMMANDS, cmd.base) ? COMMANDS[cmd.base] : undefined;
        if (!why) continue;
        report({
          ...nameSpan(cmd),
          message: `"${cmd.base}" ${why}: it does nothing useful in a RUN; remove it or move it to the container's entrypoint.`,
        });
      }
    }
  },
};

export default rule;
