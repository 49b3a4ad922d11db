/** Which repository paths are Dockerfiles, by the configured globs. */
import picomatch from 'picomatch';

const matchers = new Map<string, (path: string) => boolean>();

/**
 * A repository-relative path in the form the globs are matched against: `/` separators, no leading `./` or `/`.
 */
export function normalizePath(path: string): string {
  let p = path.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  return p.replace(/^\/+/, '');
}

/**
 * True when `path` (repository-relative) matches one of `globs` and none of the globs written with a leading `!`.
 * Globs use picomatch syntax with `dot: true`, so they see dot-directories (`.devcontainer/Dockerfile`); `**\/`
 * also matches at the root (`**\/Dockerfile` matches `Dockerfile`). A glob means what it says: `**\/Dockerfile.*`
 * matches `Dockerfile.md` too.
 */
export function matchesDockerfile(path: string, globs: readonly string[]): boolean {
  return dockerfileMatcher(globs)(path);
}

/** The compiled form of matchesDockerfile for many paths (cached per list of globs). */
export function dockerfileMatcher(globs: readonly string[]): (path: string) => boolean {
  const key = JSON.stringify(globs);
  let matcher = matchers.get(key);
  if (!matcher) {
    const include: string[] = [];
    const exclude: string[] = [];
    for (const glob of globs) {
      const trimmed = glob.trim();
      if (trimmed === '' || trimmed === '!') continue;
      if (trimmed.startsWith('!')) exclude.push(normalizePath(trimmed.slice(1)));
      else include.push(normalizePath(trimmed));
    }
    const isIncluded = include.length > 0 ? picomatch(include, { dot: true }) : () => false;
    const isExcluded = exclude.length > 0 ? picomatch(exclude, { dot: true }) : () => false;
    matcher = (path: string) => {
      const p = normalizePath(path);
      return isIncluded(p) && !isExcluded(p);
    };
    matchers.set(key, matcher);
  }
  return matcher;
}
