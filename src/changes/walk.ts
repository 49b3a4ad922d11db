/** Every file of a workspace whose path matches, found by walking the tree. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

/**
 * Repository-relative paths (with `/`) of the files under `root` that `matches` accepts, sorted by code unit.
 * Skips `.git` and `node_modules` directories; does not follow symbolic links to directories (a link to a file is
 * listed under the link's own path; a dangling link is not).
 */
export async function listMatchingFiles(root: string, matches: (path: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(join(dir, entry.name), relative);
      } else if (entry.isFile()) {
        if (matches(relative)) found.push(relative);
      } else if (entry.isSymbolicLink() && matches(relative)) {
        const target = await stat(join(dir, entry.name)).catch(() => undefined);
        if (target?.isFile()) found.push(relative);
      }
    }
  };
  await walk(root, '');
  return found.sort(compareCodeUnits);
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
