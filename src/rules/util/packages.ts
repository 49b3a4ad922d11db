/**
 * What Defang knows about package managers' command lines: which programs they are (apt-get, apt, aptitude, apk,
 * pip/pip3/`python -m pip`, pipx, npm, yarn, gem, go, yum, dnf, microdnf, zypper), which of their options take a
 * value, how to find the sub-command (`install`, `group install`, `global add`) and the package operands, and how to
 * read an operand whose text comes from ARG/ENV (`$PKGS`, `git-core-${version}`).
 *
 * Rules use `packageCommands(inst, ctx)` to get every package-manager invocation of a RUN (including those behind
 * `sudo`/`env` and inside `sh -c '…'`), then judge its options and operands.
 */
import type { Fix } from '../../findings.ts';
import { stageChain, type DockerfileModel, type Instruction, type Lookup, type Stage } from '../../dockerfile/model.ts';
import { splitFields } from '../../dockerfile/shell.ts';
import type { ShellCommand, ShellWord } from '../../dockerfile/shell.ts';
import { memoSlot } from './memo.ts';

export type Manager =
  | 'apt-get'
  | 'apt'
  | 'aptitude'
  | 'apk'
  | 'pip'
  | 'pipx'
  | 'npm'
  | 'yarn'
  | 'gem'
  | 'go'
  | 'yum'
  | 'dnf'
  | 'microdnf'
  | 'zypper';

// ---------------------------------------------------------------------------------------------------------------
// Reading words: literal values, values with ARG/ENV substituted, and templates for partly unknown words.
// ---------------------------------------------------------------------------------------------------------------

/** Per-file facts the helpers need more than once. */
export interface PackageContext {
  model: DockerfileModel;
  /** Every name declared by ARG or ENV anywhere in the file. */
  declared: Set<string>;
  /** The package commands read so far, by RUN (see packageCommands), and all of the file's (everyPackageCommand). */
  commandsOf?: Map<Instruction, PackageCommand[]>;
  allCommands?: PackageCommand[];
}

const contexts = memoSlot<DockerfileModel, PackageContext>('package context');

/** Derived from the model only, so computed once per model and shared by every package rule. */
export function packageContext(model: DockerfileModel): PackageContext {
  const known = contexts.get(model);
  if (known) return known;
  const ctx = buildContext(model);
  contexts.set(model, ctx);
  return ctx;
}

function buildContext(model: DockerfileModel): PackageContext {
  const declared = new Set<string>();
  for (const inst of model.all) {
    if (inst.keyword === 'ARG' || inst.keyword === 'ENV') for (const p of inst.properties) declared.add(p.name);
  }
  return { model, declared, commandsOf: new Map(), allCommands: undefined };
}

/**
 * The variables a RUN sees. The model's lookup covers ARG and ENV inside stages; for instructions before any FROM
 * (which the build rejects, but which hadolint's test files use) the model only knows global ARGs, so ENV lines
 * written before the RUN are added here.
 */
export function lookupFor(inst: Instruction, ctx: PackageContext): Lookup {
  const base = inst.lookup;
  if (inst.stage) return base;
  const env = new Map<string, string>();
  const self = inst.onbuild ?? inst;
  for (const other of ctx.model.instructions) {
    if (other === self || other.index >= self.index) break;
    if (other.stage === null && other.keyword === 'ENV') {
      for (const p of other.properties) if (p.expanded !== null) env.set(p.name, p.expanded);
    }
  }
  return (name) => base(name) ?? env.get(name);
}

/** Whether `name` is declared (ARG or ENV) where `inst` runs: then an unknown value is a build-arg, not "empty". */
function declaredInScope(inst: Instruction, name: string, ctx: PackageContext): boolean {
  const self = inst.onbuild ?? inst;
  const before = instructionsBefore(self, ctx.model);
  for (const other of before) {
    if (other.keyword !== 'ENV' && !(other.keyword === 'ARG' && other.stage === self.stage)) continue;
    if (other.properties.some((p) => p.name === name)) return true;
  }
  return false;
}

/** Instructions that run before `inst` in its image: its stage's earlier ones and all of its ancestor stages'. */
export function instructionsBefore(inst: Instruction, model: DockerfileModel): Instruction[] {
  const self = inst.onbuild ?? inst;
  if (!self.stage) return model.instructions.filter((i) => i.stage === null && i.index < self.index);
  const out: Instruction[] = [];
  for (const stage of stageChain(self.stage).reverse()) {
    for (const i of stage.instructions) {
      if (stage === self.stage && i.index >= self.index) break;
      out.push(i);
    }
  }
  return out;
}

type Segment =
  | { kind: 'lit'; text: string }
  | { kind: 'var'; name: string; quoted: boolean; fallback: string | null; raw: string }
  | { kind: 'opaque'; raw: string };

