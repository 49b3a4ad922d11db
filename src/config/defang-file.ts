/**
 * `.github/defang.yml` (or `.defang.yml`, or the file named by the `config` input): validated key by key onto a
 * Policy. Documented in docs/configuration.md.
 */
import { DEFAULT_TRUSTED_REGISTRIES } from './policy.ts';
import type { FailOn, PathOverride, Policy, RuleLevel } from './policy.ts';
import type { Catalogue } from './catalogue.ts';
import { setOwn } from './errors.ts';
import { parseRules } from './rule-settings.ts';
import { describe, scalarText } from './yaml-source.ts';
import type { Entry, Located, YamlSource } from './yaml-source.ts';

export const TOP_LEVEL_KEYS = [
  'rules',
  'overrides',
  'trusted-registries',
  'trusted-registries-extra',
  'build-args',
  'fail-on',
  'allow-inline-ignores',
  'dockerfiles',
  'only-changed',
  'shellcheck',
  'platform',
] as const;

export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

/** hadolint keys people carry over by habit, and what they are called here. */
const HADOLINT_KEY_HINTS: Readonly<Record<string, string>> = {
  ignored: 'a Defang config switches rules off under "rules:", e.g. rules: { DL3008: off }',
  override: 'a Defang config sets levels under "rules:", e.g. rules: { DL3008: warning }',
  trustedRegistries: 'did you mean "trusted-registries"? (globs such as docker.io/* or ghcr.io/my-org/*)',
  'failure-threshold': 'did you mean "fail-on"? (error, warning, info or never)',
  'disable-ignore-pragma': 'did you mean "allow-inline-ignores"? (note the opposite meaning)',
};

const OVERRIDE_KEYS = ['files', 'rules'] as const;

export function applyDefangConfig(src: YamlSource, policy: Policy, catalogue: Catalogue): void {
  const root = src.root();
  if (src.isNull(root)) return;
  if (!src.isMap(root)) src.fail(root, `expected a map of settings at the top level, got ${describe(root.node)}`);

  let replaceRegistries: string[] | undefined;
  let extraRegistries: string[] = [];
  for (const entry of src.entries(root)) {
    src.checkKey(entry, TOP_LEVEL_KEYS, HADOLINT_KEY_HINTS);
    switch (entry.key as (typeof TOP_LEVEL_KEYS)[number]) {
      case 'rules': {
        const parsed = parseRules(src, entry, catalogue);
        policy.rules = parsed.rules;
        for (const [code, level] of Object.entries(parsed.codes)) setCodeLevel(policy, code, level);
        break;
      }
      case 'overrides':
        policy.overrides = src.isNull(entry) ? [] : src.items(entry).map((item) => parseOverride(src, item, catalogue));
        break;
      case 'trusted-registries':
        if (src.isNull(entry)) {
          src.fail(entry, 'expected a list of registry globs, got nothing; write [] to trust no registry, or remove the key to keep the defaults');
        }
        replaceRegistries = registryGlobs(src, entry);
        break;
      case 'trusted-registries-extra':
        extraRegistries = src.isNull(entry) ? [] : registryGlobs(src, entry);
        break;
      case 'build-args':
        policy.buildArgs = parseBuildArgs(src, entry);
        break;
      case 'fail-on':
        policy.failOn = src.oneOf(entry, FAIL_ON_VALUES);
        break;
      case 'allow-inline-ignores':
        policy.allowInlineIgnores = src.boolean(entry);
        break;
      case 'dockerfiles':
        policy.dockerfiles = src.stringList(entry, 'a glob', { single: true, nonEmpty: true }).map(normaliseGlob);
        break;
      case 'only-changed':
        policy.onlyChanged = src.boolean(entry);
        break;
      case 'shellcheck':
        policy.shellcheck = src.boolean(entry);
        break;
      case 'platform': {
        const platform = src.nonEmptyString(entry, 'a platform such as linux/amd64');
        const problem = platformProblem(platform);
        if (problem) src.fail(entry, problem);
        policy.platform = platform;
        break;
      }
    }
  }
  const base = replaceRegistries ?? [...DEFAULT_TRUSTED_REGISTRIES];
  policy.trustedRegistries = unique([...base, ...extraRegistries]);
}

