import type { Instruction } from '../dockerfile/model.ts';
import type { ShellCommand } from '../dockerfile/shell.ts';
import type { Rule } from './types.ts';
import { baseName, copyArgs, type PathArg } from './util/copy-args.ts';
import { nameSpan, runScript, wordValue } from './util/shell-commands.ts';

/** Names of tar archives ADD unpacks by itself (plain, gzip, bzip2, xz, zstd). */
const TAR_LIKE = /\.(tar|tgz|tbz2?|tb2|txz|tzst|gz|bz2|xz|zst)$/i;
/** Names that say "a compressed tar" outright (a decompressor alone does not tell a tarball from a plain file). */
const COMPRESSED_TAR = /\.(tar\.(gz|bz2|xz|zst)|tgz|tbz2?|tb2|txz|tzst)$/i;
const DECOMPRESSORS = new Set(['gunzip', 'zcat', 'gzcat', 'bunzip2', 'bzcat', 'unxz', 'xzcat', 'unzstd', 'zstdcat']);

interface Copied {
  name: string;
  word: PathArg;
  inst: Instruction;
  extractedBy: { tool: string; line: number } | null;
}

/**
 * `COPY app.tar.gz /tmp/` followed by `RUN tar -xzf /tmp/app.tar.gz` keeps the archive in the COPY layer for good
 * (deleting it later does not shrink the image). ADD unpacks a local tar archive by itself, and a bind mount
 * (`RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf …`) never stores it. As in hadolint, an
 * archive counts as extracted when a later RUN of the same stage runs `tar -x` (or a decompressor) on a file of the
 * same name. Unlike hadolint, formats ADD cannot unpack (lzip, lzma, compress) and zip files are left out, since
 * the advice would not work for them; `COPY --from` is left out too (ADD has no --from).
 */
const rule: Rule = {
  meta: {
    id: 'copy-then-extract',
    severity: 'info',
    title: 'Archive copied, then extracted in RUN',
    description:
      'When an archive is copied with COPY and then unpacked by tar in a later RUN, the archive stays in the COPY layer and the image carries both the archive and its contents. Let ADD unpack the local tar archive, or bind-mount it in the RUN that unpacks it (`RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt`).',
    hadolint: ['DL3010'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    // Nothing to find without a COPY (top-level or ONBUILD trigger).
    if (!model.all.some((i) => i.keyword === 'COPY')) return;
    const tracks: Instruction[][] = [];
    const loose = model.instructions.filter((i) => i.stage === null);
    tracks.push(loose, loose.flatMap((i) => (i.trigger ? [i.trigger] : [])));
    for (const stage of model.stages) {
      tracks.push(stage.instructions.filter((i) => i.keyword !== 'ONBUILD'));
      tracks.push(stage.instructions.flatMap((i) => (i.trigger ? [i.trigger] : [])));
    }
    for (const track of tracks) {
      const copied: Copied[] = [];
      for (const inst of track) {
        if (inst.keyword === 'COPY' && !inst.flags.some((f) => f.name === 'from')) {
          const args = copyArgs(model, inst);
          if (!args || !args.dest) continue;
          const destName = baseName(args.dest.value ?? args.dest.raw);
          if (TAR_LIKE.test(destName)) copied.push({ name: destName, word: args.dest, inst, extractedBy: null });
          else {
            for (const s of args.sources) {
              const name = baseName(s.value ?? s.raw);
              if (!s.heredoc && TAR_LIKE.test(name)) copied.push({ name, word: s, inst, extractedBy: null });
            }
          }
          continue;
        }
        // Only a RUN after a copied archive can unpack it.
        if (copied.length === 0) continue;
        const script = runScript(model, inst);
        if (!script) continue;
        for (const cmd of script.commands) {
          const names = extractedNames(cmd);
          if (!names) continue;
          for (const c of copied) {
            if (c.extractedBy || !names.has(c.name)) continue;
            if (cmd.base !== 'tar' && !COMPRESSED_TAR.test(c.name)) continue;
            c.extractedBy = { tool: cmd.base, line: nameSpan(cmd).line };
          }
        }
      }
      for (const c of copied) {
        if (!c.extractedBy) continue;
        report({
          ...c.word.span,
          message: `"${c.name}" is copied here and unpacked by ${c.extractedBy.tool} on line ${c.extractedBy.line}, so the archive stays in this layer: let ADD unpack it, or bind-mount it in that RUN (--mount=type=bind).`,
        });
      }
    }
  },
};

/** File base names an extracting command reads (`tar -xf a.tar`, `tar xzf a.tgz`, `gunzip a.tar.gz`); null for other commands. */
function extractedNames(cmd: ShellCommand): Set<string> | null {
  const values = cmd.args.map((w) => wordValue(w));
  if (cmd.base === 'tar') {
    const first = values[0] ?? '';
    const extracting = values.some(
      (v, i) => v !== null && (v === '--extract' || v === '--get' || /^-[a-zA-Z]*x/.test(v) || (i === 0 && /^[a-zA-Z]*x[a-zA-Z]*$/.test(first))),
    );
    if (!extracting) return null;
  } else if (!DECOMPRESSORS.has(cmd.base)) return null;
  const names = new Set<string>();
  for (const v of values) {
    if (v === null) continue;
    const file = v.startsWith('--file=') ? v.slice('--file='.length) : v.startsWith('-') ? null : v;
    if (file) names.add(baseName(file));
  }
  return names;
}

export default rule;
