/**
 * The static pipeline shared by the action and the CLI: read the Dockerfiles, gather what rules cannot find out
 * themselves, lint, and collect notices.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RuleCatalogueEntry } from './config/index.ts';
import type { Policy } from './config/policy.ts';
import type { Finding } from './findings.ts';
import { ruleSettingFor } from './config/index.ts';
import { lint, type LintInput, type LintResult } from './rules/engine.ts';
import { shellcheckNotice } from './rules/shellcheck.ts';
import { allRules } from './rules/index.ts';
import type { AnyRule } from './rules/types.ts';

export interface DockerfileInput {
  /** Repository-relative (or command-line) path, `/`-separated: how findings name the file. */
  file: string;
  /** Where to read it. */
  absPath: string;
  /** The build context directory (default: the Dockerfile's directory). */
  context?: string;
}

export interface PipelineResult {
  results: LintResult[];
  findings: Finding[];
  notices: string[];
}

export function catalogue(rules: readonly AnyRule[] = allRules): RuleCatalogueEntry[] {
  return rules.map((r) => ({ id: r.meta.id, hadolint: r.meta.hadolint?.[0], hadolintCodes: r.meta.hadolint, defaultSeverity: r.meta.severity }));
}

/** BuildKit reads `<Dockerfile>.dockerignore` beside the Dockerfile first, then `.dockerignore` in the context. */
export function hasDockerignore(dockerfile: string, context: string): boolean {
  return existsSync(`${dockerfile}.dockerignore`) || existsSync(join(dirname(dockerfile), `${basename(dockerfile)}.dockerignore`)) || existsSync(join(context, '.dockerignore'));
}

export async function lintDockerfiles(inputs: readonly DockerfileInput[], policy: Policy, rules: readonly AnyRule[] = allRules): Promise<PipelineResult> {
  const notices: string[] = [];
  const lintInputs: LintInput[] = [];
  for (const input of inputs) {
    let text: string;
    try {
      text = readFileSync(input.absPath, 'utf8');
    } catch (e) {
      notices.push(`${input.file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); skipped`);
      continue;
    }
    const context = input.context ?? dirname(input.absPath);
    lintInputs.push({
      file: input.file,
      text,
      facts: { 'copy-all-without-dockerignore': { hasDockerignore: hasDockerignore(input.absPath, context) } },
    });
  }
  const out = await lint(lintInputs, policy, { rules });
  notices.push(...out.notices);
  // One notice when ShellCheck is wanted but missing: its rule then reports nothing.
  const sc = ruleSettingFor(policy, 'shellcheck', '');
  if (policy.shellcheck && sc.level !== 'off' && rules.some((r) => r.meta.id === 'shellcheck') && lintInputs.length > 0) {
    const missing = shellcheckNotice(typeof sc.options?.path === 'string' ? sc.options.path : '');
    if (missing) notices.push(missing);
  }
  return { results: out.results, findings: out.results.flatMap((r) => r.findings), notices };
}
