import type { Fix } from '../findings.ts';
import type { DockerfileModel, Instruction, Stage } from '../dockerfile/model.ts';
import type { ShellCommand, ShellScript } from '../dockerfile/shell.ts';
import type { Rule } from './types.ts';
import {
  effectiveUser,
  isChainguardNonDev,
  isDistroless,
  isKnownNonRootImage,
  isRootUser,
  rootStage,
  stageChain,
} from './util/images.ts';

export const STRIP_LINE = 'RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} \\; || true';

const POSIX_SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);

/** A `-perm` argument that selects set-user-ID or set-group-ID files (`/6000`, `+6000`, `-4000`, `/u=s,g=s`). */
export function permSelectsSetid(mode: string | null): boolean {
  if (!mode) return false;
  const m = mode.replace(/^[-/+]/, '');
  if (/^[0-7]+$/.test(m)) return (parseInt(m, 8) & 0o6000) !== 0;
  return /^[ugoa]*[-+=][rwxXst]*(?:,[ugoa]*[-+=][rwxXst]*)*$/.test(m) && m.includes('s');
}

/** chmod arguments whose mode clears set-user-ID or set-group-ID bits of regular files. */
export function chmodClearsSetid(args: ReadonlyArray<string | null>): boolean {
  for (const a of args) {
    if (a === null) return false;
    if (a.startsWith('--')) continue;
    if (/^-[Rcfvh]+$/.test(a)) continue;
    // The first other word is the mode (`-s` is a mode too).
    if (/^[0-7]{1,4}$/.test(a)) return a.length < 4 || (parseInt(a[0], 8) & 6) === 0;
    return a.split(',').some((clause) => {
      const m = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause);
      if (!m) return false;
      const who = m[1];
      if (who !== '' && !/[uga]/.test(who)) return false;
      return /-[rwxXt]*s/.test(m[2]);
    });
  }
  return false;
}

function base(word: string | null): string {
  return word ? word.slice(word.lastIndexOf('/') + 1) : '';
}

/** The command xargs runs: its words after xargs' own options. */
function xargsCommand(cmd: ShellCommand): Array<string | null> {
  const withValue = new Set(['-n', '-I', '-i', '-P', '-L', '-l', '-s', '-d', '-E', '-e', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file']);
  const words = cmd.args.map((w) => w.value);
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    if (w === null) return [];
    if (!w.startsWith('-')) break;
    if (withValue.has(w)) i += 2;
    else i += 1;
  }
  return words.slice(i);
}

/** Whether a find command (with what it pipes into) strips setuid/setgid bits or deletes such files. */
function findStrips(cmd: ShellCommand): boolean {
  const words = cmd.args.map((w) => w.value);
  let selects = false;
  for (let i = 0; i < words.length; i++) if (words[i] === '-perm' && permSelectsSetid(words[i + 1])) selects = true;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '-delete' && selects) return true;
    if (w !== '-exec' && w !== '-execdir' && w !== '-ok' && w !== '-okdir') continue;
    const run: Array<string | null> = [];
    let j = i + 1;
    while (j < words.length && words[j] !== ';' && words[j] !== '+') run.push(words[j++]);
    const name = base(run[0]);
    if (name === 'chmod' && chmodClearsSetid(run.slice(1))) return true;
    if (name === 'rm' && selects) return true;
    i = j;
  }
  if (cmd.pipeline) {
    for (const next of cmd.pipeline.commands.slice(cmd.pipelineIndex + 1)) {
      if (!next || next.base !== 'xargs') continue;
      const run = xargsCommand(next);
      const name = base(run[0]);
      if (name === 'chmod' && chmodClearsSetid(run.slice(1))) return true;
      if (name === 'rm' && selects) return true;
    }
  }
  return false;
}

export function scriptStripsSetid(script: ShellScript): boolean {
  return script.commands.some((c) => c.base === 'find' && findStrips(c));
}

