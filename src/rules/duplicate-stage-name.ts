import type { Rule } from './types.ts';
import { spanText } from './util/images.ts';

/** Stage names are case-insensitive and must be unique; BuildKit rejects a second `AS name`. */
const rule: Rule = {
  meta: {
    id: 'duplicate-stage-name',
    severity: 'error',
    title: 'Two stages have the same name',
    description:
      'Each `FROM … AS name` must use a name no other stage uses (names are case-insensitive). BuildKit rejects duplicate names, and `COPY --from=name` could not tell the stages apart.',
    hadolint: ['DL3024'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'syntax',
  },
  check({ model, report }) {
    const seen = new Map<string, number>();
    for (const stage of model.stages) {
      if (stage.name === null || stage.nameSpan === null) continue;
      const first = seen.get(stage.name);
      if (first === undefined) {
        seen.set(stage.name, stage.from.keywordSpan.line);
        continue;
      }
      const written = spanText(model, stage.nameSpan) || stage.name;
      report({
        ...stage.nameSpan,
        message: `Stage name "${written}" is already used by the stage on line ${first} (names are case-insensitive): give each stage a unique name.`,
      });
    }
  },
};

export default rule;
