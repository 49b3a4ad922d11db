import type { Instruction } from '../dockerfile/model.ts';
import type { ShellCommand, ShellPipeline, ShellScript } from '../dockerfile/shell.ts';
import type { Rule } from './types.ts';
import {
  effectiveShell,
  enclosingShell,
  pipefailFromOptions,
  runScripts,
  shellInvocationOptions,
  startsBefore,
  within,
  type EffectiveShell,
} from './util/shell-commands.ts';

/**
 * A pipeline's exit status is its last command's: `curl … | tar -x` succeeds when the download fails, and the build
 * goes on with a broken layer. With `pipefail` the RUN fails instead. A pipeline is protected when the shell that
 * runs it has `-o pipefail` (the SHELL instruction, or the `bash -o pipefail -c '…'` it sits in), or when a
 * `set -o pipefail` in the same script comes before it.
 *
 * Deliberate difference from hadolint: `SHELL ["/bin/sh", "-o", "pipefail", "-c"]` counts. hadolint accepts only
 * bash, zsh and ash there, but a shell that does not know `pipefail` rejects the option and every RUN fails loudly,
 * so a build that works has pipefail on.
 */
const rule: Rule = {
  meta: {
    id: 'missing-pipefail',
    severity: 'warning',
    title: 'Pipe in RUN without pipefail',
    description:
      'A pipeline returns the status of its last command, so `curl … | tar -x` succeeds even when the download fails. Set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before RUN instructions with pipes, or start the RUN with `set -o pipefail &&`, so that a failure anywhere in the pipe fails the build.',
    hadolint: ['DL4006'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'shell',
  },
  check({ model, report }) {
    for (const { inst, script } of runScripts(model)) {
      if (script.pipelines.length === 0) continue;
      const shell = effectiveShell(model, inst);
      const topLevel = topLevelPipefail(inst, shell);
      // The `set -o pipefail` commands of the script, found once for all its pipes.
      const sets = script.commands.filter(isSetPipefail);
      const unprotected = script.pipelines
        .filter((p) => !isProtected(p, script, topLevel, sets))
        .sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);
      if (unprotected.length === 0) continue;
      const first = unprotected[0];
      const anchor = anchorOf(first, script);
      const inner = anchor ? enclosingShell(anchor) : null;
      const more = unprotected.length > 1 ? ` (${unprotected.length - 1} more pipe${unprotected.length > 2 ? 's' : ''} in this RUN)` : '';
      let names = '';
      for (let i = 0; i < first.commands.length; i++) names += `${i > 0 ? ' | ' : ''}${first.commands[i]?.base || '…'}`;
      const message = inner
        ? `The pipe "${names}" runs in "${inner.base} -c" without pipefail, so only its last command's failure counts: use "${inner.base} -o pipefail -c" or start the string with "set -o pipefail;"${more}.`
        : `The pipe "${names}" runs without pipefail, so only its last command's failure counts: ${advice(shell)}${more}.`;
      report({ ...first.span, message });
    }
  },
};

function advice(shell: EffectiveShell): string {
  const name = shell.argv[0] ?? '/bin/sh';
  const bashLike = /(^|\/)(bash|zsh|ash|ksh|mksh)$/.test(name);
  const shellArray = bashLike ? `["${name}", "-o", "pipefail", "-c"]` : '["/bin/bash", "-o", "pipefail", "-c"]';
  return `set SHELL ${shellArray} before this RUN, or start it with "set -o pipefail &&"`;
}

/** Whether the script of the RUN itself starts with pipefail on (from SHELL, or a heredoc's shebang line). */
function topLevelPipefail(inst: Instruction, shell: EffectiveShell): boolean {
  const only = /^<<-?(["']?)([A-Za-z0-9_.-]+)\1$/.exec(inst.args.trim());
  if (only && inst.heredocs.length === 1) {
    const shebang = /^#!\s*(.*)$/m.exec(inst.heredocs[0].body.split('\n')[0] ?? '');
    // A script with a shebang line runs as its own program: the SHELL's options do not apply to it.
    if (shebang) return /(^|\s)-[a-zA-Z]*o\s+pipefail\b/.test(shebang[1]);
  }
  return pipefailFromOptions(shell.argv.slice(1));
}

/**
 * A command of the pipeline, to tell which shell runs it. Parts that are compound commands (`( … ) | tar -x`) are not
 * listed in `pipeline.commands`, so look for any command inside the pipeline's span.
 */
function anchorOf(p: ShellPipeline, script: ShellScript): ShellCommand | null {
  return p.commands.find((c) => c !== undefined) ?? script.commands.find((c) => within(c.span, p.span)) ?? null;
}

/** `sets`: the script's `set -o pipefail` commands (see isSetPipefail). */
function isProtected(p: ShellPipeline, script: ShellScript, topLevel: boolean, sets: readonly ShellCommand[]): boolean {
  const anchor = anchorOf(p, script);
  const inner = anchor ? enclosingShell(anchor) : null;
  if (inner ? pipefailFromOptions(shellInvocationOptions(inner)) : topLevel) return true;
  return sets.some((c) => enclosingShell(c) === inner && appliesTo(c, anchor) && startsBefore(c.span, p.span));
}

function isSetPipefail(c: ShellCommand): boolean {
  return c.base === 'set' && c.via !== 'wrapper' && pipefailFromOptions(c.args.map((w) => w.value));
}

/** A `set` inside a subshell does not reach commands outside it. */
function appliesTo(set: ShellCommand, cmd: ShellCommand | null): boolean {
  return !set.inSubshell || (cmd?.inSubshell ?? false);
}

export default rule;
