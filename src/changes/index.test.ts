import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getOctokit } from '@actions/github';
import { startFakeGitHub, type FakeDiffFile, type FakeGitHub } from '../../__tests__/helpers/fake-github.ts';
import { findDockerfiles } from './index.ts';

const GLOBS = ['**/Dockerfile', '**/Dockerfile.*', '**/*.Dockerfile', '**/*.dockerfile', '**/Containerfile', '**/Containerfile.*'];
const FILES_TEMPLATE = '/repos/{owner}/{repo}/pulls/{pull_number}/files';
const COMPARE_TEMPLATE = '/repos/{owner}/{repo}/compare/{basehead}';

const temporary: string[] = [];
after(async () => {
  await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `defang-changes-${name}-`));
  temporary.push(dir);
  return dir;
}

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

function filler(from: number, to: number): FakeDiffFile[] {
  const out: FakeDiffFile[] = [];
  for (let i = from; i < to; i++) {
    out.push({ filename: `src/module-${String(i).padStart(4, '0')}.ts`, status: 'modified', patch: `@@ -1 +1 @@\n-a${i}\n+b${i}` });
  }
  return out;
}

const REPOSITORY = { owner: { login: 'octo' }, name: 'app', full_name: 'octo/app', default_branch: 'main' };

describe('findDockerfiles: pull request', () => {
  let gh: FakeGitHub;
  let workspace: string;
  before(async () => {
    gh = await startFakeGitHub();
    workspace = await tempDir('pr');
    await writeFiles(workspace, {
      Dockerfile: 'FROM debian:12\nRUN apt-get update\nCMD ["x"]\n',
      'services/api/Dockerfile': 'FROM node:22\n',
      'services/worker/Dockerfile': 'FROM python:3.13\n',
      'docker/Dockerfile.dev': 'FROM golang:1.23\nRUN go build\n',
      'images/Containerfile': 'FROM fedora:41\n',
      'big/Dockerfile': 'FROM ubuntu:24.04\n',
      'web/app.Dockerfile': 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n',
      'README.md': '# app\n',
    });
    // 150 files, so that the list spans two pages of 100; the Dockerfiles are spread over both.
    const files: FakeDiffFile[] = [
      ...filler(0, 5),
      { filename: 'Dockerfile', status: 'modified', patch: '@@ -1,3 +1,3 @@\n FROM debian:12\n-RUN apt-get update\n+RUN apt-get update\n CMD ["x"]' },
      ...filler(5, 60),
      { filename: 'old/Dockerfile', status: 'removed', patch: '@@ -1 +0,0 @@\n-FROM alpine:3.19' },
      ...filler(60, 100),
      { filename: 'services/api/Dockerfile', status: 'modified', patch: '@@ -1 +1 @@\n-FROM node:20\n+FROM node:22' },
      ...filler(100, 110),
      {
        filename: 'docker/Dockerfile.dev',
        previous_filename: 'docker/dev.Dockerfile',
        status: 'renamed',
        patch: '@@ -1,2 +1,2 @@\n-FROM golang:1.22\n+FROM golang:1.23\n RUN go build',
      },
      { filename: 'images/Containerfile', previous_filename: 'Containerfile', status: 'renamed', changes: 0 },
      { filename: 'big/Dockerfile', status: 'modified', additions: 9000, deletions: 9000 },
      ...filler(110, 130),
      { filename: 'web/app.Dockerfile', status: 'added', patch: '@@ -0,0 +1,2 @@\n+FROM nginx:1.27\n+COPY site /usr/share/nginx/html' },
      { filename: 'services/worker/Dockerfile', status: 'modified', patch: 'not a diff', additions: 1, deletions: 1 },
      { filename: 'ghost/Dockerfile', status: 'modified', patch: '@@ -1 +1 @@\n-FROM a\n+FROM b' },
      { filename: 'README.md', status: 'modified', patch: '@@ -1 +1 @@\n-# App\n+# app' },
      ...filler(130, 140),
    ];
    assert.equal(files.length, 150);
    gh.setPullFiles('octo', 'app', 42, files);
  });
  after(async () => {
    await gh.close();
  });

  test('lists the pull request\'s Dockerfiles over every page, with their changed lines', async () => {
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const result = await findDockerfiles({
      workspace,
      globs: GLOBS,
      onlyChanged: true,
      eventName: 'pull_request',
      payload: { number: 42, pull_request: { number: 42, changed_files: 150 }, repository: REPOSITORY },
      octokit,
    });
    assert.deepEqual(result, {
      mode: 'pull_request',
      files: [
        { path: 'Dockerfile', status: 'modified', added: [2], hunks: [[1, 3]] },
        { path: 'big/Dockerfile', status: 'modified', added: null, hunks: null },
        { path: 'docker/Dockerfile.dev', status: 'renamed', previousPath: 'docker/dev.Dockerfile', added: [1], hunks: [[1, 2]] },
        { path: 'images/Containerfile', status: 'renamed', previousPath: 'Containerfile', added: [], hunks: [] },
        { path: 'services/api/Dockerfile', status: 'modified', added: [1], hunks: [[1, 1]] },
        { path: 'services/worker/Dockerfile', status: 'modified', added: null, hunks: null },
        { path: 'web/app.Dockerfile', status: 'added', added: [1, 2], hunks: [[1, 2]] },
      ],
      notices: [
        'big/Dockerfile: GitHub sent no diff for this file (it is too large), so every line counts as changed.',
        "services/worker/Dockerfile: GitHub's diff could not be read (patch line 1: expected a hunk header such as " +
          '"@@ -1,2 +1,3 @@", got "not a diff"), so every line counts as changed.',
        `ghost/Dockerfile changed in the pull request but is not in the workspace (${workspace}); is the commit checked out? Skipped.`,
      ],
    });
    const requests = gh.requestsTo('GET', FILES_TEMPLATE);
    assert.deepEqual(
      requests.map((r) => [r.path, r.query, r.status]),
      [
        ['/repos/octo/app/pulls/42/files', { per_page: '100' }, 200],
        ['/repos/octo/app/pulls/42/files', { per_page: '100', page: '2' }, 200],
      ],
    );
    assert.deepEqual(gh.problems, []);
  });

  test('owner and repository can be given instead of taken from the payload', async () => {
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const result = await findDockerfiles({
      workspace,
      globs: ['services/**/Dockerfile'],
      onlyChanged: true,
      eventName: 'pull_request_target',
      payload: { pull_request: { number: 42 } },
      octokit,
      repo: { owner: 'octo', repo: 'app' },
    });
    assert.equal(result.mode, 'pull_request');
    assert.deepEqual(result.files.map((f) => f.path), ['services/api/Dockerfile', 'services/worker/Dockerfile']);
  });

  test('a pull request of more than 3000 files: GitHub\'s first 3000, and a notice', async () => {
    const dir = await tempDir('pr-huge');
    await writeFiles(dir, { 'early/Dockerfile': 'FROM a\n', 'late/Dockerfile': 'FROM b\n' });
    gh.setPullFiles('octo', 'app', 43, [
      ...filler(0, 10),
      { filename: 'early/Dockerfile', status: 'added', patch: '@@ -0,0 +1 @@\n+FROM a' },
      ...filler(10, 3039),
      { filename: 'late/Dockerfile', status: 'added', patch: '@@ -0,0 +1 @@\n+FROM b' },
      ...filler(3039, 3050),
    ]);
    const before = gh.requests.length;
    const result = await findDockerfiles({
      workspace: dir,
      globs: GLOBS,
      onlyChanged: true,
      eventName: 'pull_request',
      payload: { pull_request: { number: 43, changed_files: 3051 }, repository: REPOSITORY },
      octokit: getOctokit(gh.token, { baseUrl: gh.url }),
    });
    assert.deepEqual(result, {
      mode: 'pull_request',
      files: [{ path: 'early/Dockerfile', status: 'added', added: [1], hunks: [[1, 1]] }],
      notices: [
        'Pull request #43 changes 3051 files, but GitHub lists only the first 3000: Dockerfiles beyond them are not checked.',
      ],
    });
    assert.equal(gh.requests.length - before, 30);
  });

  test('when the files cannot be listed, every Dockerfile is checked and a notice says why', async () => {
    const result = await findDockerfiles({
      workspace,
      globs: ['**/Dockerfile'],
      onlyChanged: true,
      eventName: 'pull_request',
      payload: { pull_request: { number: 404 }, repository: REPOSITORY },
      octokit: getOctokit(gh.token, { baseUrl: gh.url }),
    });
    assert.equal(result.mode, 'all');
    assert.deepEqual(result.notices, [
      'Listing the files of pull request #404 failed (404: Not Found - https://docs.github.com/rest/pulls/pulls#list-pull-requests-files), ' +
        'so every Dockerfile in the workspace is checked, every line.',
    ]);
    assert.deepEqual(
      result.files.map((f) => [f.path, f.added, f.hunks]),
      [
        ['Dockerfile', null, null],
        ['big/Dockerfile', null, null],
        ['services/api/Dockerfile', null, null],
        ['services/worker/Dockerfile', null, null],
      ],
    );
  });

  test('without a GitHub client, every Dockerfile is checked and a notice says why', async () => {
    const result = await findDockerfiles({
      workspace,
      globs: ['**/*.Dockerfile'],
      onlyChanged: true,
      eventName: 'pull_request',
      payload: { pull_request: { number: 42 }, repository: REPOSITORY },
    });
    assert.deepEqual(result, {
      mode: 'all',
      files: [{ path: 'web/app.Dockerfile', status: 'unchanged', added: null, hunks: null }],
      notices: [
        'No GitHub token was given to list the files of pull request #42, so every Dockerfile in the workspace is checked, every line.',
      ],
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// push

/** git for setting up test repositories: no user or system configuration, fixed identity and dates. */
function gitIn(cwd: string, ...args: string[]): string {
  const { GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, ...inherited } = process.env;
  return execFileSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    env: {
      ...inherited,
      GIT_CONFIG_GLOBAL: devNull,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Test Author',
      GIT_AUTHOR_EMAIL: 'author@example.test',
      GIT_COMMITTER_NAME: 'Test Author',
      GIT_COMMITTER_EMAIL: 'author@example.test',
      GIT_AUTHOR_DATE: '2024-05-01T12:00:00Z',
      GIT_COMMITTER_DATE: '2024-05-01T12:00:00Z',
    },
  }).trim();
}

function commitAll(cwd: string, message: string): string {
  gitIn(cwd, 'add', '-A');
  gitIn(cwd, 'commit', '-q', '-m', message);
  return gitIn(cwd, 'rev-parse', 'HEAD');
}

const ZERO = '0'.repeat(40);
const BUILD_LINES = ['FROM golang:1.23 AS build', 'WORKDIR /src', 'COPY go.mod go.sum ./', 'RUN go mod download', 'COPY . .', 'RUN go build -o /out/app', 'FROM gcr.io/distroless/static', 'COPY --from=build /out/app /app'];

describe('findDockerfiles: push', () => {
  let repo: string;
  let first: string;
  let second: string;
  let branchHead: string;
  let gh: FakeGitHub;

  before(async () => {
    gh = await startFakeGitHub();
    repo = await tempDir('push');
    gitIn(repo, 'init', '-q', '-b', 'main');
    await writeFiles(repo, {
      Dockerfile: 'FROM debian:12\nRUN apt-get update\nWORKDIR /app\nCOPY . .\nCMD ["./run"]\n',
      'app/Dockerfile': 'FROM node:22\nCMD ["node"]\n',
      'legacy/Dockerfile.build': `${BUILD_LINES.join('\n')}\n`,
      'docs/Containerfile': 'FROM fedora:41\nRUN dnf -y install make\n',
      'tools/ci.Dockerfile': 'FROM alpine:3.20\n',
      'README.md': '# app\n',
    });
    first = commitAll(repo, 'first');

    await writeFiles(repo, {
      Dockerfile: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nWORKDIR /app\nCOPY --chown=app . .\nCMD ["./run"]\nUSER app\n',
      'build/Dockerfile.build': `${[...BUILD_LINES.slice(0, 7), 'COPY --from=build /out/app /usr/local/bin/app'].join('\n')}\n`,
      'images/Containerfile': 'FROM fedora:41\nRUN dnf -y install make\n',
      'web/api.Dockerfile': 'FROM python:3.13\nCOPY . /srv\nCMD ["python", "/srv/main.py"]\n',
      'README.md': '# app, now with curl\n',
    });
    await rm(join(repo, 'legacy'), { recursive: true });
    await rm(join(repo, 'docs'), { recursive: true });
    await rm(join(repo, 'app'), { recursive: true });
    second = commitAll(repo, 'second');

    gitIn(repo, 'checkout', '-q', '-b', 'feature/cache');
    await writeFiles(repo, { 'tools/ci.Dockerfile': 'FROM alpine:3.20\nRUN apk add --no-cache git\n' });
    branchHead = commitAll(repo, 'feature');
    gitIn(repo, 'checkout', '-q', 'main');
  });
  after(async () => {
    await gh.close();
  });

  test('diffs before..after with local git: edits, a rename, an addition; deletions and other files left out', async () => {
    const result = await findDockerfiles({
      workspace: repo,
      globs: GLOBS,
      onlyChanged: true,
      eventName: 'push',
      payload: { before: first, after: second, repository: REPOSITORY },
    });
    assert.deepEqual(result, {
      mode: 'push',
      files: [
        { path: 'Dockerfile', status: 'modified', added: [2, 4, 6], hunks: [[2, 2], [4, 4], [6, 6]] },
        { path: 'build/Dockerfile.build', status: 'renamed', previousPath: 'legacy/Dockerfile.build', added: [8], hunks: [[8, 8]] },
        { path: 'images/Containerfile', status: 'renamed', previousPath: 'docs/Containerfile', added: [], hunks: [] },
        { path: 'web/api.Dockerfile', status: 'added', added: [1, 2, 3], hunks: [[1, 3]] },
      ],
      notices: [],
    });
  });

  test('a new branch (before = 0000…) is compared with the default branch through the API', async () => {
    gitIn(repo, 'checkout', '-q', 'feature/cache');
    try {
      gh.setComparison('octo', 'app', 'main', branchHead, {
        files: [
          { filename: 'tools/ci.Dockerfile', status: 'modified', patch: '@@ -1 +1,2 @@\n FROM alpine:3.20\n+RUN apk add --no-cache git' },
          { filename: 'README.md', status: 'modified', patch: '@@ -1 +1 @@\n-a\n+b' },
        ],
        commits: [{ sha: branchHead, message: 'feature', parents: [second] }],
      });
      const result = await findDockerfiles({
        workspace: repo,
        globs: GLOBS,
        onlyChanged: true,
        eventName: 'push',
        payload: { before: ZERO, after: branchHead, created: true, repository: REPOSITORY },
        octokit: getOctokit(gh.token, { baseUrl: gh.url }),
      });
      assert.deepEqual(result, {
        mode: 'push',
        files: [{ path: 'tools/ci.Dockerfile', status: 'modified', added: [2], hunks: [[1, 2]] }],
        notices: [],
      });
      assert.deepEqual(
        gh.requestsTo('GET', COMPARE_TEMPLATE).map((r) => [r.path, r.status]),
        [[`/repos/octo/app/compare/main...${branchHead}`, 200]],
      );
    } finally {
      gitIn(repo, 'checkout', '-q', 'main');
    }
  });

  test('a new branch without a GitHub client: every Dockerfile, with a notice', async () => {
    const result = await findDockerfiles({
      workspace: repo,
      globs: ['**/*.Dockerfile'],
      onlyChanged: true,
      eventName: 'push',
      payload: { before: ZERO, after: second, repository: REPOSITORY },
    });
    assert.deepEqual(result, {
      mode: 'all',
      files: [
        { path: 'tools/ci.Dockerfile', status: 'unchanged', added: null, hunks: null },
        { path: 'web/api.Dockerfile', status: 'unchanged', added: null, hunks: null },
      ],
      notices: [
        'Cannot tell what the push changed: the push created the branch, so there is no commit before it, and no GitHub ' +
          'token was given to ask GitHub. Every Dockerfile in the workspace is checked, every line.',
      ],
    });
  });

  test('a shallow clone without the before commit asks the compare API for before...after', async () => {
    const clone = await tempDir('shallow');
    gitIn(clone, 'clone', '-q', '--depth', '1', '--branch', 'main', `file://${repo}`, 'checkout');
    const workspace = join(clone, 'checkout');
    assert.equal(gitIn(workspace, 'rev-parse', 'HEAD'), second);
    gh.setComparison('octo', 'app', first, second, {
      files: [
        { filename: 'app/Dockerfile', status: 'removed', patch: '@@ -1,2 +0,0 @@\n-FROM node:22\n-CMD ["node"]' },
        {
          filename: 'build/Dockerfile.build',
          previous_filename: 'legacy/Dockerfile.build',
          status: 'renamed',
          patch: '@@ -6,3 +6,3 @@\n RUN go build -o /out/app\n FROM gcr.io/distroless/static\n-COPY --from=build /out/app /app\n+COPY --from=build /out/app /usr/local/bin/app',
        },
      ],
    });
    const result = await findDockerfiles({
      workspace,
      globs: GLOBS,
      onlyChanged: true,
      eventName: 'push',
      payload: { before: first, after: second, repository: REPOSITORY },
      octokit: getOctokit(gh.token, { baseUrl: gh.url }),
    });
    assert.deepEqual(result, {
      mode: 'push',
      files: [{ path: 'build/Dockerfile.build', status: 'renamed', previousPath: 'legacy/Dockerfile.build', added: [8], hunks: [[6, 8]] }],
      notices: [],
    });
    assert.deepEqual(gh.requestsTo('GET', COMPARE_TEMPLATE).at(-1)?.path, `/repos/octo/app/compare/${first}...${second}`);
  });

  test('a shallow clone and no GitHub client: every Dockerfile, with a notice', async () => {
    const clone = await tempDir('shallow-offline');
    gitIn(clone, 'clone', '-q', '--depth', '1', `file://${repo}`, 'checkout');
    const result = await findDockerfiles({
      workspace: join(clone, 'checkout'),
      globs: ['Dockerfile'],
      onlyChanged: true,
      eventName: 'push',
      payload: { before: first, after: second, repository: REPOSITORY },
    });
    assert.deepEqual(result, {
      mode: 'all',
      files: [{ path: 'Dockerfile', status: 'unchanged', added: null, hunks: null }],
      notices: [
        `Cannot tell what the push changed: the commit before the push (${first.slice(0, 12)}) is not in the local clone, ` +
          'and no GitHub token was given to ask GitHub. Every Dockerfile in the workspace is checked, every line.',
      ],
    });
  });

  test('a workspace that is no git repository: every Dockerfile, with git\'s reason', async () => {
    const plain = await tempDir('not-git');
    await writeFiles(plain, { Dockerfile: 'FROM a\n' });
    const result = await findDockerfiles({
      workspace: plain,
      globs: GLOBS,
      onlyChanged: true,
      eventName: 'push',
      payload: { before: first, after: second, repository: REPOSITORY },
    });
    assert.equal(result.mode, 'all');
    assert.deepEqual(result.files.map((f) => f.path), ['Dockerfile']);
    assert.equal(result.notices.length, 1);
    assert.match(
      result.notices[0] ?? '',
      new RegExp(
        `^Cannot tell what the push changed: git could not diff the push \\(git cat-file -e ${first}\\^\\{commit\\} ` +
          'failed \\(128\\): fatal: not a git repository.*\\), and no GitHub token was given to ask GitHub\\.',
      ),
    );
  });

  test('a push that deletes the branch has nothing to check', async () => {
    const result = await findDockerfiles({
      workspace: repo,
      globs: GLOBS,
      onlyChanged: true,
      eventName: 'push',
      payload: { before: second, after: ZERO, deleted: true, repository: REPOSITORY },
    });
    assert.deepEqual(result, { mode: 'push', files: [], notices: ['The push deleted the branch: there is no Dockerfile to check.'] });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// every file

describe('findDockerfiles: every file', () => {
  let workspace: string;
  before(async () => {
    workspace = await tempDir('all');
    await writeFiles(workspace, {
      Dockerfile: 'FROM a\n',
      'a/Dockerfile': 'FROM b\n',
      'B/Dockerfile': 'FROM c\n',
      '.devcontainer/Dockerfile': 'FROM d\n',
      'docs/Dockerfile.md': '# about the image\n',
      'node_modules/pkg/Dockerfile': 'FROM e\n',
      '.git/Dockerfile': 'FROM f\n',
      'real/Dockerfile': 'FROM g\n',
      'notes.txt': 'not a Dockerfile\n',
    });
    await symlink(join(workspace, 'real'), join(workspace, 'linked-dir'), 'dir');
    await symlink(join(workspace, 'real', 'Dockerfile'), join(workspace, 'link.Dockerfile'), 'file');
    await symlink(join(workspace, 'missing'), join(workspace, 'dangling.Dockerfile'), 'file');
  });

  const expected = [
    '.devcontainer/Dockerfile',
    'B/Dockerfile',
    'Dockerfile',
    'a/Dockerfile',
    'docs/Dockerfile.md',
    'link.Dockerfile',
    'real/Dockerfile',
  ];

  test('onlyChanged: false walks the workspace, sorted, whatever the event, without asking GitHub', async () => {
    const gh = await startFakeGitHub();
    try {
      const result = await findDockerfiles({
        workspace,
        globs: GLOBS,
        onlyChanged: false,
        eventName: 'pull_request',
        payload: { pull_request: { number: 1 }, repository: REPOSITORY },
        octokit: getOctokit(gh.token, { baseUrl: gh.url }),
      });
      assert.deepEqual(result, {
        mode: 'all',
        files: expected.map((path) => ({ path, status: 'unchanged', added: null, hunks: null })),
        notices: [],
      });
      assert.deepEqual(gh.requests, []);
    } finally {
      await gh.close();
    }
  });

  test('an event without a diff checks every Dockerfile, with a notice', async () => {
    const result = await findDockerfiles({
      workspace,
      globs: GLOBS,
      onlyChanged: true,
      eventName: 'workflow_dispatch',
      payload: {},
    });
    assert.equal(result.mode, 'all');
    assert.deepEqual(result.files.map((f) => f.path), expected);
    assert.deepEqual(result.notices, [
      'The workflow_dispatch event does not say which files changed, so every Dockerfile is checked, every line.',
    ]);
  });

  test('a workspace that does not exist is a clear error', async () => {
    const missing = join(workspace, 'nope');
    await assert.rejects(
      findDockerfiles({ workspace: missing, globs: GLOBS, onlyChanged: false, eventName: 'push', payload: {} }),
      { message: `The workspace ${missing} does not exist.` },
    );
  });
});
