/**
 * Image references, normalised the way Docker does: `nginx` → `docker.io/library/nginx:latest`.
 */

export interface ImageRef {
  /** The reference as written after variable expansion. */
  raw: string;
  /** Registry host (with port), e.g. `docker.io`, `ghcr.io`, `localhost:5000`. */
  registry: string;
  /** Repository path inside the registry, e.g. `library/nginx`, `my-org/app`. */
  repository: string;
  /** The tag, when one was written. */
  tag?: string;
  /** The digest, when one was written (`sha256:…`). */
  digest?: string;
  /** `registry/repository`, e.g. `docker.io/library/nginx`. */
  name: string;
  /** The fully qualified reference: `name[:tag][@digest]`, with `:latest` added when neither tag nor digest was given. */
  canonical: string;
}

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:localhost|(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d+)?$/;

export class ImageRefError extends Error {}

/** Parse and normalise an image reference; throws ImageRefError with a reason when it is not valid. */
export function parseImageRef(raw: string): ImageRef {
  const ref = raw.trim();
  if (ref === '') throw new ImageRefError('empty image reference');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ImageRefError(`invalid digest "${digest}"`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new ImageRefError(`invalid tag "${tag}"`);
  }
  let registry = 'docker.io';
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      if (!DOMAIN.test(first)) throw new ImageRefError(`invalid registry "${first}"`);
      registry = first;
      path = rest.slice(slash + 1);
    }
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io';
  if (path === '') throw new ImageRefError('missing repository name');
  for (const part of path.split('/')) {
    if (!PATH_COMPONENT.test(part)) {
      throw new ImageRefError(
        part !== part.toLowerCase() ? `repository name must be lowercase: "${path}"` : `invalid repository name "${path}"`,
      );
    }
  }
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  const name = `${registry}/${path}`;
  let canonical = name;
  if (tag) canonical += `:${tag}`;
  if (digest) canonical += `@${digest}`;
  if (!tag && !digest) canonical += ':latest';
  return { raw: ref, registry, repository: path, tag, digest, name, canonical };
}

/** Parse, or return null when the reference is not valid. */
export function tryParseImageRef(raw: string): ImageRef | null {
  try {
    return parseImageRef(raw);
  } catch {
    return null;
  }
}
