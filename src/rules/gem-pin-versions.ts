import type { Rule } from './types.ts';
import { checkPins } from './util/package-rules.ts';
import { gemPinned, hasOption, judgeableOperands, packageName } from './util/packages.ts';

const rule: Rule = {
  meta: {
    id: 'gem-pin-versions',
    severity: 'warning',
    title: 'gem install without a version',
    description:
      '`gem install <name>` installs the newest release, so rebuilds can get different code. Pin it with `name:version` or `-v version` (`--version`), or install from a Gemfile.lock with Bundler. Off by default.',
    hadolint: ['DL3028'],
    fixable: false,
    kind: 'static',
    enabledByDefault: false,
    category: 'packages',
  },
  check: checkPins({
    managers: ['gem'],
    select: (pc) =>
      pc.subcommand === 'install' && !hasOption(pc, '-v', '--version')
        ? { operands: judgeableOperands(pc.operands), pinned: gemPinned }
        : null,
    how: (op, pc) => `install "${packageName(op.specShown, pc.manager)}:<version>" (or add -v <version>)`,
  }),
};

export default rule;
