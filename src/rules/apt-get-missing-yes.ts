import type { Rule } from './types.ts';
import { checkMissingOption, fedByYes, scriptsUpTo } from './util/package-rules.ts';
import { shownCommand, type PackageCommand } from './util/packages.ts';

/** apt-get sub-commands that ask "Do you want to continue? [Y/n]" before changing packages. */
const PROMPTING = new Set([
  'install', 'reinstall', 'remove', 'purge', 'upgrade', 'dist-upgrade', 'full-upgrade', 'autoremove', 'autopurge', 'build-dep', 'satisfy',
]);

const SIMULATE = new Set(['-s', '--simulate', '--just-print', '--dry-run', '--recon', '--no-act']);
const TRUE = /^(1|yes|true|with|on|enable)$/i;

/** apt's quiet level: each -q/--quiet adds one, `-q=N`/`--quiet=N` sets it. Level 2 implies -y. */
function quietLevel(pc: PackageCommand): number {
  let level = 0;
  for (const o of pc.options) {
    if (o.name !== '-q' && o.name !== '--quiet') continue;
    if (o.value !== null && /^\d+$/.test(o.value)) level = Number(o.value);
    else level++;
  }
  return level;
}

/** Whether apt-get will not ask: -y/--yes/--assume-yes, quiet level 2, APT::Get::Assume-Yes, or `yes |`. */
export function assumesYes(pc: PackageCommand, scripts: string[]): boolean {
  for (const o of pc.options) {
    if (o.name === '-y' || o.name === '--yes' || o.name === '--assume-yes') {
      if (o.value === null || TRUE.test(o.value)) return true;
    }
    if ((o.name === '-o' || o.name === '--option') && o.value) {
      const m = /^APT::Get::Assume-Yes=(.*)$/i.exec(o.value);
      if (m && TRUE.test(m[1].replace(/^["']|["']$/g, ''))) return true;
    }
  }
  if (quietLevel(pc) >= 2 || fedByYes(pc.cmd)) return true;
  // A simulation changes nothing and never asks.
  if (pc.options.some((o) => SIMULATE.has(o.name))) return true;
  // An apt.conf snippet written by an earlier RUN (or earlier in this one): APT::Get::Assume-Yes "true";
  return scripts.some((s) => /APT::Get::Assume-Yes\s+\\?["']?\\?"?(true|yes|1)\b/i.test(s) && /apt\.conf/.test(s));
}

const rule: Rule = {
  meta: {
    id: 'apt-get-missing-yes',
    severity: 'warning',
    title: 'apt-get install without -y',
    description:
      'A build cannot answer apt-get\'s "Do you want to continue?" prompt: without -y (--yes) apt-get aborts and the build fails, or worse, only fails when a new dependency appears. Pass -y to every apt-get command that changes packages.',
    hadolint: ['DL3014'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'packages',
  },
  check: checkMissingOption({
    managers: ['apt-get', 'apt'],
    subcommands: PROMPTING,
    satisfied: (pc, _ctx, model) => assumesYes(pc, scriptsUpTo(pc.inst, model)),
    message: (pc) => `"${shownCommand(pc)}" runs without -y: add -y so the build does not stop at apt's confirmation prompt.`,
    insert: ' -y',
    fixDescription: 'Add -y',
  }),
};

export default rule;
