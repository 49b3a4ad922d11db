import type { Rule } from './types.ts';
import { argSpan, parseKeyValues, unquote, variableRefs } from './util/instruction-args.ts';

/**
 * All variables in one ENV instruction are substituted with the values from before it: in `ENV A=1 B=$A`, B does not
 * get 1 but A's earlier value (often empty). A value that refers to its own name (`ENV PATH=/x:$PATH`) is fine: it
 * means the earlier value on purpose. Reported at each reference to a name that an earlier pair of the same ENV sets.
 */
const rule: Rule = {
  meta: {
    id: 'env-self-reference',
    severity: 'error',
    title: 'ENV uses a variable it sets itself',
    description:
      'Variables in an ENV instruction are substituted with the values from before that instruction, so `ENV A=1 B=$A` does not give B the value 1. Set A in an earlier ENV instruction.',
    hadolint: ['DL3044'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    for (const inst of model.all) {
      if (inst.keyword !== 'ENV') continue;
      const { pairs } = parseKeyValues(inst, model.escape);
      const setEarlier = new Map<string, number>();
      pairs.forEach((pair, i) => {
        for (const ref of variableRefs(pair.rawValue, model.escape)) {
          const j = setEarlier.get(ref.name);
          if (j === undefined) continue;
          const before = inst.lookup(ref.name);
          const intended = unquote(pairs[j].rawValue, model.escape);
          const span = argSpan(inst, pair.valueStart + ref.start, pair.valueStart + ref.end);
          const fix = `set ${ref.name} in an earlier ENV instruction`;
          if (before !== undefined && before === pairs[j].value) {
            report({
              ...span,
              message: `${pair.key} uses ${ref.name}, which this same ENV sets: the reference sees the value from before this ENV, which happens to be the same ("${before}"), so changing ${ref.name} here would not change ${pair.key}; ${fix}.`,
            });
            continue;
          }
          const gets = before === undefined ? 'no value' : before === '' ? 'an empty value' : `the earlier value "${before}"`;
          report({
            ...span,
            message: `${pair.key} uses ${ref.name}, which this same ENV sets: the reference sees the value from before this ENV (${gets}), not "${intended}"; ${fix}.`,
          });
        }
        setEarlier.set(pair.key, i);
      });
    }
  },
};

export default rule;
