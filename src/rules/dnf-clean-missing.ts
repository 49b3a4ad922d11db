import type { Rule } from './types.ts';
import { ALL_STAGES_OPTION, checkCacheLeft, clearsRpmCache } from './util/package-rules.ts';
import { RPM_CACHE_DIRS, RPM_DOWNLOADING, shownCommand } from './util/packages.ts';

const rule: Rule = {
  meta: {
    id: 'dnf-clean-missing',
    severity: 'info',
    title: 'dnf/microdnf cache left in the image',
    description:
      'dnf (and microdnf) keeps repository metadata and downloaded packages in /var/cache. Unless the same RUN ends with `dnf clean all` (or removes the cache directory), or the cache is on a cache/tmpfs mount, that data stays in the layer. Only the final image (and the stages it builds on) is checked unless `allStages` is set; ONBUILD triggers are always checked.',
    hadolint: ['DL3040'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'packages',
    options: { allStages: ALL_STAGES_OPTION },
  },
  check: checkCacheLeft({
    managers: ['dnf', 'microdnf'],
    subcommands: RPM_DOWNLOADING,
    cacheDirs: RPM_CACHE_DIRS,
    clears: clearsRpmCache,
    oncePerRun: true,
    message: (pc) => `"${shownCommand(pc)}" leaves its cache in the image: end this RUN with "${pc.program} clean all".`,
  }),
};

export default rule;
