import type { Rule } from './types.ts';
import { ALL_STAGES_OPTION, checkCacheLeft, isClean, removes } from './util/package-rules.ts';
import { shownCommand, ZYPPER_DOWNLOADING } from './util/packages.ts';

const CACHE = '/var/cache/zypp';

const rule: Rule = {
  meta: {
    id: 'zypper-clean-missing',
    severity: 'info',
    title: 'zypper cache left in the image',
    description:
      'zypper keeps repository metadata and downloaded packages in /var/cache/zypp. Unless the same RUN ends with `zypper clean` (`zypper cc`), removes the cache, or mounts it as a cache/tmpfs, that data stays in the layer. Only the final image (and the stages it builds on) is checked unless `allStages` is set; ONBUILD triggers are always checked.',
    hadolint: ['DL3036'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'packages',
    options: { allStages: ALL_STAGES_OPTION },
  },
  check: checkCacheLeft({
    managers: ['zypper'],
    subcommands: ZYPPER_DOWNLOADING,
    cacheDirs: [CACHE],
    clears: (cmd) => isClean(cmd, ['zypper'], null) || removes(cmd, CACHE),
    oncePerRun: true,
    message: (pc) => `"${shownCommand(pc)}" leaves its cache in ${CACHE}: end this RUN with "zypper clean --all".`,
  }),
};

export default rule;
