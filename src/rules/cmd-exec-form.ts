import type { DockerfileModel, Instruction } from '../dockerfile/model.ts';
import type { Fix } from '../findings.ts';
import type { Rule } from './types.ts';
import { argSpan, argWords } from './util/instruction-args.ts';
import { WINDOWS_DEFAULT_SHELL } from '../dockerfile/model.ts';

/**
 * CMD and ENTRYPOINT in shell form run as `/bin/sh -c "…"`: the shell is PID 1 and does not forward SIGTERM, so
 * `docker stop` waits for its timeout and then kills the process; a shell-form ENTRYPOINT also ignores CMD and the
 * arguments of `docker run`. A shell-form CMD that is a single `exec …` command is not flagged: `exec` replaces the
 * shell, so signals reach the process. HEALTHCHECK CMD is judged only with the `healthcheck` option (it is not
 * PID 1, so signals are not its problem). Text that starts with `[` but is not valid JSON (single quotes, a trailing
 * comma) is run in a shell too, which is almost never what the author meant.
 */

/** Shell words that have no program of their own: such a command cannot become exec form as it is. */
const SHELL_ONLY = new Set([
  '.', ':', 'alias', 'break', 'case', 'cd', 'continue', 'declare', 'eval', 'exit', 'export', 'for', 'function', 'if',
  'local', 'read', 'readonly', 'return', 'select', 'set', 'shift', 'source', 'trap', 'typeset', 'ulimit', 'umask',
  'unset', 'until', 'wait', 'while', '{', '!',
]);
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** `['a', "b"]` → `["a", "b"]` when every element is a plain single- or double-quoted string; null otherwise. */
export function repairJsonArray(text: string): string[] | null {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return null;
  const inner = t.slice(1, -1).trim();
  if (inner === '') return [];
  const out: string[] = [];
  let i = 0;
  while (i < inner.length) {
    const q = inner[i];
    if (q === "'") {
      const end = inner.indexOf("'", i + 1);
      if (end < 0) return null;
      out.push(inner.slice(i + 1, end));
      i = end + 1;
    } else if (q === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(inner.slice(i));
      if (!m) return null;
      try {
        out.push(JSON.parse(m[0]) as string);
      } catch {
        return null;
      }
      i += m[0].length;
    } else return null;
    while (i < inner.length && /\s/.test(inner[i])) i++;
    if (i >= inner.length) break;
    if (inner[i] !== ',') return null;
    i++;
    while (i < inner.length && /\s/.test(inner[i])) i++;
    if (i >= inner.length) break; // a trailing comma: dropped
  }
  return out;
}

/** The words of a shell-form command that is a plain simple command (no quotes, variables, operators); else null. */
export function plainCommand(text: string, escape: string): string[] | null {
  const words = argWords(text, escape).map((w) => w.raw);
  if (words.length === 0 || !words.every((w) => PLAIN_WORD.test(w))) return null;
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) return null; // an assignment, not a command
  if (words[0] === 'exec') {
    if (words.length < 2 || words[1].startsWith('-')) return null;
    words.shift();
  }
  if (SHELL_ONLY.has(words[0])) return null;
  return words;
}

