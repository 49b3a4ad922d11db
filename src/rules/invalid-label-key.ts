import { expandVariables } from '../dockerfile/vars.ts';
import type { Rule } from './types.ts';
import { argSpan, parseKeyValues } from './util/instruction-args.ts';

const RESERVED = ['com.docker.', 'io.docker.', 'org.dockerproject.'];

/** Why a label key breaks Docker's key format, or null when it is fine. */
export function labelKeyProblem(key: string): string | null {
  const ns = RESERVED.find((p) => key.startsWith(p));
  if (ns) return `uses the namespace "${ns}", which is reserved for Docker; use your own reverse-DNS prefix`;
  const bad = [...new Set(key.replace(/[a-zA-Z0-9.-]/g, ''))].map((c) => (/\s/.test(c) ? 'whitespace' : `"${c}"`));
  const upper = /[A-Z]/.test(key);
  if (bad.length > 0) {
    return `contains ${[...new Set(bad)].join(', ')}${upper ? ' and upper-case letters' : ''}; label keys use only a-z, 0-9, "." and "-"`;
  }
  if (upper) return `has upper-case letters; label keys are lower-case, e.g. "${key.toLowerCase()}"`;
  if (!/^[a-z]/.test(key)) return 'must start with a lower-case letter';
  if (!/[a-z0-9]$/.test(key)) return 'must end with a lower-case letter or a digit';
  if (/\.\.|--/.test(key)) return 'has consecutive separators ("..", "--")';
  return null;
}

/**
 * Label keys should be lower-case alphanumerics with `.` and `-`, start with a letter, end with a letter or digit,
 * have no `..` or `--`, and stay out of Docker's reserved namespaces (Docker's label key format). Keys built from
 * variables are judged after substitution; when a variable has no known value, the key as written is judged.
 */
const rule: Rule = {
  meta: {
    id: 'invalid-label-key',
    severity: 'warning',
    title: 'Label key breaks the label key format',
    description:
      'Label keys should be lower-case letters, digits, "." and "-", start with a letter, end with a letter or digit, have no ".." or "--", and not use the namespaces com.docker., io.docker. or org.dockerproject., which Docker reserves. Tools that read labels rely on this format.',
    hadolint: ['DL3048'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'labels',
  },
  check({ model, report }) {
    for (const inst of model.all) {
      if (inst.keyword !== 'LABEL') continue;
      for (const pair of parseKeyValues(inst, model.escape).pairs) {
        let key = pair.key;
        if (pair.rawKey.includes('$')) {
          const exp = expandVariables(pair.rawKey, inst.lookup, { escape: model.escape, removeQuotes: true });
          if (exp.missing.length === 0) key = exp.value;
        }
        if (key === '') continue;
        const problem = labelKeyProblem(key);
        if (!problem) continue;
        const shown = pair.rawKey.includes('$') && key !== pair.key ? `"${key}" (written ${pair.rawKey})` : `"${key}"`;
        report({ ...argSpan(inst, pair.keyStart, pair.keyEnd), message: `Label key ${shown} ${problem}.` });
      }
    }
  },
};

export default rule;
