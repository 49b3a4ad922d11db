import type { Rule } from './types.ts';
import { stageChain } from '../dockerfile/model.ts';
import { at, packageCommands, packageContext, shownCommand, subcommandWord } from './util/packages.ts';

const UPGRADES = new Set(['upgrade', 'dist-upgrade', 'full-upgrade', 'safe-upgrade']);

/**
 * Opt-in policy: a Debian/Ubuntu-based final image should pick up the security fixes released since its base image
 * was built, by running `apt-get upgrade` during the build. The finding goes on the first `apt-get install` of the
 * final image (the stages it builds on included), which is where the upgrade belongs.
 */
const rule: Rule = {
  meta: {
    id: 'apt-get-upgrade',
    severity: 'info',
    title: 'Final image installs apt packages but never upgrades',
    description:
      'Base images are rebuilt on their own schedule, so the packages they contain can lag behind Debian/Ubuntu security updates. When this policy is on, a final image that installs packages with apt-get must also run `apt-get upgrade -y` (or `dist-upgrade`) so the image picks up the fixes at build time. Opt-in: it is the opposite of hadolint\'s retired DL3005, and it trades reproducibility for freshness.',
    fixable: false,
    kind: 'static',
    enabledByDefault: false,
    category: 'packages',
  },
  check({ model, report }) {
    const ctx = packageContext(model);
    const final = model.finalStage;
    const insts = final
      ? stageChain(final)
          .reverse()
          .flatMap((s) => s.instructions)
      : model.instructions.filter((i) => i.stage === null);
    const apt = insts
      .filter((i) => i.keyword === 'RUN')
      .flatMap((i) => packageCommands(i, ctx))
      .filter((pc) => pc.manager === 'apt-get' || pc.manager === 'apt' || pc.manager === 'aptitude');
    if (apt.some((pc) => pc.subcommand !== null && UPGRADES.has(pc.subcommand))) return;
    const install = apt.find((pc) => pc.subcommand === 'install');
    if (!install) return;
    report({
      ...at(subcommandWord(install)),
      message: `The final image installs packages with "${shownCommand(install)}" but never runs "apt-get upgrade": add "apt-get upgrade -y" after "apt-get update" so the image gets the security fixes released since its base image was built.`,
    });
  },
};

export default rule;
