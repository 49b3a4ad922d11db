import type { Rule } from './types.ts';
import { checkPins } from './util/package-rules.ts';
import { goPinned, judgeableOperands, packageName } from './util/packages.ts';

const rule: Rule = {
  meta: {
    id: 'go-pin-versions',
    severity: 'warning',
    title: 'go install/get/run of a module without a version',
    description:
      '`go install example.com/tool` (and `go get`, `go run`) without `@version` resolves the newest version, and `@latest` says the same thing out loud: rebuilds can get different code. Pin `@v1.2.3` (or a commit). Local packages (`.`, `./cmd/x`) and `.go` files build from the context and are not judged. Off by default.',
    hadolint: ['DL3062'],
    fixable: false,
    kind: 'static',
    enabledByDefault: false,
    category: 'packages',
  },
  check: checkPins({
    managers: ['go'],
    select: (pc) => {
      const ops = pc.operands.filter((a) => !(a.text ?? '').startsWith('-'));
      if (pc.subcommand === 'install' || pc.subcommand === 'get') return { operands: judgeableOperands(ops), pinned: goPinned };
      // go run: the first operand is the package; the rest are the program's arguments.
      if (pc.subcommand === 'run') return { operands: judgeableOperands(pc.operands.slice(0, 1)), pinned: goPinned };
      return null;
    },
    how: (op, pc) => `write "${packageName(op.specShown, pc.manager)}@v<version>"`,
  }),
};

export default rule;
