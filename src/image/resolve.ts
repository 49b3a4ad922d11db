/**
 * Path resolution inside an image's own tree (never the host's): follows symlinks the way the kernel would inside the
 * container — absolute targets restart at the image root, `..` at the root stays at the root, every component of the
 * path is resolved — and gives up after 40 symlinks (Linux's MAXSYMLINKS), so loops end with `loop` instead of hanging.
 */
import type { ImageFile, ImageView } from '../image-view.ts';

/** Linux follows at most 40 symlinks in one lookup (ELOOP after that). */
export const MAX_SYMLINK_HOPS = 40;

export type Resolution =
  /** The path exists; `path` is where it really is (no symlinks left), `file` its entry, `hops` the symlinks followed. */
  | { status: 'found'; path: string; file: ImageFile; hops: number }
  /** Nothing at `path` (the first component that is missing, after links so far). */
  | { status: 'missing'; path: string; hops: number }
  /** More than MAX_SYMLINK_HOPS symlinks: a loop (or an absurd chain). `path` is where it stopped. */
  | { status: 'loop'; path: string; hops: number }
  /** A component in the middle of the path is not a directory (`path` is that component). */
  | { status: 'not-directory'; path: string; hops: number };

export interface ResolveOptions {
  /** Follow a symlink in the last component too (default true, like stat; false is like lstat). */
  followLast?: boolean;
}

function components(p: string): string[] {
  return p.split('/').filter((c) => c !== '' && c !== '.');
}

/**
 * Resolves `path` (absolute, or relative to `/`) in the image's final filesystem. A missing intermediate directory
 * entry is treated as a directory when the image has paths below it (some layer tars omit parent directories).
 */
export function resolveInImage(view: Pick<ImageView, 'files'>, path: string, opts: ResolveOptions = {}): Resolution {
  const followLast = opts.followLast ?? true;
  const files = view.files;
  /** The resolved directory so far, as components. */
  const done: string[] = [];
  /** Components still to resolve, in order (a stack: next one at the end). */
  const todo = components(path).reverse();
  let hops = 0;
  const here = () => (done.length === 0 ? '/' : `/${done.join('/')}`);

  while (todo.length > 0) {
    const c = todo.pop()!;
    if (c === '..') {
      done.pop();
      continue;
    }
    done.push(c);
    const p = here();
    const f = files.get(p);
    const last = todo.length === 0;
    if (!f) {
      if (!last && hasChildren(files, p)) continue; // an implied directory
      return { status: 'missing', path: p, hops };
    }
    if (f.type === 'symlink' && (!last || followLast)) {
      if (++hops > MAX_SYMLINK_HOPS) return { status: 'loop', path: p, hops };
      const target = f.linkTarget ?? '';
      done.pop();
      if (target.startsWith('/')) done.length = 0;
      const parts = components(target);
      for (let i = parts.length - 1; i >= 0; i--) todo.push(parts[i]!);
      continue;
    }
    if (!last && f.type !== 'dir') return { status: 'not-directory', path: p, hops };
  }
  const p = here();
  const file = files.get(p);
  if (!file) return { status: 'missing', path: p, hops };
  return { status: 'found', path: p, file, hops };
}

function hasChildren(files: ReadonlyMap<string, ImageFile>, dir: string): boolean {
  const prefix = `${dir}/`;
  for (const key of files.keys()) if (key.startsWith(prefix)) return true;
  return false;
}
