import type { Rule } from './types.ts';
import { parsePragmas } from './pragmas.ts';

/**
 * Inline ignore pragmas (`# defang ignore=…`, `# hadolint ignore=…`, and their `global` forms) let any change
 * silence a finding without review of the policy. When the policy forbids them (`allowInlineIgnores: false`) they are
 * not honoured, and this rule (switched on by the engine) points at each one so that it can be removed.
 */
const rule: Rule = {
  meta: {
    id: 'no-inline-ignore',
    severity: 'warning',
    title: 'Inline ignore pragma',
    description:
      'Findings should be silenced in the policy (`.github/defang.yml`), where changes are reviewed, not with `# defang ignore=` or `# hadolint ignore=` comments. Switched on automatically when the policy sets `allowInlineIgnores: false`.',
    hadolint: ['DL1001'],
    fixable: false,
    kind: 'static',
    enabledByDefault: false,
    category: 'instructions',
  },
  check({ model, report, policy }) {
    for (const p of parsePragmas(model)) {
      const what = `${p.tool}${p.global ? ' global' : ''} ignore=${p.ids.join(',')}`;
      const consequence = policy.allowInlineIgnores
        ? 'inline ignores are not allowed here'
        : 'the policy does not allow inline ignores (allowInlineIgnores: false), so it silences nothing';
      report({
        ...p.span,
        message: `Inline pragma "# ${what}": ${consequence}; fix the finding, or configure ${p.ids.length > 1 ? 'those rules' : 'the rule'} in .github/defang.yml instead.`,
      });
    }
  },
};

export default rule;
