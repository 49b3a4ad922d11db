/**
 * Every rule keeps the catalogue's promises: metadata complete and consistent, a docs page whose Bad example is caught
 * and whose Good example passes, and tests beside it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { allRules } from '../src/rules/index.ts';
import { runRule } from '../src/rules/testing.ts';

const root = join(import.meta.dirname, '..');
const CATEGORIES = new Set(['base-image', 'user', 'security', 'packages', 'shell', 'instructions', 'labels', 'syntax', 'image']);

function blocks(md: string, heading: string): string[] {
  const at = md.indexOf(`\n## ${heading}\n`);
  if (at < 0) return [];
  const next = md.indexOf('\n## ', at + 1);
  const section = md.slice(at, next < 0 ? undefined : next);
  return [...section.matchAll(/```dockerfile\n([\s\S]*?)```/g)].map((m) => m[1]);
}

test('rule ids are unique and there are rules', () => {
  const ids = allRules.map((r) => r.meta.id);
  assert.ok(ids.length > 0);
  assert.equal(new Set(ids).size, ids.length);
});

test('a hadolint code belongs to one rule', () => {
  const owner = new Map<string, string>();
  for (const r of allRules) {
    for (const code of r.meta.hadolint ?? []) {
      assert.ok(!owner.has(code), `${code} is claimed by ${owner.get(code)} and ${r.meta.id}`);
      owner.set(code, r.meta.id);
    }
  }
});

for (const rule of allRules) {
  const { meta } = rule;
  describe(`rule ${meta.id}`, () => {
    test('metadata', () => {
      assert.match(meta.id, /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'id is a kebab-case slug');
      assert.ok(existsSync(join(root, 'src', 'rules', `${meta.id}.ts`)), 'the rule lives in src/rules/<id>.ts');
      assert.ok(['error', 'warning', 'info'].includes(meta.severity));
      assert.ok(meta.title.length > 5 && meta.title.length <= 80 && !meta.title.endsWith('.'), 'a short title without a full stop');
      assert.ok(meta.description.length >= 40, 'a description that explains why');
      assert.ok(CATEGORIES.has(meta.category), `category ${meta.category}`);
      for (const code of meta.hadolint ?? []) assert.match(code, /^DL\d{4}$/);
      for (const [name, o] of Object.entries(meta.options ?? {})) assert.ok(o.description.length > 10, `option ${name} is described`);
    });

    test('tests beside the rule', () => {
      assert.ok(existsSync(join(root, 'src', 'rules', `${meta.id}.test.ts`)), `src/rules/${meta.id}.test.ts exists`);
    });

    test('docs page with a Bad example that is caught and a Good one that passes', async () => {
      const page = join(root, 'docs', 'rules', `${meta.id}.md`);
      assert.ok(existsSync(page), `docs/rules/${meta.id}.md exists`);
      const md = readFileSync(page, 'utf8');
      assert.ok(md.startsWith(`# ${meta.id}\n`), 'the page starts with the rule id');
      for (const code of meta.hadolint ?? []) assert.ok(md.includes(code), `the page names ${code}`);
      const bad = blocks(md, 'Bad');
      const good = blocks(md, 'Good');
      assert.ok(bad.length > 0 && good.length > 0, 'the page has ## Bad and ## Good dockerfile blocks');
      if (meta.kind !== 'static') return;
      // A page may give the options (or per-file facts) its examples assume: <!-- example-options: {"schema": {…}} -->
      const m = /<!--\s*example-options:\s*(\{[\s\S]*?\})\s*-->/.exec(md);
      const options = m ? (JSON.parse(m[1]) as Record<string, unknown>) : undefined;
      // …and the Good example its own, when it differs (rules fed by facts: the Good example has none to report).
      const g = /<!--\s*good-options:\s*(\{[\s\S]*?\})\s*-->/.exec(md);
      const goodOptions = g ? (JSON.parse(g[1]) as Record<string, unknown>) : options;
      for (const b of bad) {
        const findings = await runRule(rule, b, { file: 'Dockerfile', options });
        assert.ok(findings.length > 0, `the Bad example is not caught:\n${b}`);
      }
      for (const gd of good) {
        const findings = await runRule(rule, gd, { file: 'Dockerfile', options: goodOptions });
        assert.deepEqual(findings.map((f) => `${f.line}: ${f.message}`), [], `the Good example is flagged:\n${gd}`);
      }
    });
  });
}
