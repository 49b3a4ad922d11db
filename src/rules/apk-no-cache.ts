import type { Rule } from './types.ts';
import { ALL_STAGES_OPTION, checkCacheLeft, removes } from './util/package-rules.ts';
import { hasOption, insertAfter, shownCommand, subcommandWord } from './util/packages.ts';

const CACHE = '/var/cache/apk';

const rule: Rule = {
  meta: {
    id: 'apk-no-cache',
    severity: 'info',
    title: 'apk add without --no-cache',
    description:
      '`apk add` (and `apk update`) keep the package index they download in /var/cache/apk, which then stays in the layer. `apk add --no-cache` fetches a fresh index and keeps nothing. A cache or tmpfs mount of /var/cache/apk, or removing /var/cache/apk/* later in the same RUN, also keeps the index out of the image. Only the final image (and the stages it builds on) is checked unless `allStages` is set; ONBUILD triggers are always checked.',
    hadolint: ['DL3019'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'packages',
    options: { allStages: ALL_STAGES_OPTION },
  },
  check: checkCacheLeft({
    managers: ['apk'],
    subcommands: new Set(['add', 'update']),
    cacheDirs: [CACHE],
    // --no-network installs from what is already there and downloads no index.
    exempt: (pc) => hasOption(pc, '--no-network') || (pc.subcommand === 'add' && hasOption(pc, '--no-cache')),
    clears: (cmd) => removes(cmd, CACHE),
    message: (pc) =>
      pc.subcommand === 'update'
        ? `"${shownCommand(pc)}" leaves the package index in ${CACHE}: drop it and use "apk add --no-cache", which fetches a fresh index without keeping it.`
        : `"${shownCommand(pc)}" leaves the package index in ${CACHE}: add --no-cache.`,
    fix: (pc, model) => (pc.subcommand === 'add' ? insertAfter(model, subcommandWord(pc), ' --no-cache', 'Add --no-cache') : undefined),
  }),
};

export default rule;
