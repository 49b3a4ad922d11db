import type { Instruction, Stage } from '../dockerfile/model.ts';
import type { Rule } from './types.ts';
import { copyArgs } from './util/copy-args.ts';

/**
 * A relative COPY/ADD destination is resolved against the working directory, which is `/` unless a WORKDIR says
 * otherwise — or whatever the base image happens to set, which the Dockerfile does not show and which can change
 * with the base image. As in hadolint, a WORKDIR earlier in the stage, or anywhere in an earlier stage this one is
 * built on (`FROM base`), makes relative destinations fine. Beyond hadolint: ADD is judged too; a destination
 * from a variable is judged by its value (unknown values are not judged); and ONBUILD COPY is judged by the
 * WORKDIR the image will have when the trigger runs (any WORKDIR of the stage, or an earlier ONBUILD WORKDIR).
 */
const rule: Rule = {
  meta: {
    id: 'copy-relative-destination',
    severity: 'warning',
    title: 'COPY to a relative destination without WORKDIR',
    description:
      'Set WORKDIR before copying to a relative destination, or use an absolute one. Without WORKDIR, a relative destination lands in the base image\'s working directory (often `/`), which the Dockerfile does not show and a new base image may change.',
    hadolint: ['DL3045'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    for (const inst of model.all) {
      if (inst.keyword !== 'COPY' && inst.keyword !== 'ADD') continue;
      const args = copyArgs(model, inst);
      if (!args || !args.dest) continue;
      const dest = args.dest.value;
      if (dest === null || dest === '' || isAbsolute(dest)) continue;
      if (workdirSet(inst)) continue;
      report({
        ...args.dest.span,
        message: `${inst.keyword} to the relative destination "${dest}" without a WORKDIR in this stage: it lands in whatever directory the base image uses; set WORKDIR first or use an absolute path.`,
      });
    }
  },
};

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[a-zA-Z]:[\\/]/.test(path);
}

function hasWorkdir(instructions: readonly Instruction[], before = Number.POSITIVE_INFINITY): boolean {
  return instructions.some((i) => i.keyword === 'WORKDIR' && i.index < before);
}

/** Whether a WORKDIR is in effect when this COPY runs. */
function workdirSet(inst: Instruction): boolean {
  const stage = inst.stage;
  if (!stage) return false;
  const ancestors: Stage[] = [];
  for (let s = stage.baseStage; s && !ancestors.includes(s); s = s.baseStage) ancestors.push(s);
  if (ancestors.some((s) => hasWorkdir(s.instructions))) return true;
  if (inst.onbuild) {
    // A trigger runs in the image built from this stage: the stage's final WORKDIR, or an earlier ONBUILD WORKDIR.
    const triggers = stage.instructions.flatMap((i) => (i.trigger ? [i.trigger] : []));
    return hasWorkdir(stage.instructions) || hasWorkdir(triggers, inst.index);
  }
  return hasWorkdir(stage.instructions, inst.index);
}

export default rule;