/** Sets a code's level: `off` goes to `ignoredCodes`, any other level to `codeLevels`. */
export function setCodeLevel(policy: Policy, code: string, level: RuleLevel): void {
  if (level === 'off') {
    delete policy.codeLevels[code];
    if (!policy.ignoredCodes.includes(code)) policy.ignoredCodes.push(code);
  } else {
    policy.ignoredCodes = policy.ignoredCodes.filter((c) => c !== code);
    policy.codeLevels[code] = level;
  }
}

function parseOverride(src: YamlSource, item: Located, catalogue: Catalogue): PathOverride {
  if (!src.isMap(item)) src.fail(item, `expected a map with "files" and "rules", got ${describe(item.node)}`);
  let files: string[] | undefined;
  let parsed: ReturnType<typeof parseRules> | undefined;
  for (const entry of src.entries(item)) {
    src.checkKey(entry, OVERRIDE_KEYS);
    if (entry.key === 'files') {
      files = src.stringList(entry, 'a glob', { single: true, nonEmpty: true }).map(normaliseGlob);
    } else {
      parsed = parseRules(src, entry, catalogue);
    }
  }
  if (!files) src.fail(item, 'missing "files": the globs of the Dockerfiles this override applies to');
  if (!parsed) src.fail(item, 'missing "rules": the rule settings for those files');
  const override: PathOverride = {
    files,
    rules: parsed.rules,
    origin: `${src.file}:${src.position(item.offset).line}`,
  };
  if (Object.keys(parsed.codes).length > 0) override.codeLevels = parsed.codes;
  return override;
}

function registryGlobs(src: YamlSource, at: Located): string[] {
  const globs = src.stringList(at, 'a registry glob', { single: true });
  const items = src.isSeq(at) ? src.items(at) : [at];
  return globs.map((glob, i) => {
    const problem = registryGlobProblem(glob);
    if (problem) src.fail(items[i]!, problem);
    return glob.replace(/\/+$/, '');
  });
}

export function registryGlobProblem(glob: string): string | undefined {
  if (/\s/.test(glob)) return `registry globs contain no spaces, got ${JSON.stringify(glob)}`;
  if (glob.includes('://')) {
    return `registry globs name a registry and repository, not a URL: write ${JSON.stringify(glob.replace(/^[a-z]+:\/\//i, ''))}`;
  }
  return undefined;
}

function parseBuildArgs(src: YamlSource, at: Located): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of src.entries(at) as Entry[]) {
    const problem = buildArgNameProblem(entry.key);
    if (problem) throw src.error(entry.keyOffset, entry.path, problem);
    if (src.isNull(entry)) {
      setOwn(out, entry.key, '');
    } else if (src.isScalar(entry)) {
      setOwn(out, entry.key, scalarText(entry.node!));
    } else {
      src.fail(entry, `expected a string, number or boolean, got ${describe(entry.node)}`);
    }
  }
  return out;
}

export function buildArgNameProblem(name: string): string | undefined {
  if (name === '') return 'a build arg needs a name';
  if (/[\s=]/.test(name)) return `build arg names contain no spaces or "=", got ${JSON.stringify(name)}`;
  return undefined;
}

/** `os/arch` or `os/arch/variant`, lower case, e.g. `linux/amd64`, `linux/arm64/v8`. */
export function platformProblem(platform: string): string | undefined {
  if (platform.includes(',')) {
    return `expected one platform (os/arch[/variant]), got the list ${JSON.stringify(platform)}`;
  }
  if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(platform)) {
    return `expected os/arch[/variant] such as linux/amd64 or linux/arm64/v8, got ${JSON.stringify(platform)}`;
  }
  return undefined;
}

/** Globs are matched against repository-relative paths: a leading `./` or `/` is dropped. */
export function normaliseGlob(glob: string): string {
  return glob.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
