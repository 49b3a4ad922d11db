import type { Instruction } from '../dockerfile/model.ts';
import type { Rule } from './types.ts';
import { commandsNamed, nameSpan, runScript } from './util/shell-commands.ts';

/**
 * A stage that uses both curl and wget installs (or relies on) two tools that do the same job. Like hadolint, each
 * stage is judged on its own, and once both tools have appeared every RUN that uses either is reported, at its first
 * use in that RUN. ONBUILD triggers run in another build and are judged among themselves.
 */
const rule: Rule = {
  meta: {
    id: 'curl-and-wget',
    severity: 'info',
    title: 'Both curl and wget in one stage',
    description:
      'Use either curl or wget in a stage, not both: two tools that download files mean two packages to install, update and patch. Pick one and use it for every download.',
    hadolint: ['DL4001'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'packages',
  },
  check({ model, report }) {
    const groups: Instruction[][] = [];
    const loose = model.instructions.filter((i) => i.stage === null);
    groups.push(loose.filter((i) => i.keyword === 'RUN'), loose.flatMap((i) => (i.trigger ? [i.trigger] : [])));
    for (const stage of model.stages) {
      groups.push(stage.instructions.filter((i) => i.keyword === 'RUN'));
      groups.push(stage.instructions.flatMap((i) => (i.trigger?.keyword === 'RUN' ? [i.trigger] : [])));
    }
    for (const runs of groups) {
      const firstUse = new Map<string, number>();
      for (const inst of runs) {
        const script = runScript(model, inst);
        if (!script) continue;
        let reported = false;
        for (const cmd of commandsNamed(script, 'curl', 'wget')) {
          if (!firstUse.has(cmd.base)) firstUse.set(cmd.base, cmd.span.line);
          if (reported || firstUse.size < 2) continue;
          const other = cmd.base === 'curl' ? 'wget' : 'curl';
          report({
            ...nameSpan(cmd),
            message: `This stage uses both ${cmd.base} and ${other} (line ${firstUse.get(other)}): use one of them for every download.`,
          });
          reported = true;
        }
      }
    }
  },
};

export default rule;