/** Split a shell word's source text into literal text, `$NAME` / `${NAME}` / `${NAME:-default}` and other expansions. */
function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let lit = '';
  const flush = () => {
    if (lit) out.push({ kind: 'lit', text: lit });
    lit = '';
  };
  let inSingle = false;
  let inDouble = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inSingle) {
      if (c === "'") inSingle = false;
      else lit += c;
      continue;
    }
    if (c === '\\') {
      const n = text[i + 1];
      if (n === undefined) break;
      if (n === '\n') {
        i++;
        continue;
      }
      if (inDouble && !'$`"\\'.includes(n)) lit += c;
      lit += n;
      i++;
      continue;
    }
    if (c === "'" && !inDouble) {
      inSingle = true;
      continue;
    }
    if (c === '"') {
      inDouble = !inDouble;
      continue;
    }
    if (c === '`') {
      flush();
      const end = text.indexOf('`', i + 1);
      const stop = end < 0 ? text.length : end;
      out.push({ kind: 'opaque', raw: text.slice(i, stop + 1) });
      i = stop;
      continue;
    }
    if (c === '$') {
      const n = text[i + 1] ?? '';
      if (n === '{') {
        const end = text.indexOf('}', i + 2);
        if (end < 0) {
          lit += text.slice(i);
          break;
        }
        flush();
        const inner = text.slice(i + 2, end);
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])(.*))?$/s.exec(inner);
        const raw = text.slice(i, end + 1);
        if (m) out.push({ kind: 'var', name: m[1], quoted: inDouble, fallback: m[2] ? m[3] : null, raw });
        else out.push({ kind: 'opaque', raw });
        i = end;
        continue;
      }
      if (n === '(') {
        flush();
        let depth = 0;
        let j = i + 1;
        for (; j < text.length; j++) {
          if (text[j] === '(') depth++;
          else if (text[j] === ')' && --depth === 0) break;
        }
        out.push({ kind: 'opaque', raw: text.slice(i, j + 1) });
        i = j;
        continue;
      }
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
      if (m) {
        flush();
        out.push({ kind: 'var', name: m[0], quoted: inDouble, fallback: null, raw: `$${m[0]}` });
        i += m[0].length;
        continue;
      }
      if (/[0-9@*#?$!-]/.test(n)) {
        flush();
        out.push({ kind: 'opaque', raw: `$${n}` });
        i++;
        continue;
      }
    }
    lit += c;
  }
  flush();
  return out;
}

/** Characters after which a variable stands where a version goes: `pkg=$V`, `pkg-${V}`, `pkg@$V`, `gem:$V`. */
const VERSION_SEPARATOR = /[=@:<>~!-]$/;
/** What an unknown version variable is read as: any version (pinning checks only look at its place). */
export const UNKNOWN_VERSION = '0';

export interface ResolvedWord {
  /** The fields the word becomes (known values substituted), or null when some part is unknown. */
  fields: string[] | null;
  /**
   * For a word with unknown parts where only the version is unknown (`pkg=$VERSION`), the text with the unknown
   * version read as `0`; null when the package itself is unknown (`$PKG`, `python$SUFFIX`).
   */
  template: string | null;
  /** The template with the unknown parts written as in the Dockerfile (`pkg=$VERSION`), for messages. */
  templateShown: string | null;
  /** Variables the word uses that are set elsewhere in the Dockerfile but not in this stage (they expand to ''). */
  unsetHere: string[];
}

/**
 * Read a word the way the build would: the model's fields when it has them, otherwise the text with known
 * variables substituted; variables declared only in other stages are empty (with a note), and unknown ones are
 * allowed only in a version's place.
 */
export function resolveWord(word: ShellWord, inst: Instruction, ctx: PackageContext): ResolvedWord {
  if (word.fields) return { fields: word.fields, template: null, templateShown: null, unsetHere: [] };
  if (word.value !== null) return { fields: [word.value], template: null, templateShown: null, unsetHere: [] };
  const lookup = lookupFor(inst, ctx);
  const segs = segments(word.text);
  const unsetHere: string[] = [];
  // First try a full expansion.
  const parts: Array<{ text: string; split: boolean }> = [];
  let complete = true;
  for (const s of segs) {
    if (s.kind === 'lit') parts.push({ text: s.text, split: false });
    else if (s.kind === 'opaque') complete = false;
    else {
      const v = lookup(s.name);
      if (v !== undefined) parts.push({ text: v, split: !s.quoted });
      else if (!declaredInScope(inst, s.name, ctx) && ctx.declared.has(s.name)) {
        unsetHere.push(s.name);
        parts.push({ text: s.fallback ?? '', split: !s.quoted });
      } else if (s.fallback !== null && !s.fallback.includes('$')) parts.push({ text: s.fallback, split: !s.quoted });
      else complete = false;
    }
  }
  if (complete) return { fields: splitFields(parts), template: null, templateShown: null, unsetHere };
  // Some part is unknown: a template, if the unknown parts stand where a version goes.
  let template = '';
  let shown = '';
  for (const s of segs) {
    if (s.kind === 'lit') {
      template += s.text;
      shown += s.text;
      continue;
    }
    const v = s.kind === 'var' ? lookup(s.name) : undefined;
    if (v !== undefined) {
      template += v;
      shown += v;
      continue;
    }
    if (s.kind === 'var' && unsetHere.includes(s.name)) {
      template += s.fallback ?? '';
      shown += s.fallback ?? '';
      continue;
    }
    if (template === '' || !VERSION_SEPARATOR.test(template)) return { fields: null, template: null, templateShown: null, unsetHere };
    template += UNKNOWN_VERSION;
    shown += s.raw;
  }
  return { fields: null, template, templateShown: shown, unsetHere };
}


