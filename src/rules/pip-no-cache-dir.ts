import type { Rule } from './types.ts';
import { ALL_STAGES_OPTION, checkCacheLeft, envFor, mountHolds, removes, runMounts } from './util/package-rules.ts';
import { hasOption, insertAfter, optionValues, shownCommand, subcommandWord, type PackageCommand, type PackageContext } from './util/packages.ts';

const ROOT_CACHE = '/root/.cache/pip';
/** Values pip accepts for PIP_NO_CACHE_DIR; every one of them, "false" included, turns the cache off. */
const PIP_BOOL = /^(y|yes|t|true|on|1|n|no|f|false|off|0)$/i;

function noCache(pc: PackageCommand, ctx: PackageContext): boolean {
  if (hasOption(pc, '--no-cache-dir')) return true;
  const env = envFor(pc.cmd, pc.inst, 'PIP_NO_CACHE_DIR', ctx);
  if (env !== undefined && PIP_BOOL.test(env.trim())) return true;
  // The cache is on a cache/tmpfs mount: the default place, or where --cache-dir / PIP_CACHE_DIR put it.
  const dirs = [...optionValues(pc, '--cache-dir'), envFor(pc.cmd, pc.inst, 'PIP_CACHE_DIR', ctx)].filter((d): d is string => !!d);
  if (dirs.length > 0) return dirs.some((d) => mountHolds(pc.inst, d, ctx));
  return runMounts(pc.inst, ctx).some(
    (m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== null && /\/\.cache(\/pip)?\/?$/.test(m.target),
  );
}

const rule: Rule = {
  meta: {
    id: 'pip-no-cache-dir',
    severity: 'info',
    title: 'pip install without --no-cache-dir',
    description:
      'pip keeps every wheel it downloads or builds in ~/.cache/pip. In an image that cache is dead weight, often as big as the installed packages. Pass --no-cache-dir, set PIP_NO_CACHE_DIR in the stage, or put the cache on a BuildKit cache mount. Only the final image (and the stages it builds on) is checked unless `allStages` is set; ONBUILD triggers are always checked.',
    hadolint: ['DL3042'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'packages',
    options: { allStages: ALL_STAGES_OPTION },
  },
  check: checkCacheLeft({
    managers: ['pip'],
    subcommands: new Set(['install']),
    cacheDirs: [ROOT_CACHE],
    exempt: noCache,
    clears: (cmd) => removes(cmd, ROOT_CACHE) || isPipCachePurge(cmd),
    message: (pc) => `"${shownCommand(pc)}" keeps its download cache in the image: add --no-cache-dir.`,
    fix: (pc, model) => insertAfter(model, subcommandWord(pc), ' --no-cache-dir', 'Add --no-cache-dir'),
  }),
};

/** `pip cache purge` empties the cache. */
function isPipCachePurge(cmd: Parameters<typeof removes>[0]): boolean {
  const words = cmd.words.map((w) => w.value);
  const i = words.indexOf('cache');
  return i >= 1 && words[i + 1] === 'purge' && /^(pip[\d.]*|python[\d.]*)$/.test(cmd.base);
}

export default rule;
