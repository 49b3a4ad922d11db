/**
 * Agreement with hadolint's own test cases (../shared/corpus/hadolint-cases.jsonl): for every case whose rule has a
 * Defang equivalent (a rule whose metadata records that hadolint code), lint the case's Dockerfile and check that a
 * finding with that code appears ("catch") or does not ("pass"). Settings given in .hadolint.yaml terms are applied by
 * writing a .hadolint.yaml and loading it the way a repository's would be. Prints agreement per rule and overall.
 *
 *   node bench/hadolint-agreement.ts [--corpus DIR] [--verbose] [--rule DL3008]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadPolicy } from '../src/config/index.ts';
import { lint } from '../src/rules/engine.ts';
import type { AnyRule } from '../src/rules/types.ts';
import { loadAllRules } from './rules.ts';

interface Case {
  rule: string;
  expect: 'catch' | 'pass';
  dockerfile: string;
  title: string;
  source: string;
  line: number;
  count?: number;
  config_yaml?: Record<string, unknown>;
}

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const corpus = resolve(flag('--corpus') ?? join(import.meta.dirname, '..', '..', 'shared', 'corpus'));
const verbose = args.includes('--verbose');
const only = flag('--rule');

const cases: Case[] = readFileSync(join(corpus, 'hadolint-cases.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Case);

const rules = await loadAllRules();
const byCode = new Map<string, AnyRule[]>();
for (const r of rules) for (const code of r.meta.hadolint ?? []) byCode.set(code, [...(byCode.get(code) ?? []), r]);
const shellcheck = rules.filter((r) => r.meta.id === 'shellcheck');
const codeOf = (c: Case) => c.rule;

/** hadolint's rules are all on unless its config says otherwise; Defang's opt-in rules are turned on for the case. */
function rulesFor(c: Case): AnyRule[] {
  if (c.rule === 'SC') return shellcheck;
  if (c.rule === 'ALL') return rules.filter((r) => (r.meta.hadolint ?? []).length > 0 || r.meta.id === 'shellcheck');
  return byCode.get(c.rule) ?? [];
}

const work = mkdtempSync(join(tmpdir(), 'defang-agreement-'));
const catalogue = rules.map((r) => ({ id: r.meta.id, hadolint: r.meta.hadolint?.[0], defaultSeverity: r.meta.severity }));
const stats = new Map<string, { agree: number; total: number; misses: string[] }>();
let skipped = 0;
try {
  for (const c of cases) {
    if (only && c.rule !== only) continue;
    const selected = rulesFor(c);
    if (selected.length === 0) {
      skipped++;
      continue;
    }
    const config = c.config_yaml ?? {};
    rmSync(join(work, '.hadolint.yaml'), { force: true });
    if (Object.keys(config).length > 0) writeFileSync(join(work, '.hadolint.yaml'), JSON.stringify(config));
    const policy = await loadPolicy({ workspace: work, catalogue });
    // Turn on every selected rule that the config did not switch off (hadolint has them all on).
    for (const r of selected) {
      const codes = r.meta.hadolint ?? [];
      const off = codes.length > 0 && codes.every((code) => policy.ignoredCodes?.includes(code));
      if (!off && policy.rules[r.meta.id]?.level === undefined) {
        policy.rules[r.meta.id] = { ...policy.rules[r.meta.id], level: r.meta.severity };
      }
    }
    const out = await lint([{ file: 'Dockerfile', text: c.dockerfile }], policy, { rules: selected });
    const findings = out.results[0].findings.filter((f) =>
      // ALL: no finding of a hadolint rule (Defang's own extra checks, which carry no hadolint code, do not count).
      c.rule === 'ALL' ? f.hadolint !== undefined : c.rule === 'SC' ? f.hadolint?.startsWith('SC') : f.hadolint === codeOf(c),
    );
    let ok: boolean;
    if (c.expect === 'pass') ok = findings.length === 0;
    else ok = c.count !== undefined ? findings.length === c.count : findings.length > 0;
    const key = c.rule;
    const s = stats.get(key) ?? { agree: 0, total: 0, misses: [] };
    s.total++;
    if (ok) s.agree++;
    else
      s.misses.push(
        `  ${c.expect} ${c.source}:${c.line} "${c.title}"${c.count !== undefined ? ` (count ${c.count})` : ''} → got ${findings.length}: ${findings
          .map((f) => `${f.line}:${f.ruleId}`)
          .join(', ')}\n    ${JSON.stringify(c.dockerfile).slice(0, 300)}`,
      );
    stats.set(key, s);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

let agree = 0;
let total = 0;
console.log('rule     agree/total  %');
for (const [rule, s] of [...stats.entries()].sort()) {
  agree += s.agree;
  total += s.total;
  const ids = rule === 'SC' ? 'shellcheck' : rule === 'ALL' ? '(all rules)' : (byCode.get(rule) ?? []).map((r) => r.meta.id).join(', ');
  console.log(`${rule.padEnd(8)} ${String(s.agree).padStart(5)}/${String(s.total).padEnd(5)} ${((100 * s.agree) / s.total).toFixed(1).padStart(5)}  ${ids}`);
  if (verbose) for (const m of s.misses) console.log(m);
}
const codes = new Set(cases.map((c) => c.rule));
const missing = [...codes].filter((c) => c !== 'SC' && c !== 'ALL' && !byCode.has(c)).sort();
console.log(`\noverall agreement: ${agree}/${total} = ${total ? ((100 * agree) / total).toFixed(1) : '0'}% (target ≥ 95%)`);
console.log(`cases skipped (no Defang equivalent): ${skipped}; hadolint codes without an equivalent: ${missing.join(', ') || 'none'}`);