// ---------------------------------------------------------------------------------------------------------------
// Command lines: options, sub-commands and operands.
// ---------------------------------------------------------------------------------------------------------------

/** One argument after field splitting: a known text, or null when it cannot be known. */
export interface Arg {
  text: string | null;
  word: ShellWord;
  /** For unknown words: the template (see `resolveWord`). */
  template: string | null;
  templateShown: string | null;
  unsetHere: string[];
}

export interface OptionUse {
  /** As written, with dashes: `-y`, `--no-cache`, `-o`. Short clusters are split (`-yq` → `-y`, `-q`). */
  name: string;
  value: string | null;
  word: ShellWord;
  /** The word holding the value, when it is the next word (`-o value`); else the option's own word. */
  valueWord: ShellWord;
}

interface OptionSpec {
  /** Options that take a value (in the next word unless attached: `--opt=value`, `-ovalue`). */
  values: ReadonlySet<string>;
  /**
   * Long options known to take no value. When given, any other long option written without `=` takes the next
   * word as its value if that word is not an option (gem's `--use-system-libraries true` after `--`-less build
   * flags).
   */
  booleans?: ReadonlySet<string>;
}

interface ManagerSpec {
  manager: Manager;
  global: OptionSpec;
  /** Options after the sub-command, when they differ from the global ones. */
  sub?: OptionSpec;
  /** `go`: single-dash long flags (`-tags x`, `-u=patch`), and flags end at the first operand. */
  goFlags?: boolean;
  /** Options end at the first operand after the sub-command (go); otherwise they may follow operands. */
  stopAtOperand?: boolean;
  /** Alias → canonical sub-command. */
  aliases?: Record<string, string>;
  /** Sub-commands that take a second word (`group install`), with aliases of the second word. */
  nested?: Record<string, Record<string, string>>;
  /** The sub-command when none is given (`yarn` alone installs). */
  implicit?: string;
}

const set = (...xs: string[]) => new Set(xs);

const APT_VALUES = set('-o', '--option', '-c', '--config-file', '-t', '--target-release', '--default-release', '-a', '--host-architecture', '-P', '--build-profiles', '-S', '-F', '-w', '--display-format', '--width');
const APK_VALUES = set(
  '-X', '--repository', '-t', '--virtual', '-p', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file',
  '--progress-fd', '--wait', '--cache-max-age', '--from', '--timeout',
);
const PIP_VALUES = set(
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-t', '--target', '--platform', '--python-version',
  '--implementation', '--abi', '--root', '--prefix', '--src', '-b', '--build', '--upgrade-strategy', '--global-option',
  '--install-option', '-C', '--config-settings', '-i', '--index-url', '--extra-index-url', '-f', '--find-links',
  '--trusted-host', '--proxy', '--retries', '--timeout', '--exists-action', '--cert', '--client-cert', '--cache-dir',
  '--log', '--log-file', '--progress-bar', '--root-user-action', '--report', '--no-binary', '--only-binary', '--python',
  '--keyring-provider', '--use-feature', '--use-deprecated', '--group', '--resume-retries', '--build-constraint',
);
const PIPX_VALUES = set('--python', '--suffix', '--pip-args', '--index-url', '-i', '--preinstall', '--backend', '--spec', '--fetch-python');
const NPM_VALUES = set(
  '--registry', '--loglevel', '--prefix', '--cache', '--userconfig', '--globalconfig', '--tag', '--save-prefix', '-w',
  '--workspace', '--omit', '--include', '--install-strategy', '--before', '--ca', '--cafile', '--cert', '--key', '--proxy',
  '--https-proxy', '--noproxy', '--otp', '--scope', '--script-shell', '--fetch-retries', '--fetch-retry-mintimeout',
  '--fetch-retry-maxtimeout', '--fetch-timeout', '--location', '--auth-type', '--access', '--user-agent', '--node-options',
  '--maxsockets', '--logs-dir', '--logs-max', '--cpu', '--os', '--libc', '--depth', '--only', '--also', '-C',
);
const YARN_VALUES = set(
  '--cache-folder', '--modules-folder', '--network-timeout', '--mutex', '--registry', '--global-folder', '--link-folder',
  '--network-concurrency', '--preferred-cache-folder', '--cwd', '--use-yarnrc', '--otp', '--https-proxy', '--proxy',
  '--cafile', '--ca', '--emoji', '--tag',
);
const GEM_VALUES = set(
  '-v', '--version', '--platform', '-i', '--install-dir', '-n', '--bindir', '-s', '--source', '-P', '--trust-policy', '-g',
  '--file', '--without', '--config-file', '--build-root', '--target-rbconfig', '--only-plugins',
);
const GEM_BOOLEANS = set(
  '--document', '--ri', '--rdoc', '--user-install', '--force', '--local', '--remote', '--both', '--prerelease', '--pre',
  '--conservative', '--minimal-deps', '--development', '--development-all', '--ignore-dependencies', '--env-shebang',
  '--format-executable', '--lock', '--suggestions', '--default', '--explain', '--clear-sources', '--wrappers', '--vendor',
  '--post-install-message', '--quiet', '--verbose', '--silent', '--backtrace', '--debug', '--norc', '--update-sources',
  '--http-proxy',
);
const GO_VALUES = set(
  'C', 'o', 'p', 'modfile', 'mod', 'tags', 'ldflags', 'gcflags', 'asmflags', 'gccgoflags', 'buildmode', 'compiler',
  'pkgdir', 'toolexec', 'overlay', 'pgo', 'covermode', 'coverpkg', 'exec',
);
const RPM_VALUES = set(
  '-c', '--config', '--installroot', '--releasever', '--enablerepo', '--disablerepo', '--repo', '--repoid', '-x',
  '--exclude', '--setopt', '--color', '-d', '--debuglevel', '-e', '--errorlevel', '--rpmverbosity', '--downloaddir',
  '--destdir', '--forcearch', '--advisory', '--advisories', '--bz', '--bzs', '--cve', '--cves', '--sec-severity',
  '--secseverity', '--disableplugin', '--enableplugin', '-R', '--randomwait', '--repofrompath', '--comment', '--from-repo',
  '--use-host-config', '--dump-main-config', '--setvar', '--releasever-major', '--releasever-minor',
);
const ZYPPER_GLOBAL_VALUES = set(
  '-c', '--config', '-R', '--root', '--reposd-dir', '-D', '--cache-dir', '-C', '--raw-cache-dir', '--solv-cache-dir',
  '-P', '--pkg-cache-dir', '--userdata', '-p', '--plus-repo', '--plus-content', '--installroot',
);
const ZYPPER_SUB_VALUES = set('-t', '--type', '-r', '--repo', '--from', '--download', '--category', '--severity', '--date', '-g', '--issues', '--bugzilla', '--cve');

