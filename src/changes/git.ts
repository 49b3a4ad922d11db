/** The local git commands the changes module needs, run with argument arrays (never through a shell). */
import { execFile } from 'node:child_process';

/** A failed git command: the arguments, the exit code and what git printed on stderr. */
export class GitError extends Error {
  readonly args: readonly string[];
  readonly exitCode: number | string | null;
  readonly stderr: string;
  constructor(args: readonly string[], exitCode: number | string | null, stderr: string, cause?: unknown) {
    const detail = stderr.trim().split('\n')[0] ?? '';
    super(`git ${args.join(' ')} failed (${exitCode ?? 'killed'})${detail ? `: ${detail}` : ''}`, { cause });
    this.name = 'GitError';
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/** Runs `git -C cwd ...args` and resolves with its stdout. */
export function git(cwd: string, args: readonly string[]): Promise<string> {
  const fullArgs = ['-C', cwd, ...args];
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      fullArgs,
      {
        encoding: 'utf8',
        maxBuffer: 512 * 1024 * 1024,
        // A stable, prompt-free, lock-free git: the output is parsed, and nothing here should ever wait for input.
        env: gitEnvironment(),
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException & { code?: number | string }).code ?? null;
          reject(new GitError(args, code, stderr || error.message, error));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

/**
 * The environment for git: stable, prompt-free and lock-free (the output is parsed, and nothing here should ever
 * wait for input), and without variables that would point git at another repository than `-C` names (they are set
 * inside git hooks, for instance).
 */
function gitEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat' };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR']) {
    delete env[name];
  }
  return env;
}

/**
 * True when `rev` names a commit present in the repository at `cwd`. Throws (GitError) when git cannot answer at
 * all: git missing, `cwd` not a repository, a repository git refuses to read.
 */
export async function hasCommit(cwd: string, rev: string): Promise<boolean> {
  try {
    await git(cwd, ['cat-file', '-e', `${rev}^{commit}`]);
    return true;
  } catch (error) {
    if (error instanceof GitError && (error.exitCode === 'ENOENT' || /not a git repository|dubious ownership/i.test(error.stderr))) {
      throw error;
    }
    return false;
  }
}

export type GitChangeStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface GitChange {
  path: string;
  status: GitChangeStatus;
  previousPath?: string;
}

/** The files that differ between two commits (`git diff --name-status -z -M`), renames detected. */
export async function diffNameStatus(cwd: string, from: string, to: string): Promise<GitChange[]> {
  const out = await git(cwd, ['diff', '--name-status', '-z', '-M', '--no-ext-diff', '--no-color', from, to, '--']);
  const tokens = out.split('\0');
  if (tokens[tokens.length - 1] === '') tokens.pop();
  const changes: GitChange[] = [];
  let i = 0;
  while (i < tokens.length) {
    const code = tokens[i] as string;
    const letter = code[0];
    if (letter === 'R' || letter === 'C') {
      const previousPath = tokens[i + 1];
      const path = tokens[i + 2];
      if (previousPath === undefined || path === undefined) throw new Error(`git diff --name-status: truncated entry ${JSON.stringify(code)}`);
      changes.push({ path, previousPath, status: letter === 'R' ? 'renamed' : 'copied' });
      i += 3;
    } else {
      const path = tokens[i + 1];
      if (path === undefined) throw new Error(`git diff --name-status: truncated entry ${JSON.stringify(code)}`);
      changes.push({ path, status: STATUS_LETTERS[letter ?? ''] ?? 'changed' });
      i += 2;
    }
  }
  return changes;
}

const STATUS_LETTERS: Record<string, GitChangeStatus> = {
  A: 'added',
  D: 'removed',
  M: 'modified',
  T: 'changed',
  U: 'changed',
  X: 'changed',
};

/**
 * The hunks (`@@ ... @@` onwards, headers stripped) of one file's diff between two commits with no context lines
 * (`git diff -U0`); `binary` when git only says the files differ.
 */
export async function diffHunks(
  cwd: string,
  from: string,
  to: string,
  change: GitChange,
): Promise<{ patch: string; binary: boolean }> {
  const paths = change.previousPath !== undefined ? [change.previousPath, change.path] : [change.path];
  const out = await git(cwd, [
    '--literal-pathspecs',
    'diff',
    '-U0',
    '-M',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    from,
    to,
    '--',
    ...paths,
  ]);
  // One section per file; with the rename detected there is one. Should git list the two sides of a rename
  // apart, the new file's section is the one that is not a deletion.
  const sections = out.split(/^(?=diff --git )/m).filter((s) => s.trim() !== '');
  const section = sections.find((s) => !/^deleted file mode /m.test(s)) ?? sections[0] ?? '';
  const start = section.startsWith('@@') ? 0 : section.indexOf('\n@@');
  if (start < 0) return { patch: '', binary: /^Binary files .* differ$/m.test(section) };
  return { patch: section.slice(start === 0 ? 0 : start + 1), binary: false };
}
