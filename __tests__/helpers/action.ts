/**
 * Run the bundled action (`node dist/index.js`) the way the GitHub runner does: inputs as INPUT_* variables with
 * action.yml's defaults filled in, the event payload in a file named by GITHUB_EVENT_PATH, outputs written to the file
 * named by GITHUB_OUTPUT, the job summary to GITHUB_STEP_SUMMARY, GITHUB_API_URL pointing at a local fake GitHub.
 *
 * `gitWorkspace` makes the checkout: a real git repository with a base commit and a head commit (and more commits on
 * demand), whose diff gives the pull request's files with real patches for the fake GitHub.
 *
 * DEFANG_TEST_DIST=<dir> runs `<dir>/index.js` instead of dist/index.js (a bundle made with
 * `node .ci/bundle.ts <dir>`), e.g. while someone else rebuilds dist/.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { DiffStatus, FakeDiffFile } from './fake-github.ts';

const root = join(import.meta.dirname, '..', '..');

/** The action's entry point, as action.yml's `runs.main` names it. */
export function actionEntry(): string {
  const dir = process.env.DEFANG_TEST_DIST;
  return dir ? join(dir, 'index.js') : join(root, 'dist', 'index.js');
}

export interface WorkflowCommand {
  command: string;
  props: Record<string, string>;
  message: string;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Workflow commands printed on stdout: `::error file=…,line=…::message`. */
  commands: WorkflowCommand[];
  /** The step's log as the runner shows it: stdout without the `::add-mask::` commands, which the runner consumes. */
  log: string;
  /** Wall-clock time of the run. */
  elapsedMs: number;
  /** RUNNER_TEMP of the run (outputs such as the JSON report and the SARIF file are written there by default). */
  runnerTemp: string;
}

export interface ActionEnv {
  workspace: string;
  inputs: Record<string, string>;
  eventName: string;
  payload: unknown;
  apiUrl?: string;
  repository?: string;
  /** GITHUB_SHA: on a pull_request event the runner sets the merge commit, not the pull request's head. */
  sha?: string;
  extraEnv?: Record<string, string>;
  /** Kill the run after this long (default 5 minutes). */
  timeoutMs?: number;
  /** Where the run's RUNNER_TEMP is made (default the system's temporary directory); the caller removes it. */
  tempDir?: string;
}

/** Inputs with their defaults from action.yml, as the runner sets them (expressions are the caller's to give). */
function withDefaults(inputs: Record<string, string>): Record<string, string> {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
  for (const name of Object.keys(inputs)) {
    if (!(name in action.inputs)) throw new Error(`runAction: action.yml has no input ${JSON.stringify(name)}`);
  }
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    if (spec.default !== undefined && !String(spec.default).includes('${{')) out[name] = String(spec.default);
  }
  return { ...out, ...inputs };
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
function unescapeProp(s: string): string {
  return unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',');
}

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i] as string);
    if (!m) continue;
    const end = lines.indexOf(m[2] as string, i + 1);
    out[m[1] as string] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return out;
}

/** The workflow commands in a step's standard output. */
export function parseCommands(stdout: string): WorkflowCommand[] {
  return [...stdout.matchAll(/^::([a-z-]+)(?: ([^:]*))?::(.*)$/gm)].map((m) => ({
    command: m[1] as string,
    props: Object.fromEntries(
      (m[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => {
          const i = kv.indexOf('=');
          return [kv.slice(0, i), unescapeProp(kv.slice(i + 1))];
        }),
    ),
    message: unescapeData(m[3] as string),
  }));
}

/** Environment the child needs to reach Docker, passed through when set. */
const PASS_THROUGH = ['DOCKER_HOST', 'DOCKER_CONFIG', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'TMPDIR'];

export async function runAction(env: ActionEnv): Promise<ActionRun> {
  const tmp = mkdtempSync(join(env.tempDir ?? tmpdir(), 'defang-runner-'));
  const eventPath = join(tmp, 'event.json');
  const outputPath = join(tmp, 'output');
  const summaryPath = join(tmp, 'summary.md');
  writeFileSync(eventPath, JSON.stringify(env.payload));
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const vars: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmp,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: env.workspace,
    GITHUB_EVENT_NAME: env.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_REPOSITORY: env.repository ?? 'octo/app',
    GITHUB_API_URL: env.apiUrl ?? 'http://127.0.0.1:9',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '42',
    GITHUB_SHA: env.sha ?? '0'.repeat(40),
    RUNNER_TEMP: tmp,
  };
  for (const name of PASS_THROUGH) if (process.env[name]) vars[name] = process.env[name] as string;
  Object.assign(vars, env.extraEnv);
  for (const [name, value] of Object.entries(withDefaults(env.inputs))) vars[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const started = Date.now();
  const child = spawn(process.execPath, [actionEntry()], { cwd: env.workspace, env: vars });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), env.timeoutMs ?? 300_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(outputPath, 'utf8')),
    summary: readFileSync(summaryPath, 'utf8'),
    commands: parseCommands(stdout),
    log: stdout.replace(/^::add-mask::.*\n?/gm, ''),
    elapsedMs: Date.now() - started,
    runnerTemp: tmp,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The checkout: a real git repository

