import type { Property } from '../dockerfile/model.ts';
import type { Rule } from './types.ts';
import { BOOLEAN, findCredential, isSecretName, REFERENCE } from './util/secrets.ts';

// Shared with the image rules; re-exported for callers of this module.
export { findCredential, isSecretName, nameTokens } from './util/secrets.ts';

/**
 * Credentials in ENV or ARG: ENV values are stored in the image config, and build arguments in the image history,
 * where anyone who can pull the image can read them. Names are matched on whole tokens; values are searched for
 * known credential formats. Secret values are never printed.
 */
const rule: Rule = {
  meta: {
    id: 'secret-in-env-or-arg',
    severity: 'error',
    title: 'Credential in ENV or ARG',
    description:
      'ENV values are stored in the image and ARG values in its history, where anyone who can pull the image can read them. Pass secrets to the build with a secret mount (RUN --mount=type=secret) and to the container at run time, never through ENV or ARG.',
    hadolint: ['DL3064'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'security',
  },
  check({ model, report }) {
    for (const inst of model.all) {
      if (inst.keyword !== 'ENV' && inst.keyword !== 'ARG') continue;
      for (const p of inst.properties) {
        const message = judge(inst.keyword, p);
        if (message) report({ ...p.span, message });
      }
    }
  },
};

function judge(keyword: string, p: Property): string | null {
  const value = p.value ?? '';
  const found = findCredential(value);
  if (found) {
    return `${keyword} ${p.name} holds what looks like ${found.kind} ("${found.masked}"): remove it from the Dockerfile, revoke it, and pass it with a secret mount (RUN --mount=type=secret) instead.`;
  }
  if (!isSecretName(p.name)) return null;
  if (BOOLEAN.test(value.trim())) return null;
  if (keyword === 'ARG') {
    return `ARG ${p.name} looks like a credential: build arguments are recorded in the image history; use a secret mount instead (RUN --mount=type=secret,id=${p.name.toLowerCase()}).`;
  }
  if (value.trim() === '' || REFERENCE.test(value.trim())) return null;
  return `ENV ${p.name} looks like a credential and its value is stored in the image: pass it at run time, or use a secret mount during the build (RUN --mount=type=secret).`;
}

export default rule;
