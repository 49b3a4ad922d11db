/**
 * Runs rules over Dockerfile models: resolves each rule's level and options for each file from the policy, honours
 * inline pragmas, and turns what rules report into fingerprinted findings.
 */
import { fingerprintAll, type Finding, type FindingDraft } from '../findings.ts';
import type { Policy } from '../config/policy.ts';
import { policyForFile, type FilePolicy, type RuleLevel } from '../config/index.ts';
import type { DockerfileModel } from '../dockerfile/model.ts';
import { parseDockerfile } from '../dockerfile/parse.ts';
import type { Attribution, ImageView } from '../image-view.ts';
import type { Span } from '../findings.ts';
import { isBatchRule, isImageRule, type AnyRule, type ImageReport, type ImageRuleContext, type Report, type Rule, type RuleContext } from './types.ts';
import { parsePragmas, unknownNames, type Pragma } from './pragmas.ts';
import { allRuleMeta } from './index.ts';

export interface LintInput {
  /** Repository-relative path, `/`-separated. */
  file: string;
  text: string;
  /**
   * Facts about the file that rules cannot find out themselves (rules do no I/O), by rule id: e.g.
   * `{ 'copy-all-without-dockerignore': { hasDockerignore: false } }`. They are merged over the rule's options.
   */
  facts?: Record<string, Record<string, unknown>>;
  /** The model, when the caller has parsed the file already (with the same policy); parsed here otherwise. */
  model?: DockerfileModel;
  /** The image built from this Dockerfile, read and attributed: image rules run only for inputs that have one. */
  image?: { view: ImageView; attribution: Attribution };
}

export interface LintResult {
  file: string;
  findings: Finding[];
  model: DockerfileModel;
}

export interface LintOutput {
  results: LintResult[];
  /** One-line notices for the log (a rule skipped, a tool missing, a rule that failed). */
  notices: string[];
}

export interface LintOptions {
  rules: readonly AnyRule[];
  /** Run only static rules (the default) or include image rules (the image pipeline passes its own contexts). */
  kinds?: ReadonlyArray<'static' | 'image'>;
}

interface FileState {
  input: LintInput;
  model: DockerfileModel;
  drafts: FindingDraft[];
  pragmas: Pragma[];
  /** The policy as it applies to this file, resolved once for all rules. */
  filePolicy: FilePolicy;
}

/** The internal rule for failures inside Defang itself: a rule that threw is reported, never a crash. */
export const INTERNAL_ERROR_RULE = 'internal-error';

