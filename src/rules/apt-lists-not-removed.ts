import type { ShellCommand } from '../dockerfile/shell.ts';
import type { Rule } from './types.ts';
import {
  ALL_STAGES_OPTION,
  commandsAfter,
  commandsBefore,
  inShippedImage,
  isClean,
  mountHolds,
  removes,
  scriptsUpTo,
} from './util/package-rules.ts';
import { at, packageCommands, packageContext, runInstructions, shownCommand, subcommandWord, type PackageCommand } from './util/packages.ts';

const LISTS = '/var/lib/apt/lists';
const ARCHIVES = '/var/cache/apt/archives';
const DOCKER_CLEAN = '/etc/apt/apt.conf.d/docker-clean';
/** Sub-commands that download .deb files into /var/cache/apt/archives. */
const DOWNLOADING = new Set(['install', 'reinstall', 'upgrade', 'dist-upgrade', 'full-upgrade', 'safe-upgrade', 'build-dep', 'satisfy']);

/** `apt-get dist-clean` (apt 2.7 and later) removes the package lists as well as the downloaded archives. */
function isDistClean(cmd: ShellCommand): boolean {
  return (cmd.base === 'apt-get' || cmd.base === 'apt') && cmd.args.some((w) => w.value === 'dist-clean');
}

/**
 * Whether downloaded .deb files stay in /var/cache/apt/archives. Debian and Ubuntu images ship
 * /etc/apt/apt.conf.d/docker-clean, which deletes them after every install; people remove it to make a cache mount
 * of /var/cache/apt useful. `apt` (unlike apt-get) also deletes them unless Keep-Downloaded-Packages is set.
 */
function keepsArchives(pc: PackageCommand, model: Parameters<typeof scriptsUpTo>[1]): boolean {
  const cleanRemoved = commandsBefore(pc.cmd, pc.inst, model).some((c) => removes(c, DOCKER_CLEAN));
  if (!cleanRemoved) return false;
  if (pc.manager !== 'apt') return true;
  const keepOption = pc.options.some((o) => (o.name === '-o' || o.name === '--option') && /Keep-Downloaded-Packages=(1|true|yes)/i.test(o.value ?? ''));
  return keepOption || scriptsUpTo(pc.inst, model).some((s) => /Keep-Downloaded-Packages\s+\\?["']?\\?"?(true|1|yes)/i.test(s));
}

const rule: Rule = {
  meta: {
    id: 'apt-lists-not-removed',
    severity: 'info',
    title: 'apt package lists left in the image',
    description:
      '`apt-get update` downloads package lists (tens of megabytes) into /var/lib/apt/lists. Unless the same RUN deletes them (`rm -rf /var/lib/apt/lists/*`) or they live on a cache mount, they stay in the layer forever, and are stale anyway. Only the final image (and the stages it builds on) is checked unless `allStages` is set; ONBUILD triggers are always checked.',
    hadolint: ['DL3009'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'packages',
    options: { allStages: ALL_STAGES_OPTION },
  },
  check({ model, report, options }) {
    const ctx = packageContext(model);
    const shipped = inShippedImage(model, options.allStages === true);
    for (const inst of runInstructions(model)) {
      if (!shipped(inst)) continue;
      const apt = packageCommands(inst, ctx).filter((pc) => pc.manager === 'apt-get' || pc.manager === 'apt' || pc.manager === 'aptitude');
      if (apt.length === 0) continue;
      if (!mountHolds(inst, LISTS, ctx)) {
        const update = apt.find(
          (pc) => pc.subcommand === 'update' && !commandsAfter(pc.cmd, inst).some((c) => removes(c, LISTS) || isDistClean(c)),
        );
        if (update) {
          report({
            ...at(subcommandWord(update)),
            message: `"${shownCommand(update)}" leaves the package lists in ${LISTS} in the image: end this RUN with "rm -rf ${LISTS}/*" (or use a cache mount for ${LISTS}).`,
          });
          continue;
        }
      }
      if (mountHolds(inst, ARCHIVES, ctx)) continue;
      const install = apt.find(
        (pc) =>
          pc.subcommand !== null &&
          DOWNLOADING.has(pc.subcommand) &&
          keepsArchives(pc, model) &&
          !commandsAfter(pc.cmd, inst).some(
            (c) => removes(c, ARCHIVES) || isClean(c, ['apt-get', 'apt', 'aptitude'], null) || isDistClean(c),
          ),
      );
      if (install) {
        report({
          ...at(subcommandWord(install)),
          message: `"${shownCommand(install)}" keeps the downloaded .deb files in /var/cache/apt in the image, because ${DOCKER_CLEAN} was removed: mount /var/cache/apt as a cache too, or end this RUN with "apt-get clean".`,
        });
      }
    }
  },
};

export default rule;
