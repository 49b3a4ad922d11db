/**
 * Helpers for rules that read the shell of RUN instructions: which script a RUN hands to a POSIX shell, where a command sits (inside `sh -c '…'`?), and option scanning.
 */
import type { Span } from '../../findings.ts';
import type { DockerfileModel, Instruction } from '../../dockerfile/model.ts';
import type { ShellCommand, ShellScript, ShellWord } from '../../dockerfile/shell.ts';

const POSIX_SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);

/** The base name of a shell program, lower-cased, without `.exe`: `/usr/bin/bash` → `bash`, `PowerShell.exe` → `powershell`. */
export function shellName(program: string): string {
  const base = program.slice(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1);
  return base.toLowerCase().replace(/\.exe$/, '');
}

export function isPosixShell(program: string): boolean {
  return POSIX_SHELLS.has(shellName(program));
}

/** The shell a RUN's shell form is handed to: the SHELL in effect (the model follows SHELL instructions through
 * stage chains, `# hadolint shell=…` pragmas and Windows stages). */
export interface EffectiveShell {
  /** `["/bin/sh", "-c"]` by default. */
  argv: readonly string[];
  posix: boolean;
}

export function effectiveShell(_model: DockerfileModel, inst: Instruction): EffectiveShell {
  return { argv: inst.shellCommand, posix: isPosixShell(inst.shellCommand[0] ?? '/bin/sh') };
}

/**
 * The parsed script of a RUN (top-level or ONBUILD trigger), or null when no POSIX shell runs it: exec form, a
 * non-POSIX SHELL, or a non-POSIX shell named by `# hadolint shell=…`.
 */
export function runScript(_model: DockerfileModel, inst: Instruction): ShellScript | null {
  // The model parses a RUN's script only when a POSIX shell runs it (not exec form, SHELL, pragma or Windows stage).
  return inst.keyword === 'RUN' ? inst.shell : null;
}

/** Every RUN with a POSIX shell script, top-level and ONBUILD triggers, in source order. */
export function runScripts(model: DockerfileModel): Array<{ inst: Instruction; script: ShellScript }> {
  const out: Array<{ inst: Instruction; script: ShellScript }> = [];
  for (const inst of model.all) {
    const script = runScript(model, inst);
    if (script) out.push({ inst, script });
  }
  return out;
}

/** The commands named `name` (by base name) that a script runs (`command -v x` is a look-up, not a run of x). */
export function commandsNamed(script: ShellScript, ...names: string[]): ShellCommand[] {
  const out: ShellCommand[] = [];
  for (const c of script.commands) if (names.includes(c.base)) out.push(c);
  return out;
}

/** The shell (`sh -c '…'`) whose script holds this command; null for the RUN's own script. */
export function enclosingShell(cmd: ShellCommand): ShellCommand | null {
  let c: ShellCommand = cmd;
  while (c.via === 'wrapper' && c.parent) c = c.parent;
  return c.via === 'shell-c' ? c.parent : null;
}

/** The command as written, wrappers included: for `sudo -E bash` seen as `bash`, the `sudo` command. */
export function outermost(cmd: ShellCommand): ShellCommand {
  let c = cmd;
  while (c.via === 'wrapper' && c.parent) c = c.parent;
  return c;
}

/** The span of the command's name word (`curl` in `sudo curl -fsSL …`). */
export function nameSpan(cmd: ShellCommand): Span {
  return cmd.words[0].span;
}

/** True when span `a` starts before span `b`. */
export function startsBefore(a: Span, b: Span): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

/** True when span `inner` lies within span `outer`. */
export function within(inner: Span, outer: Span): boolean {
  const startOk = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const endOk = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return startOk && endOk;
}

/** The word's literal value, or its single known expansion, or null. */
export function wordValue(w: ShellWord): string | null {
  if (w.value !== null) return w.value;
  if (w.fields && w.fields.length === 1) return w.fields[0];
  return null;
}

/**
 * Whether option words turn `pipefail` on: `-o pipefail`, `-eo pipefail`, `-euxo pipefail`, `-o errexit -o
 * pipefail` (a later `+o pipefail` turns it off again). Used for SHELL arrays, `set` commands and `bash -o pipefail -c`.
 */
export function pipefailFromOptions(args: ReadonlyArray<string | null>): boolean {
  let on = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === null) continue;
    if (/^[-+][a-zA-Z]*o$/.test(a) && i + 1 < args.length) {
      if (args[i + 1] === 'pipefail') on = a[0] === '-';
      i++;
    }
  }
  return on;
}

/** The options of a shell invocation (`bash -eo pipefail -c '…'`): its words before the script string. */
export function shellInvocationOptions(shell: ShellCommand): Array<string | null> {
  const args = shell.base === 'busybox' ? shell.args.slice(1) : shell.args;
  const out: Array<string | null> = [];
  for (const w of args) {
    const v = w.value;
    out.push(v);
    if (v !== null && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(v)) break;
  }
  return out;
}
