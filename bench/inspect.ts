/**
 * Inspecting a large image: builds (once, cached by tag) an image of about 1.2 GB from the local Debian base —
 * build-essential, python3, openjdk-17-jdk-headless, git, curl — then, in the same run, times `docker save IMAGE >
 * /dev/null` and `defang scan --image IMAGE` (the bundled CLI) and prints their ratio, Defang's peak RSS, and the
 * image's setuid/setgid set as Defang reports it compared with `find / -xdev -perm /6000 -type f` run inside the image
 * as root. Targets: ratio at most 1.10 (reading overlaps the save stream), peak RSS under 150 MB, identical sets.
 *
 *   node bench/inspect.ts [--rounds N] [--rebuild]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1] || 3) || 3;
const TAG = 'defang-bench/inspect:1';
const DOCKERFILE =
  'FROM defang-test/debian:bookworm\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends build-essential python3 openjdk-17-jdk-headless git curl ca-certificates && rm -rf /var/lib/apt/lists/*\n';
const BASE = 'defang-test/debian:bookworm';
const root = join(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.js');

function docker(argv: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('docker', argv, { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

if (docker(['image', 'inspect', BASE]).code !== 0) {
  console.error(`${BASE} is missing: run .ci/docker-setup.sh first`);
  process.exit(2);
}
if (args.includes('--rebuild') || docker(['image', 'inspect', TAG]).code !== 0) {
  console.log(`building ${TAG} (once; several minutes) …`);
  const dir = mkdtempSync(join(tmpdir(), 'defang-bench-'));
  writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
  const b = spawnSync('docker', ['build', '-t', TAG, dir], { stdio: 'inherit' });
  rmSync(dir, { recursive: true, force: true });
  if (b.status !== 0) process.exit(2);
}
const size = Number(docker(['image', 'inspect', '--format', '{{.Size}}', TAG]).stdout.trim());
console.log(`image ${TAG}: ${(size / 1e9).toFixed(2)} GB`);

function timeCommand(cmd: string, argv: string[], sink: 'null' | 'collect'): Promise<{ ms: number; stdout: string; peakRssKb: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // /usr/bin/time -f %M gives the child's peak RSS in KiB when available.
    const useTime = spawnSync('sh', ['-c', 'command -v /usr/bin/time']).status === 0;
    const child = useTime ? spawn('/usr/bin/time', ['-f', '%M', cmd, ...argv]) : spawn(cmd, argv);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      if (sink === 'collect') out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && !(sink === 'collect' && code === 1)) return reject(new Error(`${cmd} ${argv.join(' ')} exited ${code}: ${err.slice(-500)}`));
      const rss = useTime ? Number(/(\d+)\s*$/.exec(err.trim())?.[1] ?? 0) : 0;
      resolve({ ms: performance.now() - t0, stdout: out, peakRssKb: rss });
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'defang-bench-'));
// The Dockerfile the image was built from, so that its layers are attributed to its lines.
writeFileSync(join(work, 'Dockerfile'), DOCKERFILE);
let bestSave = Infinity;
let bestScan = Infinity;
let peak = 0;
let report = '';
for (let r = 0; r < rounds; r++) {
  const save = await timeCommand('docker', ['save', TAG], 'null');
  const scan = await timeCommand(process.execPath, [cli, 'scan', join(work, 'Dockerfile'), '--image', TAG, '--format', 'json', '--fail-on', 'never'], 'collect');
  bestSave = Math.min(bestSave, save.ms);
  bestScan = Math.min(bestScan, scan.ms);
  peak = Math.max(peak, scan.peakRssKb);
  report = scan.stdout;
  console.log(`round ${r + 1}: docker save > /dev/null ${save.ms.toFixed(0)} ms, defang scan --image ${scan.ms.toFixed(0)} ms`);
}
rmSync(work, { recursive: true, force: true });

const findings = (JSON.parse(report) as { results: Array<{ findings: Array<{ ruleId: string; path?: string }> }> }).results[0].findings;
const defangSet = new Set(findings.filter((f) => f.ruleId === 'image-setuid' || f.ruleId === 'image-setgid').map((f) => f.path!));
const find = docker(['run', '--rm', '--user', '0', '--entrypoint', 'find', TAG, '/', '-xdev', '-perm', '/6000', '-type', 'f']);
const findSet = new Set(find.stdout.split('\n').filter(Boolean));
const missing = [...findSet].filter((p) => !defangSet.has(p)).sort();
const extra = [...defangSet].filter((p) => !findSet.has(p)).sort();

console.log('');
console.log(`docker save > /dev/null: ${bestSave.toFixed(0)} ms (best of ${rounds})`);
console.log(`defang scan --image:     ${bestScan.toFixed(0)} ms (best of ${rounds}; includes Node start, lint and attribution)`);
console.log(`ratio: ${(bestScan / bestSave).toFixed(2)} (target ≤ 1.10)`);
console.log(`peak RSS of defang scan: ${peak ? `${(peak / 1024).toFixed(0)} MB` : 'unknown (/usr/bin/time missing)'} (target < 150 MB)`);
console.log(`setuid/setgid files: defang ${defangSet.size}, find ${findSet.size}; ${missing.length === 0 && extra.length === 0 ? 'identical' : `missing ${missing.join(' ')} extra ${extra.join(' ')}`}`);
if (missing.length || extra.length) process.exitCode = 1;
