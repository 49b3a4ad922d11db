import type { Rule } from './types.ts';
import { checkPins } from './util/package-rules.ts';
import { judgeableOperands, packageName, zypperPinned } from './util/packages.ts';

const rule: Rule = {
  meta: {
    id: 'zypper-pin-versions',
    severity: 'warning',
    title: 'zypper install without version pins',
    description:
      'Without a version (`name=1.2.3`, or a range such as `name>=1.2`), zypper installs whatever the repository has today, so rebuilds can differ. Local .rpm files are not judged. Off by default: repositories drop old builds, so exact pins break builds unless you mirror the repository.',
    hadolint: ['DL3037'],
    fixable: false,
    kind: 'static',
    enabledByDefault: false,
    category: 'packages',
  },
  check: checkPins({
    managers: ['zypper'],
    select: (pc) => (pc.subcommand === 'install' ? { operands: judgeableOperands(pc.operands), pinned: zypperPinned } : null),
    how: (op, pc) => `install "${packageName(op.specShown, pc.manager)}=<version>"`,
  }),
};

export default rule;
