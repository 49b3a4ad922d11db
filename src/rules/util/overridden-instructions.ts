/**
 * CMD, ENTRYPOINT and HEALTHCHECK keep only their last value in a stage: every earlier one is dead code. The three
 * rules that say so share this check; each reports the overridden instructions (not the last one, which counts).
 */
import type { DockerfileModel, Instruction } from '../../dockerfile/model.ts';
import type { Report } from '../types.ts';

/** Top-level instructions with this keyword, grouped by stage (instructions before any FROM form their own group). */
function byStage(model: DockerfileModel, keyword: string): Instruction[][] {
  const groups = new Map<number, Instruction[]>();
  for (const inst of model.instructions) {
    if (inst.keyword !== keyword) continue;
    const key = inst.stage ? inst.stage.index : -1;
    const group = groups.get(key);
    if (group) group.push(inst);
    else groups.set(key, [inst]);
  }
  return [...groups.values()];
}

export function reportOverridden(model: DockerfileModel, keyword: string, report: (r: Report) => void): void {
  for (const list of byStage(model, keyword)) {
    const last = list[list.length - 1];
    const where = last.stage?.name ? `stage "${last.stage.name}"` : last.stage ? `this stage` : 'the Dockerfile';
    for (const inst of list.slice(0, -1)) {
      report({
        ...inst.keywordSpan,
        message: `This ${keyword} has no effect: the ${keyword} on line ${last.span.line} overrides it (only the last ${keyword} of ${where} counts); remove it.`,
        fix: {
          line: inst.span.line,
          endLine: inst.span.endLine,
          replacement: '',
          description: `Remove the overridden ${keyword}`,
        },
      });
    }
  }
}
