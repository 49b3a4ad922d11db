import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getOctokit } from '@actions/github';
import { FakeGitHub, startFakeGitHub, type FakeDiffFile } from './helpers/fake-github.ts';
import { loadGitHubSpec, validateSchema, type Schema } from './helpers/openapi.ts';

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** A raw request, to see exactly what the server answers. */
async function call(
  gh: FakeGitHub,
  method: string,
  path: string,
  options: { body?: string; auth?: string | null } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' };
  const auth = options.auth === undefined ? `token ${gh.token}` : options.auth;
  if (auth !== null) headers.authorization = auth;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${gh.url}${path}`, { method, headers, body: options.body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

function files(count: number, prefix = 'src/file'): FakeDiffFile[] {
  return Array.from({ length: count }, (_, i) => ({
    filename: `${prefix}-${String(i).padStart(4, '0')}.txt`,
    status: 'modified' as const,
    patch: `@@ -1 +1 @@\n-old ${i}\n+new ${i}`,
  }));
}

const FILES_DOCS = 'https://docs.github.com/rest/pulls/pulls#list-pull-requests-files';

describe('fake GitHub server', () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = await startFakeGitHub();
  });
  after(async () => {
    await gh.close();
  });

  test('listens on 127.0.0.1 with a random port', () => {
    assert.match(gh.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(gh.url, 'http://127.0.0.1:0');
  });

  test('rejects a per_page above 100 with GitHub\'s validation error', async () => {
    gh.setPullFiles('octo', 'app', 1, files(3));
    const answer = await call(gh, 'GET', '/repos/octo/app/pulls/1/files?per_page=101');
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body, {
      message: 'Validation Failed',
      errors: [
        {
          resource: 'PullRequest',
          field: 'per_page',
          code: 'invalid',
          message: 'per_page must be at most 100, got 101',
          value: 101,
        },
      ],
      documentation_url: FILES_DOCS,
      status: '422',
    });
    const recorded = gh.requests.at(-1);
    assert.equal(recorded?.status, 422);
    assert.deepEqual(recorded?.query, { per_page: '101' });
    assert.equal(recorded?.template, '/repos/{owner}/{repo}/pulls/{pull_number}/files');
  });

  test('rejects a per_page that is not an integer', async () => {
    const answer = await call(gh, 'GET', '/repos/octo/app/pulls/1/files?per_page=ten');
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body.errors, [
      {
        resource: 'PullRequest',
        field: 'per_page',
        code: 'invalid',
        message: 'per_page must be an integer, got the string "ten"',
        value: 'ten',
      },
    ]);
  });

  test('rejects a query parameter outside its enum, and a repeated array parameter is a list', async () => {
    const answer = await call(gh, 'GET', '/repos/octo/app/pulls?state=merged&per_page=5');
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body.errors, [
      { field: 'state', code: 'invalid', message: 'state must be one of "open", "closed", "all", got the string "merged"', value: 'merged' },
    ]);
    assert.equal(answer.body.documentation_url, 'https://docs.github.com/rest/pulls/pulls#list-pull-requests');
    const sorted = await call(gh, 'GET', '/orgs/octo/insights/api/subject-stats?min_timestamp=2024-01-01T00:00:00Z&sort[]=subject_name&sort[]=bogus');
    assert.equal(sorted.status, 422);
    assert.deepEqual(
      sorted.body.errors.map((e: any) => e.field),
      ['sort[1]'],
    );
  });

  test('the answer to a valid request matches GitHub\'s schema for it', async () => {
    const answer = await call(gh, 'GET', '/repos/octo/app/pulls/1/files');
    assert.equal(answer.status, 200);
    const spec = loadGitHubSpec();
    const schema = spec.operations.get('GET /repos/{owner}/{repo}/pulls/{pull_number}/files')?.responseSchemas.get('200');
    assert.ok(schema);
    assert.deepEqual(validateSchema(spec, schema, answer.body), []);
    assert.deepEqual(
      answer.body.map((f: any) => [f.filename, f.status, f.additions, f.deletions, f.changes]),
      [
        ['src/file-0000.txt', 'modified', 1, 1, 2],
        ['src/file-0001.txt', 'modified', 1, 1, 2],
        ['src/file-0002.txt', 'modified', 1, 1, 2],
      ],
    );
    assert.equal(answer.headers.get('link'), null);
    assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
  });

  test('answers an unknown route with GitHub\'s 404 body', async () => {
    const answer = await call(gh, 'GET', '/repos/octo/app/no-such-thing');
    assert.equal(answer.status, 404);
    assert.deepEqual(answer.body, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    assert.equal(gh.requests.at(-1)?.error, "no such path in GitHub's API");
  });

  test('answers a known path with a method GitHub does not have with 404', async () => {
    const answer = await call(gh, 'DELETE', '/repos/octo/app/pulls/1/files');
    assert.equal(answer.status, 404);
    assert.equal(gh.requests.at(-1)?.error, 'GitHub has no DELETE for this path');
  });

  test('a path parameter of the wrong type does not match the route', async () => {
    const answer = await call(gh, 'GET', '/repos/octo/app/pulls/first/files');
    assert.equal(answer.status, 404);
    assert.match(gh.requests.at(-1)?.error ?? '', /pull_number must be an integer, got the string "first"/);
  });

  test('a pull request the state does not have is 404 with the endpoint\'s documentation', async () => {
    const answer = await call(gh, 'GET', '/repos/octo/app/pulls/999/files');
    assert.equal(answer.status, 404);
    assert.deepEqual(answer.body, { message: 'Not Found', documentation_url: FILES_DOCS, status: '404' });
  });

  test('owner and repository names are case-insensitive', async () => {
    const answer = await call(gh, 'GET', '/repos/OCTO/App/pulls/1/files');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.length, 3);
  });

  test('rejects a body that breaks the operation\'s schema, naming each field', async () => {
    const answer = await call(gh, 'POST', '/repos/octo/app/check-runs', {
      body: JSON.stringify({ name: 7, head_sha: 'abc', status: 'sleeping', started_at: 'yesterday' }),
    });
    assert.equal(answer.status, 422);
    assert.equal(answer.body.message, 'Validation Failed');
    assert.equal(answer.body.documentation_url, 'https://docs.github.com/rest/reference/checks#create-a-check-run');
    assert.equal(answer.body.status, '422');
    const byField = Object.fromEntries(answer.body.errors.map((e: any) => [e.field, e]));
    // The route names its resource (CheckRun), as GitHub does in validation errors.
    assert.deepEqual(byField.name, { resource: 'CheckRun', field: 'name', code: 'invalid', message: 'name must be a string, got number 7', value: 7 });
    assert.deepEqual(byField.status, {
      resource: 'CheckRun',
      field: 'status',
      code: 'invalid',
      message: 'status must be one of "queued", "in_progress", "completed", got the string "sleeping"',
      value: 'sleeping',
    });
    assert.deepEqual(byField.started_at, {
      resource: 'CheckRun',
      field: 'started_at',
      code: 'invalid',
      message: 'started_at must be an ISO 8601 timestamp, got "yesterday"',
      value: 'yesterday',
    });
    assert.deepEqual(gh.requests.at(-1)?.body, { name: 7, head_sha: 'abc', status: 'sleeping', started_at: 'yesterday' });
  });

  test('a missing required field is reported as missing_field', async () => {
    const answer = await call(gh, 'POST', '/repos/octo/app/check-runs', { body: JSON.stringify({ name: 'lint' }) });
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body.errors, [{ resource: 'CheckRun', field: 'head_sha', code: 'missing_field', message: 'head_sha is required' }]);
  });

  test('malformed JSON is a 400', async () => {
    const answer = await call(gh, 'POST', '/repos/octo/app/check-runs', { body: '{"name": "lint",' });
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.body, {
      message: 'Problems parsing JSON',
      documentation_url: 'https://docs.github.com/rest/reference/checks#create-a-check-run',
      status: '400',
    });
  });

  test('a valid request to an operation without a handler is a 501 and a recorded problem', async () => {
    const fresh = await startFakeGitHub();
    try {
      const answer = await call(fresh, 'POST', '/repos/octo/app/labels', { body: JSON.stringify({ name: 'bug' }) });
      assert.equal(answer.status, 501);
      assert.deepEqual(fresh.problems, [
        'fake-github has no handler for POST /repos/{owner}/{repo}/labels (issues/create-label); add one to DEFAULT_ROUTES',
      ]);
    } finally {
      await fresh.close();
    }
  });

  test('requires a token, and the right one', async () => {
    const none = await call(gh, 'GET', '/repos/octo/app/pulls/1/files', { auth: null });
    assert.equal(none.status, 401);
    assert.deepEqual(none.body, { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest', status: '401' });
    const wrong = await call(gh, 'GET', '/repos/octo/app/pulls/1/files', { auth: 'token nope' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.message, 'Bad credentials');
    const bearer = await call(gh, 'GET', '/repos/octo/app/pulls/1/files', { auth: `Bearer ${gh.token}` });
    assert.equal(bearer.status, 200);
  });

  test('read-only mode refuses writes as GitHub does for a read-only token, and still serves reads', async () => {
    gh.readOnly = true;
    try {
      const write = await call(gh, 'POST', '/repos/octo/app/check-runs', {
        body: JSON.stringify({ name: 'lint', head_sha: 'a'.repeat(40) }),
      });
      assert.equal(write.status, 403);
      assert.deepEqual(write.body, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/reference/checks#create-a-check-run',
        status: '403',
      });
      const read = await call(gh, 'GET', '/repos/octo/app/pulls/1/files');
      assert.equal(read.status, 200);
    } finally {
      gh.readOnly = false;
    }
  });

  test('a one-shot secondary rate limit answers 403 with retry-after once', async () => {
    gh.secondaryRateLimitOnce((method, path) => method === 'GET' && path.endsWith('/files'));
    const limited = await call(gh, 'GET', '/repos/octo/app/pulls/1/files');
    assert.equal(limited.status, 403);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.match(limited.body.message, /^You have exceeded a secondary rate limit\. Please wait a few minutes/);
    assert.equal(limited.body.status, '403');
    const again = await call(gh, 'GET', '/repos/octo/app/pulls/1/files');
    assert.equal(again.status, 200);
  });

  test('refuses a route that GitHub does not have', () => {
    assert.throws(
      () => gh.route({ method: 'GET', path: '/repos/{owner}/{repo}/dockerfiles', handler: () => ({ status: 200 }) }),
      /GitHub's OpenAPI description has no operation GET \/repos\/\{owner\}\/\{repo\}\/dockerfiles/,
    );
  });

  test('a handler answer that breaks GitHub\'s schema becomes a 500 and a recorded problem', async () => {
    const fresh = await startFakeGitHub({
      routes: [
        {
          method: 'GET',
          path: '/repos/{owner}/{repo}/pulls/{pull_number}/files',
          handler: (_state, _req, server) => {
            const entry = server.diffEntry(server.state.repo('octo', 'app'), 'main', { filename: 'Dockerfile', status: 'added' });
            delete entry.sha;
            return { status: 200, body: [{ ...entry, status: 'touched' }] };
          },
        },
      ],
    });
    try {
      const answer = await call(fresh, 'GET', '/repos/octo/app/pulls/1/files');
      assert.equal(answer.status, 500);
      assert.deepEqual(fresh.problems, [
        "handler for GET /repos/{owner}/{repo}/pulls/{pull_number}/files answered 200 with a body GitHub's description " +
          'does not allow (2 problem(s)): response[0].sha is required; response[0].status must be one of "added", ' +
          '"removed", "modified", "renamed", "copied", "changed", "unchanged", got the string "touched"',
      ]);
      assert.equal(answer.body.message, fresh.problems[0]);
    } finally {
      await fresh.close();
    }
  });
});

describe('fake GitHub pagination', () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = await startFakeGitHub();
    gh.setPullFiles('octo', 'app', 5, files(250));
    gh.setPullFiles('octo', 'app', 6, files(3100));
  });
  after(async () => {
    await gh.close();
  });

  test('first page: next and last links, keeping per_page', async () => {
    const answer = await call(gh, 'GET', '/repos/octo/app/pulls/5/files?per_page=100');
    const base = `${gh.url}/repos/octo/app/pulls/5/files`;
    assert.equal(answer.body.length, 100);
    assert.equal(answer.body[0].filename, 'src/file-0000.txt');
    assert.equal(
      answer.headers.get('link'),
      `<${base}?per_page=100&page=2>; rel="next", <${base}?per_page=100&page=3>; rel="last"`,
    );
  });

  test('middle page: prev, next, last and first', async () => {
    const answer = await call(gh, 'GET', '/repos/octo/app/pulls/5/files?per_page=100&page=2');
    const base = `${gh.url}/repos/octo/app/pulls/5/files`;
    assert.equal(answer.body[0].filename, 'src/file-0100.txt');
    assert.equal(
      answer.headers.get('link'),
      `<${base}?per_page=100&page=1>; rel="prev", <${base}?per_page=100&page=3>; rel="next", ` +
        `<${base}?per_page=100&page=3>; rel="last", <${base}?per_page=100&page=1>; rel="first"`,
    );
  });

  test('last page: prev and first only', async () => {
    const answer = await call(gh, 'GET', '/repos/octo/app/pulls/5/files?per_page=100&page=3');
    const base = `${gh.url}/repos/octo/app/pulls/5/files`;
    assert.equal(answer.body.length, 50);
    assert.equal(answer.headers.get('link'), `<${base}?per_page=100&page=2>; rel="prev", <${base}?per_page=100&page=1>; rel="first"`);
  });

  test('30 per page by default', async () => {
    const answer = await call(gh, 'GET', '/repos/octo/app/pulls/5/files');
    const base = `${gh.url}/repos/octo/app/pulls/5/files`;
    assert.equal(answer.body.length, 30);
    assert.equal(answer.headers.get('link'), `<${base}?page=2>; rel="next", <${base}?page=9>; rel="last"`);
  });

  test('pull request files stop at 3000, as on GitHub', async () => {
    const last = await call(gh, 'GET', '/repos/octo/app/pulls/6/files?per_page=100&page=30');
    assert.equal(last.body.length, 100);
    assert.equal(last.body[99].filename, 'src/file-2999.txt');
    assert.doesNotMatch(last.headers.get('link') ?? '', /rel="next"/);
    const beyond = await call(gh, 'GET', '/repos/octo/app/pulls/6/files?per_page=100&page=31');
    assert.deepEqual(beyond.body, []);
  });

  test('octokit.paginate follows the links to the end', async () => {
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const before = gh.requests.length;
    const all = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: 'octo', repo: 'app', pull_number: 6, per_page: 100 });
    assert.equal(all.length, 3000);
    const made = gh.requests.slice(before);
    assert.equal(made.length, 30);
    assert.deepEqual(
      made.map((r) => r.query.page ?? '1'),
      Array.from({ length: 30 }, (_, i) => String(i + 1)),
    );
    assert.ok(made.every((r) => r.status === 200 && r.query.per_page === '100'));
    assert.deepEqual(gh.problems, []);
  });
});

describe('fake GitHub compare', () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = await startFakeGitHub();
    gh.setComparison('octo', 'app', 'main', 'feature/new-base', {
      files: [{ filename: 'Dockerfile', status: 'added', patch: '@@ -0,0 +1,2 @@\n+FROM alpine:3.20\n+RUN true' }],
      commits: [
        { sha: '1'.repeat(40), message: 'first', parents: ['0'.repeat(39) + '1'] },
        { sha: '2'.repeat(40), message: 'second', parents: ['1'.repeat(40)] },
      ],
    });
  });
  after(async () => {
    await gh.close();
  });

  test('compares a branch name containing a slash, files with patches', async () => {
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner: 'octo', repo: 'app', basehead: 'main...feature/new-base' });
    assert.equal(data.status, 'ahead');
    assert.equal(data.total_commits, 2);
    assert.deepEqual(data.commits.map((c) => c.sha), ['1'.repeat(40), '2'.repeat(40)]);
    assert.deepEqual(
      data.files?.map((f) => [f.filename, f.status, f.additions, f.patch]),
      [['Dockerfile', 'added', 2, '@@ -0,0 +1,2 @@\n+FROM alpine:3.20\n+RUN true']],
    );
    assert.equal(gh.requests.at(-1)?.template, '/repos/{owner}/{repo}/compare/{basehead}');
    assert.deepEqual(gh.problems, []);
  });

  test('with pagination, files are only on the first page', async () => {
    const second = await call(gh, 'GET', '/repos/octo/app/compare/main...feature%2Fnew-base?per_page=1&page=2');
    assert.equal(second.status, 200);
    assert.equal(second.body.files, undefined);
    assert.deepEqual(second.body.commits.map((c: any) => c.sha), ['2'.repeat(40)]);
    const first = await call(gh, 'GET', '/repos/octo/app/compare/main...feature%2Fnew-base?per_page=1');
    assert.equal(first.body.files.length, 1);
    assert.match(first.headers.get('link') ?? '', /page=2>; rel="next"/);
  });

  test('an unknown comparison is 404', async () => {
    const answer = await call(gh, 'GET', '/repos/octo/app/compare/main...nowhere');
    assert.equal(answer.status, 404);
    assert.equal(answer.body.documentation_url, 'https://docs.github.com/rest/commits/commits#compare-two-commits');
  });
});

describe('schema validator', () => {
  const spec = loadGitHubSpec();

  test('follows $ref into components and reports nested fields', () => {
    const schema: Schema = { $ref: '#/components/schemas/diff-entry' };
    const issues = validateSchema(spec, schema, { filename: 'x', status: 'added', additions: '1' }, 'file');
    assert.deepEqual(
      issues.map((i) => `${i.code} ${i.field}`),
      [
        'missing_field file.blob_url',
        'missing_field file.changes',
        'missing_field file.contents_url',
        'missing_field file.deletions',
        'missing_field file.raw_url',
        'missing_field file.sha',
        'invalid file.additions',
      ],
    );
  });

  test('nullable, oneOf, additionalProperties, bounds and lengths', () => {
    const schema: Schema = {
      type: 'object',
      additionalProperties: false,
      properties: {
        note: { type: 'string', nullable: true, maxLength: 3 },
        id: { oneOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^[a-z]+$' }] },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 2, uniqueItems: true },
        any: { anyOf: [{ type: 'boolean' }, { type: 'number', maximum: 5 }] },
        all: { allOf: [{ type: 'integer' }, { minimum: 10 }] },
      },
    };
    assert.deepEqual(validateSchema(spec, schema, { note: null, id: 3, tags: ['a'], any: true, all: 12 }), []);
    assert.deepEqual(validateSchema(spec, schema, { id: 'abc', any: 4.5 }), []);
    const bad = validateSchema(spec, schema, { note: 'long', id: 0, tags: ['a', 'a', 'b'], any: 9, all: 3, extra: 1 });
    assert.deepEqual(
      bad.map((i) => i.message),
      [
        'note must be at most 3 characters long, got 4',
        'id does not match exactly one of the 2 allowed shapes (closest: id must be at least 1, got 0)',
        'tags must have at most 2 items, got 3',
        'tags must not repeat items',
        'any does not match any of the 2 allowed shapes (closest: any must be a boolean, got number 9)',
        'all must be at least 10, got 3',
        'extra is not a permitted key',
      ],
    );
  });

  test('oneOf that more than one alternative accepts is invalid', () => {
    const schema: Schema = { oneOf: [{ type: 'integer' }, { type: 'number' }] };
    assert.deepEqual(validateSchema(spec, schema, 2.5), []);
    assert.deepEqual(
      validateSchema(spec, schema, 2).map((i) => i.message),
      ['the body matches more than one of the allowed shapes'],
    );
  });
});

// =================================================================================================================
// Pull request reviews, review comments and issue comments (the block at the end of helpers/fake-github.ts)
// =================================================================================================================
import { discussion, seedIssueComment, seedReviewComment, TOKEN_USER } from './helpers/fake-github.ts';

/**
 * Two hunks. Right side: 1 FROM (context), 2-3 added, 4-5 context | 21 context, 22 added, 23-24 context.
 * Left side: 1 FROM, 2 deleted, 3-4 context | 20 context, 21-22 context. Positions: 1-6, header 7, 8-11.
 */
const TWO_HUNKS = [
  '@@ -1,4 +1,5 @@',
  ' FROM debian:12',
  '-RUN apt-get update',
  '+RUN apt-get update \\',
  '+ && apt-get install -y curl',
  ' WORKDIR /app',
  ' COPY . .',
  '@@ -20,3 +21,4 @@ COPY . .',
  ' EXPOSE 80',
  '+USER app',
  ' HEALTHCHECK NONE',
  ' CMD ["./run"]',
].join('\n');

const REVIEWS = '/repos/{owner}/{repo}/pulls/{pull_number}/reviews';
const REVIEW_DOCS = 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request';

describe('fake GitHub reviews and review comments', () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = await startFakeGitHub();
  });
  after(async () => {
    await gh.close();
  });

  function freshPull(number: number): void {
    gh.setPullFiles('octo', 'rev', number, [
      { filename: 'Dockerfile', status: 'modified', patch: TWO_HUNKS },
      { filename: 'big/Dockerfile', status: 'modified', additions: 5000, deletions: 0 },
    ]);
  }

  async function review(number: number, comments: unknown[], extra: Record<string, unknown> = {}): Promise<Answer> {
    return call(gh, 'POST', `/repos/octo/rev/pulls/${number}/reviews`, {
      body: JSON.stringify({ commit_id: 'a'.repeat(40), event: 'COMMENT', body: 'Defang review', comments, ...extra }),
    });
  }

  test('creates a review with single- and multi-line comments on lines of the diff', async () => {
    freshPull(1);
    const answer = await review(1, [
      { path: 'Dockerfile', line: 3, side: 'RIGHT', start_line: 2, start_side: 'RIGHT', body: 'multi' },
      { path: 'Dockerfile', line: 22, body: 'single' },
      { path: 'Dockerfile', line: 2, side: 'LEFT', body: 'on the deleted line' },
    ]);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.state, 'COMMENTED');
    assert.equal(answer.body.commit_id, 'a'.repeat(40));
    assert.equal(answer.body.user.login, TOKEN_USER.login);
    assert.equal(answer.body.user.type, 'Bot');
    assert.deepEqual(gh.problems, []);
    const d = discussion(gh, 'octo', 'rev');
    assert.equal(d.reviews.length, 1);
    const stored = d.reviewComments.filter((c) => c.pullNumber === 1);
    assert.deepEqual(
      stored.map((c) => [c.path, c.startLine, c.startSide, c.line, c.side, c.position, c.reviewId, c.body]),
      [
        ['Dockerfile', 2, 'RIGHT', 3, 'RIGHT', 4, answer.body.id, 'multi'],
        ['Dockerfile', null, null, 22, 'RIGHT', 9, answer.body.id, 'single'],
        ['Dockerfile', null, null, 2, 'LEFT', 2, answer.body.id, 'on the deleted line'],
      ],
    );
    assert.equal(stored[1]?.diffHunk, '@@ -20,3 +21,4 @@ COPY . .\n EXPOSE 80\n+USER app');
  });

  test('a comment outside the diff makes GitHub refuse the whole review with 422', async () => {
    freshPull(2);
    const answer = await review(2, [
      { path: 'Dockerfile', line: 2, body: 'fine' },
      { path: 'Dockerfile', line: 10, body: 'between the hunks' },
    ]);
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body, {
      message: 'Unprocessable Entity',
      errors: ["Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank"],
      documentation_url: REVIEW_DOCS,
      status: '422',
    });
    const d = discussion(gh, 'octo', 'rev');
    assert.equal(d.reviews.filter((r) => r.pullNumber === 2).length, 0, 'no review is created');
    assert.equal(d.reviewComments.filter((c) => c.pullNumber === 2).length, 0, 'not even the valid comment');
    assert.deepEqual(gh.problems, []);
  });

  test('GitHub\'s other reasons to refuse a comment, in its words', async () => {
    freshPull(3);
    const cases: Array<[unknown, string]> = [
      [{ path: 'Dockerfile', line: 22, start_line: 3, body: 'x' }, 'Pull request review thread start line must be part of the same hunk as the line.'],
      [{ path: 'Dockerfile', line: 3, start_line: 3, body: 'x' }, 'Pull request review thread start line must precede the end line.'],
      [{ path: 'Dockerfile', line: 30, start_line: 22, body: 'x' },
        "Pull request review thread line must be part of the diff, Pull request review thread start line must be part of the same hunk as the line., and Pull request review thread diff hunk can't be blank"],
      [{ path: 'Dockerfile', line: 2, side: 'RIGHT', body: 'x' }, 'ok'],
      [{ path: 'Dockerfile', line: 3, side: 'LEFT', body: 'x' }, 'ok'],
      [{ path: 'Dockerfile', line: 5, side: 'LEFT', body: 'x' }, "Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank"],
      [{ path: 'Nope', line: 1, body: 'x' }, 'Path could not be resolved'],
      [{ path: 'big/Dockerfile', line: 1, body: 'x' }, "Pull request review thread diff hunk can't be blank"],
      [{ path: 'Dockerfile', position: 12, body: 'x' }, 'Pull request review thread position is invalid'],
    ];
    for (const [comment, expected] of cases) {
      const answer = await review(3, [comment]);
      if (expected === 'ok') assert.equal(answer.status, 200, JSON.stringify(comment));
      else assert.deepEqual([answer.status, answer.body.errors], [422, [expected]], JSON.stringify(comment));
    }
  });

  test('a position (the closing-down way) is mapped to its line and side', async () => {
    freshPull(4);
    const answer = await review(4, [
      { path: 'Dockerfile', position: 9, body: 'added USER' },
      { path: 'Dockerfile', position: 2, body: 'deleted RUN' },
    ]);
    assert.equal(answer.status, 200);
    const stored = discussion(gh, 'octo', 'rev').reviewComments.filter((c) => c.pullNumber === 4);
    assert.deepEqual(stored.map((c) => [c.line, c.side]), [[22, 'RIGHT'], [2, 'LEFT']]);
  });

  test('bodies over 65,536 characters are refused; a COMMENT review needs a body or comments', async () => {
    freshPull(5);
    const long = await review(5, [{ path: 'Dockerfile', line: 2, body: 'x'.repeat(65_537) }]);
    assert.equal(long.status, 422);
    assert.deepEqual(long.body.errors, ['body is too long (maximum is 65536 characters)']);
    const exact = await review(5, [{ path: 'Dockerfile', line: 2, body: 'x'.repeat(65_536) }]);
    assert.equal(exact.status, 200);
    const empty = await review(5, [], { body: '' });
    assert.deepEqual([empty.status, empty.body.errors], [422, ["Body can't be blank"]]);
  });

  test('lists review comments page by page; comments of a pending review are not listed', async () => {
    freshPull(6);
    assert.equal((await review(6, [1, 2, 4, 5].map((line) => ({ path: 'Dockerfile', line, body: `line ${line}` })))).status, 200);
    const pending = await review(6, [{ path: 'Dockerfile', line: 21, body: 'pending' }], { event: undefined });
    assert.equal(pending.body.state, 'PENDING');
    const page1 = await call(gh, 'GET', '/repos/octo/rev/pulls/6/comments?per_page=3');
    assert.equal(page1.status, 200);
    assert.deepEqual(page1.body.map((c: any) => c.body), ['line 1', 'line 2', 'line 4']);
    assert.match(page1.headers.get('link') ?? '', /page=2>; rel="next"/);
    const page2 = await call(gh, 'GET', '/repos/octo/rev/pulls/6/comments?per_page=3&page=2');
    assert.deepEqual(page2.body.map((c: any) => c.body), ['line 5']);
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const all = await octokit.paginate(octokit.rest.pulls.listReviewComments, { owner: 'octo', repo: 'rev', pull_number: 6, per_page: 2 });
    assert.deepEqual(all.map((c) => [c.line, c.side, c.body]), [[1, 'RIGHT', 'line 1'], [2, 'RIGHT', 'line 2'], [4, 'RIGHT', 'line 4'], [5, 'RIGHT', 'line 5']]);
    assert.deepEqual(gh.problems, []);
  });

  test('edits and deletes a review comment; an unknown comment is 404', async () => {
    freshPull(7);
    const seeded = seedReviewComment(gh, 'octo', 'rev', 7, { path: 'Dockerfile', line: 22, body: 'before' });
    assert.equal(seeded.diffHunk, '@@ -20,3 +21,4 @@ COPY . .\n EXPOSE 80\n+USER app');
    const edited = await call(gh, 'PATCH', `/repos/octo/rev/pulls/comments/${seeded.id}`, { body: JSON.stringify({ body: 'after' }) });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.body, 'after');
    assert.ok(Date.parse(edited.body.updated_at) > Date.parse(edited.body.created_at));
    assert.equal(seeded.body, 'after');
    const deleted = await call(gh, 'DELETE', `/repos/octo/rev/pulls/comments/${seeded.id}`);
    assert.equal(deleted.status, 204);
    assert.equal(discussion(gh, 'octo', 'rev').reviewComments.some((c) => c.id === seeded.id), false);
    assert.equal((await call(gh, 'DELETE', `/repos/octo/rev/pulls/comments/${seeded.id}`)).status, 404);
    assert.equal((await call(gh, 'PATCH', '/repos/octo/rev/pulls/comments/999999', { body: '{"body":"x"}' })).status, 404);
    assert.deepEqual(gh.problems, []);
  });

  test('read-only: reviews and edits are refused with 403, listing still works', async () => {
    freshPull(8);
    gh.readOnly = true;
    try {
      assert.equal((await review(8, [{ path: 'Dockerfile', line: 2, body: 'x' }])).status, 403);
      assert.equal((await call(gh, 'GET', '/repos/octo/rev/pulls/8/comments')).status, 200);
    } finally {
      gh.readOnly = false;
    }
    assert.equal(discussion(gh, 'octo', 'rev').reviews.some((r) => r.pullNumber === 8), false);
    assert.equal(gh.requestsTo('POST', REVIEWS).at(-1)?.status, 403);
  });
});

describe('fake GitHub issue comments', () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = await startFakeGitHub();
    gh.setPullFiles('octo', 'talk', 9, []);
  });
  after(async () => {
    await gh.close();
  });

  test('creates, lists (paginated) and edits issue comments of a pull request', async () => {
    const other = seedIssueComment(gh, 'octo', 'talk', 9, { body: 'LGTM' });
    const created = await call(gh, 'POST', '/repos/octo/talk/issues/9/comments', { body: JSON.stringify({ body: 'first' }) });
    assert.equal(created.status, 201);
    assert.equal(created.body.body, 'first');
    assert.equal(created.body.user.login, TOKEN_USER.login);
    assert.equal(created.headers.get('location'), `${gh.url}/repos/octo/talk/issues/comments/${created.body.id}`);
    await call(gh, 'POST', '/repos/octo/talk/issues/9/comments', { body: JSON.stringify({ body: 'second' }) });

    const page1 = await call(gh, 'GET', '/repos/octo/talk/issues/9/comments?per_page=2');
    assert.deepEqual(page1.body.map((c: any) => [c.id, c.body]), [[other.id, 'LGTM'], [created.body.id, 'first']]);
    assert.match(page1.headers.get('link') ?? '', /rel="next"/);
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const all = await octokit.paginate(octokit.rest.issues.listComments, { owner: 'octo', repo: 'talk', issue_number: 9, per_page: 1 });
    assert.deepEqual(all.map((c) => c.body), ['LGTM', 'first', 'second']);

    const edited = await call(gh, 'PATCH', `/repos/octo/talk/issues/comments/${created.body.id}`, { body: JSON.stringify({ body: 'first, edited' }) });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.id, created.body.id);
    assert.deepEqual(discussion(gh, 'octo', 'talk').issueComments.map((c) => c.body), ['LGTM', 'first, edited', 'second']);
    assert.deepEqual(gh.problems, []);
  });

  test('refuses a body over 65,536 characters, a blank body, an unknown issue or comment', async () => {
    const long = await call(gh, 'POST', '/repos/octo/talk/issues/9/comments', { body: JSON.stringify({ body: 'x'.repeat(65_537) }) });
    assert.equal(long.status, 422);
    assert.deepEqual(long.body.errors, [
      { resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' },
    ]);
    assert.equal((await call(gh, 'POST', '/repos/octo/talk/issues/9/comments', { body: '{"body":"  "}' })).status, 422);
    assert.equal((await call(gh, 'POST', '/repos/octo/talk/issues/404/comments', { body: '{"body":"x"}' })).status, 404);
    assert.equal((await call(gh, 'GET', '/repos/octo/talk/issues/404/comments')).status, 404);
    assert.equal((await call(gh, 'PATCH', '/repos/octo/talk/issues/comments/1', { body: '{"body":"x"}' })).status, 404);
    assert.deepEqual(gh.problems, []);
  });

  test('read-only: creating and editing are refused with 403', async () => {
    gh.readOnly = true;
    try {
      assert.equal((await call(gh, 'POST', '/repos/octo/talk/issues/9/comments', { body: '{"body":"x"}' })).status, 403);
    } finally {
      gh.readOnly = false;
    }
  });
});

// =================================================================================================================
// Check runs (the check-run block at the end of helpers/fake-github.ts)
// =================================================================================================================
import { checkRuns, fakeSha } from './helpers/fake-github.ts';

const SHA = fakeSha('check-run head');
const CREATE_DOCS = 'https://docs.github.com/rest/reference/checks#create-a-check-run';
const UPDATE_DOCS = 'https://docs.github.com/rest/checks/runs#update-a-check-run';

function annotationsFor(count: number, from = 1): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({
    path: 'Dockerfile',
    start_line: from + i,
    end_line: from + i,
    annotation_level: 'warning',
    message: `finding ${from + i}`,
  }));
}

describe('fake GitHub check runs', () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = await startFakeGitHub();
  });
  after(async () => {
    await gh.close();
  });

  test('create in progress, complete, then append annotations across updates; get and list them', async () => {
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const { data: created, status } = await octokit.rest.checks.create({
      owner: 'octo',
      repo: 'checks',
      name: 'Defang',
      head_sha: SHA,
      status: 'in_progress',
      started_at: '2024-05-01T12:00:00Z',
      output: { title: 'Checking', summary: 'Working…' },
    });
    assert.equal(status, 201);
    assert.equal(created.status, 'in_progress');
    assert.equal(created.conclusion, null);
    assert.equal(created.started_at, '2024-05-01T12:00:00Z');
    assert.equal(created.head_sha, SHA);
    assert.equal(created.app?.slug, 'github-actions');

    const completed = await octokit.rest.checks.update({
      owner: 'octo',
      repo: 'checks',
      check_run_id: created.id,
      conclusion: 'failure',
      completed_at: '2024-05-01T12:01:00Z',
      output: { title: '2 errors', summary: 'Summary', text: 'Text', annotations: annotationsFor(50) as any },
    });
    assert.equal(completed.data.status, 'completed');
    assert.equal(completed.data.output.annotations_count, 50);
    await octokit.rest.checks.update({
      owner: 'octo',
      repo: 'checks',
      check_run_id: created.id,
      output: { title: '2 errors', summary: 'Summary, again', annotations: annotationsFor(20, 51) as any },
    });

    const { data: got } = await octokit.rest.checks.get({ owner: 'octo', repo: 'checks', check_run_id: created.id });
    assert.equal(got.conclusion, 'failure');
    assert.equal(got.completed_at, '2024-05-01T12:01:00Z');
    assert.deepEqual(got.output, {
      title: '2 errors',
      summary: 'Summary, again',
      text: 'Text',
      annotations_count: 70,
      annotations_url: `${gh.url}/repos/octo/checks/check-runs/${created.id}/annotations`,
    });
    const annotations = await octokit.paginate(octokit.rest.checks.listAnnotations, { owner: 'octo', repo: 'checks', check_run_id: created.id, per_page: 30 });
    assert.deepEqual(annotations.map((a) => a.start_line), Array.from({ length: 70 }, (_, i) => i + 1));
    assert.equal(annotations[0]?.blob_href, `${gh.url}/octo/checks/blob/${SHA}/Dockerfile`);
    assert.equal(annotations[0]?.start_column, null);
    const [run] = checkRuns(gh, 'octo', 'checks');
    assert.equal(run?.writes, 3);
    assert.equal(run?.annotations.length, 70);
    assert.deepEqual(gh.problems, []);
  });

  test('more than 50 annotations in one request is a 422 and changes nothing', async () => {
    const before = checkRuns(gh, 'octo', 'checks').length;
    const answer = await call(gh, 'POST', '/repos/octo/checks/check-runs', {
      body: JSON.stringify({ name: 'Too many', head_sha: SHA, status: 'completed', conclusion: 'success', output: { title: 't', summary: 's', annotations: annotationsFor(51) } }),
    });
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body.errors, [
      { resource: 'CheckRun', field: 'output.annotations', code: 'invalid', message: 'output.annotations must have at most 50 items, got 51' },
    ]);
    assert.equal(checkRuns(gh, 'octo', 'checks').length, before);
    const id = checkRuns(gh, 'octo', 'checks')[0]!.id;
    const update = await call(gh, 'PATCH', `/repos/octo/checks/check-runs/${id}`, {
      body: JSON.stringify({ output: { title: 't', summary: 's', annotations: annotationsFor(51) } }),
    });
    assert.equal(update.status, 422);
    assert.equal(checkRuns(gh, 'octo', 'checks')[0]!.annotations.length, 70);
  });

  test('a summary or text over 65,535 characters, or over 65,535 bytes, is a 422', async () => {
    const chars = await call(gh, 'POST', '/repos/octo/checks/check-runs', {
      body: JSON.stringify({ name: 'Long', head_sha: SHA, output: { title: 't', summary: 'x'.repeat(65_536) } }),
    });
    assert.equal(chars.status, 422);
    assert.equal(chars.body.errors[0].message, 'output.summary must be at most 65535 characters long, got 65536');

    // 40,000 characters but 80,000 bytes: GitHub counts bytes.
    const bytes = await call(gh, 'POST', '/repos/octo/checks/check-runs', {
      body: JSON.stringify({ name: 'Long', head_sha: SHA, output: { title: 't', summary: 's', text: 'é'.repeat(40_000) } }),
    });
    assert.equal(bytes.status, 422);
    assert.deepEqual(bytes.body, {
      message: 'Validation Failed',
      errors: [{ resource: 'CheckRun', code: 'custom', field: 'text', message: 'text exceeds a maximum bytesize of 65535' }],
      documentation_url: CREATE_DOCS,
      status: '422',
    });
    // Exactly at the limit is accepted.
    const fits = await call(gh, 'POST', '/repos/octo/checks/check-runs', {
      body: JSON.stringify({ name: 'Long', head_sha: SHA, output: { title: 't', summary: 'é'.repeat(32_767) + 'x' } }),
    });
    assert.equal(fits.status, 201);
  });

  test('annotations GitHub refuses: long titles, columns across lines, bad lines, huge messages', async () => {
    const bad = [
      { path: 'D', start_line: 1, end_line: 1, annotation_level: 'notice', message: 'm', title: 't'.repeat(256) },
      { path: 'D', start_line: 2, end_line: 3, start_column: 1, end_column: 4, annotation_level: 'notice', message: 'm' },
      { path: 'D', start_line: 0, end_line: 0, annotation_level: 'notice', message: 'm' },
      { path: 'D', start_line: 5, end_line: 4, annotation_level: 'notice', message: 'm' },
      { path: 'D', start_line: 6, end_line: 6, start_column: 5, end_column: 2, annotation_level: 'notice', message: 'm' },
      { path: 'D', start_line: 7, end_line: 7, annotation_level: 'notice', message: 'm'.repeat(65_537) },
    ];
    const answer = await call(gh, 'POST', '/repos/octo/checks/check-runs', {
      body: JSON.stringify({ name: 'Bad', head_sha: SHA, output: { title: 't', summary: 's', annotations: bad } }),
    });
    assert.equal(answer.status, 422);
    assert.deepEqual(
      answer.body.errors.map((e: any) => e.message),
      [
        'annotations[0].title is longer than 255 characters',
        'annotations[1]: start_column and end_column are only allowed when start_line equals end_line',
        'annotations[2].start_line must be at least 1, got 0',
        'annotations[3].end_line 4 is before start_line 5',
        'annotations[4].end_column 2 is before start_column 5',
        'annotations[5].message is larger than 65536 bytes',
      ],
    );
    assert.ok(answer.body.errors.every((e: any) => e.resource === 'CheckRun' && e.field === 'annotations' && e.code === 'invalid'));
  });

  test('an unknown commit, completed without a conclusion, an output without a title, an unknown run', async () => {
    const noCommit = await call(gh, 'POST', '/repos/octo/checks/check-runs', { body: JSON.stringify({ name: 'n', head_sha: 'main' }) });
    assert.deepEqual([noCommit.status, noCommit.body.message], [422, 'No commit found for SHA: main']);
    const noConclusion = await call(gh, 'POST', '/repos/octo/checks/check-runs', {
      body: JSON.stringify({ name: 'n', head_sha: SHA, status: 'completed' }),
    });
    assert.equal(noConclusion.status, 422);
    assert.equal(noConclusion.body.errors[0].field, 'conclusion');
    const noTitle = await call(gh, 'POST', '/repos/octo/checks/check-runs', {
      body: JSON.stringify({ name: 'n', head_sha: SHA, output: { summary: 's' } }),
    });
    assert.equal(noTitle.status, 422);
    const id = checkRuns(gh, 'octo', 'checks')[0]!.id;
    const patchNoTitle = await call(gh, 'PATCH', `/repos/octo/checks/check-runs/${id}`, { body: JSON.stringify({ output: { summary: 's' } }) });
    assert.deepEqual([patchNoTitle.status, patchNoTitle.body.documentation_url], [422, UPDATE_DOCS]);
    assert.equal((await call(gh, 'GET', '/repos/octo/checks/check-runs/999999')).status, 404);
    assert.equal((await call(gh, 'PATCH', '/repos/octo/checks/check-runs/999999', { body: '{"status":"in_progress"}' })).status, 404);
    // A conclusion alone completes the run.
    const concluded = await call(gh, 'POST', '/repos/octo/checks/check-runs', {
      body: JSON.stringify({ name: 'n', head_sha: SHA, conclusion: 'neutral' }),
    });
    assert.deepEqual([concluded.status, concluded.body.status, concluded.body.conclusion], [201, 'completed', 'neutral']);
    assert.match(concluded.body.completed_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.deepEqual(gh.problems, []);
  });

  test('list for a commit: latest per name by default, or all, by name and status, newest first', async () => {
    const sha = fakeSha('list head');
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const make = async (name: string, status: 'in_progress' | 'completed') =>
      (await octokit.rest.checks.create({ owner: 'octo', repo: 'list', name, head_sha: sha, status, ...(status === 'completed' ? { conclusion: 'success' as const } : {}) })).data.id;
    const a1 = await make('A', 'completed');
    const b1 = await make('B', 'in_progress');
    const a2 = await make('A', 'in_progress');
    await octokit.rest.checks.create({ owner: 'octo', repo: 'list', name: 'A', head_sha: fakeSha('other'), status: 'in_progress' });

    const list = async (query: Record<string, unknown>) =>
      (await octokit.rest.checks.listForRef({ owner: 'octo', repo: 'list', ref: sha, ...query })).data;
    const latest = await list({});
    assert.deepEqual([latest.total_count, latest.check_runs.map((r) => r.id)], [2, [a2, b1]]);
    assert.deepEqual((await list({ filter: 'all' })).check_runs.map((r) => r.id), [a2, b1, a1]);
    assert.deepEqual((await list({ filter: 'all', check_name: 'A' })).check_runs.map((r) => r.id), [a2, a1]);
    assert.deepEqual((await list({ filter: 'all', status: 'completed' })).check_runs.map((r) => r.id), [a1]);
    assert.deepEqual((await list({ app_id: 1 })).check_runs, []);
    // Runs of one commit share the app's check suite.
    assert.equal(new Set(checkRuns(gh, 'octo', 'list').filter((r) => r.headSha === sha).map((r) => r.checkSuiteId)).size, 1);
    assert.deepEqual(gh.problems, []);
  });

  test('read-only: creating and updating are refused with 403, reading still works', async () => {
    const id = checkRuns(gh, 'octo', 'checks')[0]!.id;
    gh.readOnly = true;
    try {
      const created = await call(gh, 'POST', '/repos/octo/checks/check-runs', { body: JSON.stringify({ name: 'n', head_sha: SHA }) });
      assert.deepEqual([created.status, created.body.message], [403, 'Resource not accessible by integration']);
      assert.equal((await call(gh, 'PATCH', `/repos/octo/checks/check-runs/${id}`, { body: '{"status":"in_progress"}' })).status, 403);
      assert.equal((await call(gh, 'GET', `/repos/octo/checks/check-runs/${id}`)).status, 200);
    } finally {
      gh.readOnly = false;
    }
  });
});

// =================================================================================================================
// Pull requests (get, list): the pull-request block of helpers/fake-github.ts.

import { setPullRequest } from './helpers/fake-github.ts';

describe('fake GitHub pull requests', () => {
  let gh: FakeGitHub;
  const head = fakeSha('pulls head');
  const base = fakeSha('pulls base');
  before(async () => {
    gh = await startFakeGitHub();
    setPullRequest(gh, 'octo', 'pulls', {
      number: 3,
      files: [{ filename: 'Dockerfile', status: 'modified', patch: '@@ -1,2 +1,3 @@\n FROM debian:12\n-RUN a\n+RUN b\n+RUN c' }],
      headSha: head,
      headRef: 'feature',
      headOwner: 'Forker',
      baseSha: base,
      title: 'Add c',
    });
    setPullRequest(gh, 'octo', 'pulls', { number: 4, files: [], headSha: fakeSha('4'), headRef: 'feature', baseSha: base, baseRef: 'release' });
    setPullRequest(gh, 'octo', 'pulls', { number: 5, files: [], headSha: fakeSha('5'), headRef: 'old', headOwner: 'forker', baseSha: base, state: 'closed' });
    gh.setPullFiles('octo', 'pulls', 6, [{ filename: 'a.txt', status: 'added', patch: '@@ -0,0 +1 @@\n+a' }]);
  });
  after(async () => {
    await gh.close();
  });

  test('get: a pull request from a fork, with its head and base, valid against the description', async () => {
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const { data, status } = await octokit.rest.pulls.get({ owner: 'octo', repo: 'pulls', pull_number: 3 });
    assert.equal(status, 200);
    assert.equal(data.number, 3);
    assert.equal(data.state, 'open');
    assert.equal(data.title, 'Add c');
    assert.deepEqual(
      { sha: data.head.sha, ref: data.head.ref, label: data.head.label, repo: data.head.repo?.full_name, fork: data.head.repo?.fork, user: data.head.user.login },
      { sha: head, ref: 'feature', label: 'Forker:feature', repo: 'Forker/pulls', fork: true, user: 'Forker' },
    );
    assert.deepEqual({ sha: data.base.sha, ref: data.base.ref, repo: data.base.repo.full_name, fork: data.base.repo.fork }, { sha: base, ref: 'main', repo: 'octo/pulls', fork: false });
    assert.deepEqual({ additions: data.additions, deletions: data.deletions, changed_files: data.changed_files }, { additions: 2, deletions: 1, changed_files: 1 });
    assert.equal(data.user.login, 'Forker');
    assert.equal(data.maintainer_can_modify, true);
    assert.deepEqual(gh.problems, []);
  });

  test('get: a pull request made with setPullFiles alone has the defaults reviews use', async () => {
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const { data } = await octokit.rest.pulls.get({ owner: 'octo', repo: 'pulls', pull_number: 6 });
    assert.equal(data.head.sha, fakeSha('head of pull 6'));
    assert.equal(data.head.repo?.full_name, 'octo/pulls');
    assert.equal(data.head.repo?.fork, false);
    assert.equal(data.base.sha, fakeSha('base of pull 6'));
    assert.equal(data.state, 'open');
    const missing = await call(gh, 'GET', '/repos/octo/pulls/pulls/99');
    assert.equal(missing.status, 404);
    assert.deepEqual(gh.problems, []);
  });

  test('replacing a pull request (a push to its branch) keeps its creation time and moves updated_at', async () => {
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const before = (await octokit.rest.pulls.get({ owner: 'octo', repo: 'pulls', pull_number: 4 })).data;
    setPullRequest(gh, 'octo', 'pulls', { number: 4, files: [], headSha: fakeSha('4 again'), headRef: 'feature', baseSha: base, baseRef: 'release' });
    const after = (await octokit.rest.pulls.get({ owner: 'octo', repo: 'pulls', pull_number: 4 })).data;
    assert.equal(after.head.sha, fakeSha('4 again'));
    assert.equal(after.created_at, before.created_at);
    assert.ok(Date.parse(after.updated_at) > Date.parse(before.updated_at));
    assert.equal(after.head.repo?.id, before.head.repo?.id);
  });

  test('list: open by default, newest first; state, head (owner:branch) and base filter as on GitHub', async () => {
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const numbers = async (params: Record<string, unknown>) =>
      (await octokit.rest.pulls.list({ owner: 'octo', repo: 'pulls', ...params })).data.map((p) => p.number);
    assert.deepEqual(await numbers({}), [6, 4, 3]);
    assert.deepEqual(await numbers({ state: 'all' }), [6, 5, 4, 3]);
    assert.deepEqual(await numbers({ state: 'closed' }), [5]);
    assert.deepEqual(await numbers({ head: 'forker:feature' }), [3]);
    assert.deepEqual(await numbers({ head: 'octo:feature' }), [4]);
    assert.deepEqual(await numbers({ head: 'forker:old' }), []);
    assert.deepEqual(await numbers({ head: 'forker:old', state: 'all' }), [5]);
    // Without the owner GitHub ignores the filter.
    assert.deepEqual(await numbers({ head: 'feature' }), [6, 4, 3]);
    assert.deepEqual(await numbers({ base: 'release' }), [4]);
    assert.deepEqual(await numbers({ sort: 'created', direction: 'asc' }), [3, 4, 6]);
    assert.deepEqual(await numbers({ sort: 'updated' }), [3, 6, 4]);
    assert.deepEqual(await numbers({ sort: 'updated', direction: 'desc' }), [4, 6, 3]);
    const pages = await octokit.paginate(octokit.rest.pulls.list, { owner: 'octo', repo: 'pulls', state: 'all', per_page: 3 });
    assert.deepEqual(pages.map((p) => p.number), [6, 5, 4, 3]);
    const [fork] = (await octokit.rest.pulls.list({ owner: 'octo', repo: 'pulls', head: 'Forker:feature' })).data;
    assert.equal(fork?.head.sha, head);
    assert.equal(fork?.head.repo?.owner.login, 'Forker');
    assert.equal('additions' in (fork ?? {}), false, 'the list has the simple form');
    assert.deepEqual(gh.problems, []);
  });

  test('list: an invalid state is refused before the handler (422), an unknown repository is 404', async () => {
    const invalid = await call(gh, 'GET', '/repos/octo/pulls/pulls?state=merged');
    assert.equal(invalid.status, 422);
    const unknown = await call(gh, 'GET', '/repos/octo/nothing/pulls');
    assert.equal(unknown.status, 404);
  });

  test('setPullRequest refuses a commit that is not 40 hex digits', () => {
    assert.throws(() => setPullRequest(gh, 'octo', 'pulls', { number: 9, files: [], headSha: 'abc', baseSha: base }), /headSha must be 40 hex digits/);
  });
});
