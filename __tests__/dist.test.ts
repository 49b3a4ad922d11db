/**
 * dist/ is what the action runs: it must be the bundle of the current src/. Rebuild into a temporary directory and
 * compare byte for byte. The rule registry (src/rules/index.ts) must list every rule file.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..');

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  );
}

test('dist/ is the bundle of the current sources', { timeout: 300_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'defang-dist-'));
  try {
    execFileSync(process.execPath, [join(root, '.ci', 'bundle.ts'), out], { cwd: root, stdio: 'pipe' });
    const fresh = listFiles(out).sort();
    const committed = listFiles(join(root, 'dist')).sort();
    assert.deepEqual(committed, fresh, 'dist/ has different files than a fresh bundle: run `npm run bundle` and commit dist/');
    for (const f of fresh) {
      const same = readFileSync(join(out, f)).equals(readFileSync(join(root, 'dist', f)));
      assert.ok(same, `dist/${f} is stale: run \`npm run bundle\` and commit dist/`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('src/rules/index.ts lists every rule file', () => {
  execFileSync(process.execPath, [join(root, '.ci', 'gen-rules-index.ts'), '--check'], { cwd: root, stdio: 'pipe' });
});

test('the version is the same everywhere', async () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const { VERSION } = await import('../src/version.ts');
  assert.equal(VERSION, pkg.version);
});
