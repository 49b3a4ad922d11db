import type { Rule } from './types.ts';
import { checkMissingOption, rpmAssumesYes } from './util/package-rules.ts';
import { RPM_PROMPTING, shownCommand } from './util/packages.ts';

const rule: Rule = {
  meta: {
    id: 'dnf-missing-yes',
    severity: 'warning',
    title: 'dnf/microdnf command without -y',
    description:
      'A build cannot answer the "Is this ok [y/N]" prompt: without -y (--assumeyes) dnf (and microdnf) stops with "Operation aborted" and the build fails. Pass -y to every command that changes packages.',
    hadolint: ['DL3038'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'packages',
  },
  check: checkMissingOption({
    managers: ['dnf', 'microdnf'],
    subcommands: RPM_PROMPTING,
    satisfied: (pc) => rpmAssumesYes(pc),
    message: (pc) => `"${shownCommand(pc)}" runs without -y: add -y so the build does not stop at the confirmation prompt.`,
    insert: ' -y',
    fixDescription: 'Add -y',
  }),
};

export default rule;
