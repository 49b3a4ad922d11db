import type { ImageRule } from './types.ts';
import { reportSetId } from './util/image.ts';

/**
 * Set-group-ID programs in the final filesystem of the built image, each reported on the line whose layer added it
 * (or, inherited, on the FROM line).
 */
const rule: ImageRule = {
  meta: {
    id: 'image-setgid',
    severity: 'warning',
    title: 'Set-group-ID file in the image',
    description:
      'A set-group-ID program runs with the privileges of its group (shadow, tty, mail, …) whoever starts it: a compromised process can use it to read or change what that group guards, such as password hashes. Clear the bits in the final stage (find / -xdev -perm /6000 -type f -exec chmod a-s {} \\;) or remove the package that installs the program.',
    fixable: false,
    kind: 'image',
    enabledByDefault: true,
    category: 'image',
    options: {
      allow: {
        type: 'string[]',
        default: [],
        description: 'Path globs inside the image (picomatch, e.g. "/usr/bin/ssh-agent") whose set-group-ID bit is wanted and not reported.',
      },
    },
  },
  checkImage(ctx) {
    reportSetId(ctx, 'setgid');
  },
};

export default rule;
