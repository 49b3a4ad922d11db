import type { Rule } from './types.ts';
import { checkMissingOption, scriptsUpTo } from './util/package-rules.ts';
import { shownCommand, type PackageCommand } from './util/packages.ts';

const FALSE = /^(0|no|false|without|off|disable)$/i;

/**
 * Whether recommended packages are off for this command: --no-install-recommends, --install-recommends=false,
 * `-o APT::Install-Recommends=false` (or `0`), or an apt.conf snippet written earlier in the image.
 */
export function recommendsOff(pc: PackageCommand, scripts: string[]): boolean {
  for (const o of pc.options) {
    if (o.name === '--no-install-recommends') return true;
    if (o.name === '--install-recommends' && o.value !== null && FALSE.test(o.value)) return true;
    if ((o.name === '-o' || o.name === '--option') && o.value) {
      const m = /^APT::Install-Recommends=(.*)$/i.exec(o.value);
      if (m && FALSE.test(m[1].replace(/^["']|["']$/g, ''))) return true;
    }
  }
  return scripts.some((s) => /APT::Install-Recommends\s+\\?["']?\\?"?(0|false|no|off)\b/i.test(s) && /apt\.conf/.test(s));
}

const rule: Rule = {
  meta: {
    id: 'apt-get-missing-no-install-recommends',
    severity: 'info',
    title: 'apt-get install without --no-install-recommends',
    description:
      'By default apt-get also installs the packages your packages merely recommend: documentation, optional tools, sometimes a whole X11 stack. They make the image bigger and widen its attack surface. Pass --no-install-recommends and list what you really need.',
    hadolint: ['DL3015'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'packages',
  },
  check: checkMissingOption({
    managers: ['apt-get', 'apt'],
    subcommands: new Set(['install']),
    satisfied: (pc, _ctx, model) => recommendsOff(pc, scriptsUpTo(pc.inst, model)),
    message: (pc) =>
      `"${shownCommand(pc)}" also installs recommended packages: add --no-install-recommends to keep the image small.`,
    insert: ' --no-install-recommends',
    fixDescription: 'Add --no-install-recommends',
  }),
};

export default rule;
