import type { Rule } from './types.ts';
import { checkPins } from './util/package-rules.ts';
import { apkPinned, judgeableOperands, packageName } from './util/packages.ts';

const rule: Rule = {
  meta: {
    id: 'apk-pin-versions',
    severity: 'warning',
    title: 'apk add without version pins',
    description:
      'Without a version constraint (`pkg=1.2.3-r0`, `pkg~1.2`, `pkg>=1.2`), apk installs whatever the repository has today, so rebuilds can differ. Off by default: Alpine repositories keep only the current version of each package in a branch, so exact pins break builds as soon as a fix is published; `~` (same minor version) pins are the usual compromise.',
    hadolint: ['DL3018'],
    fixable: false,
    kind: 'static',
    enabledByDefault: false,
    category: 'packages',
  },
  check: checkPins({
    managers: ['apk'],
    select: (pc) => (pc.subcommand === 'add' ? { operands: judgeableOperands(pc.operands), pinned: apkPinned } : null),
    how: (op, pc) => `add "${packageName(op.specShown, pc.manager)}=<version>" (or "${packageName(op.specShown, pc.manager)}~<version>")`,
  }),
};

export default rule;