/** Whether a shell command is one command run with `exec` (no `;`, `&`, `|` or newline outside quotes). */
function singleExec(text: string, escape: string): boolean {
  if (!/^exec\s+[^-\s]/.test(text)) return false;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === escape && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === escape) i++;
    else if (c === '"' || c === "'") quote = c;
    else if (/[;&|\n`]/.test(c) || (c === '$' && text[i + 1] === '(')) return false;
  }
  return true;
}

function json(words: string[]): string {
  return `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;
}

/** Replace the instruction's lines with its first line up to the command, followed by `replacement`. */
function fixFor(model: DockerfileModel, inst: Instruction, commandStart: number, replacement: string, what: string): Fix | undefined {
  const start = argSpan(inst, commandStart, commandStart + 1);
  if (start.line !== inst.span.line) return undefined;
  const prefix = (model.source.lines[start.line - 1] ?? '').slice(0, start.column - 1);
  return { line: inst.span.line, endLine: inst.span.endLine, replacement: `${prefix}${replacement}`, description: what };
}

const rule: Rule = {
  meta: {
    id: 'cmd-exec-form',
    severity: 'warning',
    title: 'CMD or ENTRYPOINT in shell form',
    description:
      'Write CMD and ENTRYPOINT in JSON (exec) form, `CMD ["executable", "arg"]`. In shell form the command runs under `/bin/sh -c`, which does not pass SIGTERM on: `docker stop` waits for its timeout and kills the container. A shell-form ENTRYPOINT also ignores CMD and `docker run` arguments.',
    hadolint: ['DL3025'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
    options: {
      healthcheck: {
        type: 'boolean',
        default: false,
        description: 'Also require the JSON form for HEALTHCHECK CMD (hadolint does).',
      },
    },
  },
  check({ model, report, options }) {
    for (const inst of model.all) {
      const kw = inst.keyword;
      if (kw !== 'CMD' && kw !== 'ENTRYPOINT' && !(kw === 'HEALTHCHECK' && options.healthcheck === true)) continue;
      if (inst.form !== 'shell') continue;
      const text = inst.argsText.text;
      let start = text.length - text.trimStart().length;
      if (kw === 'HEALTHCHECK') {
        const m = /^CMD\s+/i.exec(text.slice(start));
        if (!m) continue;
        start += m[0].length;
      }
      const end = text.trimEnd().length;
      const command = text.slice(start, end);
      if (command === '') continue;
      const label = kw === 'HEALTHCHECK' ? 'HEALTHCHECK CMD' : kw;
      const span = argSpan(inst, start, end);
      // Exec form is only equivalent where the shell is a POSIX /bin/sh (not cmd.exe or PowerShell).
      const windows = inst.shellCommand.join(' ') === WINDOWS_DEFAULT_SHELL.join(' ');
      const posix = /(^|\/)(ba|da|a|k|mk|z)?sh$/.test(inst.shellCommand[0] ?? '');
      const shell = inst.shellCommand.join(' ');

      if (command.startsWith('[')) {
        const repaired = repairJsonArray(command);
        report({
          ...span,
          message: `${label} ${command} is not valid JSON (JSON needs double quotes, doubled backslashes and no trailing comma), so it runs in a shell as that literal text; write it as ${repaired ? json(repaired) : '["executable", "arg"]'}.`,
          fix: repaired && repaired.length > 0 ? fixFor(model, inst, start, json(repaired), `Write ${label} as a JSON array`) : undefined,
        });
        continue;
      }
      if (kw === 'CMD' && singleExec(command, model.escape)) continue;

      const words = plainCommand(command, model.escape);
      // A shell-form ENTRYPOINT ignores CMD; in exec form the stage's CMD would become its arguments.
      const stageHasCmd = inst.stage?.instructions.some((i) => i.keyword === 'CMD') ?? false;
      const canFix = words !== null && posix && !(kw === 'ENTRYPOINT' && (stageHasCmd || inst.onbuild !== null));
      const why =
        kw === 'ENTRYPOINT'
          ? 'signals such as SIGTERM do not reach your process, and CMD and `docker run` arguments are ignored'
          : kw === 'CMD'
            ? 'the shell is the main process and does not pass SIGTERM on, so `docker stop` waits and then kills the container'
            : 'it fails in images without a shell';
      const example = `${label} ["executable", "arg"]${kw === 'CMD' ? ', or start the shell command with exec' : ''}`;
      const note = kw === 'ENTRYPOINT' && stageHasCmd && words ? ' (the stage\'s CMD then becomes its arguments)' : '';
      const suggestion = words ? `${label} ${json(words)}${note}` : example;
      report({
        ...span,
        message: `${label} in shell form runs under ${shell}: ${why}; use the JSON form: ${suggestion}.`,
        fix: canFix ? fixFor(model, inst, start, json(words), `Write ${label} in JSON form`) : undefined,
      });
    }
  },
};

export default rule;
