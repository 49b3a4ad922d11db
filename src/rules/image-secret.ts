import type { Span } from '../findings.ts';
import type { ImageRule, ImageRuleContext } from './types.ts';
import { baseSpanOf, finalContent, isRegular, lastInChain, lastPropertySpan, pathMatcher, plural, sortedFiles, stringList } from './util/image.ts';
import { describeFileSecret, fileSecret, secretSetting } from './util/secrets.ts';

/**
 * Secrets anyone who pulls the image can read: files of the final filesystem (private keys, credential files, known
 * token formats), values of the config's Env, and build-argument values recorded in the history. Never printed:
 * only masked.
 */
const rule: ImageRule = {
  meta: {
    id: 'image-secret',
    severity: 'error',
    title: 'Secret in the built image',
    description:
      'Anything in an image is readable by whoever can pull it: files in its layers, its environment (docker inspect) and its history, which records the build arguments of every RUN (docker history). Revoke the secret, and pass secrets to the build with RUN --mount=type=secret and to the container at run time.',
    fixable: false,
    kind: 'image',
    enabledByDefault: true,
    category: 'image',
    options: {
      allow: {
        type: 'string[]',
        default: [],
        description:
          'Path globs inside the image (picomatch, e.g. "/usr/lib/python3*/**/tests/**") whose files hold keys known to be harmless, such as test fixtures shipped by a package. The environment and the history are always checked.',
      },
    },
  },
  checkImage(ctx) {
    checkFiles(ctx);
    checkEnv(ctx);
    checkBuildArgs(ctx);
  },
};

function checkFiles(ctx: ImageRuleContext): void {
  const { image } = ctx;
  const allowed = pathMatcher(stringList(ctx.options.allow));
  for (const f of sortedFiles(image)) {
    if (!isRegular(f) || allowed(f.path)) continue;
    // A hardlink is the same file as its target: reported once, on the target.
    if (f.type === 'hardlink' && f.linkTarget && image.files.get(f.linkTarget)?.type === 'file') continue;
    const secret = fileSecret(f.path, finalContent(image, f), f.size);
    if (!secret) continue;
    const judged = secret.byName ? ' (judged by its name: its contents were not read)' : '';
    ctx.report({
      layer: f.layer,
      path: f.path,
      message: `${f.path} holds ${describeFileSecret(secret)}${judged}: anyone who pulls the image can read it. Revoke it, keep it out of every layer (use RUN --mount=type=secret, or a build stage whose files are not copied), and rebuild.`,
    });
  }
}

function checkEnv(ctx: ImageRuleContext): void {
  for (const kv of ctx.image.config.env) {
    const eq = kv.indexOf('=');
    if (eq <= 0) continue;
    const name = kv.slice(0, eq);
    const value = kv.slice(eq + 1);
    const found = secretSetting(name, value);
    if (!found) continue;
    const inst = lastInChain(ctx, (i) => i.keyword === 'ENV' && i.properties.some((p) => p.name === name));
    const prop = inst?.properties.filter((p) => p.name === name).pop();
    // A value written literally in the Dockerfile is secret-in-env-or-arg's to report (it needs no build).
    if (prop && prop.value === value && !value.includes('$')) continue;
    const at: Span = prop?.span ?? baseSpanOf(ctx);
    const where = prop ? '' : ' (set by the base image)';
    ctx.report({
      layer: null,
      at,
      message: `The image's environment sets ${name} to what looks like ${found.kind} ("${found.masked}")${where}: anyone who pulls the image can read it with docker inspect. Pass it to the container at run time instead, and revoke this one.`,
    });
  }
}

interface RecordedArg {
  name: string;
  value: string;
  /** History entries that record it. */
  entries: number[];
}

/**
 * Build arguments recorded in a history entry: `RUN |2 A=1 B=2 /bin/sh -c …` (BuildKit) or `|2 A=1 B=2 /bin/sh -c …`
 * (the classic builder). Values are space-separated as recorded; a value with a space cannot be told apart, so
 * parsing stops at the first pair that is not `NAME=value`.
 */
export function recordedBuildArgs(createdBy: string): Array<{ name: string; value: string }> {
  const m = /^(?:RUN\s+)?\|(\d+)\s+/.exec(createdBy);
  if (!m) return [];
  const n = Number(m[1]);
  let rest = createdBy.slice(m[0].length);
  const out: Array<{ name: string; value: string }> = [];
  for (let i = 0; i < n; i++) {
    const kv = /^([A-Za-z_][A-Za-z0-9_]*)=(\S*)(?:\s+|$)/.exec(rest);
    if (!kv) break;
    out.push({ name: kv[1], value: kv[2] });
    rest = rest.slice(kv[0].length);
  }
  return out;
}

function checkBuildArgs(ctx: ImageRuleContext): void {
  const { image } = ctx;
  const recorded = new Map<string, RecordedArg>();
  image.history.forEach((h, i) => {
    for (const { name, value } of recordedBuildArgs(h.createdBy)) {
      const key = `${name}\u0000${value}`;
      const r = recorded.get(key);
      if (r) r.entries.push(i);
      else recorded.set(key, { name, value, entries: [i] });
    }
  });
  for (const r of recorded.values()) {
    const found = secretSetting(r.name, r.value);
    if (!found) continue;
    const message = `Build argument ${r.name} holds what looks like ${found.kind} ("${found.masked}") and its value is recorded in the image history (${plural(r.entries.length, 'entry', 'entries')}): anyone who pulls the image can read it with docker history. Use a secret mount (RUN --mount=type=secret) instead of a build argument, and revoke this one.`;
    const span = lastPropertySpan(ctx, 'ARG', r.name);
    if (span) {
      ctx.report({ layer: null, at: span, message });
      continue;
    }
    // Not declared in this Dockerfile's stages: the base image's history records it.
    const layer = layerOfHistory(ctx, r.entries[0]);
    if (layer === null) ctx.report({ layer: null, at: baseSpanOf(ctx), message });
    else ctx.report({ layer, message });
  }
}

/** The layer a history entry made, or for an entry without a layer the layer before it (the image at that point). */
function layerOfHistory(ctx: ImageRuleContext, entry: number): number | null {
  let layers = 0;
  for (let i = 0; i < entry; i++) if (!ctx.image.history[i].emptyLayer) layers++;
  const own = !ctx.image.history[entry]?.emptyLayer;
  const layer = own ? layers : layers - 1;
  return layer >= 0 && layer < ctx.image.layers.length ? layer : null;
}

export default rule;
