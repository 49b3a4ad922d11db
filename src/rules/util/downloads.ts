/**
 * Knowledge of download tools (curl, wget) and script interpreters, for rules about running downloaded code.
 */
import { parseArgs, type ShellCommand } from '../../dockerfile/shell.ts';

/** curl options that take a value in the next word (or the rest of a short-option cluster). */
const CURL_VALUE_OPTIONS = new Set([
  '-o', '--output', '-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '-H', '--header', '-u', '--user',
  '-X', '--request', '-A', '--user-agent', '-e', '--referer', '-b', '--cookie', '-c', '--cookie-jar', '-T',
  '--upload-file', '-w', '--write-out', '-x', '--proxy', '-m', '--max-time', '-r', '--range', '-K', '--config', '-E',
  '--cert', '-F', '--form', '-C', '--continue-at', '-Y', '--speed-limit', '-y', '--speed-time', '-z', '--time-cond',
  '-U', '--proxy-user', '-Q', '--quote', '-t', '--telnet-option', '-P', '--ftp-port', '-D', '--dump-header',
  '--retry', '--retry-delay', '--retry-max-time', '--connect-timeout', '--cacert', '--capath', '--key', '--resolve',
  '--output-dir', '--proto', '--proto-redir', '--max-filesize', '--interface', '--url',
]);

/** wget options that take a value. */
const WGET_VALUE_OPTIONS = new Set([
  '-O', '--output-document', '-o', '--output-file', '-a', '--append-output', '-i', '--input-file', '-B', '--base',
  '-t', '--tries', '-T', '--timeout', '-w', '--wait', '-P', '--directory-prefix', '-U', '--user-agent', '-e',
  '--execute', '-l', '--level', '-A', '--accept', '-R', '--reject', '-D', '--domains', '-I', '--include-directories',
  '-X', '--exclude-directories', '-Q', '--quota', '--header', '--user', '--password', '--post-data', '--post-file',
  '--ca-certificate', '--certificate', '--private-key', '--progress', '--limit-rate', '--bind-address',
]);

const STDOUT = new Set(['-', '/dev/stdout']);

/** wget's two-letter `-n…` options (`-nv`, `-nc`, …) are single options, not clusters of `-n` and `-v`. */
export function wgetArgs(cmd: ShellCommand): ReturnType<typeof parseArgs> & { nOptions: Set<string> } {
  const nOptions = new Set<string>();
  const rest = cmd.args.filter((w) => {
    if (w.value !== null && /^-n[a-zA-Z]$/.test(w.value)) {
      nOptions.add(w.value);
      return false;
    }
    return true;
  });
  return { ...parseArgs(rest, WGET_VALUE_OPTIONS), nOptions };
}

export function curlArgs(cmd: ShellCommand): ReturnType<typeof parseArgs> {
  return parseArgs(cmd.args, CURL_VALUE_OPTIONS);
}

/** A curl or wget command whose download goes to standard output (what a pipe can feed to a shell). */
export function downloadsToStdout(cmd: ShellCommand): boolean {
  if (cmd.base === 'curl') {
    const a = curlArgs(cmd);
    if (a.flags.has('-O') || a.flags.has('--remote-name') || a.flags.has('--remote-name-all')) return false;
    for (const name of ['-o', '--output']) {
      if (a.flags.has(name)) {
        const v = a.values.get(name);
        if (v === null || v === undefined || !STDOUT.has(v)) return false;
      }
    }
    return true;
  }
  if (cmd.base === 'wget') {
    const a = wgetArgs(cmd);
    for (const name of ['-O', '--output-document']) {
      const v = a.values.get(name);
      if (v !== undefined && v !== null && STDOUT.has(v)) return true;
    }
    return false;
  }
  return false;
}

export const SHELL_INTERPRETERS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh']);

/** The interpreter a command is (`bash`, `python3`, `busybox sh` → `sh`), or null. */
export function interpreterOf(cmd: ShellCommand): string | null {
  if (cmd.base === 'busybox') {
    const v = cmd.args[0]?.value ?? '';
    return SHELL_INTERPRETERS.has(v) ? v : null;
  }
  if (SHELL_INTERPRETERS.has(cmd.base)) return cmd.base;
  if (/^python[0-9.]*$/.test(cmd.base)) return 'python';
  if (['perl', 'ruby', 'node', 'php'].includes(cmd.base)) return cmd.base;
  return null;
}

/** Per interpreter: options that take the code inline (not from stdin), and options that take a value. */
const INTERPRETER_OPTIONS: Record<string, { inline: RegExp; value: Set<string> }> = {
  sh: { inline: /^-[a-zA-Z]*c[a-zA-Z]*$/, value: new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file']) },
  python: { inline: /^-[a-zA-Z]*[cm]/, value: new Set(['-W', '-X', '--check-hash-based-pycs']) },
  perl: { inline: /^-[a-zA-Z]*[eE]/, value: new Set(['-I', '-M', '-m']) },
  ruby: { inline: /^-[a-zA-Z]*e/, value: new Set(['-I', '-r', '-C', '-E']) },
  node: { inline: /^(-[ep]|--eval|--print)$/, value: new Set(['-r', '--require', '--import', '--loader']) },
  php: { inline: /^-r/, value: new Set(['-c', '-d', '-z']) },
};

function optionsOf(interpreter: string): { inline: RegExp; value: Set<string> } {
  return INTERPRETER_OPTIONS[SHELL_INTERPRETERS.has(interpreter) ? 'sh' : interpreter];
}

/** The interpreter's arguments (after `busybox sh`'s applet name). */
function interpreterArgs(cmd: ShellCommand) {
  return cmd.base === 'busybox' ? cmd.args.slice(1) : cmd.args;
}

/** Operands that name standard input. */
const STDIN_OPERANDS = new Set(['-', '/dev/stdin']);

/** True when the interpreter runs the program it reads on standard input (`sh`, `bash -s --`, `python3 -`). */
export function runsStdin(cmd: ShellCommand): boolean {
  const interpreter = interpreterOf(cmd);
  if (!interpreter) return false;
  const isShell = SHELL_INTERPRETERS.has(interpreter);
  const opts = optionsOf(interpreter);
  const args = interpreterArgs(cmd);
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === null) return false;
    if (v === '--') {
      const next = args[i + 1];
      return !next || STDIN_OPERANDS.has(next.value ?? '');
    }
    if (opts.inline.test(v)) return false;
    // `sh -s args…`: the script comes from stdin whatever follows.
    if (isShell && /^-[a-zA-Z]*s[a-zA-Z]*$/.test(v)) return true;
    if (v !== '-' && (v.startsWith('-') || (isShell && v.startsWith('+')))) {
      if (opts.value.has(v)) i++;
      continue;
    }
    return STDIN_OPERANDS.has(v);
  }
  return true;
}

/** The word after an interpreter's inline-code option (`sh -c WORD`, `python3 -c WORD`), or null. */
export function inlineCodeWord(cmd: ShellCommand): ReturnType<typeof interpreterArgs>[number] | null {
  const interpreter = interpreterOf(cmd);
  if (!interpreter) return null;
  const opts = optionsOf(interpreter);
  const args = interpreterArgs(cmd);
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v !== null && opts.inline.test(v)) return args[i + 1] ?? null;
  }
  return null;
}

/** `$(curl …)`, `"$(wget -qO- …)"`, `` `curl …` `` or `<(curl …)`: a word whose text is the output of a download. */
export function downloadSubstitution(text: string): string | null {
  const m = /^["']?(?:\$\(|`|<\()\s*(?:sudo\s+)?(curl|wget)\b/.exec(text);
  return m ? m[1] : null;
}
