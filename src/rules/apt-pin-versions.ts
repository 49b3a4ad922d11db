import type { Rule } from './types.ts';
import { checkPins } from './util/package-rules.ts';
import { aptPinned, judgeableOperands, packageName } from './util/packages.ts';

const rule: Rule = {
  meta: {
    id: 'apt-pin-versions',
    severity: 'warning',
    title: 'apt-get install without version pins',
    description:
      'Without `package=version`, apt-get installs whatever version the mirror has today, so two builds of the same Dockerfile can differ. Off by default: Debian and Ubuntu mirrors drop old versions as soon as a fix is published, so exact pins break builds within weeks unless you also pin a snapshot mirror (snapshot.debian.org) or rebuild the pins regularly.',
    hadolint: ['DL3008'],
    fixable: false,
    kind: 'static',
    enabledByDefault: false,
    category: 'packages',
  },
  check: checkPins({
    managers: ['apt-get', 'apt'],
    select: (pc) => (pc.subcommand === 'install' ? { operands: judgeableOperands(pc.operands), pinned: aptPinned } : null),
    how: (op, pc) => `install "${packageName(op.specShown, pc.manager)}=<version>"`,
  }),
};

export default rule;
