/**
 * Action inputs, already read by the caller, laid over the file's settings. Each input that is given (not undefined,
 * not empty) wins over the config file; `build-args` is merged over the file's build args key by key.
 */
import { ConfigError, didYouMean, setOwn } from './errors.ts';
import { buildArgNameProblem, FAIL_ON_VALUES, normaliseGlob, platformProblem } from './defang-file.ts';
import type { FailOn, Policy } from './policy.ts';

export interface ActionInputs {
  /** Path of the config file, relative to the workspace. */
  config?: string;
  /** Globs that select Dockerfiles. */
  dockerfiles?: string[];
  onlyChanged?: boolean;
  /** `KEY=VALUE` lines; blank lines and `#` comments are skipped. */
  buildArgs?: string;
  failOn?: string;
  platform?: string;
}

export function applyInputs(policy: Policy, inputs: ActionInputs): void {
  const dockerfiles = (inputs.dockerfiles ?? []).map((g) => g.trim()).filter((g) => g !== '');
  if (dockerfiles.length > 0) policy.dockerfiles = dockerfiles.map(normaliseGlob);

  if (inputs.onlyChanged !== undefined) policy.onlyChanged = inputs.onlyChanged;

  const failOn = inputs.failOn?.trim();
  if (failOn) {
    if (!(FAIL_ON_VALUES as readonly string[]).includes(failOn)) {
      throw new ConfigError(
        { file: 'input fail-on', line: 0, column: 0 },
        `expected one of ${FAIL_ON_VALUES.join(', ')}, got ${JSON.stringify(failOn)}${didYouMean(failOn, FAIL_ON_VALUES)}`,
      );
    }
    policy.failOn = failOn as FailOn;
  }

  const platform = inputs.platform?.trim();
  if (platform) {
    const problem = platformProblem(platform);
    if (problem) throw new ConfigError({ file: 'input platform', line: 0, column: 0 }, problem);
    policy.platform = platform;
  }

  if (inputs.buildArgs) {
    for (const [key, value] of Object.entries(parseBuildArgLines(inputs.buildArgs))) setOwn(policy.buildArgs, key, value);
  }
}

/**
 * `KEY=VALUE` per line, like `docker build --build-arg`: the value is everything after the first `=` (so it may hold
 * `=` itself, and may be empty). Blank lines and lines starting with `#` are skipped.
 */
export function parseBuildArgLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const position = { file: 'input build-args', line: index + 1, column: line.length - line.trimStart().length + 1 };
    const eq = trimmed.indexOf('=');
    if (eq < 0) throw new ConfigError(position, `expected KEY=VALUE, got ${JSON.stringify(trimmed)}`);
    const key = trimmed.slice(0, eq).trim();
    const problem = buildArgNameProblem(key);
    if (problem) throw new ConfigError(position, `${problem} in ${JSON.stringify(trimmed)}`);
    setOwn(out, key, trimmed.slice(eq + 1));
  });
  return out;
}
