import type { ShellCommand, ShellWord } from '../dockerfile/shell.ts';
import { parseArgs } from '../dockerfile/shell.ts';
import type { Rule } from './types.ts';

type Manager = 'apt' | 'apk' | 'rpm' | 'zypper';

interface ManagerSpec {
  manager: Manager;
  install: ReadonlySet<string>;
  remove: ReadonlySet<string>;
  valueOptions: ReadonlySet<string>;
}

const APT: ManagerSpec = {
  manager: 'apt',
  install: new Set(['install']),
  remove: new Set(['remove', 'purge', 'autoremove', 'autopurge']),
  valueOptions: new Set(['-o', '--option', '-t', '--target-release', '-c', '--config-file', '-a', '--host-architecture']),
};
const APK: ManagerSpec = {
  manager: 'apk',
  install: new Set(['add']),
  remove: new Set(['del']),
  valueOptions: new Set(['-t', '--virtual', '-X', '--repository', '-p', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file']),
};
const RPM: ManagerSpec = {
  manager: 'rpm',
  install: new Set(['install', 'groupinstall']),
  remove: new Set(['remove', 'erase', 'autoremove', 'groupremove']),
  valueOptions: new Set(['-x', '--exclude', '--installroot', '--releasever', '-c', '--config', '--setopt', '--enablerepo', '--disablerepo', '--repo', '-d', '-e']),
};
const ZYPPER: ManagerSpec = {
  manager: 'zypper',
  install: new Set(['install', 'in']),
  remove: new Set(['remove', 'rm']),
  valueOptions: new Set(['-t', '--type', '-r', '--repo', '--root', '--from']),
};
const MANAGERS: ReadonlyMap<string, ManagerSpec> = new Map([
  ['apt-get', APT],
  ['apt', APT],
  ['aptitude', APT],
  ['apk', APK],
  ['yum', RPM],
  ['dnf', RPM],
  ['microdnf', RPM],
  ['tdnf', RPM],
  ['zypper', ZYPPER],
]);

const EXACT = new Set([
  'gcc', 'g++', 'gcc-c++', 'gfortran', 'clang', 'make', 'cmake', 'build-essential', 'build-base', 'golang', 'golang-go',
  'go', 'rustc', 'cargo', 'rust', 'maven', 'gradle', 'autoconf', 'automake', 'libtool', 'git', 'linux-headers',
  'kernel-headers', 'development tools', '@development-tools', '@development tools', 'development',
]);
const PATTERNS: readonly RegExp[] = [
  /^(?:gcc|g\+\+|cpp|clang|gfortran)-\d+(?:\.\d+)*$/,
  /^golang-\d+(?:\.\d+)*(?:-go)?$/,
  /^openjdk-\d+-jdk(?:-headless)?$/,
  /^openjdk\d+(?:-jdk)?$/,
  /^java-(?:\d+(?:\.\d+)*|latest)-openjdk-devel$/,
  /.-dev$/,
  /.-devel$/,
];

/** The package name without version, release or architecture (`gcc=4:12.2`, `gcc/bookworm`, `libc6-dev:arm64`). */
function packageName(manager: Manager, word: string): string {
  let n = word;
  if (manager === 'apt') n = n.replace(/[=/].*$/, '').replace(/:[a-z0-9]+$/, '');
  else if (manager === 'apk') n = n.replace(/[=~<>].*$/, '');
  else if (manager === 'zypper') n = n.replace(/[=<>].*$/, '');
  else n = n.replace(/\.(?:x86_64|aarch64|noarch|i686|ppc64le|s390x)$/, '');
  return n.toLowerCase();
}

/** Whether a package is a compiler, build system, header package or VCS used for building. */
export function isBuildTool(manager: Manager, word: string): boolean {
  const name = packageName(manager, word);
  if (EXACT.has(name) || PATTERNS.some((p) => p.test(name))) return true;
  // rpm names may carry a version: gcc-11.3.1, make-4.3.
  if (manager === 'rpm') {
    const unversioned = name.replace(/-\d[\w.+~-]*$/, '');
    if (unversioned !== name && (EXACT.has(unversioned) || PATTERNS.some((p) => p.test(unversioned)))) return true;
  }
  return false;
}

interface Installed {
  manager: Manager;
  name: string;
  virtual: string | null;
  word: ShellWord;
  cmd: ShellCommand;
}

/** The subcommand and its operands (dnf `group install X` is `groupinstall X`). */
function subcommand(spec: ManagerSpec, cmd: ShellCommand): { sub: string; operands: ShellWord[]; values: Map<string, string | null>; flags: Set<string> } | null {
  const parsed = parseArgs(cmd.args, spec.valueOptions);
  const first = parsed.operands[0];
  if (!first || first.value === null) return null;
  let sub = first.value;
  let operands = parsed.operands.slice(1);
  if (spec.manager === 'rpm' && sub === 'group' && operands[0]?.value) {
    sub = `group${operands[0].value}`;
    operands = operands.slice(1);
  }
  return { sub, operands, values: parsed.values, flags: new Set(parsed.flags.keys()) };
}

/**
 * A single-stage build that installs compilers and build tooling ships them: a bigger image with more to patch and
 * more for an attacker to use. Packages removed again later in the stage (`apt-get purge`, `apk del .build-deps`,
 * the `apt-mark auto … apt-get purge --auto-remove` idiom) are not reported. Multi-stage files are not judged.
 */
const rule: Rule = {
  meta: {
    id: 'build-tools-in-final-stage',
    severity: 'info',
    title: 'Build tools are installed in a single-stage image',
    description:
      'Compilers, build systems, header packages and git in the only stage end up in the image you ship. Build in a first stage and copy only the results into a slim final stage (a multi-stage build), or remove the tools in the same RUN.',
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'packages',
  },
  check({ model, report }) {
    if (model.stages.length !== 1) return;
    const stage = model.stages[0];
    const pending: Installed[] = [];
    let aptMarkedAuto = false;
    for (const inst of stage.instructions) {
      if (inst.keyword !== 'RUN' || !inst.shell) continue;
      for (const cmd of inst.shell.commands) {
        if (cmd.base === 'apt-mark' && cmd.args.some((a) => a.value === 'auto')) {
          aptMarkedAuto = true;
          continue;
        }
        const spec = MANAGERS.get(cmd.base);
        if (!spec) continue;
        const s = subcommand(spec, cmd);
        if (!s) continue;
        if (spec.install.has(s.sub)) {
          const virtual = spec.manager === 'apk' ? (s.values.get('--virtual') ?? s.values.get('-t') ?? null) : null;
          for (const word of s.operands) {
            for (const field of word.fields ?? []) {
              if (isBuildTool(spec.manager, field)) {
                pending.push({ manager: spec.manager, name: packageName(spec.manager, field), virtual, word, cmd });
              }
            }
          }
          if (spec.manager === 'apt') aptMarkedAuto = false;
        } else if (spec.remove.has(s.sub)) {
          const names = new Set<string>();
          for (const word of s.operands) for (const field of word.fields ?? []) names.add(packageName(spec.manager, field));
          const autoRemove =
            spec.manager === 'apt' &&
            aptMarkedAuto &&
            (s.sub === 'autoremove' || s.sub === 'autopurge' || s.flags.has('--auto-remove') || s.flags.has('--autoremove'));
          for (let i = pending.length - 1; i >= 0; i--) {
            const p = pending[i];
            if (p.manager !== spec.manager) continue;
            if (names.has(p.name) || (p.virtual !== null && names.has(p.virtual.toLowerCase())) || (autoRemove && p.manager === 'apt')) {
              pending.splice(i, 1);
            }
          }
        }
      }
    }
    // One finding per install command, on its first build-tool package.
    const byCmd = new Map<ShellCommand, Installed[]>();
    for (const p of pending) byCmd.set(p.cmd, [...(byCmd.get(p.cmd) ?? []), p]);
    for (const [, list] of byCmd) {
      const names = [...new Set(list.map((p) => p.name))];
      const what = names.length === 1 ? `Build tool ${names[0]} is` : `Build tools ${names.join(', ')} are`;
      report({
        ...list[0].word.span,
        message: `${what} installed in the only stage, so ${names.length === 1 ? 'it ships' : 'they ship'} in the image: build in a separate stage and copy only the results into the final one (a multi-stage build), or remove ${names.length === 1 ? 'it' : 'them'} in the same RUN.`,
      });
    }
  },
};

export default rule;
