import type { ImageFile } from '../image-view.ts';
import type { ImageRule } from './types.ts';
import { formatMode, isUnder, pathMatcher, plural, sortedFiles, stringList } from './util/image.ts';

/**
 * Directories meant to be shared and paths the runtime mounts over (/dev, /proc, /sys): not judged, nor anything
 * below them.
 */
export const SHARED_DIRS: readonly string[] = ['/tmp', '/var/tmp', '/dev', '/proc', '/sys', '/run/lock', '/var/lock'];

/** How many paths one finding lists. */
const SHOWN = 5;

const KIND: Record<string, string> = { file: 'file', hardlink: 'file', dir: 'directory', char: 'device', block: 'device', fifo: 'fifo' };

/** World-writable, as judged here: o+w, except symlinks (always 0777) and sticky directories (shared like /tmp). */
export function isWorldWritable(f: ImageFile): boolean {
  if (f.type === 'symlink' || (f.mode & 0o002) === 0) return false;
  return !(f.type === 'dir' && (f.mode & 0o1000) !== 0);
}

/**
 * World-writable files and directories (without the sticky bit) in the final filesystem, outside /tmp-like
 * directories: one finding per layer that made them, listing up to five paths and the count.
 */
const rule: ImageRule = {
  meta: {
    id: 'image-world-writable',
    severity: 'warning',
    title: 'World-writable path in the image',
    description:
      'A file or directory that every user may write lets any process in the container, whatever its user, change programs, configuration or data that others trust: a compromised low-privilege process can plant code that a more privileged one runs. Remove the o+w bit (chmod o-w), give the path to the user that needs it (chown), or make shared directories sticky (chmod +t) like /tmp.',
    fixable: false,
    kind: 'image',
    enabledByDefault: true,
    category: 'image',
    options: {
      allow: {
        type: 'string[]',
        default: [],
        description: 'Path globs inside the image (picomatch, e.g. "/var/www/uploads/**") that may be world-writable.',
      },
    },
  },
  checkImage(ctx) {
    const allowed = pathMatcher(stringList(ctx.options.allow));
    const byLayer = new Map<number, ImageFile[]>();
    for (const f of sortedFiles(ctx.image)) {
      if (!isWorldWritable(f) || SHARED_DIRS.some((d) => isUnder(f.path, d)) || allowed(f.path)) continue;
      const list = byLayer.get(f.layer);
      if (list) list.push(f);
      else byLayer.set(f.layer, [f]);
    }
    const advice = 'remove the o+w bit (chmod o-w), chown the path to the user that writes it, or make a shared directory sticky (chmod +t)';
    for (const [layer, files] of byLayer) {
      const describe = (f: ImageFile) => `${f.path} (${KIND[f.type] ?? f.type}, mode ${formatMode(f.mode)})`;
      const first = files[0];
      if (files.length === 1) {
        const sticky = first.type === 'dir' ? ' without the sticky bit' : '';
        ctx.report({
          layer,
          path: first.path,
          message: `${describe(first)} is world-writable${sticky}: any process in the container can change it, whatever its user; ${advice}.`,
        });
        continue;
      }
      const shown = files.slice(0, SHOWN).map(describe).join(', ');
      const more = files.length > SHOWN ? ` and ${files.length - SHOWN} more` : '';
      ctx.report({
        layer,
        path: first.path,
        message: `${plural(files.length, 'path')} are world-writable: ${shown}${more}. Any process in the container can change them, whatever its user; ${advice}.`,
      });
    }
  },
};

export default rule;
