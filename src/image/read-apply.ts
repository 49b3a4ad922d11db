/**
 * Stacks layer indexes in the manifest's order into the final filesystem, the way overlayfs (Docker's overlay2) shows
 * it, without touching any disk:
 *
 * - Each layer is applied in two phases. First its whiteouts, against the layers below it only: `.wh.name` deletes the
 *   path and everything under it; `.wh..wh..opq` hides everything the earlier layers had inside that directory. Then
 *   its entries, in tar order. (So an opaque directory keeps what the same layer puts in it, whatever the tar order.)
 * - A path set again replaces the earlier version, which is recorded in `removed` as `overwritten`; a directory set
 *   again over a directory only takes the new metadata (its contents merge, as in overlayfs) and is not recorded. A
 *   non-directory over a directory removes the whole subtree.
 * - A path whose parent is missing gets implicit parent directories (0755, root), as Docker's extraction makes them;
 *   a parent that exists as a non-directory is replaced by a directory (what overlayfs shows when a later layer has a
 *   directory where an earlier one had a file or a symlink). Links are never followed.
 * - A hardlink takes the metadata of its target as it is at that moment (mode, owner, size): a hardlink to a setuid
 *   file is a setuid file. A hardlink whose target does not exist (or is a directory) is tolerated — Docker would
 *   refuse to extract it, so such an image cannot run — and kept with its own header's mode and size 0, with a
 *   warning.
 * - Within one layer, a path written twice keeps the later entry; the earlier one is recorded as `overwritten` with
 *   addedIn === removedIn (its bytes are still in the layer blob).
 */
import type { ImageFile, ReadFile, RemovedFile } from '../image-view.ts';
import { parentOf, type LayerEntry, type Whiteout } from './read-layer.ts';

export interface ApplyInput {
  /** Names the layer in warnings (`layer 2 (blobs/sha256/…)`). */
  label: string;
  adds: readonly LayerEntry[];
  whiteouts: readonly Whiteout[];
}

export interface Applied {
  files: Map<string, ImageFile>;
  removed: RemovedFile[];
  contents: ReadFile[];
}

export function applyLayers(layers: readonly ApplyInput[], warn: (message: string) => void): Applied {
  const files = new Map<string, ImageFile>();
  /** Directory path → the paths directly inside it. */
  const kids = new Map<string, Set<string>>();
  const removed: RemovedFile[] = [];
  const contents: ReadFile[] = [];

  const link = (path: string) => {
    if (path === '/') return;
    const parent = parentOf(path);
    let set = kids.get(parent);
    if (!set) {
      set = new Set();
      kids.set(parent, set);
    }
    set.add(path);
  };

  /** Removes `path` and everything under it, recording each version. */
  const removeTree = (path: string, layer: number, how: RemovedFile['how']) => {
    const top = files.get(path);
    if (!top) return;
    if (path !== '/') kids.get(parentOf(path))?.delete(path);
    const stack = [path];
    while (stack.length > 0) {
      const p = stack.pop()!;
      const f = files.get(p);
      if (!f) continue;
      removed.push({ path: p, type: f.type, size: f.size, mode: f.mode, addedIn: f.layer, removedIn: layer, how });
      files.delete(p);
      const children = kids.get(p);
      if (children) {
        kids.delete(p);
        // Reverse so that the pops come out in insertion order.
        const list = [...children];
        for (let i = list.length - 1; i >= 0; i--) stack.push(list[i]!);
      }
    }
  };

  /** Removes everything inside directory `path` (not the directory itself). */
  const clearDir = (path: string, layer: number) => {
    const children = kids.get(path);
    if (!children) return;
    for (const child of [...children]) removeTree(child, layer, 'opaque');
  };

  const implicitDir = (path: string, layer: number): ImageFile => ({ path, type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, layer });

  /** Makes sure `dir` exists as a directory (creating it and its parents, replacing a non-directory). */
  const ensureDir = (dir: string, layer: number) => {
    const missing: string[] = [];
    let p = dir;
    for (;;) {
      const f = files.get(p);
      if (f && f.type === 'dir') break;
      if (f) removeTree(p, layer, 'overwritten');
      missing.push(p);
      if (p === '/') break;
      p = parentOf(p);
    }
    for (let i = missing.length - 1; i >= 0; i--) {
      const m = missing[i]!;
      files.set(m, implicitDir(m, layer));
      link(m);
    }
  };

  layers.forEach((layer, index) => {
    for (const w of layer.whiteouts) {
      if (w.opaque) clearDir(w.path, index);
      else removeTree(w.path, index, 'whiteout');
    }
    for (const w of layer.whiteouts) if (w.opaque) ensureDir(w.path, index);

    for (const e of layer.adds) {
      const existing = files.get(e.path);
      if (existing) {
        if (existing.type === 'dir' && e.type === 'dir') {
          existing.mode = e.mode;
          existing.uid = e.uid;
          existing.gid = e.gid;
          existing.layer = index;
          continue;
        }
        removeTree(e.path, index, 'overwritten');
      }
      if (e.path !== '/') ensureDir(parentOf(e.path), index);
      let file: ImageFile;
      if (e.type === 'hardlink') {
        const target = files.get(e.linkTarget!);
        if (target && target.type !== 'dir') {
          file = {
            path: e.path,
            type: 'hardlink',
            mode: target.mode,
            uid: target.uid,
            gid: target.gid,
            size: target.size,
            linkTarget: e.linkTarget!,
            layer: index,
          };
        } else {
          warn(
            `${layer.label}: hardlink ${e.path} points to ${e.linkTarget}, which ${target ? 'is a directory' : 'does not exist'} ` +
              `in this or an earlier layer (kept with its own mode ${e.mode.toString(8)}, size 0; Docker could not extract it)`,
          );
          file = { path: e.path, type: 'hardlink', mode: e.mode, uid: e.uid, gid: e.gid, size: 0, linkTarget: e.linkTarget!, layer: index };
        }
      } else {
        file = { path: e.path, type: e.type, mode: e.mode, uid: e.uid, gid: e.gid, size: e.size, layer: index };
        if (e.type === 'symlink') file.linkTarget = e.linkTarget!;
      }
      files.set(e.path, file);
      link(e.path);
      if (e.content) contents.push({ path: e.path, layer: index, content: e.content });
    }
  });
  return { files, removed, contents };
}
