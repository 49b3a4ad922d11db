import type { ShellCommand } from '../dockerfile/shell.ts';
import type { Rule } from './types.ts';
import { ALL_STAGES_OPTION, checkCacheLeft, envFor, mountHolds, removes, runMounts } from './util/package-rules.ts';
import { hasOption, optionValues, shownCommand, type PackageCommand, type PackageContext } from './util/packages.ts';

/** Yarn 1 keeps its cache here for root (Linux); ~/.cache/yarn for other users. */
const CACHES = ['/usr/local/share/.cache/yarn', '/root/.cache/yarn'];

/** The cache folder this command uses, when it is set (`--cache-folder`, YARN_CACHE_FOLDER). */
function cacheFolder(pc: PackageCommand, ctx: PackageContext): string | undefined {
  return optionValues(pc, '--cache-folder').find((v): v is string => !!v) ?? envFor(pc.cmd, pc.inst, 'YARN_CACHE_FOLDER', ctx);
}

function cacheMounted(pc: PackageCommand, ctx: PackageContext): boolean {
  const folder = cacheFolder(pc, ctx);
  if (folder) return mountHolds(pc.inst, folder, ctx);
  if (CACHES.some((c) => mountHolds(pc.inst, c, ctx))) return true;
  // Another user's home: any ~/.cache/yarn (Yarn 1) or ~/.yarn/berry/cache (Yarn 2+).
  return runMounts(pc.inst, ctx).some(
    (m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== null && /\/(\.cache\/yarn|\.yarn\/berry\/cache)\/?$/.test(m.target),
  );
}

/** `yarn cache clean`, or removing the cache folder. */
function clears(cmd: ShellCommand, pc: PackageCommand, ctx: PackageContext): boolean {
  if ((cmd.base === 'yarn' || cmd.base === 'yarnpkg') && cmd.args.map((w) => w.value).join(' ').match(/(^| )cache clean\b/)) return true;
  const folder = cacheFolder(pc, ctx);
  return [...CACHES, ...(folder ? [folder] : [])].some((d) => removes(cmd, d));
}

const rule: Rule = {
  meta: {
    id: 'yarn-cache-clean-missing',
    severity: 'info',
    title: 'yarn cache left in the image',
    description:
      'Yarn keeps a copy of every package it downloads in its global cache (/usr/local/share/.cache/yarn for root). Unless the same RUN ends with `yarn cache clean`, or the cache is on a cache/tmpfs mount, that copy stays in the layer next to node_modules. Only the final image (and the stages it builds on) is checked unless `allStages` is set; ONBUILD triggers are always checked.',
    hadolint: ['DL3060'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'packages',
    options: { allStages: ALL_STAGES_OPTION },
  },
  check: checkCacheLeft({
    managers: ['yarn'],
    subcommands: new Set(['install', 'add', 'global add']),
    cacheDirs: [],
    // `yarn --version` and `yarn --help` install nothing.
    exempt: (pc, ctx) => hasOption(pc, '--version', '-v', '--help', '-h') || cacheMounted(pc, ctx),
    clears,
    oncePerRun: true,
    message: (pc) => `"${shownCommand(pc)}" leaves its download cache in the image: end this RUN with "yarn cache clean".`,
  }),
};

export default rule;