/** File contents by repository path; `null` deletes the file. */
export type Tree = Record<string, string | null>;

export interface GitWorkspace {
  dir: string;
  /** The pull request's base commit. */
  base: string;
  /** The newest commit (the pull request's head). */
  head: string;
  /** Commits a new head with these changes (on top of the current head) and returns its id. */
  commit(changes: Tree, message?: string): string;
  /** The pull request's files as GitHub lists them: `git diff base head`, with real patches. */
  diff(): FakeDiffFile[];
}

function git(dir: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      // Paths are paths, not globs (a test's path may hold `[`, `*` or `?`).
      GIT_LITERAL_PATHSPECS: '1',
      GIT_AUTHOR_NAME: 'Test Author',
      GIT_AUTHOR_EMAIL: 'author@example.test',
      GIT_COMMITTER_NAME: 'Test Author',
      GIT_COMMITTER_EMAIL: 'author@example.test',
      GIT_AUTHOR_DATE: '2024-05-01T12:00:00Z',
      GIT_COMMITTER_DATE: '2024-05-01T12:00:00Z',
    },
  });
}

function writeTree(dir: string, tree: Tree): void {
  for (const [name, text] of Object.entries(tree)) {
    const path = join(dir, name);
    if (text === null) rmSync(path, { force: true });
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  }
}

const STATUS: Record<string, DiffStatus> = { A: 'added', M: 'modified', D: 'removed', R: 'renamed', C: 'copied', T: 'changed' };

/**
 * A git repository in a new temporary directory (under `parent` when given) with a base commit of `base` and a head
 * commit that applies `head` on top. The working tree is at the head, as actions/checkout leaves it.
 */
export function gitWorkspace(base: Tree, head: Tree, parent = tmpdir()): GitWorkspace {
  const dir = mkdtempSync(join(parent, 'defang-ws-'));
  git(dir, ['init', '--quiet', '--initial-branch=main']);
  writeTree(dir, base);
  git(dir, ['add', '--all']);
  git(dir, ['commit', '--quiet', '--allow-empty', '-m', 'base']);
  const ws: GitWorkspace = {
    dir,
    base: git(dir, ['rev-parse', 'HEAD']).trim(),
    head: '',
    commit(changes, message = 'change') {
      writeTree(dir, changes);
      git(dir, ['add', '--all']);
      git(dir, ['commit', '--quiet', '--allow-empty', '-m', message]);
      ws.head = git(dir, ['rev-parse', 'HEAD']).trim();
      return ws.head;
    },
    diff() {
      const files: FakeDiffFile[] = [];
      const statuses = git(dir, ['diff', '--no-renames', '--name-status', '-z', ws.base, ws.head]).split('\0').filter(Boolean);
      for (let i = 0; i < statuses.length; i += 2) {
        const status = STATUS[(statuses[i] as string)[0] as string];
        const filename = statuses[i + 1] as string;
        if (!status) throw new Error(`gitWorkspace: unexpected status ${statuses[i]} for ${filename}`);
        const text = git(dir, ['diff', '--no-color', '--no-renames', ws.base, ws.head, '--', filename]);
        // GitHub's `patch` is the hunks alone, without the file headers and without the last newline.
        const at = text.indexOf('\n@@');
        const patch = at < 0 ? undefined : text.slice(at + 1).replace(/\n$/, '');
        files.push({ filename, status, ...(patch !== undefined ? { patch } : {}) });
      }
      return files;
    },
  };
  ws.commit(head, 'head');
  return ws;
}
