/**
 * The action end to end, as the runner runs it: `node dist/index.js` on a pull_request event, with the pull request's
 * files served by the local fake GitHub (which checks every request against GitHub's OpenAPI description).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github.ts';
import { runAction } from './helpers/action.ts';

let gh: FakeGitHub;
const dirs: string[] = [];
before(async () => {
  gh = await startFakeGitHub();
});
after(async () => {
  await gh.close();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'defang-ws-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const payload = (number: number) => ({
  action: 'synchronize',
  number,
  pull_request: { number, changed_files: 3, head: { sha: 'a'.repeat(40) }, base: { sha: 'b'.repeat(40) } },
  repository: { name: 'app', full_name: 'octo/app', owner: { login: 'octo' } },
});

describe('the action on a pull request', () => {
  test('lints the changed Dockerfiles only, annotates, sets outputs and fails on errors', async () => {
    const ws = workspace({
      Dockerfile: 'FROM debian\nRUN apt-get install -y curl\nUSER root\n',
      'svc/api.Dockerfile': 'FROM alpine:3.20\nRUN apk add curl\n',
      'old/Dockerfile': 'FROM ubuntu\n',
      'README.md': '# app\n',
    });
    gh.setPullFiles('octo', 'app', 7, [
      { filename: 'Dockerfile', status: 'modified', patch: '@@ -1,2 +1,3 @@\n-FROM debian:11\n+FROM debian\n RUN apt-get install -y curl\n+USER root' },
      { filename: 'svc/api.Dockerfile', status: 'added', patch: '@@ -0,0 +1,2 @@\n+FROM alpine:3.20\n+RUN apk add curl' },
      { filename: 'README.md', status: 'modified', patch: '@@ -1 +1 @@\n-# x\n+# app' },
      { filename: 'gone/Dockerfile', status: 'removed', patch: '@@ -1 +0,0 @@\n-FROM x' },
    ]);
    const run = await runAction({ workspace: ws, eventName: 'pull_request', payload: payload(7), apiUrl: gh.url, inputs: { 'github-token': gh.token } });
    assert.deepEqual(gh.problems, []);
    const files = new Set(run.commands.filter((c) => ['error', 'warning', 'notice'].includes(c.command) && c.props.file).map((c) => c.props.file));
    assert.deepEqual([...files].sort(), ['Dockerfile', 'svc/api.Dockerfile'], run.stdout);
    const unpinned = run.commands.find((c) => c.props.title?.startsWith('unpinned-base-image'));
    assert.ok(unpinned, run.stdout);
    assert.deepEqual(
      { file: unpinned.props.file, line: unpinned.props.line, col: unpinned.props.col, endColumn: unpinned.props.endColumn },
      { file: 'Dockerfile', line: '1', col: '6', endColumn: '12' },
    );
    assert.equal(run.outputs.findings, String(run.commands.filter((c) => c.props.file).length));
    const errors = Number(run.outputs.errors);
    assert.equal(run.outputs.conclusion, errors > 0 ? 'failure' : 'success');
    assert.equal(run.code, errors > 0 ? 1 : 0, run.stdout);
    const listed = gh.requests.filter((r) => r.path === '/repos/octo/app/pulls/7/files');
    assert.equal(listed.length, 1);
  });

  test('fail-on: never passes whatever is found', async () => {
    const ws = workspace({ Dockerfile: 'FROM debian\nUSER root\nRUN sudo apt-get install curl\n' });
    gh.setPullFiles('octo', 'app', 8, [{ filename: 'Dockerfile', status: 'added', patch: '@@ -0,0 +1,3 @@\n+FROM debian\n+USER root\n+RUN sudo apt-get install curl' }]);
    const run = await runAction({ workspace: ws, eventName: 'pull_request', payload: payload(8), apiUrl: gh.url, inputs: { 'github-token': gh.token, 'fail-on': 'never' } });
    assert.equal(run.code, 0, run.stdout);
    assert.ok(Number(run.outputs.findings) > 0);
    assert.equal(run.outputs.conclusion, 'success');
  });

  test('a pull request without Dockerfile changes passes quietly', async () => {
    const ws = workspace({ Dockerfile: 'FROM debian\n', 'src/app.py': 'print(1)\n' });
    gh.setPullFiles('octo', 'app', 9, [{ filename: 'src/app.py', status: 'modified', patch: '@@ -1 +1 @@\n-print(0)\n+print(1)' }]);
    const run = await runAction({ workspace: ws, eventName: 'pull_request', payload: payload(9), apiUrl: gh.url, inputs: { 'github-token': gh.token } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.outputs.findings, '0');
    assert.match(run.stdout, /0 Dockerfile\(s\) to check/);
  });

  test('a broken config fails the step with the file and line', async () => {
    const ws = workspace({ Dockerfile: 'FROM debian:12\n', '.github/defang.yml': 'fail-on: sometimes\n' });
    const run = await runAction({ workspace: ws, eventName: 'pull_request', payload: payload(10), apiUrl: gh.url, inputs: { 'github-token': gh.token } });
    assert.equal(run.code, 1);
    const err = run.commands.find((c) => c.command === 'error');
    assert.match(err?.message ?? '', /\.github\/defang\.yml:1:\d+: fail-on: /);
  });

  test('only-changed: false lints every Dockerfile', async () => {
    const ws = workspace({ Dockerfile: 'FROM debian:12\n', 'a/Dockerfile': 'FROM ubuntu\n' });
    const run = await runAction({ workspace: ws, eventName: 'push', payload: {}, inputs: { 'github-token': gh.token, 'only-changed': 'false' } });
    const files = new Set(run.commands.filter((c) => c.props.file).map((c) => c.props.file));
    assert.ok(files.has('a/Dockerfile'), run.stdout);
  });
});
