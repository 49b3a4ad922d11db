import { posix } from 'node:path';
import type { Instruction, Stage } from '../dockerfile/model.ts';
import { expandVariables } from '../dockerfile/vars.ts';
import type { Rule } from './types.ts';
import { argsSpan } from './util/instruction-args.ts';

/**
 * A relative WORKDIR is resolved against whatever the previous WORKDIR was — possibly one set in the base image,
 * which can change under you. Paths are judged after variable substitution; a path led by a variable whose value is
 * unknown is not judged. Windows paths (`C:\app`, `c:/app`) are absolute.
 *
 * When an earlier WORKDIR of the stage (or of the stage it builds on) is known, the message names the directory the
 * relative path resolves to, and the fix writes that absolute path, which changes nothing in the build.
 */

/** `/x`, Windows drive paths (`C:\x`, `c:/x`, `C:`), and `\x` in Windows Dockerfiles (escape character `` ` ``). */
function isAbsolute(path: string, escape: string): boolean {
  if (path.startsWith('/')) return true;
  if (/^[A-Za-z]:/.test(path)) return true;
  return escape === '`' && path.startsWith('\\');
}

const rule: Rule = {
  meta: {
    id: 'relative-workdir',
    severity: 'warning',
    title: 'WORKDIR path is relative',
    description:
      'Use an absolute path in WORKDIR. A relative path is resolved against the previous WORKDIR, which may come from the base image and change when it does.',
    hadolint: ['DL3000'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    // The working directory after each WORKDIR and at the end of each stage, when the Dockerfile alone determines it.
    const known = new Map<Instruction, string | null>();
    const finalDir = new Map<Stage, string | null>();
    const resolved = (inst: Instruction) => {
      const raw = inst.args.trim();
      const exp = expandVariables(raw, inst.lookup, { escape: model.escape, removeQuotes: true });
      return { raw, path: exp.value, missing: exp.missing };
    };
    for (const stage of model.stages) {
      let cwd: string | null = stage.baseStage ? (finalDir.get(stage.baseStage) ?? null) : null;
      for (const inst of stage.instructions) {
        if (inst.keyword !== 'WORKDIR') continue;
        const { path, missing } = resolved(inst);
        if (missing.length > 0 || path === '') cwd = null;
        else if (path.startsWith('/')) cwd = posix.normalize(path);
        else if (isAbsolute(path, model.escape)) cwd = null; // Windows: not followed
        else cwd = cwd === null ? null : posix.join(cwd, path);
        known.set(inst, cwd);
      }
      finalDir.set(stage, cwd);
    }

    for (const inst of model.all) {
      if (inst.keyword !== 'WORKDIR') continue;
      const { raw, path, missing } = resolved(inst);
      if (raw === '' || path === '') continue; // dockerfile-syntax reports an empty WORKDIR
      if (missing.length > 0) {
        // `$DIR/x` or `${DIR}`: when the leading variable has no known value, the path may well be absolute.
        const lead = /^["']?\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(raw);
        if (lead && missing.includes(lead[1])) continue;
      }
      if (isAbsolute(path, model.escape)) continue;
      const written = raw.replace(/^(["'])(.*)\1$/, '$2');
      const literal = !raw.includes('$') || missing.length > 0;
      const shown = literal ? `"${written}"` : `"${path}" (from "${raw}")`;
      const target = inst.onbuild ? null : known.get(inst) ?? null;
      const span = argsSpan(inst);
      if (target !== null) {
        const line = model.source.lines[span.line - 1] ?? '';
        const single = span.line === span.endLine && span.line === inst.span.line && inst.span.endLine === inst.span.line;
        const plain = raw === written && !raw.includes('$') && !/[\s"'\\`]/.test(raw);
        report({
          ...span,
          message: `WORKDIR ${shown} is relative: it resolves to "${target}" only because of the WORKDIR before it; write WORKDIR ${target}.`,
          fix:
            single && plain
              ? {
                  line: span.line,
                  endLine: span.line,
                  replacement: `${line.slice(0, span.column - 1)}${target}${line.slice(span.endColumn - 1)}`,
                  description: 'Write the absolute path',
                }
              : undefined,
        });
        continue;
      }
      const suggestion = `/${(literal ? written : path).replace(/^(\.\/)+/, '')}`;
      report({
        ...span,
        message: `WORKDIR ${shown} is relative: it depends on the previous WORKDIR, which this Dockerfile does not determine (the base image's, say); use an absolute path such as "${suggestion}".`,
      });
    }
  },
};

export default rule;
