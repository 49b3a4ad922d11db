import { parseArgs, type ShellWord } from '../dockerfile/shell.ts';
import type { Rule } from './types.ts';
import { commandsNamed, runScripts, wordValue } from './util/shell-commands.ts';

const LN_VALUE_OPTIONS = new Set(['-t', '--target-directory', '-S', '--suffix']);
const SHELL_PATHS = new Set(['/bin/sh', '/usr/bin/sh']);
const SHELL_DIRS = new Set(['/bin', '/bin/', '/usr/bin', '/usr/bin/']);

function baseName(p: string): string {
  return p.replace(/\/+$/, '').slice(p.replace(/\/+$/, '').lastIndexOf('/') + 1);
}

/**
 * `ln -sf /bin/bash /bin/sh` swaps the system shell under every script and package hook in the image, and does it
 * silently. The SHELL instruction changes the shell of RUN instructions only. Only an `ln` whose link name is
 * /bin/sh (or /usr/bin/sh) is reported — unlike hadolint, a link that merely points at /bin/sh
 * (`ln -s /bin/sh /usr/local/bin/sh`) is not, since it replaces nothing.
 */
const rule: Rule = {
  meta: {
    id: 'shell-via-symlink',
    severity: 'warning',
    title: '/bin/sh replaced with a symlink',
    description:
      'Do not replace /bin/sh with a symlink (`ln -sf /bin/bash /bin/sh`) to change the shell of RUN instructions: it changes the shell of every script and package maintainer script in the image as well. Use the SHELL instruction, e.g. `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`, which affects only RUN, CMD and ENTRYPOINT in shell form.',
    hadolint: ['DL4005'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'shell',
  },
  check({ model, report }) {
    for (const { script } of runScripts(model)) {
      for (const cmd of commandsNamed(script, 'ln')) {
        const a = parseArgs(cmd.args, LN_VALUE_OPTIONS);
        const targetDir = a.values.get('-t') ?? a.values.get('--target-directory');
        // The word that names the new /bin/sh, and the program it will run.
        let culprit: ShellWord | undefined;
        let program: string | null = null;
        let dir = '/bin';
        if (targetDir !== undefined) {
          if (targetDir !== null && SHELL_DIRS.has(targetDir)) {
            culprit = a.operands.find((w) => baseName(wordValue(w) ?? '') === 'sh');
            program = culprit ? wordValue(culprit) : null;
            dir = targetDir.replace(/\/+$/, '');
          }
        } else if (a.operands.length >= 2) {
          const last = a.operands[a.operands.length - 1];
          const lastValue = wordValue(last);
          if (lastValue !== null && SHELL_PATHS.has(lastValue)) {
            culprit = last;
            program = a.operands.length === 2 ? wordValue(a.operands[0]) : null;
            dir = lastValue.slice(0, lastValue.lastIndexOf('/'));
          } else if (lastValue !== null && SHELL_DIRS.has(lastValue) && !a.flags.has('-T')) {
            culprit = a.operands.slice(0, -1).find((w) => baseName(wordValue(w) ?? '') === 'sh');
            program = culprit ? wordValue(culprit) : null;
            dir = lastValue.replace(/\/+$/, '');
          }
        }
        if (!culprit) continue;
        const target = program === null ? null : program.startsWith('/') ? program : `${dir}/${program}`;
        report({
          ...culprit.span,
          message: target
            ? `Do not make ${dir}/sh a link to ${target}: use SHELL ["${target}", "-c"] to change the shell of RUN instructions.`
            : `Do not replace ${dir}/sh with a link: use the SHELL instruction to change the shell of RUN instructions.`,
        });
      }
    }
  },
};

export default rule;
