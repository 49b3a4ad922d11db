/**
 * Helpers for the base-image, stage and user rules: registry globs, images known to run as non-root or to have no
 * shell, stage chains, the effective USER, `COPY --from` / `RUN --mount from=` references, and masking secrets.
 */
import type { Span } from '../../findings.ts';
import { stageChain, type DockerfileModel, type Instruction, type Property, type Stage } from '../../dockerfile/model.ts';
import { splitWords, unquote } from '../../dockerfile/parse.ts';
import { tryParseImageRef, type ImageRef } from '../../dockerfile/refs.ts';
import { expandVariables } from '../../dockerfile/vars.ts';

// ---------------------------------------------------------------------------------------------------------------
// Registry globs
// ---------------------------------------------------------------------------------------------------------------

/**
 * A trusted-registry glob, normalised the way Docker normalises image names, and matched against an image's
 * `registry/repository` (`ImageRef.name`, e.g. `docker.io/library/nginx`). Tags and digests are never part of it.
 *
 * - `*` matches any run of characters other than `/`: part of a path segment, or any part of the host, dots and port
 *   included (`*.random.com` matches `a.b.random.com`, `localhost:*` any port; it does not match `random.com`).
 * - `**` matches any run of characters, `/` included.
 * - A trailing `/*` matches everything below the prefix, however deep: `ghcr.io/my-org/*` matches
 *   `ghcr.io/my-org/app` and `ghcr.io/my-org/team/app`, but not `ghcr.io/my-org` itself nor `ghcr.io/my-org-x/app`.
 *   This is registry- or namespace-level trust, what hadolint's `trustedRegistries` hosts mean.
 * - A glob without `/` names a registry host and trusts every repository on it: `quay.io`, `*.random.com`.
 *   A bare `*` or `**` trusts every image.
 * - The first segment is a host when it contains `.`, `:` or `*`, or is `localhost`; otherwise the glob is on Docker
 *   Hub: `my-org/*` is `docker.io/my-org/*`, and `docker.io/nginx` is `docker.io/library/nginx`. The host aliases
 *   `index.docker.io` and `registry-1.docker.io` are `docker.io`.
 * - Matching ignores case; a trailing `/` is ignored.
 */
export interface RegistryGlob {
  /** As written. */
  glob: string;
  /** The normalised form that is matched. */
  normalised: string;
  regex: RegExp;
}

const HOST_ALIASES: Readonly<Record<string, string>> = { 'index.docker.io': 'docker.io', 'registry-1.docker.io': 'docker.io' };

function isHostSegment(segment: string): boolean {
  return segment.includes('.') || segment.includes(':') || segment.includes('*') || segment === 'localhost';
}

/** The normalised text of a glob (see `RegistryGlob`). */
export function normaliseRegistryGlob(glob: string): string {
  let g = glob.trim().toLowerCase().replace(/\/+$/, '');
  if (g === '') return '';
  if (g === '*' || g === '**') return '**';
  let segments = g.split('/');
  if (segments.length === 1) return `${HOST_ALIASES[segments[0]] ?? segments[0]}/*`;
  if (!isHostSegment(segments[0])) segments = ['docker.io', ...segments];
  segments[0] = HOST_ALIASES[segments[0]] ?? segments[0];
  if (segments[0] === 'docker.io' && segments.length === 2 && !segments[1].includes('*')) {
    segments = ['docker.io', 'library', segments[1]];
  }
  g = segments.join('/');
  return g;
}

