import type { Rule } from './types.ts';
import { wgetArgs } from './util/downloads.ts';
import { commandsNamed, nameSpan, runScripts } from './util/shell-commands.ts';

/**
 * Without a terminal, wget's progress output falls back to "dot" mode: a line per few kilobytes, thousands of lines
 * for a large download, which buries the rest of the build log. `--progress=dot:giga` prints little; `-q` or
 * `-nv` print nothing but errors; `-o`/`-a` send the output to a file. `--version`, `--help` and `--spider`
 * download nothing and are not reported.
 */
const rule: Rule = {
  meta: {
    id: 'wget-no-progress',
    severity: 'info',
    title: 'wget without a quiet progress setting',
    description:
      'Without a terminal, wget prints a line of dots for every few kilobytes it downloads, which floods the build log. Use `wget --progress=dot:giga` (GNU wget), or `-q`/`--quiet` or `-nv`/`--no-verbose` (BusyBox wget knows only `-q`).',
    hadolint: ['DL3047'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'shell',
  },
  check({ model, report }) {
    for (const { script } of runScripts(model)) {
      for (const cmd of commandsNamed(script, 'wget')) {
        const a = wgetArgs(cmd);
        const has = (...names: string[]) => names.some((n) => a.flags.has(n));
        if (has('--progress', '-q', '--quiet', '-o', '--output-file', '-a', '--append-output', '--no-verbose')) continue;
        if (a.nOptions.has('-nv')) continue;
        if (has('-V', '--version', '-h', '--help', '--spider')) continue;
        report({
          ...nameSpan(cmd),
          message: 'wget without --progress=dot:giga, -q or -nv prints thousands of progress lines into the build log: add one of them.',
        });
      }
    }
  },
};

export default rule;
