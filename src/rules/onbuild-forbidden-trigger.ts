import type { Rule } from './types.ts';

/**
 * ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER: the build fails. The model records these as problems too;
 * this rule owns them (dockerfile-syntax skips them), so that they carry hadolint's DL3043.
 */
const FORBIDDEN: Record<string, string> = {
  ONBUILD: 'remove the inner ONBUILD (triggers do not chain)',
  FROM: 'a trigger cannot start a stage; remove it',
  MAINTAINER: 'set LABEL maintainer=… on the image itself instead',
};

const rule: Rule = {
  meta: {
    id: 'onbuild-forbidden-trigger',
    severity: 'error',
    title: 'ONBUILD triggers ONBUILD, FROM or MAINTAINER',
    description:
      'ONBUILD may not trigger ONBUILD, FROM or MAINTAINER; such a Dockerfile does not build. Remove the trigger or move the instruction out of ONBUILD.',
    hadolint: ['DL3043'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    for (const inst of model.all) {
      if (!inst.onbuild || !Object.hasOwn(FORBIDDEN, inst.keyword)) continue;
      report({
        ...inst.keywordSpan,
        message: `${inst.keyword} is not allowed as an ONBUILD trigger: the build fails; ${FORBIDDEN[inst.keyword]}.`,
      });
    }
  },
};

export default rule;
