/**
 * What a rule is: metadata (id, default severity, docs, hadolint equivalents, fixability, options) and a check that
 * reads the Dockerfile model and reports findings. Rules never call Docker or GitHub.
 */
import type { Fix, Severity, Span } from '../findings.ts';
import type { Policy } from '../config/policy.ts';
import type { DockerfileModel } from '../dockerfile/model.ts';
import type { Attribution, ImageView } from '../image-view.ts';

export interface RuleOption {
  type: 'string' | 'string[]' | 'boolean' | 'number' | 'map';
  default: unknown;
  description: string;
}

export interface RuleMeta {
  /** A readable slug: `untrusted-base-registry`. */
  id: string;
  /** The severity when the policy does not set one. */
  severity: Severity;
  /** One line, shown in tables and as the SARIF short description. */
  title: string;
  /** A paragraph: why it matters and what to do. Shown as help text. */
  description: string;
  /** hadolint codes this rule stands for (DLxxxx), if any. */
  hadolint?: string[];
  /** Whether findings carry a suggested fix. */
  fixable: boolean;
  /** `static` rules read the Dockerfile; `image` rules also read the built image. */
  kind: 'static' | 'image';
  /** Opt-in rules are off unless the policy turns them on (e.g. version pinning). */
  enabledByDefault: boolean;
  /** Grouping for docs and the rules table. */
  category: 'base-image' | 'user' | 'security' | 'packages' | 'shell' | 'instructions' | 'labels' | 'syntax' | 'image';
  options?: Record<string, RuleOption>;
}

/** What a rule reports: where, what, and optionally a fix and the matching hadolint code. */
export interface Report extends Span {
  message: string;
  fix?: Fix;
  /**
   * The hadolint code for this finding, when the rule stands for several. Defaults to the rule's only code; null
   * says this finding has no hadolint equivalent (a check hadolint does not make).
   */
  hadolint?: string | null;
  /** Overrides the rule's severity for this one finding (e.g. a syntax rule's warnings vs errors). */
  severity?: Severity;
}

export interface RuleContext {
  model: DockerfileModel;
  /** The rule's options: the policy's values over the defaults from `meta.options`. */
  options: Record<string, unknown>;
  policy: Policy;
  report(r: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/**
 * A rule that needs one pass over all files at once (e.g. one ShellCheck process for many scripts).
 * `checkAll` gets one context per file and may report into any of them.
 */
export interface BatchRule {
  meta: RuleMeta;
  checkAll(ctxs: RuleContext[]): Promise<void>;
}

/** What an image rule reports: a message about the image, tied to a layer (or placed explicitly). */
export interface ImageReport {
  message: string;
  /** The path inside the image the finding is about. */
  path?: string;
  /**
   * The layer (index into `image.layers`) that introduced what is reported. The engine places the finding on the
   * instruction that made that layer, or on the FROM line when the layer comes from the base image (inherited).
   * null for findings about the image's configuration, which need `at`.
   */
  layer: number | null;
  /** Place the finding here instead (e.g. the last USER instruction for the image's user). */
  at?: Span;
  /** With `at`: the finding comes from the base image (e.g. a USER the base sets). */
  inherited?: boolean;
  fix?: Fix;
  hadolint?: string | null;
  severity?: Severity;
}

export interface ImageRuleContext {
  model: DockerfileModel;
  image: ImageView;
  attribution: Attribution;
  options: Record<string, unknown>;
  policy: Policy;
  report(r: ImageReport): void;
}

/** A rule over the built image (kind `image`). */
export interface ImageRule {
  meta: RuleMeta;
  checkImage(ctx: ImageRuleContext): void;
}

export type AnyRule = Rule | BatchRule | ImageRule;

export function isBatchRule(r: AnyRule): r is BatchRule {
  return typeof (r as BatchRule).checkAll === 'function';
}

export function isImageRule(r: AnyRule): r is ImageRule {
  return typeof (r as ImageRule).checkImage === 'function';
}

/** The docs page of a rule, relative to the repository root. */
export function docsPath(id: string): string {
  return `docs/rules/${id}.md`;
}

/**
 * Where the docs page is published, for links in comments and SARIF. In a workflow run the runner says which
 * repository and ref the action was loaded from (GITHUB_ACTION_REPOSITORY, GITHUB_ACTION_REF); elsewhere the link is
 * the page's path in this repository.
 */
export function docsUrl(id: string, env: NodeJS.ProcessEnv = process.env): string {
  const repo = env.GITHUB_ACTION_REPOSITORY;
  if (repo && /^[\w.-]+\/[\w.-]+$/.test(repo)) {
    const server = env.GITHUB_SERVER_URL || 'https://github.com';
    return `${server}/${repo}/blob/${env.GITHUB_ACTION_REF || 'main'}/${docsPath(id)}`;
  }
  return docsPath(id);
}
