import type { ImageRule } from './types.ts';
import { contentIn, describeLayer } from './util/image.ts';
import { describeFileSecret, fileSecret } from './util/secrets.ts';

/**
 * A secret file that one layer added and a later layer deleted (whiteout, opaque directory) or replaced: the later
 * layer only hides it, and the layer that added it still holds it. Reported on the line that added it, naming the
 * line that tried to delete it.
 */
const rule: ImageRule = {
  meta: {
    id: 'image-deleted-secret',
    severity: 'error',
    title: 'Secret deleted in a later layer is still in the image',
    description:
      'Deleting a file in a later instruction does not remove it from the image: the layer that added it still holds it, and anyone who pulls the image can extract it (docker save, then untar the layer). Revoke the secret, and never put one in a layer: use RUN --mount=type=secret, or a build stage whose files are not copied into the final image.',
    fixable: false,
    kind: 'image',
    enabledByDefault: true,
    category: 'image',
  },
  checkImage(ctx) {
    const { image } = ctx;
    for (const r of image.removed) {
      if (r.type !== 'file' && r.type !== 'hardlink') continue;
      const content = contentIn(image, r.path, r.addedIn);
      const secret = fileSecret(r.path, content, r.size);
      if (!secret) continue;
      if (r.how === 'overwritten' && content !== null) {
        // Written again with the same bytes: nothing more is exposed than the final file (image-secret's).
        const next = contentIn(image, r.path, r.removedIn);
        if (next !== null && next.equals(content)) continue;
      }
      const how = r.how === 'overwritten' ? 'replaced' : 'deleted';
      const judged = secret.byName ? ' (judged by its name: its contents were not read)' : '';
      ctx.report({
        layer: r.addedIn,
        path: r.path,
        message: `${r.path} holds ${describeFileSecret(secret)}${judged}; it is ${how} by ${describeLayer(ctx, r.removedIn)}, but that only hides it: this layer still holds the file and anyone who pulls the image can extract it. Revoke it, and keep secrets out of layers with RUN --mount=type=secret.`,
      });
    }
  },
};

export default rule;
