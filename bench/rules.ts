/**
 * The rule list for bench scripts: the registry (src/rules/index.ts) plus any rule module in src/rules/ that the
 * registry does not list yet, so a rule can be measured while it is being written. The catalogue test fails when the
 * two differ, so in a commit they are the same.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnyRule } from '../src/rules/types.ts';

export async function loadAllRules(): Promise<AnyRule[]> {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'rules');
  const byId = new Map<string, AnyRule>();
  try {
    const index = (await import(pathToFileURL(join(dir, 'index.ts')).href)) as { allRules?: AnyRule[] };
    for (const r of index.allRules ?? []) byId.set(r.meta.id, r);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
  }
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default?: AnyRule };
    const r = mod.default;
    if (r && typeof r === 'object' && r.meta && typeof r.meta.id === 'string' && !byId.has(r.meta.id)) byId.set(r.meta.id, r);
  }
  return [...byId.values()];
}
