import type { Rule } from './types.ts';
import { commandsNamed, nameSpan, runScripts } from './util/shell-commands.ts';

/**
 * `sudo` in a RUN: the build runs as root unless a USER says otherwise, so sudo is at best useless; as another user
 * it needs a sudoers setup and a TTY-free configuration, and it keeps a privilege-escalation tool in the image.
 */
const rule: Rule = {
  meta: {
    id: 'no-sudo',
    severity: 'warning',
    title: 'sudo in RUN',
    description:
      'Do not use sudo in RUN. Instructions run as root unless a USER instruction switches user; to run steps as root, put them before USER (or switch back with USER root). sudo behaves unpredictably without a TTY and leaves a privilege-escalation tool in the image; at run time, use gosu or su-exec in the entrypoint if you must drop privileges.',
    hadolint: ['DL3004'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'user',
  },
  check({ model, report }) {
    for (const { script } of runScripts(model)) {
      for (const cmd of commandsNamed(script, 'sudo')) {
        const inner = script.commands.find((c) => c.parent === cmd && c.via === 'wrapper');
        const what = inner?.name ? `"${inner.name}"` : 'the command';
        report({
          ...nameSpan(cmd),
          message: `Do not use sudo to run ${what}: RUN already runs as root unless USER says otherwise; run it before USER (or after USER root).`,
        });
      }
    }
  },
};

export default rule;