const DNF_ALIASES: Record<string, string> = {
  in: 'install',
  localinstall: 'install',
  rei: 'reinstall',
  up: 'upgrade',
  update: 'upgrade',
  'up-min': 'upgrade-minimal',
  'update-minimal': 'upgrade-minimal',
  rm: 'remove',
  erase: 'remove',
  dg: 'downgrade',
  dsync: 'distro-sync',
  distrosync: 'distro-sync',
  'distribution-synchronization': 'distro-sync',
  groupinstall: 'group install',
  groupupdate: 'group upgrade',
  groupremove: 'group remove',
  grouperase: 'group remove',
  groups: 'group',
  grp: 'group',
  autoremove: 'autoremove',
};
const DNF_NESTED: Record<string, Record<string, string>> = {
  group: { install: 'install', update: 'upgrade', upgrade: 'upgrade', remove: 'remove', erase: 'remove', mark: 'mark', list: 'list', info: 'info' },
  module: { install: 'install', enable: 'enable', disable: 'disable', remove: 'remove', reset: 'reset', update: 'update', 'switch-to': 'switch-to', list: 'list', info: 'info' },
};
const NPM_INSTALL = ['i', 'add', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall'];

const SPECS: Record<Manager, ManagerSpec> = {
  'apt-get': { manager: 'apt-get', global: { values: APT_VALUES } },
  apt: { manager: 'apt', global: { values: APT_VALUES } },
  aptitude: { manager: 'aptitude', global: { values: APT_VALUES } },
  apk: { manager: 'apk', global: { values: APK_VALUES } },
  pip: { manager: 'pip', global: { values: PIP_VALUES } },
  pipx: { manager: 'pipx', global: { values: PIPX_VALUES } },
  npm: {
    manager: 'npm',
    global: { values: NPM_VALUES },
    aliases: { ...Object.fromEntries(NPM_INSTALL.map((a) => [a, 'install'])), it: 'install-test' },
  },
  yarn: { manager: 'yarn', global: { values: YARN_VALUES }, implicit: 'install', nested: { global: { add: 'add', remove: 'remove', upgrade: 'upgrade' } } },
  gem: { manager: 'gem', global: { values: GEM_VALUES, booleans: GEM_BOOLEANS }, aliases: { i: 'install' } },
  go: { manager: 'go', global: { values: GO_VALUES }, goFlags: true, stopAtOperand: true },
  yum: { manager: 'yum', global: { values: RPM_VALUES }, aliases: DNF_ALIASES, nested: DNF_NESTED },
  dnf: { manager: 'dnf', global: { values: RPM_VALUES }, aliases: DNF_ALIASES, nested: DNF_NESTED },
  microdnf: { manager: 'microdnf', global: { values: RPM_VALUES }, aliases: DNF_ALIASES, nested: DNF_NESTED },
  zypper: {
    manager: 'zypper',
    global: { values: ZYPPER_GLOBAL_VALUES },
    sub: { values: ZYPPER_SUB_VALUES },
    aliases: {
      in: 'install',
      rm: 'remove',
      up: 'update',
      dup: 'dist-upgrade',
      si: 'source-install',
      cc: 'clean',
      inr: 'install-new-recommends',
      ref: 'refresh',
      ve: 'verify',
      ar: 'addrepo',
      lu: 'list-updates',
    },
  },
};

/** One package-manager invocation in a RUN. */
export interface PackageCommand {
  manager: Manager;
  inst: Instruction;
  cmd: ShellCommand;
  /** The word that names the program (`apt-get`, `pip3`, or `python3` for `python3 -m pip`). */
  programWord: ShellWord;
  /** How the program is shown in messages: `apt-get`, `pip3`, `python3 -m pip`. */
  program: string;
  /** The canonical sub-command (`install`, `group install`, `global add`), or null when it cannot be known. */
  subcommand: string | null;
  /** The words that name the sub-command, as written (empty when implicit or unknown). */
  subcommandWords: ShellWord[];
  /** Every option, global and after the sub-command, in order. */
  options: OptionUse[];
  /** The operands after the sub-command. */
  operands: Arg[];
  /** Words after `--` (gem's build arguments): not packages. */
  passthrough: Arg[];
}

const PIP_PROGRAM = /^pip(\d+(\.\d+)*)?$/;
const PYTHON_PROGRAM = /^python(\d+(\.\d+)*)?$/;
const PROGRAMS: Record<string, Manager> = {
  'apt-get': 'apt-get',
  apt: 'apt',
  aptitude: 'aptitude',
  apk: 'apk',
  pipx: 'pipx',
  npm: 'npm',
  yarn: 'yarn',
  yarnpkg: 'yarn',
  gem: 'gem',
  go: 'go',
  yum: 'yum',
  dnf: 'dnf',
  dnf5: 'dnf',
  microdnf: 'microdnf',
  zypper: 'zypper',
};

/** A command name that is a plain program path (not an escaped-space or option-looking word). */
function plainProgram(cmd: ShellCommand): boolean {
  return cmd.name !== null && /^[\w./+-]+$/.test(cmd.name) && !cmd.name.startsWith('-');
}

/** `command -v yarn`, `type apt-get`: the program is looked up, not run. */
function onlyLookedUp(cmd: ShellCommand): boolean {
  const p = cmd.via === 'wrapper' ? cmd.parent : null;
  if (!p || p.base !== 'command') return false;
  return p.args.some((a) => a.value === '-v' || a.value === '-V');
}

function argsOf(words: readonly ShellWord[], inst: Instruction, ctx: PackageContext): Arg[] {
  const out: Arg[] = [];
  for (const word of words) {
    const r = resolveWord(word, inst, ctx);
    if (r.fields) for (const f of r.fields) out.push({ text: f, word, template: null, templateShown: null, unsetHere: r.unsetHere });
    else out.push({ text: null, word, template: r.template, templateShown: r.templateShown, unsetHere: r.unsetHere });
  }
  return out;
}

/** Which manager a command runs, and the arguments it passes to it. */
function identify(cmd: ShellCommand): { manager: Manager; program: string; words: ShellWord[] } | null {
  const base = cmd.base;
  // Most commands are no package manager: tell by the name alone before looking closer.
  const m = Object.hasOwn(PROGRAMS, base) ? PROGRAMS[base] : undefined;
  const pip = m === undefined && PIP_PROGRAM.test(base);
  if (m === undefined && !pip && !PYTHON_PROGRAM.test(base)) return null;
  if (!plainProgram(cmd) || onlyLookedUp(cmd)) return null;
  if (pip) return { manager: 'pip', program: base, words: cmd.args };
  if (m) return { manager: m, program: base, words: cmd.args };
  if (PYTHON_PROGRAM.test(base)) {
    // python [-options] -m pip …
    const a = cmd.args;
    for (let i = 0; i < a.length; i++) {
      const v = a[i].value;
      if (v === null) return null;
      if (v === '-m' || v === '-mpip') {
        const mod = v === '-mpip' ? 'pip' : a[i + 1]?.value;
        if (mod !== 'pip' && !(mod && PIP_PROGRAM.test(mod))) return null;
        return { manager: 'pip', program: `${base} -m pip`, words: a.slice(v === '-mpip' ? i + 1 : i + 2) };
      }
      if (!v.startsWith('-') || v === '-c') return null;
      if (v === '-W' || v === '-X') i++;
    }
  }
  return null;
}

/** Split `-abc`/`--long=value`/`-o value` into option uses; returns how many args were consumed. */
function readOption(args: Arg[], i: number, spec: ManagerSpec, opts: OptionSpec, out: OptionUse[]): number {
  const a = args[i];
  const t = a.text!;
  const next = args[i + 1];
  const withNext = (name: string): number => {
    out.push({ name, value: next?.text ?? null, word: a.word, valueWord: next?.word ?? a.word });
    return next ? 2 : 1;
  };
  const own = (name: string, value: string | null): number => {
    out.push({ name, value, word: a.word, valueWord: a.word });
    return 1;
  };
  if (spec.goFlags) {
    const body = t.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    if (eq >= 0) return own(`-${name}`, body.slice(eq + 1));
    return opts.values.has(name) ? withNext(`-${name}`) : own(`-${name}`, null);
  }
  if (t.startsWith('--')) {
    const eq = t.indexOf('=');
    const name = eq >= 0 ? t.slice(0, eq) : t;
    if (eq >= 0) return own(name, t.slice(eq + 1));
    if (opts.values.has(name)) return withNext(name);
    if (opts.booleans && !opts.booleans.has(name) && !name.startsWith('--no-') && next && next.text !== null && !isOption(next) && /^(true|false|yes|no|on|off|\d+)$/i.test(next.text)) {
      return withNext(name);
    }
    return own(name, null);
  }
  // Short options: a cluster, `-q=2`, `-ovalue`, or `-o value`.
  for (let j = 1; j < t.length; j++) {
    const name = `-${t[j]}`;
    if (t[j + 1] === '=') return own(name, t.slice(j + 2));
    if (opts.values.has(name)) {
      if (j + 1 < t.length) return own(name, t.slice(j + 1));
      return withNext(name);
    }
    own(name, null);
  }
  return 1;
}

const isOption = (a: Arg) => a.text !== null && a.text.length > 1 && a.text.startsWith('-');

/** Parse one package-manager command; null when the command is not one. */
export function asPackageCommand(cmd: ShellCommand, inst: Instruction, ctx: PackageContext): PackageCommand | null {
  const id = identify(cmd);
  if (!id) return null;
  const spec = SPECS[id.manager];
  const args = argsOf(id.words, inst, ctx);
  const options: OptionUse[] = [];
  const operands: Arg[] = [];
  const passthrough: Arg[] = [];
  const subWords: ShellWord[] = [];
  let subcommand: string | null = null;
  let i = 0;
  let known = true;
  // Global options, up to the sub-command.
  while (i < args.length) {
    const a = args[i];
    if (a.text === '--') break;
    if (isOption(a)) {
      i += readOption(args, i, spec, spec.global, options);
      continue;
    }
    break;
  }
  if (i < args.length && args[i].text !== '--') {
    const a = args[i];
    if (a.text === null) known = false;
    else {
      subcommand = spec.aliases?.[a.text] ?? a.text;
      subWords.push(a.word);
      i++;
      const [first] = subcommand.split(' ');
      const nested = spec.nested?.[first];
      if (nested && !subcommand.includes(' ')) {
        // `group install`, `global add`: options may sit between the two words.
        while (i < args.length && isOption(args[i])) i += readOption(args, i, spec, spec.sub ?? spec.global, options);
        const b = args[i];
        if (b && b.text !== null && b.text !== '--') {
          subcommand = `${first} ${nested[b.text] ?? b.text}`;
          subWords.push(b.word);
          i++;
        } else if (b && b.text === null) known = false;
      }
    }
  } else if (spec.implicit) subcommand = spec.implicit;
  if (!known) return { manager: id.manager, inst, cmd, programWord: cmd.words[0], program: id.program, subcommand: null, subcommandWords: [], options, operands: args.slice(i + 1), passthrough };
  // Sub-command options and operands.
  const opts = spec.sub ?? spec.global;
  let endOfOptions = false;
  while (i < args.length) {
    const a = args[i];
    if (endOfOptions) {
      (spec.manager === 'gem' ? passthrough : operands).push(a);
      i++;
      continue;
    }
    if (a.text === '--') {
      endOfOptions = true;
      i++;
      continue;
    }
    if (isOption(a) && !(spec.stopAtOperand && operands.length > 0)) {
      i += readOption(args, i, spec, opts, options);
      continue;
    }
    operands.push(a);
    i++;
  }
  return { manager: id.manager, inst, cmd, programWord: cmd.words[0], program: id.program, subcommand, subcommandWords: subWords, options, operands, passthrough };
}

/** RUN instructions (top-level and ONBUILD triggers) whose shell the model parsed. */
export function runInstructions(model: DockerfileModel): Instruction[] {
  return model.all.filter((i) => i.keyword === 'RUN' && i.shell !== null);
}

/**
 * The package-manager commands of one RUN; computed once per instruction and context (the context of a model,
 * packageContext, keeps them).
 */
export function packageCommands(inst: Instruction, ctx: PackageContext): PackageCommand[] {
  const known = ctx.commandsOf?.get(inst);
  if (known) return known;
  const out: PackageCommand[] = [];
  for (const cmd of inst.shell?.commands ?? []) {
    const pc = asPackageCommand(cmd, inst, ctx);
    if (pc) out.push(pc);
  }
  ctx.commandsOf?.set(inst, out);
  return out;
}

/** Every package-manager command of the file's RUNs, in source order; computed once per context. */
function everyPackageCommand(model: DockerfileModel, ctx: PackageContext): readonly PackageCommand[] {
  if (ctx.allCommands && ctx.model === model) return ctx.allCommands;
  const out: PackageCommand[] = [];
  for (const inst of model.all) {
    if (inst.keyword !== 'RUN' || inst.shell === null) continue;
    for (const pc of packageCommands(inst, ctx)) out.push(pc);
  }
  if (ctx.model === model) ctx.allCommands = out;
  return out;
}

/** Every package-manager command of the file's RUNs for the given managers. */
export function allPackageCommands(model: DockerfileModel, managers: readonly Manager[], ctx = packageContext(model)): PackageCommand[] {
  const out: PackageCommand[] = [];
  for (const pc of everyPackageCommand(model, ctx)) if (managers.includes(pc.manager)) out.push(pc);
  return out;
}

export function hasOption(pc: PackageCommand, ...names: string[]): boolean {
  return pc.options.some((o) => names.includes(o.name));
}

export function optionValues(pc: PackageCommand, ...names: string[]): Array<string | null> {
  return pc.options.filter((o) => names.includes(o.name)).map((o) => o.value);
}

/** The sub-command as the user wrote it, with the program: `apt-get install`, `dnf group install`, `yarn`. */
export function shownCommand(pc: PackageCommand): string {
  return [pc.program, ...pc.subcommandWords.map((w) => w.value ?? w.text)].join(' ');
}

/** Where a finding about the sub-command goes: the last sub-command word, or the program word. */
export function subcommandWord(pc: PackageCommand): ShellWord {
  return pc.subcommandWords[pc.subcommandWords.length - 1] ?? pc.programWord;
}

/** A finding's location for a word. */
export function at(word: ShellWord): { line: number; column: number; endLine: number; endColumn: number } {
  return { line: word.span.line, column: word.span.column, endLine: word.span.endLine, endColumn: word.span.endColumn };
}

/**
 * A fix that inserts `text` right after `word` on its line (e.g. ` -y` after `install`). Only for words written
 * literally on one line, where the insertion is certainly where the option belongs.
 */
export function insertAfter(model: DockerfileModel, word: ShellWord, text: string, description: string): Fix | undefined {
  if (word.value === null || word.span.line !== word.span.endLine) return undefined;
  const line = model.source.lines[word.span.line - 1];
  if (line === undefined) return undefined;
  const at0 = word.span.endColumn - 1;
  if (line.slice(word.span.column - 1, at0) !== word.text) return undefined;
  return { line: word.span.line, endLine: word.span.line, replacement: line.slice(0, at0) + text + line.slice(at0), description };
}

/** A fix that replaces `word` with `text` on its line. */
export function replaceWord(model: DockerfileModel, word: ShellWord, text: string, description: string): Fix | undefined {
  if (word.value === null || word.span.line !== word.span.endLine) return undefined;
  const line = model.source.lines[word.span.line - 1];
  if (line === undefined || line.slice(word.span.column - 1, word.span.endColumn - 1) !== word.text) return undefined;
  return {
    line: word.span.line,
    endLine: word.span.line,
    replacement: line.slice(0, word.span.column - 1) + text + line.slice(word.span.endColumn - 1),
    description,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Version pins.
// ---------------------------------------------------------------------------------------------------------------

/** A package operand to judge: the text (or template) and the word it came from. */
export interface PackageOperand {
  /** The package spec as the build sees it, or the template with an unknown version read as `0`. */
  spec: string;
  /** How to name it in a message: the spec when known, else the word as written. */
  shown: string;
  /** The spec with unknown parts written as in the Dockerfile (`pkg=$VERSION`); equals `spec` when all is known. */
  specShown: string;
  word: ShellWord;
  unsetHere: string[];
}

/** The operands that can be judged: known ones, and templates whose unknown part is a version. */
export function judgeableOperands(args: readonly Arg[]): PackageOperand[] {
  const out: PackageOperand[] = [];
  for (const a of args) {
    if (a.text !== null) {
      if (a.text !== '') {
        out.push({ spec: a.text, shown: a.unsetHere.length > 0 ? a.word.text : a.text, specShown: a.text, word: a.word, unsetHere: a.unsetHere });
      }
    } else if (a.template !== null) {
      out.push({ spec: a.template, shown: a.word.text, specShown: a.templateShown ?? a.template, word: a.word, unsetHere: a.unsetHere });
    }
  }
  return out;
}

/** A note for messages when a variable the operand uses is set only in another stage. */
export function unsetNote(op: PackageOperand): string {
  if (op.unsetHere.length === 0) return '';
  const vars = op.unsetHere.map((v) => `$${v}`).join(', ');
  return ` (${vars} ${op.unsetHere.length > 1 ? 'are' : 'is'} not set in this stage, so ${op.unsetHere.length > 1 ? 'they expand' : 'it expands'} to nothing)`;
}

/** A local file or directory, or a URL: not a registry package, so there is no version to pin. */
export function isPathOrUrl(spec: string): boolean {
  return /^(\.{1,2}(\/|$)|\/|~\/|file:)/.test(spec) || /^[a-z][a-z0-9+.-]*:\/\//i.test(spec);
}

/** apt: `pkg=version`; `.deb` files and paths are not registry packages. */
export function aptPinned(spec: string): boolean {
  return /=./.test(spec) || isPathOrUrl(spec) || /\.deb$/i.test(spec);
}

/** apk: `pkg=ver`, `pkg~ver`, `pkg>ver`, `pkg<ver` (and `>=`, `<=`, `~=`, `=~`); `.apk` files. */
export function apkPinned(spec: string): boolean {
  return /[=~<>]+[^=~<>]/.test(spec) || isPathOrUrl(spec) || /\.apk$/i.test(spec);
}

/** pip: any version specifier, a local path or archive, a URL, or a VCS URL with `@ref`. */
export function pipPinned(spec: string): boolean {
  const vcs = /^(git|hg|svn|bzr)\+[a-z]+:\/\/(.*)$/i.exec(spec);
  if (vcs) {
    const rest = vcs[2].replace(/#.*$/, '');
    const slash = rest.indexOf('/');
    return slash >= 0 && rest.slice(slash).includes('@');
  }
  if (isPathOrUrl(spec) || spec.includes('/')) return true;
  if (/\.(whl|tar\.gz|tgz|tar\.bz2|tar\.xz|zip|tar)$/i.test(spec)) return true;
  return /(==|~=|!=|<|>)=*[^=]/.test(spec);
}

const NPM_MOVING_TAGS = new Set(['latest', 'next', '*', '']);

/** npm: a git repository (URL, `github:` style, or the `user/repo` GitHub shorthand), pinned only by a `#ref`. */
export function npmGitSpec(spec: string): boolean {
  return (
    /^(git\+[a-z]+:|git:|github:|gitlab:|bitbucket:|gist:)/i.test(spec) ||
    /^[a-z]+:\/\/.*\.git(#|$)/i.test(spec) ||
    /^[^@/.~:][^@/:]*\/[^@/:]+$/.test(spec.replace(/#.*$/, ''))
  );
}

/** npm: `pkg@version` (not `@latest`), `@scope/pkg@version`, git URLs with `#ref`, tarballs and folders. */
export function npmPinned(spec: string): boolean {
  if (npmGitSpec(spec)) return spec.includes('#');
  if (isPathOrUrl(spec) || /\.(tgz|tar|tar\.gz)$/i.test(spec)) return true;
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  if (at < 0) return false;
  return !NPM_MOVING_TAGS.has(spec.slice(at + 1));
}

/** gem: `name:version`; `.gem` files. (`-v`/`--version` pins the whole command.) */
export function gemPinned(spec: string): boolean {
  return /:./.test(spec) || /\.gem$/i.test(spec) || isPathOrUrl(spec);
}

const GO_MOVING = new Set(['latest', 'upgrade', 'patch', '']);

/** go: `path@version` (not `@latest`/`@upgrade`/`@patch`); local packages and `.go` files. */
export function goPinned(spec: string): boolean {
  if (/^(\.|\/|~)/.test(spec) || /\.go$/.test(spec) || spec === 'std' || spec === 'cmd' || spec === 'all') return true;
  const at = spec.lastIndexOf('@');
  if (at < 0) return false;
  return !GO_MOVING.has(spec.slice(at + 1));
}

/**
 * yum/dnf: `name-version[-release]` (the last dash-separated part starts with a digit, epoch allowed:
 * `openssl-1:1.1.1k`), `name = version` forms, `.rpm` files and paths, groups (`@group`) and capabilities
 * (`perl(Foo)`, `/usr/bin/x`).
 */
export function rpmPinned(spec: string): boolean {
  if (isPathOrUrl(spec) || /\.rpm$/i.test(spec) || spec.startsWith('@') || spec.includes('(')) return true;
  if (/[<>=]+\s*[^<>=\s]/.test(spec)) return true;
  const dash = spec.lastIndexOf('-');
  return dash > 0 && /^\d/.test(spec.slice(dash + 1));
}

/** yum/dnf modules: `name:stream`. */
export function modulePinned(spec: string): boolean {
  return /:./.test(spec);
}

/** zypper: `pkg=ver`, `pkg>=ver`, `pkg<ver`…; `.rpm` files and paths. */
export function zypperPinned(spec: string): boolean {
  return /[=<>]+[^=<>]/.test(spec) || isPathOrUrl(spec) || /\.rpm$/i.test(spec);
}

// ---------------------------------------------------------------------------------------------------------------
// Sub-command families of the RPM managers (canonical names, see DNF_ALIASES).
// ---------------------------------------------------------------------------------------------------------------

/** yum/dnf/microdnf sub-commands that ask "Is this ok [y/N]" before changing packages. */
export const RPM_PROMPTING: ReadonlySet<string> = new Set([
  'install', 'reinstall', 'upgrade', 'upgrade-minimal', 'remove', 'downgrade', 'distro-sync', 'autoremove', 'swap',
  'group install', 'group upgrade', 'group remove', 'module install', 'module enable', 'module disable', 'module remove',
  'module reset', 'module update', 'module switch-to',
]);

/** yum/dnf/microdnf sub-commands that download packages (and metadata) into the cache. */
export const RPM_DOWNLOADING: ReadonlySet<string> = new Set([
  'install', 'reinstall', 'upgrade', 'upgrade-minimal', 'downgrade', 'distro-sync', 'swap', 'group install', 'group upgrade', 'module install',
]);

/** Where yum (/var/cache/yum), dnf 4 (/var/cache/dnf) and dnf 5 (/var/cache/libdnf5) keep their caches. */
export const RPM_CACHE_DIRS: readonly string[] = ['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5'];

/** zypper sub-commands that ask for confirmation. */
export const ZYPPER_PROMPTING: ReadonlySet<string> = new Set([
  'install', 'remove', 'update', 'patch', 'dist-upgrade', 'source-install', 'install-new-recommends', 'verify',
]);

/** zypper sub-commands that download packages into /var/cache/zypp. */
export const ZYPPER_DOWNLOADING: ReadonlySet<string> = new Set([
  'install', 'update', 'patch', 'dist-upgrade', 'source-install', 'install-new-recommends', 'verify',
]);

/** The package name of a spec, without the version part a manager's syntax gives it (for "write name=<version>"). */
export function packageName(spec: string, manager: Manager): string {
  switch (manager) {
    case 'apt-get':
    case 'apt':
    case 'aptitude':
      return spec.replace(/=.*$/, '');
    case 'apk':
      return spec.replace(/[=~<>].*$/, '');
    case 'pip':
    case 'pipx':
      return spec.replace(/\s*(==|~=|!=|<|>).*$/, '');
    case 'npm':
      return spec.replace(/(?<=.)@[^/]*$/, '');
    case 'gem':
      return spec.replace(/:.*$/, '');
    case 'go':
      return spec.replace(/@[^@]*$/, '');
    case 'zypper':
      return spec.replace(/[=<>].*$/, '');
    default:
      return spec.replace(/-+$/, '').replace(/\s*[<>=].*$/, '');
  }
}
