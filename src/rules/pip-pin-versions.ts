import type { Rule } from './types.ts';
import { checkPins } from './util/package-rules.ts';
import { hasOption, judgeableOperands, packageName, pipPinned, type Arg, type PackageCommand, type PackageOperand } from './util/packages.ts';

/** The package specs of a pip/pipx install: operands, `-e`/`--editable` values, and `name @ url` as one. */
function specs(pc: PackageCommand): PackageOperand[] | null {
  if (pc.manager === 'pipx') {
    if (pc.subcommand === 'install') return judgeableOperands(pc.operands);
    if (pc.subcommand === 'inject') return judgeableOperands(pc.operands.slice(1));
    return null;
  }
  if (pc.subcommand !== 'install') return null;
  // A constraints file pins whatever the command installs.
  if (hasOption(pc, '-c', '--constraint')) return null;
  const args: Arg[] = [];
  for (let i = 0; i < pc.operands.length; i++) {
    // `name @ https://…` is a direct reference: pinned by its URL.
    if (pc.operands[i + 1]?.text === '@') {
      i += 2;
      continue;
    }
    args.push(pc.operands[i]);
  }
  const editable = pc.options
    .filter((o) => (o.name === '-e' || o.name === '--editable') && o.value !== null)
    .map((o): PackageOperand => ({ spec: o.value!, shown: o.value!, specShown: o.value!, word: o.valueWord, unsetHere: [] }));
  return [...judgeableOperands(args), ...editable];
}

const rule: Rule = {
  meta: {
    id: 'pip-pin-versions',
    severity: 'warning',
    title: 'pip install without version pins',
    description:
      'Without a version specifier (`pkg==1.2.3`, or at least `pkg~=1.2`), pip installs the newest release on PyPI, so two builds of the same Dockerfile can get different code. Requirements files (`-r`), constraints files (`-c`), local paths, archives and VCS URLs with a `@ref` count as pinned. Off by default: many teams pin in requirements or lock files instead.',
    hadolint: ['DL3013'],
    fixable: false,
    kind: 'static',
    enabledByDefault: false,
    category: 'packages',
  },
  check: checkPins({
    managers: ['pip', 'pipx'],
    select: (pc) => {
      const operands = specs(pc);
      return operands ? { operands, pinned: pipPinned } : null;
    },
    how: (op, pc) =>
      /^(git|hg|svn|bzr)\+/i.test(op.spec)
        ? 'add "@<tag or commit>" to the repository URL'
        : `install "${packageName(op.specShown, pc.manager)}==<version>"`,
  }),
};

export default rule;
