import type { ImageRule } from './types.ts';
import { reportSetId } from './util/image.ts';

/**
 * Set-user-ID programs in the final filesystem of the built image, each reported on the line whose layer added it
 * (or, inherited, on the FROM line).
 */
const rule: ImageRule = {
  meta: {
    id: 'image-setuid',
    severity: 'warning',
    title: 'Set-user-ID file in the image',
    description:
      'A set-user-ID program runs with the privileges of its owner, usually root, whoever starts it: in a container it is a ready way for a compromised unprivileged process to become root. Clear the bits in the final stage (find / -xdev -perm /6000 -type f -exec chmod a-s {} \\;) or remove the package that installs the program.',
    fixable: false,
    kind: 'image',
    enabledByDefault: true,
    category: 'image',
    options: {
      allow: {
        type: 'string[]',
        default: [],
        description: 'Path globs inside the image (picomatch, e.g. "/usr/bin/sudo" or "/usr/lib/**/chrome-sandbox") whose set-user-ID bit is wanted and not reported.',
      },
    },
  },
  checkImage(ctx) {
    reportSetId(ctx, 'setuid');
  },
};

export default rule;
