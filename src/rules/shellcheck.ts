import type { BatchRule, RuleContext } from './types.ts';
import type { Instruction } from '../dockerfile/model.ts';
import type { MappedText } from '../dockerfile/source.ts';
import {
  commentRange,
  dialectFor,
  findShellcheck,
  knownVariables,
  mapFix,
  prepareScript,
  runShellcheck,
  scriptMapping,
  spanOfRange,
  type Dialect,
  type PreparedScript,
} from './util/shellcheck.ts';

/** ShellCheck codes left out by default (see docs/rules/shellcheck.md). */
export const DEFAULT_EXCLUDED: readonly string[] = ['SC1090', 'SC1091', 'SC2187'];

/** The log notice when the rule is on but no ShellCheck binary is found. */
export const SHELLCHECK_MISSING_NOTICE =
  'shellcheck: no `shellcheck` binary on PATH, so RUN scripts were not checked with ShellCheck ' +
  '(install it, e.g. `sudo apt-get install shellcheck`, or set the rule option `path`).';

const DEFAULT_TIMEOUT_SECONDS = 120;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/**
 * The ShellCheck binary the rule would run, or null when there is none (then the rule reports nothing and the caller
 * should log SHELLCHECK_MISSING_NOTICE). `path` is the rule's `path` option, if set.
 */
export function shellcheckAvailable(path = '', env: NodeJS.ProcessEnv = process.env): string | null {
  return findShellcheck(path, env);
}

/** SHELLCHECK_MISSING_NOTICE when no ShellCheck binary is found, else null: what the CLI and the action log. */
export function shellcheckNotice(path = '', env: NodeJS.ProcessEnv = process.env): string | null {
  return shellcheckAvailable(path, env) === null ? SHELLCHECK_MISSING_NOTICE : null;
}

/** `SC2086`, `sc2086` or `2086` → 2086. */
function parseCodes(value: unknown, file: string): Set<number> {
  const out = new Set<number>();
  if (value === undefined || value === null) return out;
  const items = typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : value;
  if (!Array.isArray(items)) {
    throw new Error(`option "exclude" of rule shellcheck for ${file} must be a list of ShellCheck codes such as SC2086`);
  }
  for (const item of items) {
    const m = /^\s*(?:SC)?(\d{4})\s*$/i.exec(String(item));
    if (!m) throw new Error(`option "exclude" of rule shellcheck for ${file}: "${String(item)}" is not a ShellCheck code such as SC2086`);
    out.add(Number(m[1]));
  }
  return out;
}

function timeoutOf(value: unknown, file: string): number {
  if (value === undefined || value === null) return DEFAULT_TIMEOUT_SECONDS;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`option "timeout" of rule shellcheck for ${file} must be a positive number of seconds, got ${JSON.stringify(value)}`);
  }
  return n;
}

interface Job {
  ctx: RuleContext;
  inst: Instruction;
  mapped: MappedText;
  prepared: PreparedScript;
  exclude: Set<number>;
}

const rule: BatchRule = {
  meta: {
    id: 'shellcheck',
    severity: 'warning',
    title: 'ShellCheck finds a problem in a RUN script',
    description:
      'Runs ShellCheck on every shell-form RUN (and ONBUILD RUN) script, in the dialect of the SHELL in effect, and reports its findings on the exact Dockerfile line and column. Each finding carries its ShellCheck code (SC2086…), which `# hadolint ignore=SC2086` and `.hadolint.yaml` understand. Needs a `shellcheck` binary on PATH; without one the rule is skipped with a notice.',
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'shell',
    options: {
      exclude: {
        type: 'string[]',
        default: [...DEFAULT_EXCLUDED],
        description: 'ShellCheck codes never reported (passed to `shellcheck -e`).',
      },
      path: {
        type: 'string',
        default: '',
        description: 'The ShellCheck binary: a path, or a command name looked up on PATH. Empty: `shellcheck` on PATH.',
      },
      timeout: {
        type: 'number',
        default: DEFAULT_TIMEOUT_SECONDS,
        description: 'Seconds one ShellCheck process may run before the rule gives up with an error.',
      },
    },
  },

  async checkAll(ctxs) {
    // One group per binary and dialect: ShellCheck takes one --shell per process.
    const groups = new Map<string, { bin: string; dialect: Dialect; jobs: Job[]; timeout: number }>();
    for (const ctx of ctxs) {
      if (ctx.policy.shellcheck === false) continue;
      const file = ctx.model.file;
      const exclude = parseCodes(ctx.options.exclude, file);
      const timeout = timeoutOf(ctx.options.timeout, file);
      const bin = findShellcheck(typeof ctx.options.path === 'string' ? ctx.options.path : '');
      if (!bin) continue;
      for (const inst of ctx.model.all) {
        if (inst.keyword !== 'RUN' || !inst.shell) continue;
        // The script's map to the Dockerfile (rebuilt until the model exposes `ShellScript.mapped`).
        const mapped = scriptMapping(inst);
        if (!mapped || mapped.text.trim() === '') continue;
        const dialect = dialectFor(inst, mapped.text);
        if (!dialect) continue;
        const prepared = prepareScript(mapped.text, knownVariables(ctx.model, inst));
        const key = `${bin}\u0000${dialect}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { bin, dialect, jobs: [], timeout }));
        group.timeout = Math.max(group.timeout, timeout);
        group.jobs.push({ ctx, inst, mapped, prepared, exclude });
      }
    }

    for (const { bin, dialect, jobs, timeout } of groups.values()) {
      // Codes every file excludes go to ShellCheck; the rest are dropped per file below.
      const common = [...jobs[0].exclude].filter((c) => jobs.every((j) => j.exclude.has(c)));
      const results = await runShellcheck(
        bin,
        dialect,
        jobs.map((j) => j.prepared.file),
        common,
        { timeoutMs: timeout * 1000, maxBuffer: MAX_OUTPUT_BYTES },
      );
      jobs.forEach((job, i) => {
        const { ctx, mapped, prepared } = job;
        for (const c of results[i]) {
          if (job.exclude.has(c.code)) continue;
          const range = commentRange(prepared, c);
          if (!range) continue;
          const code = `SC${c.code}`;
          const fix = c.fix?.replacements
            ? mapFix(prepared, mapped, c.fix.replacements, ctx.model.source.lines, ctx.model.escape, `Apply ShellCheck's fix for ${code}`)
            : null;
          ctx.report({
            ...spanOfRange(mapped, range.start, range.end),
            message: `${code}: ${c.message}`,
            hadolint: code,
            // ShellCheck's errors and warnings take the rule's level; its info and style notes are info.
            ...(c.level === 'info' || c.level === 'style' ? { severity: 'info' as const } : {}),
            ...(fix ? { fix } : {}),
          });
        }
      });
    }
  },
};

export default rule;