function escapeRegex(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

const compiled = new Map<string, RegistryGlob>();

/** Compiled once per glob (policies hold a handful; every FROM of every file is checked against them). */
export function compileRegistryGlob(glob: string): RegistryGlob {
  let c = compiled.get(glob);
  if (!c) {
    c = compileRegistryGlobUncached(glob);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(glob, c);
  }
  return c;
}

function compileRegistryGlobUncached(glob: string): RegistryGlob {
  const normalised = normaliseRegistryGlob(glob);
  let body: string;
  if (normalised === '**') body = '.*';
  else if (normalised === '') body = '(?!)';
  else {
    let head = normalised;
    let tail = '';
    if (head.endsWith('/*') && !head.endsWith('/**')) {
      head = head.slice(0, -2);
      tail = '/[^/]+(?:/[^/]+)*';
    }
    body =
      head
        .split('**')
        .map((part) => part.split('*').map(escapeRegex).join('[^/]*'))
        .join('.*') + tail;
  }
  return { glob, normalised, regex: new RegExp(`^${body}$`, 'i') };
}

/** Whether an image name (`registry/repository`) matches one glob. */
export function matchesRegistryGlob(glob: string, name: string): boolean {
  return compileRegistryGlob(glob).regex.test(name);
}

/** The first glob that trusts `name`, or null when none does. */
export function trustingGlob(globs: readonly string[], name: string): string | null {
  for (const g of globs) if (compileRegistryGlob(g).regex.test(name)) return g;
  return null;
}

/** A list of globs for a message: the first `max`, then "and N more". */
export function describeGlobs(globs: readonly string[], max = 4): string {
  if (globs.length === 0) return 'none';
  const shown = globs.slice(0, max).join(', ');
  return globs.length > max ? `${shown} and ${globs.length - max} more` : shown;
}

// ---------------------------------------------------------------------------------------------------------------
// Known images
// ---------------------------------------------------------------------------------------------------------------

/** `gcr.io/distroless/…`: no shell (the `:debug` tags have a busybox shell, but no setuid programs either). */
export function isDistroless(ref: ImageRef): boolean {
  return ref.registry.toLowerCase() === 'gcr.io' && ref.repository.startsWith('distroless/');
}

/** `cgr.dev/chainguard/…` without a `-dev` tag: no shell, runs as user 65532. Untagged means `latest`. */
export function isChainguardNonDev(ref: ImageRef): boolean {
  if (ref.registry.toLowerCase() !== 'cgr.dev' || !ref.repository.startsWith('chainguard/')) return false;
  const tag = ref.tag ?? 'latest';
  return !(tag === 'dev' || tag.endsWith('-dev'));
}

/**
 * Bases that run as a non-root user by default, so a final stage without USER on them does not run as root:
 * the `nonroot` tags of distroless (`:nonroot`, `:debug-nonroot`, `:latest-nonroot`), any `:nonroot` or `*-nonroot`
 * tag, and Chainguard images except their `-dev` variants.
 */
export function isKnownNonRootImage(ref: ImageRef): boolean {
  const tag = ref.tag ?? '';
  if (tag === 'nonroot' || tag.endsWith('-nonroot')) return true;
  return isChainguardNonDev(ref);
}

/** Whether an image name matches one of `name` / `name:tag` globs (for user-supplied lists of images). */
export function matchesImageGlob(glob: string, ref: ImageRef): boolean {
  const at = glob.lastIndexOf('/');
  const colon = glob.indexOf(':', at + 1);
  if (colon < 0) return matchesRegistryGlob(glob, ref.name);
  const namePart = glob.slice(0, colon);
  const tagPart = glob.slice(colon + 1);
  if (!matchesRegistryGlob(namePart, ref.name)) return false;
  const tagRe = new RegExp(`^${tagPart.split('*').map(escapeRegex).join('.*')}$`);
  return tagRe.test(ref.tag ?? 'latest');
}

// ---------------------------------------------------------------------------------------------------------------
// Stages and users
// ---------------------------------------------------------------------------------------------------------------

export { stageChain };

/** The image a stage chain ends in: the last stage of the chain (its `base`, `scratch` or `unresolved`). */
export function rootStage(stage: Stage): Stage {
  const chain = stageChain(stage);
  return chain[chain.length - 1];
}

/** The span of an instruction's arguments (after the keyword and flags). */
export function argsSpan(inst: Instruction): Span {
  const len = inst.argsText.length;
  if (len === 0) return inst.keywordSpan;
  return inst.argsText.spanOf(0, len);
}

export interface UserSetting {
  /** The USER instruction. */
  inst: Instruction;
  /** The stage it belongs to (the stage itself or one it builds on); null in a file without FROM. */
  stage: Stage | null;
  /** The value after variable substitution, or null when a variable has no value. */
  value: string | null;
  /** The user part (before `:`), or null when unresolved. */
  user: string | null;
}

function userOf(inst: Instruction, escape: string): { value: string | null; user: string | null } {
  const exp = expandVariables(inst.args.trim(), inst.lookup, { escape, removeQuotes: true });
  if (exp.missing.length > 0) return { value: null, user: null };
  const value = exp.value.trim();
  const colon = value.indexOf(':');
  return { value, user: colon >= 0 ? value.slice(0, colon) : value };
}

/** The last top-level USER among instructions (ONBUILD triggers do not count: they run in another build). */
export function lastUser(instructions: readonly Instruction[], stage: Stage | null, escape: string): UserSetting | null {
  for (let i = instructions.length - 1; i >= 0; i--) {
    const inst = instructions[i];
    if (inst.keyword !== 'USER' || inst.onbuild) continue;
    return { inst, stage, ...userOf(inst, escape) };
  }
  return null;
}

/**
 * The USER in effect at the end of a stage: its own last USER, or else the one it inherits from the stage it builds
 * on. Null when no stage of the chain sets one.
 */
export function effectiveUser(stage: Stage, escape: string): UserSetting | null {
  for (const s of stageChain(stage)) {
    const u = lastUser(s.instructions, s, escape);
    if (u) return u;
  }
  return null;
}

/** `root`, `0`, `root:…`, `0:…` (hadolint's notion of a root USER). */
export function isRootUser(user: string): boolean {
  return user === 'root' || /^0+$/.test(user);
}

// ---------------------------------------------------------------------------------------------------------------
// COPY --from and RUN --mount from=
// ---------------------------------------------------------------------------------------------------------------

export interface FromReference {
  inst: Instruction;
  /** The flag (`--from=…` or the whole `--mount=…`). */
  span: Span;
  /** As written. */
  text: string;
  /** After variable substitution and quote removal; null when a variable has no value. */
  value: string | null;
  kind: 'copy' | 'mount';
}

/** The `--from` of COPY and the `from=` of `RUN --mount`, for top-level instructions and ONBUILD triggers. */
export function fromReferences(model: DockerfileModel): FromReference[] {
  const out: FromReference[] = [];
  for (const inst of model.all) {
    if (inst.keyword === 'COPY') {
      for (const f of inst.flags) {
        if (f.name !== 'from' || f.value === null) continue;
        out.push({ inst, span: f.span, text: f.value, value: expand(f.value, inst, model.escape), kind: 'copy' });
      }
    } else if (inst.keyword === 'RUN') {
      for (const f of inst.flags) {
        if (f.name !== 'mount' || f.value === null) continue;
        const from = mountOption(f.value, 'from');
        if (from === null) continue;
        out.push({ inst, span: f.span, text: from, value: expand(from, inst, model.escape), kind: 'mount' });
      }
    }
  }
  return out;
}

function expand(text: string, inst: Instruction, escape: string): string | null {
  const exp = expandVariables(text, inst.lookup, { escape, removeQuotes: true });
  return exp.missing.length > 0 ? null : exp.value.trim();
}

/** One option of a `--mount=type=bind,from=x,target=/y` value (CSV; quoted fields allowed). */
export function mountOption(value: string, key: string): string | null {
  let v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) v = v.slice(1, -1);
  const fields: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (const c of v) {
    if (quote) {
      if (c === quote) quote = null;
      else cur += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ',') {
      fields.push(cur);
      cur = '';
    } else cur += c;
  }
  fields.push(cur);
  for (const field of fields) {
    const eq = field.indexOf('=');
    if (eq < 0) continue;
    if (field.slice(0, eq).trim().toLowerCase() === key) return field.slice(eq + 1).trim();
  }
  return null;
}

