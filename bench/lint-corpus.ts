/**
 * Lint every Dockerfile of ../shared/corpus/dockerfiles (and weird/) in one process and print: files/s, crashes (must
 * be 0), peak RSS, and — measured in the same run on the same files — the throughput of bare dockerfile-ast parsing
 * and of dockerfile-utils' `validate`, with the ratios. Target: 0 crashes; lint ≥ 50% of bare dockerfile-ast parsing and
 * above dockerfile-utils. ShellCheck (an external process) is left out of the timed lint; `--shellcheck` adds one
 * timed pass with it.
 *
 *   node bench/lint-corpus.ts [--corpus DIR] [--rounds N] [--shellcheck]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { defaultPolicy } from '../src/config/policy.ts';
import { INTERNAL_ERROR_RULE, lint } from '../src/rules/engine.ts';
import { loadAllRules } from './rules.ts';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const corpus = resolve(opt('--corpus') ?? join(import.meta.dirname, '..', '..', 'shared', 'corpus'));
const rounds = Number(opt('--rounds') ?? 3);

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...walk(p));
    else if (st.isFile() && !/\.(tsv|md)$/.test(e)) out.push(p);
  }
  return out;
}

const paths = [...walk(join(corpus, 'dockerfiles')), ...walk(join(corpus, 'weird'))];
const files = paths.map((p) => ({ file: relative(corpus, p), text: readFileSync(p, 'utf8') }));
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
console.log(`corpus: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB (${corpus})`);
const allRules = await loadAllRules();
const rules = allRules.filter((r) => r.meta.id !== 'shellcheck' && r.meta.kind === 'static');
// The default policy, as users run it; a second timed pass turns every rule on, opt-in ones too.
const policy = defaultPolicy();
const everything = defaultPolicy();
for (const r of rules) everything.rules[r.meta.id] = { level: r.meta.severity };

let peakRss = process.memoryUsage().rss;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const timer = setInterval(sampleRss, 20);

// Time spent in garbage collection, per timed round (a regression in what survives minor collections shows here).
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });

async function timeIt(label: string, fn: () => Promise<void> | void): Promise<number> {
  let best = Infinity;
  let bestGc = 0;
  for (let r = 0; r < rounds; r++) {
    const gc0 = gcMs;
    const t0 = performance.now();
    await fn();
    const t = performance.now() - t0;
    // GC entries are delivered asynchronously: let them arrive before reading the total.
    await new Promise((res) => setImmediate(res));
    if (t < best) {
      best = t;
      bestGc = gcMs - gc0;
    }
    sampleRss();
  }
  const perSec = files.length / (best / 1000);
  console.log(
    `${label.padEnd(28)} ${best.toFixed(0).padStart(6)} ms  ${perSec.toFixed(0).padStart(6)} files/s  (best of ${rounds}; GC ${bestGc.toFixed(0)} ms)`,
  );
  return perSec;
}

// Warm up JIT and the parsers once, untimed.
for (const f of files.slice(0, 50)) DockerfileParser.parse(f.text);

const astRate = await timeIt('dockerfile-ast parse', () => {
  for (const f of files) DockerfileParser.parse(f.text);
});
const utilsRate = await timeIt('dockerfile-utils validate', () => {
  for (const f of files) validate(f.text);
});

let crashes: string[] = [];
let findings = 0;
let internal: string[] = [];
/** One lint call per file, as the pipeline makes them, counting crashes and rule failures. */
async function lintAll(p: typeof policy): Promise<void> {
  crashes = [];
  internal = [];
  findings = 0;
  for (const f of files) {
    try {
      const out = await lint([f], p, { rules });
      findings += out.results[0].findings.length;
      for (const x of out.results[0].findings) if (x.ruleId === INTERNAL_ERROR_RULE) internal.push(`${f.file}: ${x.message}`);
    } catch (e) {
      crashes.push(`${f.file}: ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
    }
  }
}
const allRate = await timeIt(`defang lint, every rule on`, () => lintAll(everything));
const allCrashes = crashes.length + internal.length;
const lintRate = await timeIt(`defang lint (default policy)`, () => lintAll(policy));

if (args.includes('--shellcheck')) {
  const sc = allRules.filter((r) => r.meta.id === 'shellcheck');
  const p2 = defaultPolicy();
  await timeIt('defang lint + shellcheck', async () => {
    await lint(files, p2, { rules: [...rules, ...sc] });
  });
}
clearInterval(timer);
sampleRss();

console.log('');
console.log(`findings: ${findings} (${(findings / files.length).toFixed(1)} per file)`);
console.log(`crashes: ${crashes.length}${crashes.length ? '\n  ' + crashes.slice(0, 20).join('\n  ') : ''}`);
console.log(`rule failures (internal-error findings): ${internal.length}${internal.length ? '\n  ' + internal.slice(0, 20).join('\n  ') : ''}`);
console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
console.log(`lint / dockerfile-ast parse: ${(lintRate / astRate).toFixed(2)} (target ≥ 0.50)`);
console.log(`lint / dockerfile-utils validate: ${(lintRate / utilsRate).toFixed(2)} (target > 1.00)`);
console.log(`every rule on: ${(allRate / astRate).toFixed(2)} of dockerfile-ast parse, ${allCrashes} crashes or rule failures`);
if (crashes.length > 0 || internal.length > 0 || allCrashes > 0) process.exitCode = 1;
