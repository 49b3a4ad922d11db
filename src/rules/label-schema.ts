import type { DockerfileModel, Instruction, Stage } from '../dockerfile/model.ts';
import type { Report, Rule } from './types.ts';
import { argSpan, firstLineSpan, parseKeyValues, type KeyValue } from './util/instruction-args.ts';
import {
  isEmail,
  isGitHash,
  isLabelType,
  isRfc3339,
  isSemver,
  isUrl,
  LABEL_TYPES,
  spdxProblem,
  type LabelType,
} from './util/label-values.ts';

/**
 * A label schema (`schema: { label: type }`) says which labels every image must carry and what their values look
 * like; `strict: true` also forbids labels the schema does not name. Without a schema the rule does nothing.
 *
 * - DL3049: a stage that can be an image of its own (not only a `COPY --from` / `RUN --mount from=` source, nor
 *   only the base of stages that carry the label) lacks a schema label, directly or through the stage it builds on.
 * - DL3050: with `strict`, a label that is not in the schema.
 * - DL3051: a schema label with an empty value.
 * - DL3052–DL3056, DL3058: a value that is not a URL, an RFC 3339 date-time, an SPDX license expression, a git
 *   commit hash, a semantic version, or an e-mail address.
 *
 * Values are judged after variable substitution; a value that depends on a variable with no known value (a build
 * arg given at build time, say) is not judged.
 */

const TYPE_CHECKS: Record<Exclude<LabelType, 'text' | 'spdx'>, { code: string; test: (v: string) => boolean; what: string }> = {
  url: { code: 'DL3052', test: isUrl, what: 'a URL (with a scheme, e.g. https://example.com/repo)' },
  rfc3339: { code: 'DL3053', test: isRfc3339, what: 'an RFC 3339 date-time (e.g. 2024-05-01T12:30:00Z)' },
  hash: { code: 'DL3055', test: isGitHash, what: 'a git commit hash (7 to 40 hex digits)' },
  semver: { code: 'DL3056', test: isSemver, what: 'a semantic version (e.g. 1.4.2 or 2.0.0-rc.1)' },
  email: { code: 'DL3058', test: isEmail, what: 'an e-mail address (e.g. team@example.com)' },
};

/** Problems with the rule's options, for the configuration loader to report with the file and line. */
export function labelSchemaOptionErrors(options: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const schema = options.schema;
  if (schema !== undefined && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
    errors.push('"schema" must be a map of label name to type');
  } else if (schema) {
    for (const [label, type] of Object.entries(schema)) {
      if (!isLabelType(type)) errors.push(`label "${label}" has unknown type ${JSON.stringify(type)}: use one of ${LABEL_TYPES.join(', ')}`);
    }
  }
  if (options.strict !== undefined && typeof options.strict !== 'boolean') errors.push('"strict" must be true or false');
  const extra = options.extraLicenses;
  if (extra !== undefined && (!Array.isArray(extra) || !extra.every((x) => typeof x === 'string'))) {
    errors.push('"extraLicenses" must be a list of license identifiers');
  }
  return errors;
}

/** The KEY=value pairs of a LABEL instruction (none for other instructions). */
function labelPairs(model: DockerfileModel, inst: Instruction): KeyValue[] {
  return inst.keyword === 'LABEL' ? parseKeyValues(inst, model.escape).pairs : [];
}

