import type { Report, Rule } from './types.ts';
import { allPackageCommands, at, packageContext, replaceWord } from './util/packages.ts';

/** Sub-commands that `apt-get` runs exactly as `apt` does, so the fix can swap the program. */
const SAME_IN_APT_GET = new Set(['install', 'update', 'remove', 'purge', 'autoremove', 'clean', 'autoclean', 'source', 'build-dep', 'download', 'satisfy']);
/** Sub-commands that belong to apt-cache. */
const APT_CACHE = new Set(['search', 'show', 'showsrc', 'policy', 'depends', 'rdepends']);

const rule: Rule = {
  meta: {
    id: 'apt-not-apt-get',
    severity: 'warning',
    title: 'apt used in a script instead of apt-get',
    description:
      '`apt` is the interactive front end: its output and behaviour may change between releases ("apt does not have a stable CLI interface"), it draws progress bars, and some sub-commands differ from apt-get\'s (`apt upgrade` installs new packages). In Dockerfiles use `apt-get` and `apt-cache`, whose behaviour is stable.',
    hadolint: ['DL3027'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'packages',
  },
  check({ model, report }) {
    const ctx = packageContext(model);
    for (const pc of allPackageCommands(model, ['apt'], ctx)) {
      if (pc.cmd.args.length === 0) continue;
      const sub = pc.subcommand;
      const shown = sub ? `apt ${sub}` : 'apt';
      let instead = '"apt-get" or "apt-cache"';
      if (sub && APT_CACHE.has(sub)) instead = `"apt-cache ${sub}"`;
      else if (sub && (SAME_IN_APT_GET.has(sub) || sub === 'upgrade')) instead = `"apt-get ${sub}"`;
      else if (sub === 'full-upgrade') instead = '"apt-get dist-upgrade"';
      const r: Report = {
        ...at(pc.programWord),
        message: `"${shown}" uses apt, whose command line is not stable for scripts: use ${instead} instead.`,
      };
      const name = pc.programWord.value ?? '';
      if (sub && SAME_IN_APT_GET.has(sub) && /(^|\/)apt$/.test(name)) {
        const fix = replaceWord(model, pc.programWord, `${pc.programWord.text}-get`, 'Use apt-get');
        if (fix) r.fix = fix;
      }
      report(r);
    }
  },
};

export default rule;
