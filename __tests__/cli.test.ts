/**
 * The bundled CLI, run as people run it: `node dist/cli.js lint …` in a directory of its own.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';

const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'defang-cli-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function defang(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonReport {
  version: number;
  results: Array<{ dockerfile: string; findings: Array<Record<string, unknown>> }>;
  summary: { error: number; warning: number; info: number };
}

const FLAWED = 'FROM debian\nRUN apt-get update && apt-get install curl\nUSER root\nEXPOSE 70000\n';
const CLEAN = 'FROM debian:bookworm-slim@sha256:' + 'b'.repeat(64) + '\nUSER 10001\nCMD ["true"]\n';

describe('defang lint', () => {
  test('JSON output has the documented shape; findings at or above the threshold exit 1', () => {
    const dir = workspace({ Dockerfile: FLAWED });
    const r = defang(dir, 'lint', 'Dockerfile', '--format', 'json');
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.equal(report.version, 1);
    assert.deepEqual(report.results.map((x) => x.dockerfile), ['Dockerfile']);
    const f = report.results[0].findings.find((x) => x.ruleId === 'unpinned-base-image')!;
    assert.deepEqual(
      { line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, hadolint: f.hadolint, severity: f.severity },
      { line: 1, column: 6, endLine: 1, endColumn: 12, hadolint: 'DL3006', severity: 'warning' },
    );
    assert.match(String(f.fingerprint), /^[0-9a-f]{32}$/);
    const all = report.results[0].findings;
    assert.deepEqual(report.summary, {
      error: all.filter((x) => x.severity === 'error').length,
      warning: all.filter((x) => x.severity === 'warning').length,
      info: all.filter((x) => x.severity === 'info').length,
    });
    assert.ok(report.summary.error + report.summary.warning + report.summary.info >= 3);
  });

  test('a clean Dockerfile exits 0', () => {
    const dir = workspace({ Dockerfile: CLEAN });
    const r = defang(dir, 'lint', '--format', 'json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as JsonReport).results[0].findings, []);
  });

  test('--fail-on sets the threshold', () => {
    const dir = workspace({ Dockerfile: 'FROM debian\nCMD ["true"]\n' });
    assert.equal(defang(dir, 'lint', '--fail-on', 'error').code, 0);
    assert.equal(defang(dir, 'lint', '--fail-on', 'warning').code, 1);
    assert.equal(defang(dir, 'lint', '--fail-on', 'never').code, 0);
  });

  test('directories are searched with the Dockerfile globs', () => {
    const dir = workspace({
      'Dockerfile': CLEAN,
      'services/api/api.Dockerfile': CLEAN,
      'services/web/Containerfile': CLEAN,
      'services/web/Dockerfile.dev': CLEAN,
      'docs/Dockerfile-notes.md': 'not a Dockerfile',
      'node_modules/x/Dockerfile': FLAWED,
    });
    const r = defang(dir, 'lint', '.', '--format', 'json');
    assert.deepEqual((JSON.parse(r.stdout) as JsonReport).results.map((x) => x.dockerfile), [
      'Dockerfile',
      'services/api/api.Dockerfile',
      'services/web/Containerfile',
      'services/web/Dockerfile.dev',
    ]);
  });

  test('text output names file, line, column, rule and hadolint code', () => {
    const dir = workspace({ Dockerfile: FLAWED });
    const r = defang(dir, 'lint', 'Dockerfile');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^Dockerfile:1:6 warning unpinned-base-image \(DL3006\): /m);
    assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour when NO_COLOR is set');
  });

  test('SARIF output', () => {
    const dir = workspace({ Dockerfile: FLAWED });
    const r = defang(dir, 'lint', 'Dockerfile', '--format', 'sarif');
    const sarif = JSON.parse(r.stdout) as { version: string; runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }> }> };
    assert.equal(sarif.version, '2.1.0');
    const res = sarif.runs[0].results.find((x) => x.ruleId === 'unpinned-base-image')!;
    assert.equal(res.locations[0].physicalLocation.region.startLine, 1);
  });

  test('--build-arg resolves the base image', () => {
    const dir = workspace({ Dockerfile: 'ARG BASE\nFROM ${BASE}\nUSER 1000\nCMD ["x"]\n' });
    const ids = (args: string[]) =>
      (JSON.parse(defang(dir, 'lint', '--format', 'json', ...args).stdout) as JsonReport).results[0].findings.map((f) => f.ruleId);
    assert.ok(ids([]).includes('unresolved-base-image'));
    const resolved = ids(['--build-arg', 'BASE=debian']);
    assert.ok(!resolved.includes('unresolved-base-image'));
    assert.ok(resolved.includes('unpinned-base-image'));
  });

  test('pragmas and .hadolint.yaml carry over', () => {
    const dir = workspace({ Dockerfile: '# hadolint ignore=DL3006\nFROM debian\nUSER 1000\nCMD ["x"]\nFROM ubuntu\nUSER 1000\n', '.hadolint.yaml': 'ignored: [DL3007]\n' });
    const r = JSON.parse(defang(dir, 'lint', '--format', 'json').stdout) as JsonReport;
    const unpinned = r.results[0].findings.filter((f) => f.ruleId === 'unpinned-base-image');
    assert.deepEqual(unpinned.map((f) => f.line), [5]);
  });

  test('configuration errors exit 2 and name the file and line', () => {
    const dir = workspace({ Dockerfile: CLEAN, '.github/defang.yml': 'rules:\n  unpinned-base-image: fatal\n' });
    const r = defang(dir, 'lint');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.github\/defang\.yml:2:3: rules\.unpinned-base-image: /);
  });

  test('usage errors exit 2', () => {
    const dir = workspace({ Dockerfile: CLEAN });
    assert.equal(defang(dir, 'lint', '--format', 'xml').code, 2);
    assert.equal(defang(dir, 'lint', '--nope').code, 2);
    assert.equal(defang(dir, 'frobnicate').code, 2);
    const missing = defang(dir, 'lint', 'no/such/Dockerfile');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no\/such\/Dockerfile: no such file or directory/);
  });

  test('a file that is not a Dockerfile gets findings, not a crash', () => {
    const dir = workspace({ Dockerfile: '\u0000\u0001binary\n{{ template }}\nRUN echo "unterminated\n' });
    const r = defang(dir, 'lint', '--format', 'json');
    assert.equal(r.code, 1, r.stderr);
    const ids = (JSON.parse(r.stdout) as JsonReport).results[0].findings.map((f) => f.ruleId);
    assert.ok(ids.includes('dockerfile-syntax'), ids.join(','));
    assert.doesNotMatch(r.stderr, /internal error/);
  });

  test('scan without a Docker engine lints, with one clear notice', () => {
    const dir = workspace({ Dockerfile: FLAWED });
    const r = spawnSync(process.execPath, [cli, 'scan', 'Dockerfile', '--format', 'json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', DOCKER_HOST: `unix://${join(dir, 'no-such.sock')}` },
    });
    assert.equal(r.status, 1, r.stderr);
    const notices = r.stderr.split('\n').filter((l) => /no Docker engine answers/.test(l));
    assert.equal(notices.length, 1, r.stderr);
    assert.match(notices[0], /the Dockerfiles were linted, but no image was built or inspected/);
    const ids = (JSON.parse(r.stdout) as JsonReport).results[0].findings.map((f) => String(f.ruleId));
    assert.ok(ids.includes('unpinned-base-image'));
    assert.ok(!ids.some((id) => id.startsWith('image-') || id === 'build-failed'), ids.join(','));
  });

  test('scan takes exactly one Dockerfile', () => {
    const dir = workspace({ Dockerfile: CLEAN, 'b/Dockerfile': CLEAN });
    assert.equal(defang(dir, 'scan').code, 2);
    assert.equal(defang(dir, 'scan', 'Dockerfile', 'b/Dockerfile').code, 2);
    assert.equal(defang(dir, 'lint', '--image', 'x').code, 2, '--image belongs to scan');
  });
});
