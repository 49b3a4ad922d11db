import type { ImageRule } from './types.ts';
import { baseSpanOf, imageStage, lastUserSpan, resolveUser } from './util/image.ts';
import { rootStage } from './util/images.ts';

/**
 * The user the container runs as, from the image's config, resolved through the image's own /etc/passwd and
 * /etc/group the way the runtime resolves it: root is a finding, and so is a name the image does not know (the
 * container will not start). Reported on the last USER of the image's stage chain, or on the FROM line when the user
 * comes from the base image.
 */
const rule: ImageRule = {
  meta: {
    id: 'image-root-user',
    severity: 'warning',
    title: 'Image runs as root, or as a user it does not have',
    description:
      "The built image's user, resolved through its own /etc/passwd: a container that runs as root (no USER, USER root, USER 0, or a name with uid 0) gives a compromised process root inside the container and a head start on escaping it. A USER name or group the image does not know is an error: the container will not start.",
    fixable: false,
    kind: 'image',
    enabledByDefault: true,
    category: 'image',
  },
  checkImage(ctx) {
    const { image } = ctx;
    // Windows containers have no uid 0 (ContainerAdministrator / ContainerUser): not judged.
    if (image.config.os === 'windows') return;
    const spec = image.config.user.trim();
    const own = lastUserSpan(ctx);
    const at = own ?? baseSpanOf(ctx);
    const stage = imageStage(ctx);
    const root = stage ? rootStage(stage) : null;
    const base = root?.scratch ? 'scratch' : root?.baseResolved ? `"${root.baseResolved}"` : 'the base image';
    const u = resolveUser(image, spec);
    if (u.problem !== null) {
      ctx.report({
        layer: null,
        at,
        inherited: !own,
        severity: 'error',
        message: `The container will not start: the image's user is "${spec}" and ${u.problem}${own ? '' : ` (the user is inherited from ${base})`}. Create the user in the image (useradd, adduser) before switching to it, or use a numeric uid (USER 10001).`,
      });
      return;
    }
    if (!u.root) return;
    let why: string;
    if (spec === '') why = own ? 'the USER sets an empty user, which is root' : `no USER is set, here or in ${base}`;
    else if (u.user === '') why = `"${spec}" names only a group, so the user is root`;
    else if (u.user === 'root' || /^\d+$/.test(u.user)) why = `its user is "${spec}"`;
    else why = `its user "${u.user}" has uid 0 in the image's /etc/passwd`;
    const inherited = !own && spec !== '' ? ` (inherited from ${base})` : '';
    ctx.report({
      layer: null,
      at,
      inherited: !own && spec !== '',
      message: `The container runs as root: ${why}${inherited}. Add a USER with an unprivileged user after the steps that need root (e.g. USER 10001).`,
    });
  },
};

export default rule;