function posix(shellCommand: readonly string[]): boolean {
  return POSIX_SHELLS.has(base(shellCommand[0] ?? '').replace(/\.exe$/i, '').toLowerCase());
}

/**
 * Set-user-ID and set-group-ID programs (su, passwd, mount, …) are how an unprivileged process becomes root. An image
 * that does not need them should clear the bits. Images without a shell (scratch, distroless, Chainguard non-dev,
 * Windows) are not judged; nor are finals whose base cannot be resolved.
 */
const rule: Rule = {
  meta: {
    id: 'setuid-not-removed',
    severity: 'info',
    title: 'Final image keeps setuid/setgid programs',
    description:
      'Set-user-ID and set-group-ID programs let a process inside the container gain the privileges of their owner (usually root). Clear the bits in the final stage with `find / -xdev -perm /6000 -type f -exec chmod a-s {} \\;` (as root), unless the image needs one of them.',
    fixable: true,
    kind: 'static',
    enabledByDefault: false,
    category: 'security',
  },
  check({ model, report }) {
    const final = model.finalStage;
    if (!final) return;
    const root = rootStage(final);
    if (root.unresolved !== null || root.scratch || !root.base) return;
    const ref = root.base;
    if (isDistroless(ref) || isChainguardNonDev(ref) || root.windows) return;
    for (const s of stageChain(final)) {
      for (const inst of s.instructions) {
        if (inst.keyword === 'RUN' && inst.shell && scriptStripsSetid(inst.shell)) return;
      }
    }
    const fix = fixFor(model, final);
    report({
      ...final.baseSpan,
      message: `The final stage never clears setuid/setgid bits, so programs such as su or passwd can still raise privileges: add \`${STRIP_LINE}\` to it, as root (before any USER that switches to a non-root user).`,
      ...(fix ? { fix } : {}),
    });
  },
};

/** The user in effect just before `inst` in `stage`: root, non-root, or unknown. */
function userBefore(model: DockerfileModel, stage: Stage, inst: Instruction): 'root' | 'other' | 'unknown' {
  const before = stage.instructions.slice(0, stage.instructions.indexOf(inst));
  const fake: Stage = { ...stage, instructions: before };
  const u = effectiveUser(fake, model.escape);
  if (u) return u.user === null ? 'unknown' : isRootUser(u.user) ? 'root' : 'other';
  const r = rootStage(stage);
  return r.base && isKnownNonRootImage(r.base) ? 'other' : 'root';
}

/**
 * The fix, when it is certain: a POSIX shell at the insertion point and root in effect there. It goes after the
 * stage's last line when the stage ends as root, or just before the stage's last USER when that USER switches away
 * from root.
 */
function fixFor(model: DockerfileModel, final: Stage): Fix | null {
  const lines = model.source.lines;
  const last = final.instructions[final.instructions.length - 1];
  const after = (): Fix | null => {
    if (!posix(last.shellCommand)) return null;
    const line = last.span.endLine;
    return { line, endLine: line, replacement: `${lines[line - 1]}\n${STRIP_LINE}`, description: 'Clear setuid/setgid bits in the final stage' };
  };
  const u = effectiveUser(final, model.escape);
  if (u === null) {
    const b = rootStage(final).base;
    return b && !isKnownNonRootImage(b) ? after() : null;
  }
  if (u.user === null) return null;
  if (isRootUser(u.user)) return after();
  // A non-root USER set in the final stage itself: clear the bits just before it, if root is in effect there.
  if (u.stage !== final || userBefore(model, final, u.inst) !== 'root' || !posix(u.inst.shellCommand)) return null;
  const line = u.inst.span.line;
  return {
    line,
    endLine: line,
    replacement: `${STRIP_LINE}\n${lines[line - 1]}`,
    description: 'Clear setuid/setgid bits before switching to a non-root user',
  };
}

export default rule;
