import type { RemovedFile } from '../image-view.ts';
import type { ImageRule } from './types.ts';
import { describeLayer, formatBytes, listText, plural } from './util/image.ts';

export const DEFAULT_THRESHOLD = 1024 * 1024;

/**
 * Bytes a layer wrote that later layers deleted or overwrote: they still ship in the image. One finding per layer
 * that wrote them, when they add up to at least the threshold.
 */
const rule: ImageRule = {
  meta: {
    id: 'image-wasted-bytes',
    severity: 'info',
    title: 'Layer bytes deleted or overwritten by later layers',
    description:
      'Deleting or overwriting a file in a later instruction does not make the image smaller: the layer that wrote it still holds every byte, and every pull downloads them. Remove temporary files in the same RUN that creates them, download and unpack in one step, or do the work in a build stage and copy only the result.',
    fixable: false,
    kind: 'image',
    enabledByDefault: true,
    category: 'image',
    options: {
      threshold: {
        type: 'number',
        default: DEFAULT_THRESHOLD,
        description: 'Report a layer only when the bytes later layers delete or overwrite add up to at least this many bytes (default 1 MiB).',
      },
    },
  },
  checkImage(ctx) {
    const raw = ctx.options.threshold;
    const threshold = typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_THRESHOLD;
    const byLayer = new Map<number, RemovedFile[]>();
    for (const r of ctx.image.removed) {
      // Hardlinks share their target's bytes, and directories hold none.
      if (r.type !== 'file') continue;
      const list = byLayer.get(r.addedIn);
      if (list) list.push(r);
      else byLayer.set(r.addedIn, [r]);
    }
    for (const [layer, removed] of [...byLayer].sort((a, b) => a[0] - b[0])) {
      const bytes = removed.reduce((n, r) => n + r.size, 0);
      if (bytes === 0 || bytes < threshold) continue;
      const largest = removed.reduce((a, b) => (b.size > a.size ? b : a));
      const removers = [...new Set(removed.map((r) => r.removedIn))].sort((a, b) => a - b).map((l) => describeLayer(ctx, l));
      const hows = new Set(removed.map((r) => r.how === 'overwritten' ? 'overwrite' : 'delete'));
      const one = removers.length === 1;
      const verb = [...hows].sort().map((v) => (one ? `${v}s` : v)).join(' or ');
      const writer = ctx.attribution.layers[layer]?.inherited ? 'A layer of the base image' : 'This layer';
      const largestHow = largest.how === 'overwritten' ? 'overwritten' : 'deleted';
      ctx.report({
        layer,
        path: largest.path,
        message: `${writer} writes ${formatBytes(bytes)} (${plural(removed.length, 'file')}) that ${listText(removers)} later ${verb}: the bytes still ship in the image. The largest is ${largest.path} (${formatBytes(largest.size)}, ${largestHow} by ${describeLayer(ctx, largest.removedIn)}). Remove temporary files in the same RUN that creates them, or build in a separate stage and copy only the result.`,
      });
    }
  },
};

export default rule;