export async function lint(inputs: readonly LintInput[], policy: Policy, opts: LintOptions): Promise<LintOutput> {
  const notices: string[] = [];
  const kinds = opts.kinds ?? ['static'];
  const states: FileState[] = inputs.map((input) => {
    const model = input.model ?? parseDockerfile(input.text, input.file, { buildArgs: policy.buildArgs, platform: policy.platform });
    return { input, model, drafts: [], pragmas: parsePragmas(model), filePolicy: policyForFile(policy, model.file) };
  });

  for (const rule of opts.rules) {
    if (!kinds.includes(rule.meta.kind)) continue;
    if (!isImageRule(rule) && !isBatchRule(rule)) {
      // A plain rule checks each file on its own: no list of contexts needed.
      for (const state of states) {
        const ctx = contextFor(rule, state, policy);
        if (!ctx) continue;
        try {
          rule.check(ctx);
        } catch (e) {
          notices.push(`rule ${rule.meta.id} failed on ${state.model.file}: ${(e as Error).message}`);
          internalError(state, rule.meta.id, e);
        }
      }
      continue;
    }
    const ctxs: Array<{ ctx: RuleContext; state: FileState }> = [];
    for (const state of states) {
      const ctx = contextFor(rule, state, policy);
      if (ctx) ctxs.push({ ctx, state });
    }
    if (ctxs.length === 0) continue;
    if (isImageRule(rule)) {
      for (const { ctx, state } of ctxs) {
        const image = state.input.image;
        if (!image) continue;
        try {
          rule.checkImage(imageContext(ctx, state, image));
        } catch (e) {
          notices.push(`rule ${rule.meta.id} failed on ${state.model.file}: ${(e as Error).message}`);
          internalError(state, rule.meta.id, e);
        }
      }
      continue;
    }
    if (isBatchRule(rule)) {
      try {
        await rule.checkAll(ctxs.map((c) => c.ctx));
      } catch (e) {
        notices.push(`rule ${rule.meta.id} failed: ${(e as Error).message}`);
        for (const { state } of ctxs) internalError(state, rule.meta.id, e);
      }
    }
  }

  let knownIds: Set<string> | null = null;
  const results = states.map((state) => {
    // A pragma that names something unknown is void as a whole (hadolint does the same); say so.
    if (state.pragmas.length > 0) knownIds ??= new Set([...allRuleMeta.map((m) => m.id), ...opts.rules.map((r) => r.meta.id)]);
    state.pragmas = state.pragmas.filter((p) => {
      const unknown = unknownNames(p, knownIds!);
      if (unknown.length === 0) return true;
      notices.push(
        `${state.model.file}:${p.span.line}: the pragma names ${unknown.map((u) => `"${u}"`).join(', ')}, which ${unknown.length > 1 ? 'are not rule ids or codes' : 'is not a rule id or code'}, so it was ignored`,
      );
      return false;
    });
    const kept = applyPragmas(state, policy);
    return {
      file: state.model.file,
      model: state.model,
      findings: fingerprintAll(state.model.file, state.model.source.lines, kept),
    };
  });
  return { results, notices };
}

/**
 * An image rule's context: its reports are placed on the Dockerfile line of the instruction whose layer introduced
 * them — the FROM line of the stage for layers of the base image (inherited), the final stage's FROM line with a
 * note when a layer could not be mapped — and carry the layer digest and the path inside the image.
 */
function imageContext(ctx: RuleContext, state: FileState, image: { view: ImageView; attribution: Attribution }): ImageRuleContext {
  const { model } = state;
  const stage = model.stages[image.attribution.stage] ?? model.finalStage;
  const fromSpan = (): Span => {
    // Inherited layers come through the stage chain's first image base.
    let s = stage;
    while (s?.baseStage) s = s.baseStage;
    return s ? s.baseSpan : { line: 1, column: 1, endLine: 1, endColumn: 1 };
  };
  return {
    model,
    image: image.view,
    attribution: image.attribution,
    options: ctx.options,
    policy: ctx.policy,
    report(r: ImageReport) {
      let span: Span;
      let inherited: boolean | undefined;
      let message = r.message;
      const la = r.layer === null ? undefined : image.attribution.layers[r.layer];
      if (r.at) {
        span = r.at;
        if (r.inherited) inherited = true;
      } else if (la?.inherited) {
        span = fromSpan();
        inherited = true;
      } else if (la && la.instruction !== null && model.all[la.instruction]) {
        const inst = model.all[la.instruction];
        span = { line: inst.span.line, column: 1, endLine: inst.span.endLine, endColumn: inst.span.endColumn };
      } else {
        span = stage ? stage.from.keywordSpan : { line: 1, column: 1, endLine: 1, endColumn: 1 };
        if (la?.unmapped) message += ` (the layer could not be tied to an instruction: ${la.unmapped})`;
      }
      const before = state.drafts.length;
      ctx.report({ ...span, message, fix: r.fix, hadolint: r.hadolint, severity: r.severity });
      const draft = state.drafts[before];
      if (!draft) return;
      if (r.path !== undefined) draft.path = r.path;
      if (la) draft.layer = image.view.layers[la.layer]?.diffId;
      if (inherited) draft.inherited = true;
    },
  };
}

