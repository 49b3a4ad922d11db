import type { Rule } from './types.ts';
import { commandsNamed, enclosingShell, nameSpan, runScripts } from './util/shell-commands.ts';

/**
 * `cd` in a RUN changes directory for that RUN only, which is easy to misread (the next RUN starts in WORKDIR
 * again) and hides where files go. WORKDIR says it once and lasts. Like hadolint, every `cd` is reported, also in a
 * `( … )` subshell; unlike hadolint, also inside `sh -c '…'` strings, which hadolint does not parse.
 */
const rule: Rule = {
  meta: {
    id: 'cd-instead-of-workdir',
    severity: 'warning',
    title: 'cd in RUN instead of WORKDIR',
    description:
      'Use WORKDIR to change directory. A `cd` in RUN lasts only until the end of that RUN, so later instructions run elsewhere than the reader expects; WORKDIR sets the directory for every following instruction (and creates it if needed). Use absolute paths where a WORKDIR change is not wanted.',
    hadolint: ['DL3003'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'shell',
  },
  check({ model, report }) {
    for (const { script } of runScripts(model)) {
      for (const cmd of commandsNamed(script, 'cd')) {
        const target = cmd.args.find((w) => w.value === null || !w.value.startsWith('-'));
        const dir = target ? `"${target.value ?? target.text}"` : 'the home directory';
        const where = enclosingShell(cmd) ? ' (inside a shell string)' : cmd.inSubshell ? ' (in a subshell)' : '';
        report({
          ...nameSpan(cmd),
          message: `Use WORKDIR to switch to ${dir} instead of cd${where}: cd lasts only until the end of this RUN.`,
        });
      }
    }
  },
};

export default rule;
