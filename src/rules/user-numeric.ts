import type { Span } from '../findings.ts';
import type { UserSetting } from './util/images.ts';
import type { Rule } from './types.ts';
import { argsSpan, effectiveUser, isRootUser, lastUser } from './util/images.ts';

/**
 * Kubernetes `runAsNonRoot` can only verify a numeric UID: with `USER app` the kubelet refuses to start the pod.
 * Only the USER the image runs as is judged (the final stage's, or the one it inherits); `root` is left to root-user.
 */
const rule: Rule = {
  meta: {
    id: 'user-numeric',
    severity: 'info',
    title: 'USER names a user instead of a numeric UID',
    description:
      'Set the final USER by numeric UID (USER 10001 or USER 10001:10001). Kubernetes runAsNonRoot cannot tell whether a user name is root and refuses to start such a container; a UID also does not depend on /etc/passwd.',
    hadolint: ['DL3066'],
    fixable: false,
    kind: 'static',
    enabledByDefault: false,
    category: 'user',
  },
  check({ model, report }) {
    const u: UserSetting | null = model.finalStage
      ? effectiveUser(model.finalStage, model.escape)
      : lastUser(model.instructions, null, model.escape);
    if (!u || u.user === null || u.value === null) return;
    if (/^\d+$/.test(u.user) || isRootUser(u.user) || u.user === '') return;
    report({
      ...userSpan(u),
      message: `USER "${u.value}" names the user "${u.user}" instead of a numeric UID: Kubernetes runAsNonRoot cannot verify it; use the UID (e.g. USER 10001${u.value.includes(':') ? ':10001' : ''}).`,
    });
  },
};

/** The user part of the USER's argument when it is written literally, else the whole argument. */
function userSpan(u: UserSetting): Span {
  const text = u.inst.argsText.text;
  const colon = text.indexOf(':');
  if (colon > 0 && !text.includes('$')) return u.inst.argsText.spanOf(0, colon);
  return argsSpan(u.inst);
}

export default rule;
