/**
 * Run the bundled action (`node dist/index.js`) the way the GitHub runner does: inputs as INPUT_* variables with
 * action.yml's defaults filled in, the event payload in a file named by GITHUB_EVENT_PATH, outputs written to the file
 * named by GITHUB_OUTPUT, GITHUB_API_URL pointing at a local fake GitHub.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Workflow commands printed on stdout: `::error file=…,line=…::message`. */
  commands: Array<{ command: string; props: Record<string, string>; message: string }>;
}

export interface ActionEnv {
  workspace: string;
  inputs: Record<string, string>;
  eventName: string;
  payload: unknown;
  apiUrl?: string;
  repository?: string;
  extraEnv?: Record<string, string>;
}

/** Inputs with their defaults from action.yml, as the runner sets them (expressions are the caller's to give). */
function withDefaults(inputs: Record<string, string>): Record<string, string> {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
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
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!m) continue;
    const end = lines.indexOf(m[2], i + 1);
    out[m[1]] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return out;
}

export async function runAction(env: ActionEnv): Promise<ActionRun> {
  const tmp = mkdtempSync(join(tmpdir(), 'defang-runner-'));
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
    GITHUB_SHA: '0'.repeat(40),
    RUNNER_TEMP: tmp,
    ...env.extraEnv,
  };
  for (const [name, value] of Object.entries(withDefaults(env.inputs))) vars[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const child = spawn(process.execPath, [join(root, 'dist', 'index.js')], { cwd: env.workspace, env: vars });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const commands = [...stdout.matchAll(/^::([a-z-]+)(?: ([^:]*))?::(.*)$/gm)].map((m) => ({
    command: m[1],
    props: Object.fromEntries(
      (m[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => {
          const i = kv.indexOf('=');
          return [kv.slice(0, i), unescapeProp(kv.slice(i + 1))];
        }),
    ),
    message: unescapeData(m[3]),
  }));
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(outputPath, 'utf8')),
    summary: readFileSync(summaryPath, 'utf8'),
    commands,
  };
}
