import type { Rule } from './types.ts';
import { checkPins, rpmPinHow, rpmPinSelection } from './util/package-rules.ts';

const rule: Rule = {
  meta: {
    id: 'dnf-pin-versions',
    severity: 'warning',
    title: 'dnf/microdnf install without version pins',
    description:
      'Without a version (`name-version`, `name-version-release`, or `module:stream` for modules), dnf installs whatever the repository has today, so rebuilds can differ. Groups, local .rpm files and capabilities are not judged. Off by default: repositories drop old builds, so exact pins break builds unless you mirror the repository.',
    hadolint: ['DL3041'],
    fixable: false,
    kind: 'static',
    enabledByDefault: false,
    category: 'packages',
  },
  check: checkPins({
    managers: ['dnf', 'microdnf'],
    select: rpmPinSelection,
    how: rpmPinHow,
  }),
};

export default rule;
