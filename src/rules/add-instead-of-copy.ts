import type { Rule } from './types.ts';
import { copyArgs, isRemoteSource, looksLikeArchive, type PathArg } from './util/copy-args.ts';

/** ADD flags that COPY also takes: with any other flag the instruction cannot simply become COPY. */
const COPY_COMPATIBLE_FLAGS = new Set(['chown', 'chmod', 'link', 'exclude']);

/**
 * ADD does more than copy: it fetches URLs and git repositories and unpacks local tar archives. For plain local
 * files and directories COPY does the same with no surprises (a file that happens to be a tar would be unpacked by
 * ADD). Sources that look like archives (`.tar`, `.tgz`, `.gz`, `.xz`, …, as hadolint lists them) and URLs are left to
 * ADD; a source whose name depends on an unknown variable is not judged. Unlike hadolint, `git@…` and `ssh://…`
 * repository sources count as remote.
 */
const rule: Rule = {
  meta: {
    id: 'add-instead-of-copy',
    severity: 'warning',
    title: 'ADD used for local files',
    description:
      'Use COPY for local files and directories. ADD also downloads URLs and unpacks tar archives, so a reader has to check which it does, and a local file that happens to be a tar archive gets unpacked. Keep ADD for what only it does: remote sources and archives to unpack.',
    hadolint: ['DL3020'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    for (const inst of model.all) {
      if (inst.keyword !== 'ADD') continue;
      const args = copyArgs(model, inst);
      if (!args || !args.dest || args.sources.length === 0) continue;
      if (args.sources.some((s) => !s.heredoc && s.value === null)) continue;
      const plain = args.sources.filter((s) => isPlainLocal(s));
      if (plain.length === 0) continue;
      const names = plain.map((s) => (s.heredoc ? s.raw : `"${s.value}"`)).join(', ');
      if (plain.length < args.sources.length) {
        // Mixed with URLs or archives: point at the first plain local source; no automatic fix.
        report({
          ...plain[0].span,
          message: `ADD copies the local ${plain.length > 1 ? 'sources' : 'source'} ${names} like COPY would: move ${plain.length > 1 ? 'them' : 'it'} to a COPY instruction and keep ADD for the URLs and archives.`,
        });
        continue;
      }
      const message = `Use COPY instead of ADD for the local ${plain.length > 1 ? 'sources' : 'source'} ${names}: ADD also fetches URLs and unpacks archives.`;
      const k = inst.keywordSpan;
      const line = model.source.lines[k.line - 1];
      const canFix = inst.flags.every((f) => COPY_COMPATIBLE_FLAGS.has(f.name)) && k.line === k.endLine && line !== undefined;
      if (!canFix) {
        report({ ...k, message });
        continue;
      }
      const written = line.slice(k.column - 1, k.endColumn - 1);
      const copy = written === written.toLowerCase() ? 'copy' : 'COPY';
      report({
        ...k,
        message,
        fix: {
          line: k.line,
          endLine: k.line,
          replacement: `${line.slice(0, k.column - 1)}${copy}${line.slice(k.endColumn - 1)}`,
          description: 'Replace ADD with COPY',
        },
      });
    }
  },
};

function isPlainLocal(s: PathArg): boolean {
  if (s.heredoc) return true;
  const v = s.value ?? '';
  return !isRemoteSource(v) && !looksLikeArchive(v);
}

export default rule;
