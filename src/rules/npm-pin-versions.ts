import type { Rule } from './types.ts';
import { checkPins } from './util/package-rules.ts';
import { judgeableOperands, npmGitSpec, npmPinned, packageName } from './util/packages.ts';

const rule: Rule = {
  meta: {
    id: 'npm-pin-versions',
    severity: 'warning',
    title: 'npm install of a package without a version',
    description:
      '`npm install <pkg>` without `@version` installs the newest release (and `@latest` is no pin either), so rebuilds can get different code. Pin a version (`express@4.19.2`, `@scope/pkg@1.2.3`), or install from package.json and a lock file with `npm ci`. Git URLs need a `#ref`; tarballs and local folders are not judged. Off by default.',
    hadolint: ['DL3016'],
    fixable: false,
    kind: 'static',
    enabledByDefault: false,
    category: 'packages',
  },
  check: checkPins({
    managers: ['npm'],
    select: (pc) => (pc.subcommand === 'install' || pc.subcommand === 'install-test' ? { operands: judgeableOperands(pc.operands), pinned: npmPinned } : null),
    how: (op, pc) =>
      npmGitSpec(op.spec)
        ? 'add "#<tag or commit>" to the repository URL'
        : `install "${packageName(op.specShown, pc.manager)}@<version>"`,
  }),
};

export default rule;
