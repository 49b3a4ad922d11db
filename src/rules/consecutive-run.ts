import type { Instruction } from '../dockerfile/model.ts';
import type { Rule } from './types.ts';

/**
 * Consecutive RUN instructions that each run a single command add a layer (and a cache step) apiece for no gain.
 * As in hadolint: only RUNs directly after one another (comments in between do not count) with the same flags
 * (`--mount`, `--network`, …) are compared, and a RUN that already chains several commands (`a && b`, `a; b`) is
 * taken as a deliberate split and resets the count.
 */
const rule: Rule = {
  meta: {
    id: 'consecutive-run',
    severity: 'info',
    title: 'Consecutive single-command RUN instructions',
    description:
      'Each RUN creates a layer. Several RUN instructions in a row that each run one command can usually be one RUN (`a && b`), which makes a smaller image and fewer cache steps. RUNs with different flags (`--mount`, `--network`) and RUNs that already chain commands are left alone.',
    hadolint: ['DL3059'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    let previous: Instruction | null = null;
    for (const inst of model.instructions) {
      if (inst.keyword !== 'RUN') {
        previous = null;
        continue;
      }
      if (previous && flagKey(previous) === flagKey(inst) && commandCount(previous) <= 1 && commandCount(inst) <= 1) {
        report({
          ...inst.keywordSpan,
          message: `This RUN and the one on line ${previous.span.line} each run a single command: merge them into one RUN (joined with &&) to save a layer.`,
        });
      }
      previous = inst;
    }
  },
};

function flagKey(inst: Instruction): string {
  return inst.flags
    .map((f) => `${f.name}=${f.value ?? ''}`)
    .sort()
    .join('\u0000');
}

/** The number of commands the RUN chains (commands run through wrappers or inside `sh -c` strings count once). */
function commandCount(inst: Instruction): number {
  if (!inst.shell) return 1;
  return inst.shell.commands.filter((c) => c.via === null).length;
}

export default rule;
