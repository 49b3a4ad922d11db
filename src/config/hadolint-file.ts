/**
 * `.hadolint.yaml` read as a Defang policy, for repositories moving from hadolint-action (only when no Defang config
 * exists). The mapping is documented in docs/configuration.md.
 */
import type { FailOn, Policy, RuleLevel } from './policy.ts';
import { CODE_PATTERN } from './catalogue.ts';
import type { Catalogue } from './catalogue.ts';
import { didYouMean } from './errors.ts';
import { registryGlobProblem, setCodeLevel } from './defang-file.ts';
import { mergeSetting } from './rule-settings.ts';
import { describe } from './yaml-source.ts';
import type { Entry, Located, YamlSource } from './yaml-source.ts';

const SUPPORTED_KEYS = [
  'ignored',
  'override',
  'trustedRegistries',
  'failure-threshold',
  'disable-ignore-pragma',
  'label-schema',
  'strict-labels',
  'no-fail',
];

/** hadolint keys Defang reads past, with what to do instead (if anything). */
const UNSUPPORTED_KEYS: Readonly<Record<string, string>> = {
  'no-color': 'Defang output needs no colour setting',
  format: 'Defang chooses its reporters itself',
};

const OVERRIDE_LEVELS = ['error', 'warning', 'info', 'style'] as const;
const THRESHOLDS = ['error', 'warning', 'info', 'style', 'ignore', 'none'] as const;
const THRESHOLD_TO_FAIL_ON: Readonly<Record<(typeof THRESHOLDS)[number], FailOn>> = {
  error: 'error',
  warning: 'warning',
  info: 'info',
  style: 'info',
  ignore: 'never',
  none: 'never',
};

export function applyHadolintConfig(src: YamlSource, policy: Policy, catalogue: Catalogue): void {
  const root = src.root();
  if (src.isNull(root)) return;
  if (!src.isMap(root)) src.fail(root, `expected a map of settings at the top level, got ${describe(root.node)}`);

  const levels: Array<{ code: string; level: RuleLevel }> = [];
  const ignored: string[] = [];
  for (const entry of src.entries(root)) {
    switch (entry.key) {
      case 'ignored':
        if (!src.isNull(entry)) ignored.push(...codes(src, entry, policy));
        break;
      case 'override':
        for (const group of src.entries(entry)) {
          src.checkKey(group, OVERRIDE_LEVELS);
          if (src.isNull(group)) continue;
          const level: RuleLevel = group.key === 'style' ? 'info' : (group.key as RuleLevel);
          for (const code of codes(src, group, policy)) levels.push({ code, level });
        }
        break;
      case 'trustedRegistries':
        if (src.isNull(entry)) break;
        policy.trustedRegistries = [...new Set(registryHosts(src, entry))];
        break;
      case 'failure-threshold':
        policy.failOn = THRESHOLD_TO_FAIL_ON[src.oneOf(entry, THRESHOLDS)];
        break;
      case 'disable-ignore-pragma':
        policy.allowInlineIgnores = !src.boolean(entry);
        break;
      // Labels are checked by the label-schema rule; hadolint's settings become its options.
      case 'label-schema': {
        if (src.isNull(entry)) break;
        const schema: Record<string, string> = {};
        for (const label of src.entries(entry)) schema[label.key] = String(src.toData(label));
        policy.rules['label-schema'] = mergeSetting(policy.rules['label-schema'], {
          options: { ...policy.rules['label-schema']?.options, schema },
        });
        break;
      }
      // hadolint's no-fail never fails the run: the same as fail-on: never.
      case 'no-fail':
        if (src.boolean(entry)) policy.failOn = 'never';
        break;
      case 'strict-labels':
        policy.rules['label-schema'] = mergeSetting(policy.rules['label-schema'], {
          options: { ...policy.rules['label-schema']?.options, strict: src.boolean(entry) },
        });
        break;
      default: {
        const why = UNSUPPORTED_KEYS[entry.key];
        const text = why
          ? `"${entry.key}" is not supported by Defang and was ignored (${why})`
          : `unknown hadolint key "${entry.key}" was ignored${didYouMean(entry.key, [...SUPPORTED_KEYS, ...Object.keys(UNSUPPORTED_KEYS)])}`;
        policy.notices.push(src.locate(entry.keyOffset, undefined, text));
      }
    }
  }
  // hadolint drops ignored rules whatever their override says, so `ignored` is applied last.
  for (const { code, level } of levels) applyCode(policy, catalogue, code, level);
  for (const code of ignored) applyCode(policy, catalogue, code, 'off');
}

/**
 * hadolint settings are per code, so each is kept by code (for the findings that carry it) and, where the code is a
 * rule's only code, also set on the rule. A rule that stands for several codes is left alone: ignoring DL3006 must
 * not silence the same rule's DL3007 findings.
 */
function applyCode(policy: Policy, catalogue: Catalogue, code: string, level: RuleLevel): void {
  setCodeLevel(policy, code, level);
  for (const id of catalogue.soleRulesFor(code)) policy.rules[id] = mergeSetting(policy.rules[id], { level });
}

/** A list of codes; anything that is not a DLxxxx/SCxxxx code is left out with a notice. */
function codes(src: YamlSource, at: Entry, policy: Policy): string[] {
  const values = src.stringList(at, 'a rule code', { single: true });
  const items: Located[] = src.isSeq(at) ? src.items(at) : [at];
  const out: string[] = [];
  values.forEach((value, i) => {
    if (CODE_PATTERN.test(value)) {
      out.push(value.toUpperCase());
    } else {
      const item = items[i]!;
      policy.notices.push(
        src.locate(item.offset, item.path, `"${value}" is not a hadolint (DLxxxx) or ShellCheck (SCxxxx) code and was ignored`),
      );
    }
  });
  return out;
}

/**
 * hadolint trusts registries by host (`docker.io`, `my.registry:5000`); Defang trusts globs over `registry/repository`,
 * so each host becomes `host/*`. For `docker.io` that keeps hadolint's meaning: any Docker Hub image, not only the
 * official ones.
 */
function registryHosts(src: YamlSource, at: Entry): string[] {
  const hosts = src.stringList(at, 'a registry host', { single: true });
  const items: Located[] = src.isSeq(at) ? src.items(at) : [at];
  return hosts.map((host, i) => {
    const problem = registryGlobProblem(host);
    if (problem) src.fail(items[i]!, problem);
    return `${host.replace(/\/+$/, '')}/*`;
  });
}
