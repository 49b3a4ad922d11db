/**
 * A second opinion on shell syntax errors from a real shell (`bash -n`): the shell that runs the script has the last
 * word on what it accepts, and its message says what is wrong in the words users know from the build log.
 */
import { spawnSync } from 'node:child_process';

export type ShellVerdict = { status: 'ok' } | { status: 'error'; message: string } | { status: 'unavailable' };

const available = new Map<string, boolean>();

/** The shells to ask, in order: the SHELL's own for zsh and the Korn shells, else bash, then sh. */
export function shellsFor(shellName: string): string[] {
  if (shellName === 'zsh') return ['zsh']; // zsh syntax is not bash's: without zsh there is no second opinion
  if (shellName === 'ksh' || shellName === 'mksh') return [shellName, 'bash'];
  return ['bash', 'sh'];
}

/**
 * Ask a real shell whether a script parses (`<shell> -n`: read, do not execute). `shellName` is the base name of the
 * SHELL in effect; POSIX shells are checked with bash (the most lenient of them, so that a finding is certain) or,
 * without bash, with sh. Returns `unavailable` when no suitable shell is installed.
 */
export function checkWithShell(script: string, shellName: string, candidates: readonly string[] = shellsFor(shellName)): ShellVerdict {
  for (const sh of candidates) {
    if (available.get(sh) === false) continue;
    let r;
    try {
      // A bare environment: no BASH_ENV/ENV start-up files, messages in the C locale.
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };
      r = spawnSync(sh, ['-n'], { input: script, encoding: 'utf8', timeout: 5000, windowsHide: true, env });
    } catch {
      available.set(sh, false);
      continue;
    }
    if (r.error) {
      if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') available.set(sh, false);
      continue;
    }
    available.set(sh, true);
    if (r.status === 0) return { status: 'ok' };
    if (r.status === null) continue; // killed (timeout): no opinion
    return { status: 'error', message: cleanShellMessage(r.stderr ?? '', sh) };
  }
  return { status: 'unavailable' };
}

/** `bash: line 3: syntax error near unexpected token `fi'` → `syntax error near unexpected token "fi"`. */
export function cleanShellMessage(stderr: string, sh: string): string {
  const first = stderr.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  let m = first
    .replace(new RegExp(`^(?:/[^:]*/)?${sh.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\s*`), '')
    .replace(/^(?:-c:\s*)?(?:line\s+)?\d+:\s*/, '')
    .replace(/^Syntax error:\s*/, 'syntax error: ');
  // Shells quote tokens as `x' or "x"; keep one style, and name quote characters.
  const names: Record<string, string> = { '"': 'double quote', "'": 'single quote', '`': 'backquote' };
  m = m.replace(/matching `(["'`])'/g, (_, q: string) => `matching ${names[q]}`);
  m = m.replace(/`([^`]*?)'(?=[\s.,;:]|$)/g, '"$1"');
  return m.replace(/\s+/g, ' ').trim();
}
