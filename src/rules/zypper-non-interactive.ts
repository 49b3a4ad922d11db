import type { Rule } from './types.ts';
import { checkMissingOption, fedByYes } from './util/package-rules.ts';
import { hasOption, shownCommand, ZYPPER_PROMPTING } from './util/packages.ts';

const rule: Rule = {
  meta: {
    id: 'zypper-non-interactive',
    severity: 'warning',
    title: 'zypper command without -n (--non-interactive)',
    description:
      'A build cannot answer zypper\'s prompts: without `-n` (`--non-interactive`) before the sub-command, or `-y` (`--no-confirm`) after it, zypper waits for input and the build fails or hangs. The fix adds the global `-n`, which also answers questions about licences and keys conservatively.',
    hadolint: ['DL3034'],
    fixable: true,
    kind: 'static',
    enabledByDefault: true,
    category: 'packages',
  },
  check: checkMissingOption({
    managers: ['zypper'],
    subcommands: ZYPPER_PROMPTING,
    satisfied: (pc) =>
      hasOption(pc, '-n', '--non-interactive', '--non-interactive-include-reboot-patches', '-y', '--no-confirm') || fedByYes(pc.cmd),
    message: (pc) => `"${shownCommand(pc)}" runs without -n: add "zypper -n" (--non-interactive) so the build does not stop at a prompt.`,
    insert: ' -n',
    insertAfter: 'program',
    fixDescription: 'Add -n (--non-interactive)',
  }),
};

export default rule;
