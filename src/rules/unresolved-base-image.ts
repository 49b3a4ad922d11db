import type { DockerfileModel, Stage } from '../dockerfile/model.ts';
import { expandVariables } from '../dockerfile/vars.ts';
import type { Rule } from './types.ts';

/** The predefined platform ARGs, which always have a value in the global scope. */
const PLATFORM_ARGS = new Set([
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
]);

/** The global ARG (before the first FROM) that declares `name`, if any: the last one wins, as in BuildKit. */
function globalArg(model: DockerfileModel, name: string): { line: number; value: string | null } | null {
  let found: { line: number; value: string | null } | null = null;
  for (const inst of model.globalArgs) {
    for (const p of inst.properties) if (p.name === name) found = { line: p.nameSpan.line, value: p.expanded };
  }
  return found;
}

/** Variables of the FROM line that have no value in the global scope. */
function missingVariables(model: DockerfileModel, stage: Stage): string[] {
  const lookup = (name: string): string | undefined => {
    if (PLATFORM_ARGS.has(name)) return 'x';
    const g = globalArg(model, name);
    return g && g.value !== null ? g.value : undefined;
  };
  return expandVariables(stage.baseText, lookup, { escape: model.escape, removeQuotes: true }).missing;
}

function declaredInStage(model: DockerfileModel, name: string): number | null {
  for (const s of model.stages) {
    for (const inst of s.instructions) {
      if (inst.keyword !== 'ARG') continue;
      for (const p of inst.properties) if (p.name === name) return p.nameSpan.line;
    }
  }
  return null;
}

/**
 * A stage whose base cannot be resolved (an ARG without a default and without a build-arg, or a reference that
 * resolves to nothing) cannot be checked by the other base-image rules. Invalid references are reported by the
 * parser already and are not repeated here.
 */
const rule: Rule = {
  meta: {
    id: 'unresolved-base-image',
    severity: 'warning',
    title: 'Base image cannot be resolved',
    description:
      'The base image of a stage depends on a build argument that has no value here, so Defang cannot check it (registry, tag, user). Give the ARG a default, or set the value under build-args in .github/defang.yml.',
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'base-image',
  },
  check({ model, report }) {
    for (const stage of model.stages) {
      if (stage.unresolved === null) continue;
      const onFrom = model.problems.some((p) => p.span.line >= stage.from.span.line && p.span.line <= stage.from.span.endLine);
      if (onFrom) continue;
      const missing = missingVariables(model, stage);
      let advice: string;
      if (missing.length > 0) {
        const name = missing[0];
        const whole = stage.baseText === `$${name}` || stage.baseText === `\${${name}}`;
        const v = whole ? '<image>' : '<value>';
        const g = globalArg(model, name);
        const inStage = g ? null : declaredInStage(model, name);
        if (g) {
          advice = `give "ARG ${name}" on line ${g.line} a default (ARG ${name}=${v}) or set build-args: { ${name}: ${v} } in .github/defang.yml`;
        } else if (inStage !== null) {
          advice = `FROM only sees ARGs declared before the first FROM (the ARG on line ${inStage} is inside a stage): declare "ARG ${name}=${v}" at the top of the file, or set build-args: { ${name}: ${v} } in .github/defang.yml`;
        } else {
          advice = `declare "ARG ${name}=${v}" before the first FROM, or set build-args: { ${name}: ${v} } in .github/defang.yml`;
        }
      } else {
        advice = 'give the ARGs it uses defaults, or set build-args in .github/defang.yml';
      }
      report({
        ...stage.baseSpan,
        message: `Base image "${stage.baseText}" cannot be resolved (${stage.unresolved}), so it is not checked: ${advice}.`,
      });
    }
  },
};

export default rule;
