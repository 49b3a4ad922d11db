import { parseArgs } from '../dockerfile/shell.ts';
import type { Rule } from './types.ts';
import { commandsNamed, nameSpan, runScripts, wordValue } from './util/shell-commands.ts';

const USERADD_VALUE_OPTIONS = new Set([
  '-b', '--base-dir', '-c', '--comment', '-d', '--home-dir', '-e', '--expiredate', '-f', '--inactive', '-g', '--gid',
  '-G', '--groups', '-k', '--skel', '-K', '--key', '-p', '--password', '-R', '--root', '-P', '--prefix', '-s',
  '--shell', '-u', '--uid', '-Z', '--selinux-user', '--selinux-range',
]);

/**
 * `useradd` records the new user in /var/log/lastlog and /var/log/faillog, files indexed by UID: for UID 1000000 they
 * grow to hundreds of megabytes. On disk they are sparse, but image layers store them in full. `useradd -l`
 * (`--no-log-init`) skips them. Reported when the UID is known (literal, or from an ARG/ENV value) and above
 * `maxUid` — hadolint flags any UID written with more than five characters, so also `-u ${UID}`; here an unknown
 * UID is not judged.
 */
const rule: Rule = {
  meta: {
    id: 'useradd-without-l',
    severity: 'warning',
    title: 'useradd with a high UID and without -l',
    description:
      'useradd writes entries indexed by UID into /var/log/lastlog and /var/log/faillog; with a high UID these files become hundreds of megabytes in the image layer (sparse on disk, but not in a layer). Add `-l` (`--no-log-init`) to useradd when the UID is high.',
    hadolint: ['DL3046'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'user',
    options: {
      maxUid: {
        type: 'number',
        default: 99999,
        description: 'UIDs above this value need `-l`.',
      },
    },
  },
  check({ model, report, options }) {
    const maxUid = typeof options.maxUid === 'number' ? options.maxUid : 99999;
    for (const { script } of runScripts(model)) {
      for (const cmd of commandsNamed(script, 'useradd')) {
        const a = parseArgs(cmd.args, USERADD_VALUE_OPTIONS);
        if (a.flags.has('-l') || a.flags.has('--no-log-init')) continue;
        const uid = uidOf(cmd.args, a);
        if (uid === null || !/^\d+$/.test(uid) || Number(uid) <= maxUid) continue;
        const name = nameSpan(cmd);
        const report_ = {
          ...name,
          message: `useradd with UID ${uid} and without -l makes /var/log/lastlog and faillog huge in the layer: add -l (--no-log-init).`,
        };
        const word = cmd.words[0];
        const lineText = model.source.lines[name.line - 1];
        if (name.line === name.endLine && word.value !== null && word.text === word.value && lineText !== undefined) {
          const at = name.endColumn - 1;
          report({
            ...report_,
            fix: {
              line: name.line,
              endLine: name.line,
              replacement: `${lineText.slice(0, at)} -l${lineText.slice(at)}`,
              description: 'Add -l to useradd',
            },
          });
        } else report(report_);
      }
    }
  },
};

/** The UID given with `-u N`, `-uN`, `--uid N` or `--uid=N` (with variables substituted when known). */
function uidOf(args: ReturnType<typeof parseArgs>['operands'], a: ReturnType<typeof parseArgs>): string | null {
  for (const name of ['-u', '--uid']) {
    const flagWord = a.flags.get(name);
    if (!flagWord) continue;
    const full = wordValue(flagWord);
    if (full === null) return null;
    if (name === '--uid' && full.startsWith('--uid=')) return full.slice('--uid='.length);
    if (name === '-u') {
      const at = full.indexOf('u');
      if (at > 0 && at < full.length - 1) return full.slice(at + 1);
    }
    const next = args[args.indexOf(flagWord) + 1];
    return next ? wordValue(next) : null;
  }
  return null;
}

export default rule;
