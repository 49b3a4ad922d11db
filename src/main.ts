/**
 * The action: find the Dockerfiles the pull request changed, lint them, report the findings where reviewers look,
 * and fail the step when a finding reaches the `fail-on` threshold.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { findDockerfiles } from './changes/index.ts';
import { ConfigError, loadPolicy, type ActionInputs } from './config/index.ts';
import { atLeast, compareBySeverity, countBySeverity, type Finding } from './findings.ts';
import { catalogue, lintDockerfiles } from './pipeline.ts';

function readInputs(): ActionInputs & { token: string } {
  const list = (name: string) =>
    core
      .getInput(name)
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean);
  const onlyChanged = core.getInput('only-changed').trim();
  if (onlyChanged !== '' && !/^(true|false)$/i.test(onlyChanged)) {
    throw new ConfigError({ file: 'input only-changed', line: 0, column: 0 }, `expected true or false, got ${JSON.stringify(onlyChanged)}`);
  }
  return {
    token: core.getInput('github-token'),
    config: core.getInput('config') || undefined,
    dockerfiles: list('dockerfiles'),
    onlyChanged: onlyChanged === '' ? undefined : onlyChanged.toLowerCase() === 'true',
    buildArgs: core.getInput('build-args') || undefined,
    failOn: core.getInput('fail-on') || undefined,
    platform: core.getInput('platform') || undefined,
  };
}

function readEvent(): { name: string; payload: unknown } {
  const name = process.env.GITHUB_EVENT_NAME ?? '';
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path) return { name, payload: {} };
  try {
    return { name, payload: JSON.parse(readFileSync(path, 'utf8')) };
  } catch (e) {
    throw new Error(`cannot read the event payload ${path}: ${(e as Error).message}`);
  }
}

/** GitHub shows at most 10 annotations of each type per step: the most severe go first. */
function annotate(findings: readonly Finding[]): void {
  for (const f of [...findings].sort(compareBySeverity)) {
    const props: core.AnnotationProperties = {
      title: `${f.ruleId}${f.hadolint ? ` (${f.hadolint})` : ''}`,
      file: f.file,
      startLine: f.line,
      endLine: f.endLine,
    };
    if (f.line === f.endLine) {
      props.startColumn = f.column;
      props.endColumn = f.endColumn;
    }
    if (f.severity === 'error') core.error(f.message, props);
    else if (f.severity === 'warning') core.warning(f.message, props);
    else core.notice(f.message, props);
  }
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const workspace = resolve(process.env.GITHUB_WORKSPACE ?? process.cwd());
  const policy = await loadPolicy({ workspace, inputs, catalogue: catalogue() });
  for (const n of policy.notices ?? []) core.notice(n);
  const event = readEvent();
  const octokit = inputs.token ? getOctokit(inputs.token) : undefined;
  const found = await findDockerfiles({
    workspace,
    globs: policy.dockerfiles,
    onlyChanged: policy.onlyChanged,
    eventName: event.name,
    payload: event.payload,
    octokit,
  });
  for (const n of found.notices) core.notice(n);
  core.info(`Defang: ${found.files.length} Dockerfile(s) to check (${found.mode === 'all' ? 'all files' : `changed in this ${found.mode.replace('_', ' ')}`})`);

  const result = await lintDockerfiles(
    found.files.map((f) => ({ file: f.path, absPath: resolve(workspace, f.path) })),
    policy,
  );
  for (const n of result.notices) core.notice(n);

  annotate(result.findings);
  const counts = countBySeverity(result.findings);
  const failed = policy.failOn !== 'never' && result.findings.some((f) => atLeast(f.severity, policy.failOn as Finding['severity']));
  core.setOutput('findings', String(result.findings.length));
  core.setOutput('errors', String(counts.error));
  core.setOutput('warnings', String(counts.warning));
  core.setOutput('conclusion', failed ? 'failure' : 'success');
  core.info(`Defang: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info in ${result.results.length} file(s)`);
  if (failed) core.setFailed(`Defang found problems at or above "${policy.failOn}" (${counts.error} errors, ${counts.warning} warnings, ${counts.info} info)`);
}

run().catch((e: unknown) => {
  if (e instanceof ConfigError) core.setFailed(`Defang configuration error: ${e.message}`);
  else core.setFailed(`Defang failed: ${(e as Error).stack ?? String(e)}`);
});
