/**
 * The `rules:` map (used at the top level and in every override): rule id, hadolint code (DLxxxx) or ShellCheck code
 * (SCxxxx) → a level, or `{ level, options }`.
 */
import { didYouMean } from './errors.ts';
import { CODE_PATTERN, RULE_LEVELS } from './catalogue.ts';
import type { Catalogue } from './catalogue.ts';
import type { RuleLevel, RuleSetting } from './policy.ts';
import { describe } from './yaml-source.ts';
import type { Entry, Located, YamlSource } from './yaml-source.ts';

export interface ParsedRules {
  /**
   * Settings by catalogue rule id. A hadolint code is expanded to the rules whose only code it is; a rule named by
   * id wins over its code.
   */
  rules: Record<string, RuleSetting>;
  /**
   * Levels (including `off`) by finding code: ShellCheck codes, and hadolint codes of rules that stand for several
   * codes (where the code selects only some of the rule's findings).
   */
  codes: Record<string, RuleLevel>;
}

const SETTING_KEYS = ['level', 'options'] as const;

export function parseRules(src: YamlSource, at: Located, catalogue: Catalogue): ParsedRules {
  const viaCode: Array<{ ids: readonly string[]; setting: RuleSetting }> = [];
  const byId: Record<string, RuleSetting> = {};
  const codes: Record<string, RuleLevel> = {};
  for (const entry of src.entries(at)) {
    if (CODE_PATTERN.test(entry.key)) {
      const code = entry.key.toUpperCase();
      const setting = parseSetting(src, entry);
      if (code.startsWith('DL') && catalogue.rulesFor(code).length === 0) {
        throw src.error(entry.keyOffset, entry.path, `no Defang rule has the hadolint code ${code}`);
      }
      const sole = code.startsWith('DL') ? catalogue.soleRulesFor(code) : [];
      const shared = code.startsWith('DL') ? catalogue.sharedRulesFor(code) : [];
      if (setting.options !== undefined && (shared.length > 0 || code.startsWith('SC'))) {
        const options = src.entries(entry).find((e) => e.key === 'options')!;
        const reason = code.startsWith('SC')
          ? 'ShellCheck codes take no options, only a level'
          : `${code} is one of several hadolint codes of ${shared.join(', ')}; set options under the rule id`;
        throw src.error(options.keyOffset, options.path, reason);
      }
      // A code that is a rule's only code stands for the rule; otherwise it selects that code's findings.
      if (sole.length > 0) viaCode.push({ ids: sole, setting });
      if ((shared.length > 0 || code.startsWith('SC')) && setting.level !== undefined) codes[code] = setting.level;
      continue;
    }
    if (!catalogue.has(entry.key)) {
      throw src.error(entry.keyOffset, entry.path, `unknown rule "${entry.key}"${didYouMean(entry.key, catalogue.ids)}`);
    }
    byId[entry.key] = parseSetting(src, entry);
  }
  const rules: Record<string, RuleSetting> = {};
  for (const { ids, setting } of viaCode) {
    for (const id of ids) rules[id] = mergeSetting(rules[id], setting);
  }
  for (const [id, setting] of Object.entries(byId)) rules[id] = mergeSetting(rules[id], setting);
  return { rules, codes };
}

function parseSetting(src: YamlSource, entry: Entry): RuleSetting {
  if (src.isScalar(entry) && typeof (entry.node as { value?: unknown }).value === 'string') {
    return { level: src.oneOf(entry, RULE_LEVELS) };
  }
  if (!src.isMap(entry)) {
    const value = (entry.node as { value?: unknown } | null)?.value;
    const hint = value === false ? '; write off to disable the rule' : '';
    src.fail(
      entry,
      `expected one of ${RULE_LEVELS.join(', ')} or a map with "level" and "options", got ${describe(entry.node)}${hint}`,
    );
  }
  const setting: RuleSetting = {};
  for (const field of src.entries(entry)) {
    src.checkKey(field, SETTING_KEYS);
    if (field.key === 'level') {
      setting.level = src.oneOf(field, RULE_LEVELS);
    } else if (!src.isNull(field)) {
      if (!src.isMap(field)) src.fail(field, `expected a map of rule options, got ${describe(field.node)}`);
      setting.options = src.toData(field) as Record<string, unknown>;
    }
  }
  return setting;
}

/** `later` over `earlier`: its level if it has one; options merged key by key. */
export function mergeSetting(earlier: RuleSetting | undefined, later: RuleSetting | undefined): RuleSetting {
  const out: RuleSetting = {};
  const level = later?.level ?? earlier?.level;
  if (level !== undefined) out.level = level;
  if (earlier?.options !== undefined || later?.options !== undefined) {
    out.options = { ...earlier?.options, ...later?.options };
  }
  return out;
}
