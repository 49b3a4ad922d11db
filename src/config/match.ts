/**
 * What the policy says for one rule in one file: `rules:` merged with every override whose globs match the file.
 */
import picomatch from 'picomatch';
import type { Severity } from '../findings.ts';
import type { PathOverride, Policy, RuleLevel, RuleSetting } from './policy.ts';
import { mergeSetting } from './rule-settings.ts';

type Matcher = (file: string) => boolean;

const matchers = new WeakMap<PathOverride, { globs: string[]; test: Matcher }>();

/**
 * A matcher for repository-relative paths. A glob with a slash is matched against the whole path; a glob without one
 * (`Dockerfile.*`) also matches by basename, so it applies in every directory. Dot-files and dot-directories match.
 */
export function globMatcher(globs: readonly string[]): Matcher {
  const withSlash = globs.filter((g) => g.includes('/'));
  const bare = globs.filter((g) => !g.includes('/'));
  const full = withSlash.length > 0 ? picomatch(withSlash, { dot: true }) : null;
  const base = bare.length > 0 ? picomatch(bare, { dot: true }) : null;
  return (file: string) => {
    const path = normalisePath(file);
    if (full?.(path)) return true;
    if (base) {
      const name = path.slice(path.lastIndexOf('/') + 1);
      return base(name);
    }
    return false;
  };
}

function overrideMatches(override: PathOverride, file: string): boolean {
  let cached = matchers.get(override);
  // Overrides are plain data; rebuild the matcher if someone replaced its globs.
  if (!cached || cached.globs !== override.files) {
    cached = { globs: override.files, test: globMatcher(override.files) };
    matchers.set(override, cached);
  }
  return cached.test(file);
}

/** `./a\\b` → `a/b`: repository-relative with forward slashes. */
export function normalisePath(file: string): string {
  return file.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}

/**
 * The setting for `ruleId` in `file` (repository-relative): `policy.rules[ruleId]`, then each matching override in
 * order, later ones winning. Levels replace; options are merged key by key.
 */
export function ruleSettingFor(policy: Policy, ruleId: string, file: string): RuleSetting {
  let setting = mergeSetting(undefined, ownValue(policy.rules, ruleId));
  for (const override of policy.overrides) {
    const own = ownValue(override.rules, ruleId);
    if (own && overrideMatches(override, file)) setting = mergeSetting(setting, own);
  }
  return setting;
}

/** The level set by code (ShellCheck `SCxxxx` or hadolint `DLxxxx`) for `file`, if any. */
export function codeLevelFor(policy: Policy, code: string, file: string): RuleLevel | undefined {
  const key = code.toUpperCase();
  let level: RuleLevel | undefined = policy.ignoredCodes.includes(key) ? 'off' : ownValue(policy.codeLevels, key);
  for (const override of policy.overrides) {
    const own = override.codeLevels ? ownValue(override.codeLevels, key) : undefined;
    if (own && overrideMatches(override, file)) level = own;
  }
  return level;
}

/**
 * The policy as it applies to one file, for asking about many rules and codes: the overrides whose globs match the
 * file are found once, and code levels are remembered. Answers are those of `ruleSettingFor` and `codeLevelFor`
 * for the same policy and file (the policy must not change while it is in use: one lint run).
 */
export interface FilePolicy {
  /** As `ruleSettingFor(policy, ruleId, file)`; read-only (may be shared between rules). */
  setting(ruleId: string): Readonly<RuleSetting>;
  /** As `codeLevelFor(policy, code, file)`. */
  codeLevel(code: string): RuleLevel | undefined;
  /** False when no code has a level for this file (every `codeLevel` is undefined). */
  readonly hasCodeLevels: boolean;
}

const NO_SETTING: Readonly<RuleSetting> = Object.freeze({});

export function policyForFile(policy: Policy, file: string): FilePolicy {
  const matching: PathOverride[] = [];
  let overrideCodes = false;
  for (const override of policy.overrides) {
    if (!overrideMatches(override, file)) continue;
    matching.push(override);
    if (override.codeLevels) overrideCodes = true;
  }
  const anyCodes = overrideCodes || policy.ignoredCodes.length > 0 || Object.keys(policy.codeLevels).length > 0;
  const codeLevels = new Map<string, RuleLevel | undefined>();
  const anySettings = matching.length > 0 || Object.keys(policy.rules).length > 0;
  return {
    hasCodeLevels: anyCodes,
    setting(ruleId: string): Readonly<RuleSetting> {
      if (!anySettings) return NO_SETTING;
      const top = ownValue(policy.rules, ruleId);
      let setting: RuleSetting | undefined = top === undefined ? undefined : mergeSetting(undefined, top);
      for (let i = 0; i < matching.length; i++) {
        const own = ownValue(matching[i].rules, ruleId);
        if (own) setting = mergeSetting(setting, own);
      }
      return setting ?? NO_SETTING;
    },
    codeLevel(code: string): RuleLevel | undefined {
      if (!anyCodes) return undefined;
      if (codeLevels.has(code)) return codeLevels.get(code);
      const key = code.toUpperCase();
      let level: RuleLevel | undefined = policy.ignoredCodes.includes(key) ? 'off' : ownValue(policy.codeLevels, key);
      for (const override of matching) {
        const own = override.codeLevels ? ownValue(override.codeLevels, key) : undefined;
        if (own) level = own;
      }
      codeLevels.set(code, level);
      return level;
    },
  };
}

/**
 * The level a finding of `ruleId` gets in `file`. A rule switched off stays off. Otherwise a level set for the
 * finding's code (`hadolintCode`: `SC2086`, `DL3008`) wins, being the more specific; then the rule's level; then
 * the rule's default severity.
 */
export function levelFor(
  policy: Policy,
  ruleId: string,
  defaultSeverity: Severity,
  file: string,
  hadolintCode?: string,
): RuleLevel {
  const setting = ruleSettingFor(policy, ruleId, file);
  if (setting.level === 'off') return 'off';
  if (hadolintCode) {
    const byCode = codeLevelFor(policy, hadolintCode, file);
    if (byCode !== undefined) return byCode;
  }
  return setting.level ?? defaultSeverity;
}

function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
