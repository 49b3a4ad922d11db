/**
 * The one typed, validated policy that every other part reads. Built by `loadPolicy` (src/config/index.ts) from action
 * inputs, `.github/defang.yml` / `.defang.yml`, and (when no Defang config exists) a repository's `.hadolint.yaml`.
 */
import type { Severity } from '../findings.ts';

/** A rule's severity as configured: one of the severities, or `off`. */
export type RuleLevel = Severity | 'off';

export interface RuleSetting {
  /** Overrides the rule's default severity; `off` disables the rule. */
  level?: RuleLevel;
  /** Rule-specific options (validated by the rule's own `options` schema, see src/rules/types.ts). */
  options?: Record<string, unknown>;
}

export interface PathOverride {
  /** Globs matched against the Dockerfile's repository-relative path. */
  files: string[];
  rules: Record<string, RuleSetting>;
  /** Finding codes (`SC2086`, or a DL code of a several-code rule) re-levelled or switched off (`off`) for these files. */
  codeLevels?: Record<string, RuleLevel>;
  /** Where the override was written, for messages: `file:line`. */
  origin?: string;
}

export type FailOn = Severity | 'never';

export interface Policy {
  /** Rule settings by rule id. Rules not named keep their defaults. */
  rules: Record<string, RuleSetting>;
  /** Later overrides win over earlier ones and over `rules`. */
  overrides: PathOverride[];
  /** Registry/namespace globs a base image may come from (see docs/rules/untrusted-base-registry.md). */
  trustedRegistries: string[];
  /** Build args used to resolve ARGs (FROM lines, variables), like `docker build --build-arg`. */
  buildArgs: Record<string, string>;
  /** The build platform assumed when resolving TARGETPLATFORM and friends, e.g. `linux/amd64`. */
  platform: string;
  /** A finding at or above this severity fails the run. */
  failOn: FailOn;
  /** When false, `# defang ignore=…` and `# hadolint ignore=…` pragmas are not honoured (and are reported). */
  allowInlineIgnores: boolean;
  /** Globs that select Dockerfiles. */
  dockerfiles: string[];
  /** Only the Dockerfiles (and lines) a pull request or push changed. */
  onlyChanged: boolean;
  /** Run ShellCheck on shell-form RUN instructions when a `shellcheck` binary is on PATH. */
  shellcheck: boolean;
  /** Where the policy came from: the config file's path, `.hadolint.yaml`, or null for defaults. */
  source: string | null;
  /**
   * Finding codes (hadolint `DLxxxx`, ShellCheck `SCxxxx`) switched off by code: a finding whose `hadolint` code is
   * listed is not reported (see `levelFor`). Filled from `.hadolint.yaml` `ignored:`, and from `SCxxxx: off` (or a
   * DL code of a rule that stands for several codes) under `rules:`.
   */
  ignoredCodes: string[];
  /** Finding codes given another severity by code (never `off`: those are in `ignoredCodes`). */
  codeLevels: Record<string, RuleLevel>;
  /** One-line notices about the configuration (`file:line:column: text`): keys ignored, files not read. */
  notices: string[];
}

export const DEFAULT_DOCKERFILE_GLOBS: readonly string[] = [
  '**/Dockerfile',
  '**/Dockerfile.*',
  '**/*.Dockerfile',
  '**/*.dockerfile',
  '**/Containerfile',
  '**/Containerfile.*',
];

/**
 * Base images may come from these by default: Docker Official Images and the large vendor registries that publish
 * curated images. Documented in docs/rules/untrusted-base-registry.md; keep the two in step.
 */
export const DEFAULT_TRUSTED_REGISTRIES: readonly string[] = [
  'docker.io/library/*',
  'mcr.microsoft.com/*',
  'gcr.io/distroless/*',
  'public.ecr.aws/*',
  'registry.k8s.io/*',
  'quay.io/*',
  'ghcr.io/*',
];

export function defaultPolicy(): Policy {
  return {
    rules: {},
    overrides: [],
    trustedRegistries: [...DEFAULT_TRUSTED_REGISTRIES],
    buildArgs: {},
    platform: 'linux/amd64',
    failOn: 'error',
    allowInlineIgnores: true,
    dockerfiles: [...DEFAULT_DOCKERFILE_GLOBS],
    onlyChanged: true,
    shellcheck: true,
    source: null,
    ignoredCodes: [],
    codeLevels: {},
    notices: [],
  };
}
