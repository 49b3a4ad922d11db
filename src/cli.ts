/**
 * The command line: the same pipeline as the action, for people and scripts.
 *
 *   defang lint [paths…] [--config F] [--format text|json|sarif] [--output F] [--build-arg K=V]… [--fail-on LEVEL]
 *   defang scan <Dockerfile> [--context DIR] [--image REF] [--target STAGE] [--build-arg K=V]… [same options as lint]
 *
 * Exit status: 0 when no finding reaches the fail threshold, 1 when one does, 2 on usage or configuration errors.
 */
import { statSync, writeFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { findDockerfiles } from './changes/index.ts';
import { ConfigError, loadPolicy } from './config/index.ts';
import { atLeast, type Finding } from './findings.ts';
import { catalogue, lintDockerfiles, scanDockerfiles, type DockerfileInput, type PipelineResult } from './pipeline.ts';
import { toJson } from './report/json.ts';
import { toSarifString } from './report/sarif.ts';
import { toText } from './report/text.ts';
import type { Report } from './report/types.ts';
import { allRuleMeta } from './rules/index.ts';
import { VERSION } from './version.ts';

const USAGE = `Usage: defang <command> [options]

Commands:
  lint [paths…]     Lint Dockerfiles (files, or directories searched for Dockerfiles; default: .)
  scan <Dockerfile> Lint, build the image and inspect it; image findings land on the line whose layer made them
                    (without a Docker engine: lint only, with a notice)
  help              Show this help
  version           Print the version

Options for lint:
  --config FILE         Config file (default: .github/defang.yml or .defang.yml, else .hadolint.yaml)
  --format FORMAT       text (default), json or sarif
  --output FILE         Write the report to FILE instead of standard output
  --build-arg K=V       A build argument used to resolve ARGs (repeatable)
  --fail-on LEVEL       error (default), warning, info or never
  --color / --no-color  Colour text output (default: when standard output is a terminal)

Options for scan (besides those of lint):
  --context DIR         Build context (default: the Dockerfile's directory)
  --image REF           Inspect this existing image instead of building
  --target STAGE        Build (and inspect) this stage
  --verbose             Print the build log on standard error

Exit status: 0 no finding at or above the fail threshold, 1 at least one, 2 usage or configuration error.`;

class UsageError extends Error {}

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export async function run(argv: string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      case 'version':
      case '--version':
      case '-v':
        io.stdout(`defang ${VERSION}\n`);
        return 0;
      case 'lint':
        return await lintCommand(rest, io, 'lint');
      case 'scan':
        return await lintCommand(rest, io, 'scan');
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`defang: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof ConfigError) {
      io.stderr(`defang: configuration error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        format: { type: 'string', default: 'text' },
        output: { type: 'string' },
        'build-arg': { type: 'string', multiple: true },
        'fail-on': { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        context: { type: 'string' },
        image: { type: 'string' },
        target: { type: 'string' },
        verbose: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

async function collectInputs(paths: string[], cwd: string, globs: string[]): Promise<DockerfileInput[]> {
  const inputs: DockerfileInput[] = [];
  for (const p of paths.length > 0 ? paths : ['.']) {
    const abs = resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      throw new UsageError(`${p}: no such file or directory`);
    }
    if (!isDir) {
      inputs.push({ file: toPosix(relative(cwd, abs)) || p, absPath: abs });
      continue;
    }
    const found = await findDockerfiles({ workspace: abs, globs, onlyChanged: false, eventName: 'cli', payload: {} });
    for (const f of found.files) {
      const fileAbs = resolve(abs, f.path);
      inputs.push({ file: toPosix(relative(cwd, fileAbs)), absPath: fileAbs });
    }
  }
  const seen = new Set<string>();
  return inputs.filter((i) => (seen.has(i.absPath) ? false : (seen.add(i.absPath), true)));
}

async function lintCommand(args: string[], io: Io, command: 'lint' | 'scan'): Promise<number> {
  const { values, positionals } = parse(args);
  if (command === 'lint') {
    for (const o of ['context', 'image', 'target', 'verbose'] as const) {
      if (values[o] !== undefined) throw new UsageError(`--${o} belongs to scan, not lint`);
    }
  } else if (positionals.length !== 1) {
    throw new UsageError(`scan takes one Dockerfile, got ${positionals.length}`);
  }
  const format = values.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const buildArgs = (values['build-arg'] ?? []).map((kv, i) => {
    if (!kv.includes('=')) throw new UsageError(`--build-arg "${kv}" (#${i + 1}) must be KEY=VALUE`);
    return kv;
  });
  const policy = await loadPolicy({
    workspace: io.cwd,
    catalogue: catalogue(),
    inputs: {
      config: values.config,
      buildArgs: buildArgs.length > 0 ? buildArgs.join('\n') : undefined,
      failOn: values['fail-on'],
    },
  });
  const inputs = await collectInputs(positionals, io.cwd, policy.dockerfiles);
  let result: PipelineResult;
  if (command === 'scan') {
    if (inputs.length !== 1) throw new UsageError(`scan takes one Dockerfile; ${positionals[0]} holds ${inputs.length}`);
    if (values.context) {
      const ctx = resolve(io.cwd, values.context);
      try {
        if (!statSync(ctx).isDirectory()) throw new Error();
      } catch {
        throw new UsageError(`--context ${values.context}: not a directory`);
      }
      inputs[0].context = ctx;
    }
    result = await scanDockerfiles(inputs, policy, {
      build: !values.image,
      image: values.image,
      target: values.target,
      log: values.verbose ? (line) => io.stderr(`${line}\n`) : undefined,
    });
  } else {
    result = await lintDockerfiles(inputs, policy);
  }
  const notices = [...(policy.notices ?? []), ...result.notices];

  const report: Report = {
    results: result.results.map((r) => ({ dockerfile: r.file, findings: r.findings })),
    rules: [...allRuleMeta],
    notices,
    tool: { name: 'defang', version: VERSION },
  };
  const color = values['no-color'] ? false : values.color ? true : io.env.NO_COLOR ? false : io.env.FORCE_COLOR ? true : io.isTTY && !values.output;
  const text = format === 'json' ? toJson(report) : format === 'sarif' ? toSarifString(report) : toText(report, { color });
  if (values.output) writeFileSync(resolve(io.cwd, values.output), text);
  else io.stdout(text);
  for (const n of notices) io.stderr(`defang: notice: ${n}\n`);
  return failed(result.findings, policy.failOn) ? 1 : 0;
}

function failed(findings: readonly Finding[], failOn: string): boolean {
  if (failOn === 'never') return false;
  return findings.some((f) => atLeast(f.severity, failOn as Finding['severity']));
}

// Run when executed directly (node dist/cli.js / node src/cli.ts), not when imported by tests.
const invokedDirectly = process.argv[1] !== undefined && /(?:^|[/\\])cli\.(?:js|ts)$/.test(process.argv[1]);
if (invokedDirectly) {
  run(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    isTTY: !!process.stdout.isTTY,
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`defang: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
