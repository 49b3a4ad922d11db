import type { ShellCommand, ShellPipeline } from '../dockerfile/shell.ts';
import type { Rule } from './types.ts';
import { downloadSubstitution, downloadsToStdout, inlineCodeWord, interpreterOf, runsStdin } from './util/downloads.ts';
import { outermost, runScripts } from './util/shell-commands.ts';

/**
 * `curl … | sh` runs whatever the server (or anyone in between, or a compromised release page) returns today,
 * unreviewed and unpinned, as root in the build. Caught: a pipe from a download to standard output into an
 * interpreter reading standard input (`| sh`, `| sudo -E bash -`, `| python3 -`), `bash <(curl …)`, and
 * `sh -c "$(curl …)"` / `eval "$(wget -qO- …)"`.
 */
const rule: Rule = {
  meta: {
    id: 'curl-pipe-shell',
    severity: 'warning',
    title: 'Downloaded script piped into a shell',
    description:
      'Do not pipe a download straight into a shell (`curl … | sh`). The script runs unverified: whatever the server returns on the day of the build, including a tampered or truncated file, runs as root in the image. Download the script to a file, verify it against a known SHA-256 checksum (`echo "<sha256>  install.sh" | sha256sum -c -`), then run it; or install the tool from a package or a pinned, checksummed release archive.',
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'security',
  },
  check({ model, report }) {
    const advice = 'download it to a file, verify its SHA-256 checksum, then run it';
    for (const { script } of runScripts(model)) {
      const commands = script.commands;
      // curl … | sh
      // Each pipeline's commands, in script order, gathered in one pass.
      const byPipeline = new Map<ShellPipeline, ShellCommand[]>();
      if (script.pipelines.length > 0) {
        for (const c of commands) {
          if (!c.pipeline) continue;
          const list = byPipeline.get(c.pipeline);
          if (list) list.push(c);
          else byPipeline.set(c.pipeline, [c]);
        }
      }
      for (const p of script.pipelines) {
        const members = byPipeline.get(p) ?? [];
        const download = members.find((c) => downloadsToStdout(c));
        if (!download) continue;
        const runner = members.find((c) => c.pipelineIndex > download.pipelineIndex && runsStdin(c));
        if (!runner) continue;
        report({
          ...p.span,
          message: `The script downloaded by ${download.base} is piped into ${runnerName(runner)} and runs unverified: ${advice}.`,
        });
      }
      // bash <(curl …), sh -c "$(curl …)", eval "$(curl …)", source <(curl …)
      for (const c of commands) {
        const fetched = substitutedDownload(c);
        if (!fetched) continue;
        report({
          ...outermost(c).span,
          message: `The script downloaded by ${fetched} is run by ${runnerName(c)} unverified: ${advice}.`,
        });
      }
    }
  },
};

function runnerName(c: ShellCommand): string {
  const viaSudo = outermost(c).base === 'sudo' ? 'sudo ' : '';
  const name = c.base === 'busybox' ? `busybox ${interpreterOf(c) ?? 'sh'}` : c.base;
  return `${viaSudo}${name}`;
}

/** The download tool whose output the command runs as code, for the substitution forms; null otherwise. */
function substitutedDownload(c: ShellCommand): string | null {
  if (c.base === 'eval') {
    for (const w of c.args) {
      const tool = downloadSubstitution(w.text);
      if (tool) return tool;
    }
    return null;
  }
  if (c.base === 'source' || c.base === '.') return c.args[0] ? downloadSubstitution(c.args[0].text) : null;
  if (!interpreterOf(c)) return null;
  const inline = inlineCodeWord(c);
  if (inline) return downloadSubstitution(inline.text);
  // bash <(curl …): the first operand is the script file.
  const operand = c.args.find((w) => !(w.value ?? '').startsWith('-') || w.value === null);
  return operand && operand.text.startsWith('<(') ? downloadSubstitution(operand.text) : null;
}

export default rule;
