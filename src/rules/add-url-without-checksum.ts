import type { Rule } from './types.ts';
import { copyArgs, isGitSource, isHttpUrl } from './util/copy-args.ts';

/**
 * `ADD https://…` takes whatever the server returns on the day of the build: a replaced release file, a tampered
 * mirror or an error page goes into the image unnoticed. `ADD --checksum=sha256:…` (Dockerfile syntax 1.6 and
 * later) fails the build when the file differs. Git repository URLs (`….git`) are not judged here.
 */
const rule: Rule = {
  meta: {
    id: 'add-url-without-checksum',
    severity: 'warning',
    title: 'ADD downloads a URL without --checksum',
    description:
      'Pin what ADD downloads: `ADD --checksum=sha256:<digest> https://… /dest` (Dockerfile syntax 1.6 or later) makes the build fail when the file changes. Without it, a replaced or tampered file on the server goes into the image unnoticed. Alternatively download with curl and verify with `sha256sum -c`.',
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'security',
  },
  check({ model, report }) {
    for (const inst of model.all) {
      if (inst.keyword !== 'ADD' || inst.flags.some((f) => f.name === 'checksum')) continue;
      const args = copyArgs(model, inst);
      if (!args || !args.dest) continue;
      for (const src of args.sources) {
        const url = src.value ?? src.raw;
        if (!isHttpUrl(url) || isGitSource(url)) continue;
        report({
          ...src.span,
          message: `ADD downloads "${url}" without --checksum, so a changed file goes into the image unnoticed: add --checksum=sha256:<digest> (Dockerfile syntax 1.6+), or download it with curl and check its SHA-256.`,
        });
      }
    }
  },
};

export default rule;
