/**
 * The known rules, as the caller passes them in (the rule registry lives in src/rules; config does not import it).
 */
import type { RuleLevel } from './policy.ts';

export interface RuleCatalogueEntry {
  id: string;
  /** The equivalent hadolint code (DLxxxx), when there is one. */
  hadolint?: string;
  /** Every hadolint code the rule stands for, when it stands for several (`hadolint` may be one of them). */
  hadolintCodes?: readonly string[];
  defaultSeverity: 'error' | 'warning' | 'info';
}

export const RULE_LEVELS: readonly RuleLevel[] = ['error', 'warning', 'info', 'off'];

/** A hadolint or ShellCheck code, e.g. `DL3008` or `SC2086` (any case). */
export const CODE_PATTERN = /^(DL|SC)\d{4}$/i;

export class Catalogue {
  readonly ids: readonly string[];
  private readonly codesById = new Map<string, readonly string[]>();
  private readonly byCode = new Map<string, string[]>();

  constructor(entries: readonly RuleCatalogueEntry[]) {
    this.ids = entries.map((e) => e.id);
    for (const entry of entries) {
      const all = [entry.hadolint, ...(entry.hadolintCodes ?? [])].filter((c): c is string => !!c);
      const codes = [...new Set(all.map((c) => c.toUpperCase()))];
      this.codesById.set(entry.id, codes);
      for (const code of codes) {
        const list = this.byCode.get(code) ?? [];
        list.push(entry.id);
        this.byCode.set(code, list);
      }
    }
  }

  has(id: string): boolean {
    return this.codesById.has(id);
  }

  /** The ids of the rules that stand for this hadolint code (empty when none). */
  rulesFor(code: string): readonly string[] {
    return this.byCode.get(code.toUpperCase()) ?? [];
  }

  /** The rules for which this is their only hadolint code: a setting for the code is a setting for the rule. */
  soleRulesFor(code: string): readonly string[] {
    return this.rulesFor(code).filter((id) => this.codesById.get(id)!.length === 1);
  }

  /** The rules that stand for this code among others: a setting for the code applies only to its findings. */
  sharedRulesFor(code: string): readonly string[] {
    return this.rulesFor(code).filter((id) => this.codesById.get(id)!.length > 1);
  }
}
