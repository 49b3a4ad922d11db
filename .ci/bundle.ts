/**
 * Build dist/: the ncc bundles of the action (dist/index.js) and the CLI (dist/cli.js), plus the WebAssembly the
 * shell parser loads (dist/wasm/). `node .ci/bundle.ts [outdir]` — the default outdir is dist/; the dist check builds
 * into a temporary directory and compares.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'dist'));
const require = createRequire(join(root, 'package.json'));
const ncc = join(root, 'node_modules', '.bin', 'ncc');

const entries: Array<[string, string]> = [
  ['src/main.ts', 'index.js'],
  ['src/cli.ts', 'cli.js'],
];

/**
 * web-tree-sitter's ESM build loads Node's `module` with `await import("module")`; webpack turns that into a namespace
 * object without `createRequire` (the module's export is a function, whose properties webpack does not copy). Put the
 * native dynamic import back. The pattern must occur exactly once, so a changed upstream build fails loudly here.
 */
function fixDynamicModuleImport(code: string, file: string): string {
  const pattern = /await Promise\.resolve\(\/\* import\(\) \*\/\)\.then\(__nccwpck_require__\.t\.bind\(__nccwpck_require__, \d+, \d+\)\);\n(\s*)var require = createRequire\(import\.meta\.url\);/g;
  const matches = code.match(pattern) ?? [];
  if (matches.length !== 1) throw new Error(`${file}: expected one web-tree-sitter module import to fix, found ${matches.length}`);
  return code.replace(pattern, 'await import("module");\n$1var require = createRequire(import.meta.url);');
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'wasm'), { recursive: true });
for (const [entry, name] of entries) {
  const tmp = mkdtempSync(join(tmpdir(), 'defang-ncc-'));
  try {
    execFileSync(ncc, ['build', join(root, entry), '-o', tmp, '--quiet', '--license', 'licenses.txt', '--target', 'es2022'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const code = fixDynamicModuleImport(readFileSync(join(tmp, 'index.js'), 'utf8'), name);
    writeFileSync(join(out, name), name === 'cli.js' && !code.startsWith('#!') ? `#!/usr/bin/env node\n${code}` : code, { mode: 0o755 });
    copyFileSync(join(tmp, 'licenses.txt'), join(out, name.replace(/\.js$/, '.licenses.txt')));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), join(out, 'wasm', 'web-tree-sitter.wasm'));
copyFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'), join(out, 'wasm', 'tree-sitter-bash.wasm'));
writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
console.log(`bundled ${entries.map((e) => e[1]).join(', ')} into ${out}`);
