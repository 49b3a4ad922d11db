import type { Span } from '../findings.ts';
import { parseArgs, type ShellCommand, type ShellWord } from '../dockerfile/shell.ts';
import type { Rule } from './types.ts';
import { isUnsafeWorldWritable } from './util/file-modes.ts';
import { commandsNamed, runScripts, wordValue } from './util/shell-commands.ts';

const CHMOD_OPTIONS = new Set(['-R', '--recursive', '-c', '--changes', '-f', '--silent', '--quiet', '-v', '--verbose', '--preserve-root', '--no-preserve-root']);
const MODE_VALUE_OPTIONS = new Set(['-m', '--mode', '-o', '--owner', '-g', '--group', '-S', '--suffix', '-t', '--target-directory']);

const ADVICE = 'give write access to the owner only (e.g. 755 or 644) and chown the path to the user that needs it';

/**
 * A world-writable path (`chmod 777`, `chmod o+w`, `mkdir -m 777`, `COPY --chmod=666`) lets any process in the
 * container, whatever user it runs as, replace programs, configuration or data there. Modes with the sticky bit
 * (`1777`, `+t`), the /tmp pattern, are not reported.
 */
const rule: Rule = {
  meta: {
    id: 'chmod-world-writable',
    severity: 'warning',
    title: 'World-writable file mode',
    description:
      'Do not make files or directories writable by every user (`chmod 777`, `chmod -R a+w`, `mkdir -m 777`, `COPY --chmod=666`): any process in the container, under any user, could then change programs, configuration or data. Give write access to the owner only and chown the path to the user that needs it; for a shared scratch directory, set the sticky bit as /tmp does (`1777`).',
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'security',
  },
  check({ model, report }) {
    for (const { script } of runScripts(model)) {
      for (const cmd of commandsNamed(script, 'chmod')) {
        const mode = chmodMode(cmd);
        if (!mode || !isUnsafeWorldWritable(mode.value)) continue;
        const recursive = cmd.args.some((w) => w.value === '--recursive' || (w.value !== null && /^-[a-zA-Z]*R/.test(w.value)));
        const targets = targetsText(mode.operands);
        report({
          ...mode.word.span,
          message: `chmod ${recursive ? '-R ' : ''}${mode.value} makes ${targets} writable by every user: ${ADVICE}.`,
        });
      }
      for (const cmd of commandsNamed(script, 'mkdir', 'install')) {
        const m = optionMode(cmd);
        if (!m || !isUnsafeWorldWritable(m.value)) continue;
        report({
          ...m.span,
          message: `${cmd.base} with mode ${m.value} makes ${targetsText(m.operands)} writable by every user: ${ADVICE}.`,
        });
      }
    }
    for (const inst of model.all) {
      if (inst.keyword !== 'COPY' && inst.keyword !== 'ADD') continue;
      const flag = inst.flags.find((f) => f.name === 'chmod');
      if (!flag || flag.value === null) continue;
      const value = flag.value.replace(/^["']|["']$/g, '');
      if (!isUnsafeWorldWritable(value)) continue;
      report({
        ...valueSpan(flag.span, flag.value),
        message: `${inst.keyword} --chmod=${value} makes the copied files writable by every user: ${ADVICE}.`,
      });
    }
  },
};

function targetsText(operands: ShellWord[]): string {
  // A literal path is quoted; a word with expansions is shown as written (it carries its own quotes, if any).
  const names = operands.map((w) => {
    const v = wordValue(w);
    return v !== null ? `"${v}"` : w.text;
  });
  if (names.length === 0) return 'the files';
  if (names.length === 1) return names[0];
  return `${names[0]} and ${names.length - 1} more path${names.length > 2 ? 's' : ''}`;
}

/** chmod's mode word (the first operand) and its value, with the paths it applies to. */
function chmodMode(cmd: ShellCommand): { word: ShellWord; value: string; operands: ShellWord[] } | null {
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const v = wordValue(args[i]);
    if (v === null) return null;
    if (v.startsWith('--reference')) return null;
    if (v === '--') {
      const word = args[i + 1];
      const value = word ? wordValue(word) : null;
      return word && value !== null ? { word, value, operands: args.slice(i + 2) } : null;
    }
    if (CHMOD_OPTIONS.has(v) || /^-[Rcfv]+$/.test(v)) continue;
    return { word: args[i], value: v, operands: args.slice(i + 1) };
  }
  return null;
}

/** `mkdir -m 777 dir`, `mkdir --mode=777 dir`, `install -m777 …`: the mode value and where it is written. */
function optionMode(cmd: ShellCommand): { value: string; span: Span; operands: ShellWord[] } | null {
  const a = parseArgs(cmd.args, MODE_VALUE_OPTIONS);
  for (const name of ['-m', '--mode']) {
    const flagWord = a.flags.get(name);
    if (!flagWord) continue;
    const full = wordValue(flagWord);
    if (full === null) return null;
    const inline = name === '--mode' ? (full.startsWith('--mode=') ? full.slice(7) : '') : full.slice(full.indexOf('m') + 1);
    if (inline !== '') {
      const span = flagWord.text === full ? valueSpan(flagWord.span, inline) : flagWord.span;
      return { value: inline, span, operands: a.operands };
    }
    const next = cmd.args[cmd.args.indexOf(flagWord) + 1];
    const value = next ? wordValue(next) : null;
    return next && value !== null ? { value, span: next.span, operands: a.operands } : null;
  }
  return null;
}

/** The span of a flag's value (`777` in `--chmod=777`), when the flag sits on one line. */
function valueSpan(span: Span, value: string): Span {
  if (span.line !== span.endLine) return span;
  return { line: span.line, column: span.endColumn - value.length, endLine: span.line, endColumn: span.endColumn };
}

export default rule;