/** The stage a `--from` value names: a stage name anywhere in the file, or a numeric index. */
export function stageNamed(model: DockerfileModel, value: string): Stage | null {
  const lower = value.toLowerCase();
  if (/^\d+$/.test(lower)) return model.stages[Number(lower)] ?? null;
  return model.stages.find((s) => s.name === lower) ?? null;
}

/**
 * The image a `--from` value pulls, when it is not a stage: values that name no stage and are not a number are
 * image references (BuildKit pulls them). Null for stages, numbers and values that are not valid references.
 */
export function fromImage(model: DockerfileModel, ref: FromReference): ImageRef | null {
  if (ref.value === null || ref.value === '') return null;
  if (/^\d+$/.test(ref.value)) return null;
  if (model.stages.some((s) => s.name === ref.value!.toLowerCase())) return null;
  return tryParseImageRef(ref.value);
}

// ---------------------------------------------------------------------------------------------------------------
// COPY operands
// ---------------------------------------------------------------------------------------------------------------

export interface Operand {
  /** With quotes removed. */
  value: string;
  span: Span;
}

/** The source and destination operands of COPY/ADD (shell form or JSON form); heredoc sources are kept as written. */
export function copyOperands(inst: Instruction): Operand[] {
  const args = inst.argsText;
  const text = args.text;
  if (text.trimStart().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) {
        // Find each string's place in the text to give it an exact span.
        const out: Operand[] = [];
        let at = 0;
        for (const s of parsed as string[]) {
          const q = text.indexOf('"', at);
          let end = q + 1;
          while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
          out.push({ value: s, span: args.spanOf(q, end + 1) });
          at = end + 1;
        }
        return out;
      }
    } catch {
      // Not JSON: BuildKit reads it as shell form.
    }
  }
  return splitWords(args).map((w) => ({ value: unquote(w.text), span: args.spanOf(w.start, w.end) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------------------------

/**
 * A secret for a message: the first 4 characters and `****` when the value is at least 12 characters long (so at most
 * a third of it shows), otherwise `****` alone.
 */
export function maskSecret(value: string): string {
  return value.length >= 12 ? `${value.slice(0, 4)}****` : '****';
}

/** The text of a span on one line (for names as written). */
export function spanText(model: DockerfileModel, span: Span): string {
  if (span.line !== span.endLine) return '';
  return (model.source.lines[span.line - 1] ?? '').slice(span.column - 1, span.endColumn - 1);
}
