import type { Rule } from './types.ts';
import { copyArgs } from './util/copy-args.ts';

/**
 * With more than one source, COPY and ADD copy into a directory, and the destination must say so with a trailing
 * `/`: the classic builder rejects `COPY a b /app` ("When using COPY with more than one source file, the destination
 * must be a directory and end with a /"), and a reader cannot tell whether `/app` is meant as a file. BuildKit
 * accepts it and treats it as a directory, which is what the fix (adding `/`) spells out. A destination that comes
 * from a variable with no known value is not judged; one ending in `\` (Windows) is accepted.
 */
const rule: Rule = {
  meta: {
    id: 'copy-multiple-sources-to-file',
    severity: 'error',
    title: 'Several sources copied to a destination without a trailing /',
    description:
      'When COPY or ADD has more than one source, the destination is a directory and must end with `/` (`COPY a.conf b.conf /etc/app/`). The classic Docker builder fails the build otherwise, and without the slash the destination reads like a file name.',
    hadolint: ['DL3021'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    for (const inst of model.all) {
      if (inst.keyword !== 'COPY' && inst.keyword !== 'ADD') continue;
      const args = copyArgs(model, inst);
      if (!args || !args.dest || args.sources.length < 2) continue;
      const dest = args.dest;
      if (/[/\\]$/.test(dest.raw)) continue;
      if (dest.value === null || /[/\\]$/.test(dest.value)) continue;
      const message = `${inst.keyword} has ${args.sources.length} sources, so the destination "${dest.value}" is a directory: end it with "/" ("${dest.value}/").`;
      const line = model.source.lines[dest.span.line - 1];
      const literal = !/[$\\]/.test(dest.raw) && dest.span.line === dest.span.endLine && line !== undefined;
      if (!literal) {
        report({ ...dest.span, message });
        continue;
      }
      // Insert the slash after the last character of the path, inside the quotes when it is quoted.
      const at = dest.span.endColumn - 1 - (dest.quote ? 1 : 0);
      report({
        ...dest.span,
        message,
        fix: {
          line: dest.span.line,
          endLine: dest.span.line,
          replacement: `${line.slice(0, at)}/${line.slice(at)}`,
          description: 'Add a trailing / to the destination',
        },
      });
    }
  },
};

export default rule;