/** Stages read by `COPY --from=` or `RUN --mount=…,from=…` (by name or index). */
function consumedStages(model: DockerfileModel): Set<Stage> {
  const out = new Set<Stage>();
  const resolve = (ref: string) => {
    const r = ref.replace(/^(["'])(.*)\1$/, '$2').toLowerCase();
    const s = /^\d+$/.test(r) ? model.stages[Number(r)] : model.stages.find((st) => st.name === r);
    if (s) out.add(s);
  };
  for (const inst of model.all) {
    for (const f of inst.flags) {
      if ((inst.keyword === 'COPY' || inst.keyword === 'ADD') && f.name === 'from' && f.value) resolve(f.value);
      if (inst.keyword === 'RUN' && f.name === 'mount' && f.value) {
        const from = f.value.split(',').find((p) => /^from=/i.test(p.trim()));
        if (from) resolve(from.trim().slice(5));
      }
    }
  }
  return out;
}

function stageLabel(stage: Stage): string {
  if (stage.name) return `Stage "${stage.name}"`;
  return stage.final ? 'The final stage' : `Stage ${stage.index}`;
}

const rule: Rule = {
  meta: {
    id: 'label-schema',
    severity: 'warning',
    title: 'Labels do not follow the label schema',
    description:
      'Checks labels against the schema in the policy: required labels present in every image, values not empty and of the declared type (URL, RFC 3339 date, SPDX license, git hash, semantic version, e-mail), and with `strict`, no labels outside the schema. Does nothing until a schema is configured.',
    hadolint: ['DL3049', 'DL3050', 'DL3051', 'DL3052', 'DL3053', 'DL3054', 'DL3055', 'DL3056', 'DL3058'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'labels',
    options: {
      schema: {
        type: 'map',
        default: {},
        description: `Label name → type (${LABEL_TYPES.join(', ')}). Every label named here is required.`,
      },
      strict: { type: 'boolean', default: false, description: 'Report labels that the schema does not name.' },
      extraLicenses: {
        type: 'string[]',
        default: [],
        description: 'License identifiers (or exceptions) accepted by the spdx type besides the built-in list.',
      },
    },
  },
  check({ model, report, options }) {
    const raw = options.schema;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
    const schema = new Map<string, LabelType | null>();
    for (const [label, type] of Object.entries(raw as Record<string, unknown>)) schema.set(label, isLabelType(type) ? type : null);
    if (schema.size === 0) return;
    const strict = options.strict === true;
    const extra = Array.isArray(options.extraLicenses) ? options.extraLicenses.filter((x): x is string => typeof x === 'string') : [];

    for (const inst of model.all) {
      for (const pair of labelPairs(model, inst)) checkPair(inst, pair, schema, strict, extra, report);
    }
    checkRequired(model, schema, report);
  },
};

function checkPair(
  inst: Instruction,
  pair: KeyValue,
  schema: Map<string, LabelType | null>,
  strict: boolean,
  extra: string[],
  report: (r: Report) => void,
): void {
  const keySpan = argSpan(inst, pair.keyStart, pair.keyEnd);
  if (!schema.has(pair.key)) {
    if (strict) {
      report({
        ...keySpan,
        hadolint: 'DL3050',
        message: `Label "${pair.key}" is not in the label schema, which is strict: remove it or add it to the schema.`,
      });
    }
    return;
  }
  if (pair.missing.length > 0) return; // known only at build time
  const valueSpan = pair.valueEnd > pair.valueStart ? argSpan(inst, pair.valueStart, pair.valueEnd) : keySpan;
  const type = schema.get(pair.key);
  const value = pair.value;
  if (value.trim() === '') {
    report({ ...valueSpan, hadolint: 'DL3051', message: `Label "${pair.key}" is empty: give it a value${type && type !== 'text' ? ` (${type})` : ''}.` });
    return;
  }
  if (!type || type === 'text') return;
  if (type === 'spdx') {
    const problem = spdxProblem(value, extra);
    if (problem) {
      report({
        ...valueSpan,
        hadolint: 'DL3054',
        message: `Label "${pair.key}" should be an SPDX license expression (e.g. Apache-2.0, MIT OR GPL-2.0-or-later), but ${problem}; if the license is real but unknown to Defang, add it to the rule's extraLicenses option.`,
      });
    }
    return;
  }
  const check = TYPE_CHECKS[type];
  if (!check.test(value)) {
    const hint = type === 'semver' && isSemver(value.replace(/^v/i, '')) ? ' (drop the leading "v")' : '';
    report({ ...valueSpan, hadolint: check.code, message: `Label "${pair.key}" should be ${check.what}, not "${value}"${hint}.` });
  }
}

function checkRequired(model: DockerfileModel, schema: Map<string, LabelType | null>, report: (r: Report) => void): void {
  const own = new Map<Stage, Set<string>>();
  for (const stage of model.stages) {
    const keys = new Set<string>();
    for (const inst of stage.instructions) for (const p of labelPairs(model, inst)) keys.add(p.key);
    own.set(stage, keys);
  }
  const labelsOf = (stage: Stage): Set<string> => {
    const out = new Set<string>();
    const seen = new Set<Stage>();
    for (let s: Stage | null = stage; s && !seen.has(s); s = s.baseStage) {
      seen.add(s);
      for (const k of own.get(s) ?? []) out.add(k);
    }
    return out;
  };
  const descendants = (stage: Stage): Stage[] => {
    const out: Stage[] = [];
    const queue = [stage];
    while (queue.length > 0) {
      const s = queue.shift()!;
      for (const c of model.stages) if (c.baseStage === s && !out.includes(c)) (out.push(c), queue.push(c));
    }
    return out;
  };
  const consumed = consumedStages(model);
  for (const stage of model.stages) {
    if (consumed.has(stage)) continue;
    const labels = labelsOf(stage);
    const below = descendants(stage).map(labelsOf);
    for (const [label, type] of schema) {
      if (labels.has(label) || below.some((l) => l.has(label))) continue;
      report({
        ...firstLineSpan(model, stage.from),
        hadolint: 'DL3049',
        message: `${stageLabel(stage)} has no label "${label}", which the label schema requires: add LABEL ${label}=<${type ?? 'value'}>.`,
      });
    }
  }
}

export default rule;
