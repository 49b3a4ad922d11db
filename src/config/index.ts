/**
 * Action inputs, `.github/defang.yml` and (for hadolint-action users) `.hadolint.yaml` → one validated Policy.
 * Precedence, lowest first: built-in defaults, the config file, the action inputs. See docs/configuration.md.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Catalogue } from './catalogue.ts';
import type { RuleCatalogueEntry } from './catalogue.ts';
import { applyDefangConfig } from './defang-file.ts';
import { ConfigError } from './errors.ts';
import { applyHadolintConfig } from './hadolint-file.ts';
import { applyInputs } from './inputs.ts';
import type { ActionInputs } from './inputs.ts';
import { defaultPolicy } from './policy.ts';
import type { Policy } from './policy.ts';
import { YamlSource } from './yaml-source.ts';

export { ConfigError } from './errors.ts';
export type { RuleCatalogueEntry } from './catalogue.ts';
export type { ActionInputs } from './inputs.ts';
export { parseBuildArgLines } from './inputs.ts';
export { codeLevelFor, globMatcher, levelFor, policyForFile, ruleSettingFor } from './match.ts';
export type { FilePolicy } from './match.ts';
export { defaultPolicy, DEFAULT_DOCKERFILE_GLOBS, DEFAULT_TRUSTED_REGISTRIES } from './policy.ts';
export type { FailOn, PathOverride, Policy, RuleLevel, RuleSetting } from './policy.ts';

/** Looked for in this order when the `config` input is not given; the first that exists is read. */
export const DEFANG_CONFIG_FILES: readonly string[] = [
  '.github/defang.yml',
  '.github/defang.yaml',
  '.defang.yml',
  '.defang.yaml',
];

/** Read only when no Defang config exists. */
export const HADOLINT_CONFIG_FILES: readonly string[] = ['.hadolint.yaml', '.hadolint.yml'];

export interface LoadPolicyOptions {
  /** The repository checkout (GITHUB_WORKSPACE). */
  workspace: string;
  inputs?: ActionInputs;
  /** The known rules (from the rule registry). */
  catalogue: RuleCatalogueEntry[];
}

export async function loadPolicy(opts: LoadPolicyOptions): Promise<Policy> {
  const workspace = path.resolve(opts.workspace);
  const inputs = opts.inputs ?? {};
  const catalogue = new Catalogue(opts.catalogue);
  const policy = defaultPolicy();

  const chosen = await chooseConfigFile(workspace, inputs, policy.notices);
  if (chosen) {
    const text = await readConfig(chosen.absolute, chosen.shown);
    const src = new YamlSource(chosen.shown, text);
    if (chosen.kind === 'hadolint') applyHadolintConfig(src, policy, catalogue);
    else applyDefangConfig(src, policy, catalogue);
    policy.notices.unshift(...src.notices);
    policy.source = chosen.shown;
  }

  applyInputs(policy, inputs);
  return policy;
}

interface ChosenFile {
  absolute: string;
  /** As shown in messages and `policy.source`: relative to the workspace, with `/`. */
  shown: string;
  kind: 'defang' | 'hadolint';
}

async function chooseConfigFile(workspace: string, inputs: ActionInputs, notices: string[]): Promise<ChosenFile | null> {
  const given = inputs.config?.trim();
  if (given) {
    const absolute = path.resolve(workspace, given);
    const kind = await fileKind(absolute, given);
    if (kind !== 'file') {
      const what = kind === 'directory' ? 'a directory, not a file' : 'a file that does not exist';
      throw new ConfigError({ file: given, line: 0, column: 0, key: 'input config' }, `names ${what} (${absolute})`);
    }
    const shown = shownPath(workspace, absolute);
    const isHadolint = /^\.?hadolint\.ya?ml$/.test(path.basename(absolute));
    return { absolute, shown, kind: isHadolint ? 'hadolint' : 'defang' };
  }

  const defang = await existing(workspace, DEFANG_CONFIG_FILES);
  const hadolint = await existing(workspace, HADOLINT_CONFIG_FILES);
  if (defang.length > 0) {
    const [first, ...rest] = defang as [string, ...string[]];
    for (const other of rest) notices.push(`${other}: not read, because ${first} is read instead`);
    for (const other of hadolint) {
      notices.push(`${other}: not read, because ${first} exists (hadolint settings are used only without a Defang config)`);
    }
    return { absolute: path.join(workspace, first), shown: first, kind: 'defang' };
  }
  if (hadolint.length > 0) {
    const [first, ...rest] = hadolint as [string, ...string[]];
    for (const other of rest) notices.push(`${other}: not read, because ${first} is read instead`);
    return { absolute: path.join(workspace, first), shown: first, kind: 'hadolint' };
  }
  return null;
}

async function existing(workspace: string, candidates: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const candidate of candidates) {
    if ((await fileKind(path.join(workspace, candidate), candidate)) === 'file') found.push(candidate);
  }
  return found;
}

async function fileKind(absolute: string, shown: string): Promise<'file' | 'directory' | 'missing'> {
  try {
    const info = await stat(absolute);
    if (info.isFile()) return 'file';
    return info.isDirectory() ? 'directory' : 'missing';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw new ConfigError({ file: shown, line: 0, column: 0 }, `cannot read: ${(err as Error).message}`);
  }
}

async function readConfig(absolute: string, shown: string): Promise<string> {
  try {
    return await readFile(absolute, 'utf8');
  } catch (err) {
    throw new ConfigError({ file: shown, line: 0, column: 0 }, `cannot read: ${(err as Error).message}`);
  }
}

function shownPath(workspace: string, absolute: string): string {
  const relative = path.relative(workspace, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return absolute.split(path.sep).join('/');
  return relative.split(path.sep).join('/');
}
