/**
 * Build dist/: the ncc bundles of the action (dist/index.js) and the CLI (dist/cli.js). `node .ci/bundle.ts [outdir]` — the default outdir is dist/; the dist check builds
 * into a temporary directory and compares.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'dist'));
const ncc = join(root, 'node_modules', '.bin', 'ncc');

const entries: Array<[string, string]> = [
  ['src/main.ts', 'index.js'],
  ['src/cli.ts', 'cli.js'],
];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const [entry, name] of entries) {
  const tmp = mkdtempSync(join(tmpdir(), 'defang-ncc-'));
  try {
    execFileSync(ncc, ['build', join(root, entry), '-o', tmp, '--quiet', '--license', 'licenses.txt', '--target', 'es2022'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const code = readFileSync(join(tmp, 'index.js'), 'utf8');
    writeFileSync(join(out, name), name === 'cli.js' && !code.startsWith('#!') ? `#!/usr/bin/env node\n${code}` : code, { mode: 0o755 });
    copyFileSync(join(tmp, 'licenses.txt'), join(out, name.replace(/\.js$/, '.licenses.txt')));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
console.log(`bundled ${entries.map((e) => e[1]).join(', ')} into ${out}`);
