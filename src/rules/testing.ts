/**
 * A rule tester in the spirit of ESLint's RuleTester: each rule's `*.test.ts` lists Dockerfiles that must pass and
 * Dockerfiles that must produce exactly the listed findings.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultPolicy, type Policy } from '../config/policy.ts';
import type { Finding } from '../findings.ts';
import { lint } from './engine.ts';
import type { AnyRule } from './types.ts';

export interface ExpectedFinding {
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** The exact message, or a pattern it must match. */
  message?: string | RegExp;
  hadolint?: string;
  severity?: Finding['severity'];
  /** The expected fix replacement text (the fix's lines are checked too when `fixLines` is given). */
  fix?: string;
  fixLines?: [number, number];
}

export interface ValidCase {
  name?: string;
  code: string;
  options?: Record<string, unknown>;
  policy?: Partial<Policy>;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
}

/** Run one rule (enabled at its default severity, whatever its default state) over a Dockerfile text. */
export async function runRule(
  rule: AnyRule,
  code: string,
  opts: { options?: Record<string, unknown>; policy?: Partial<Policy>; file?: string } = {},
): Promise<Finding[]> {
  const policy: Policy = { ...defaultPolicy(), ...opts.policy };
  // Opt-in rules are switched on at their default severity; others keep their default, so per-finding severities show.
  const setting = rule.meta.enabledByDefault ? { options: opts.options } : { level: rule.meta.severity, options: opts.options };
  policy.rules = { ...policy.rules, [rule.meta.id]: setting };
  const out = await lint([{ file: opts.file ?? 'Dockerfile', text: code }], policy, { rules: [rule], kinds: [rule.meta.kind] });
  const internal = out.results[0].findings.filter((f) => f.ruleId !== rule.meta.id);
  assert.deepEqual(internal, [], `the rule failed: ${out.notices.join('; ')}`);
  return out.results[0].findings;
}

function label(c: ValidCase): string {
  return c.name ?? c.code.replace(/\s+/g, ' ').trim().slice(0, 70);
}

export function ruleTests(rule: AnyRule, cases: { valid: Array<string | ValidCase>; invalid: InvalidCase[] }): void {
  describe(`rule ${rule.meta.id}`, () => {
    for (const v of cases.valid) {
      const c: ValidCase = typeof v === 'string' ? { code: v } : v;
      test(`passes: ${label(c)}`, async () => {
        const findings = await runRule(rule, c.code, c);
        assert.deepEqual(
          findings.map((f) => `${f.line}:${f.column} ${f.message}`),
          [],
          'expected no findings',
        );
      });
    }
    for (const c of cases.invalid) {
      test(`catches: ${label(c)}`, async () => {
        const findings = await runRule(rule, c.code, c);
        assert.equal(
          findings.length,
          c.errors.length,
          `expected ${c.errors.length} finding(s), got ${findings.length}: ${findings.map((f) => `${f.line}:${f.column} ${f.message}`).join(' | ')}`,
        );
        const sorted = [...c.errors].sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
        sorted.forEach((e, i) => {
          const f = findings[i];
          const where = `finding ${i + 1} (${f.line}:${f.column} ${f.message})`;
          assert.equal(f.line, e.line, `${where}: line`);
          if (e.column !== undefined) assert.equal(f.column, e.column, `${where}: column`);
          if (e.endLine !== undefined) assert.equal(f.endLine, e.endLine, `${where}: endLine`);
          if (e.endColumn !== undefined) assert.equal(f.endColumn, e.endColumn, `${where}: endColumn`);
          if (typeof e.message === 'string') assert.equal(f.message, e.message, `${where}: message`);
          else if (e.message) assert.match(f.message, e.message, `${where}: message`);
          if (e.hadolint !== undefined) assert.equal(f.hadolint, e.hadolint, `${where}: hadolint code`);
          if (e.severity !== undefined) assert.equal(f.severity, e.severity, `${where}: severity`);
          if (e.fix !== undefined) {
            assert.ok(f.fix, `${where}: expected a fix`);
            assert.equal(f.fix.replacement, e.fix, `${where}: fix replacement`);
          }
          if (e.fixLines) assert.deepEqual([f.fix?.line, f.fix?.endLine], e.fixLines, `${where}: fix lines`);
        });
      });
    }
  });
}