function internalError(state: FileState, ruleId: string, e: unknown): void {
  state.drafts.push({
    ruleId: INTERNAL_ERROR_RULE,
    severity: 'warning',
    message: `Defang's rule ${ruleId} failed on this file (${(e as Error).message}); please report it. Other rules ran.`,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
  });
}

/** The defaults of a rule's options as an object to copy, by rule id (for the rule's current `meta.options`). */
const optionDefaults = new Map<string, { options: object; defaults: Readonly<Record<string, unknown>> }>();

function defaultsOf(id: string, options: Record<string, { default: unknown }>): Readonly<Record<string, unknown>> {
  const known = optionDefaults.get(id);
  if (known && known.options === options) return known.defaults;
  const defaults: Record<string, unknown> = {};
  for (const [name, opt] of Object.entries(options)) defaults[name] = opt.default;
  optionDefaults.set(id, { options, defaults });
  return defaults;
}

function contextFor(rule: AnyRule, state: FileState, policy: Policy): RuleContext | null {
  const { meta } = rule;
  const fp = state.filePolicy;
  const setting = fp.setting(meta.id);
  let level: RuleLevel = setting.level === 'off' ? 'off' : (setting.level ?? meta.severity);
  if (!meta.enabledByDefault && setting.level === undefined) {
    let explicit = false;
    // Turned on by a level for one of its codes.
    if (fp.hasCodeLevels) {
      for (const c of meta.hadolint ?? []) {
        const l = fp.codeLevel(c);
        if (l !== undefined && l !== 'off') {
          explicit = true;
          break;
        }
      }
    }
    if (!explicit) level = 'off';
  }
  if (meta.id === 'no-inline-ignore' && !policy.allowInlineIgnores && setting.level === undefined) level = meta.severity;
  if (level === 'off') return null;
  // A fresh object per context: the defaults copied, then the policy's values and the caller's facts over them.
  const options: Record<string, unknown> = meta.options ? { ...defaultsOf(meta.id, meta.options) } : {};
  if (setting.options) Object.assign(options, setting.options);
  const facts = state.input.facts?.[meta.id];
  if (facts) Object.assign(options, facts);
  const severity = level;
  const ruleLevel = setting.level;
  const soleCode = meta.hadolint?.length === 1 ? meta.hadolint[0] : undefined;
  const drafts = state.drafts;
  return {
    model: state.model,
    options,
    policy,
    report(r: Report) {
      const hadolint = r.hadolint === null ? undefined : (r.hadolint ?? soleCode);
      // A level the policy sets for the rule wins over a rule's own per-finding severity.
      let sev = ruleLevel !== undefined ? severity : (r.severity ?? severity);
      if (hadolint && fp.hasCodeLevels) {
        const byCode = fp.codeLevel(hadolint);
        if (byCode === 'off') return;
        if (byCode !== undefined) sev = byCode;
      }
      const draft: FindingDraft = {
        ruleId: meta.id,
        severity: sev,
        message: r.message,
        line: r.line,
        column: r.column,
        endLine: r.endLine,
        endColumn: r.endColumn,
      };
      if (hadolint) draft.hadolint = hadolint;
      if (r.fix) draft.fix = r.fix;
      drafts.push(draft);
    },
  };
}

/** Drop findings silenced by `# defang ignore=…` / `# hadolint ignore=…` (unless the policy forbids pragmas). */
function applyPragmas(state: FileState, policy: Policy): FindingDraft[] {
  if (!policy.allowInlineIgnores || state.pragmas.length === 0) return state.drafts;
  return state.drafts.filter((d) => {
    for (const p of state.pragmas) {
      if (!p.ids.some((id) => id === d.ruleId || (d.hadolint !== undefined && id === d.hadolint))) continue;
      if (p.global) return false;
      if (p.target && d.line >= p.target.line && d.line <= p.target.endLine) return false;
    }
    return true;
  });
}
