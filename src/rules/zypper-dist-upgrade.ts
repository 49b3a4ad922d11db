import type { Rule } from './types.ts';
import { allPackageCommands, at, packageContext, shownCommand, subcommandWord } from './util/packages.ts';

const rule: Rule = {
  meta: {
    id: 'zypper-dist-upgrade',
    severity: 'warning',
    title: 'zypper dist-upgrade in a Dockerfile',
    description:
      '`zypper dist-upgrade` (`dup`) may move the image to another distribution release, switch vendors and remove packages: what you build is no longer the base image you chose. Pick a newer base image instead, or use `zypper update`/`zypper patch` for fixes within the release.',
    hadolint: ['DL3035'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'packages',
  },
  check({ model, report }) {
    const ctx = packageContext(model);
    for (const pc of allPackageCommands(model, ['zypper'], ctx)) {
      if (pc.subcommand !== 'dist-upgrade') continue;
      report({
        ...at(subcommandWord(pc)),
        message: `"${shownCommand(pc)}" can upgrade the image to another distribution release: use a newer base image, or "zypper patch" for fixes within this release.`,
      });
    }
  },
};

export default rule;
