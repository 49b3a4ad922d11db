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
    assert.deepEqual(byField.name, { field: 'name', code: 'invalid', message: 'name must be a string, got number 7', value: 7 });
    assert.deepEqual(byField.status, {
      field: 'status',
      code: 'invalid',
      message: 'status must be one of "queued", "in_progress", "completed", got the string "sleeping"',
      value: 'sleeping',
    });
    assert.deepEqual(byField.started_at, {
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
    assert.deepEqual(answer.body.errors, [{ field: 'head_sha', code: 'missing_field', message: 'head_sha is required' }]);
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
      const answer = await call(fresh, 'POST', '/repos/octo/app/check-runs', {
        body: JSON.stringify({ name: 'lint', head_sha: 'a'.repeat(40) }),
      });
      assert.equal(answer.status, 501);
      assert.deepEqual(fresh.problems, [
        'fake-github has no handler for POST /repos/{owner}/{repo}/check-runs (checks/create); add one to DEFAULT_ROUTES',
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
