/**
 * A local stand-in for the GitHub REST API, for tests: an HTTP server on 127.0.0.1 (random port) that keeps state
 * set by the test, answers through a route table (method + path template → handler), records every request, and
 * checks every request — and every answer of its own handlers — against GitHub's published OpenAPI description.
 *
 *   const gh = await startFakeGitHub();
 *   gh.setPullFiles('octo', 'app', 7, [{ filename: 'Dockerfile', status: 'modified', patch: '@@ -1 +1 @@\n-a\n+b' }]);
 *   const octokit = getOctokit(gh.token, { baseUrl: gh.url });
 *   ...
 *   assert.deepEqual(gh.requests.map((r) => r.query.page), ['1', '2']);
 *   await gh.close();
 *
 * Adding an endpoint: write a handler `(state, req, server) => ({ status, body, headers? })` and add
 * `{ method, path, handler }` to DEFAULT_ROUTES (or call `server.route(...)` in one test). `path` must be GitHub's
 * template exactly as in the description (e.g. `/repos/{owner}/{repo}/check-runs`); the server refuses a route that
 * GitHub does not have. Put the new state (check runs, reviews, comments, ...) on FakeRepo.
 *
 * Order of checks for each request, as on GitHub: authentication (401), secondary rate limit (403), route (404),
 * read-only token (403 for writes), JSON syntax (400), parameters and body (422), then the handler. Answers with a
 * JSON schema in the description are validated; a handler answer that breaks it becomes a 500 and is listed in
 * `server.problems`, so tests cannot pass on data GitHub would never send.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  coerceParameter,
  effectiveParameterSchema,
  loadGitHubSpec,
  validateSchema,
  type GitHubSpec,
  type HttpMethod,
  type Operation,
  type SchemaIssue,
} from './openapi.ts';

// ---------------------------------------------------------------------------------------------------------------
// State

export type DiffStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

/** A changed file as the test describes it; the server fills in the rest of GitHub's diff entry. */
export interface FakeDiffFile {
  filename: string;
  status: DiffStatus;
  /** The unified diff hunks, without file headers. Leave out to act as GitHub does for too-large or binary diffs. */
  patch?: string;
  previous_filename?: string;
  /** Counted from `patch` when not given. */
  additions?: number;
  deletions?: number;
  /** additions + deletions when not given. */
  changes?: number;
  sha?: string;
}

export interface FakeCommit {
  sha: string;
  message: string;
  parents?: string[];
}

export interface FakePull {
  number: number;
  /** In the order GitHub lists them. */
  files: FakeDiffFile[];
}

export interface FakeComparison {
  base: string;
  head: string;
  files: FakeDiffFile[];
  /** Oldest first. */
  commits: FakeCommit[];
}

export interface FakeRepo {
  owner: string;
  name: string;
  id: number;
  defaultBranch: string;
  pulls: Map<number, FakePull>;
  /** Keyed by `BASE...HEAD` exactly as the client will ask for it. */
  comparisons: Map<string, FakeComparison>;
}

export class FakeGitHubState {
  readonly repos = new Map<string, FakeRepo>();
  #nextId = 1000;

  /** Owner and repository names are case-insensitive, as on GitHub. */
  findRepo(owner: string, name: string): FakeRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** The repository, created (empty, default branch `main`) when it does not exist yet. */
  repo(owner: string, name: string): FakeRepo {
    const existing = this.findRepo(owner, name);
    if (existing) return existing;
    const repo: FakeRepo = {
      owner,
      name,
      id: this.nextId(),
      defaultBranch: 'main',
      pulls: new Map(),
      comparisons: new Map(),
    };
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo);
    return repo;
  }

  nextId(): number {
    return this.#nextId++;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Routes

export interface FakeRequest {
  method: HttpMethod;
  /** The request path as sent (percent-encoded), without the query string. */
  path: string;
  /** GitHub's path template that matched, e.g. `/repos/{owner}/{repo}/pulls/{pull_number}/files`. */
  template: string;
  operation: Operation;
  /** Path parameters, decoded and converted to the schema's type. */
  params: Record<string, unknown>;
  /** The documented query parameters that were sent, converted to the schema's type. */
  query: Record<string, unknown>;
  /** The query string as sent. */
  searchParams: URLSearchParams;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The server's base URL, e.g. `http://127.0.0.1:43121`. */
  baseUrl: string;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (
  state: FakeGitHubState,
  req: FakeRequest,
  server: FakeGitHub,
) => FakeResponse | Promise<FakeResponse>;

export interface Route {
  method: HttpMethod;
  /** GitHub's path template, exactly as in the OpenAPI description. */
  path: string;
  /** The `resource` GitHub names in validation errors for this endpoint (e.g. `PullRequest`), when known. */
  resource?: string;
  handler: RouteHandler;
}

/** A GitHub-shaped error answer. */
export function errorResponse(status: number, message: string, documentationUrl = 'https://docs.github.com/rest'): FakeResponse {
  return { status, body: { message, documentation_url: documentationUrl, status: String(status) } };
}

export function notFound(req: FakeRequest): FakeResponse {
  return errorResponse(404, 'Not Found', req.operation.documentationUrl);
}

/**
 * One page of `items` as GitHub serves list endpoints: `per_page` (default 30) and `page` (default 1) from the
 * query, at most `cap` items in all (GitHub stops some lists, e.g. pull request files at 3000), and a `Link` header
 * with rel="prev", "next", "last" and "first" where they apply.
 */
export function paginate<T>(
  req: FakeRequest,
  items: readonly T[],
  options: { defaultPerPage?: number; cap?: number } = {},
): { items: T[]; headers: Record<string, string> } {
  const perPage = typeof req.query.per_page === 'number' && req.query.per_page > 0 ? req.query.per_page : (options.defaultPerPage ?? 30);
  const page = typeof req.query.page === 'number' && req.query.page > 0 ? req.query.page : 1;
  const listed = options.cap === undefined ? items : items.slice(0, options.cap);
  const lastPage = Math.max(1, Math.ceil(listed.length / perPage));
  const pageUrl = (n: number): string => {
    const params = new URLSearchParams(req.searchParams);
    params.set('page', String(n));
    return `<${req.baseUrl}${req.path}?${params.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${pageUrl(Math.min(page - 1, lastPage))}; rel="prev"`);
  if (page < lastPage) links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${pageUrl(1)}; rel="first"`);
  return {
    items: listed.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

/** GitHub lists at most this many files of a pull request. */
export const PULL_FILES_CAP = 3000;
/** GitHub's compare endpoint lists at most this many files. */
export const COMPARE_FILES_CAP = 300;
/** GitHub's compare endpoint lists at most this many commits when the client does not paginate. */
export const COMPARE_COMMITS_UNPAGED = 250;

function listPullFiles(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const repo = state.findRepo(String(req.params.owner), String(req.params.repo));
  const pull = repo?.pulls.get(req.params.pull_number as number);
  if (!repo || !pull) return notFound(req);
  const { items, headers } = paginate(req, pull.files, { cap: PULL_FILES_CAP });
  return { status: 200, headers, body: items.map((file) => server.diffEntry(repo, `refs/pull/${pull.number}/head`, file)) };
}

function compareCommits(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const repo = state.findRepo(String(req.params.owner), String(req.params.repo));
  const basehead = String(req.params.basehead);
  const comparison = repo?.comparisons.get(basehead);
  if (!repo || !comparison) return notFound(req);
  const paged = req.searchParams.has('page') || req.searchParams.has('per_page');
  const commits =
    comparison.commits.length > 0 ? comparison.commits : [{ sha: fakeSha(`commit ${comparison.head}`), message: `Update ${comparison.head}` }];
  let shown = commits.slice(-COMPARE_COMMITS_UNPAGED);
  let headers: Record<string, string> = {};
  if (paged) ({ items: shown, headers } = paginate(req, commits));
  const page = typeof req.query.page === 'number' ? req.query.page : 1;
  const baseSha = /^[0-9a-f]{40}$/.test(comparison.base) ? comparison.base : fakeSha(`commit ${comparison.base}`);
  const baseCommit = server.commitObject(repo, { sha: baseSha, message: `Base ${comparison.base}` });
  const web = `${server.url}/${repo.owner}/${repo.name}/compare/${basehead}`;
  const body: Record<string, unknown> = {
    url: `${server.url}/repos/${repo.owner}/${repo.name}/compare/${basehead}`,
    html_url: web,
    permalink_url: `${server.url}/${repo.owner}/${repo.name}/compare/${repo.owner}:${baseSha}...${repo.owner}:${commits[commits.length - 1]?.sha}`,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    base_commit: baseCommit,
    merge_base_commit: baseCommit,
    status: comparison.commits.length === 0 && comparison.files.length === 0 ? 'identical' : 'ahead',
    ahead_by: commits.length,
    behind_by: 0,
    total_commits: commits.length,
    commits: shown.map((c) => server.commitObject(repo, c)),
  };
  // With pagination the files are only on the first page (GitHub's documented behaviour).
  if (!paged || page === 1) {
    body.files = comparison.files.slice(0, COMPARE_FILES_CAP).map((f) => server.diffEntry(repo, comparison.head, f));
  }
  return { status: 200, headers, body };
}

/** The endpoints every fake server has. Add new ones here (or per test with `server.route`). */
export const DEFAULT_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/repos/{owner}/{repo}/pulls/{pull_number}/files', resource: 'PullRequest', handler: listPullFiles },
  { method: 'GET', path: '/repos/{owner}/{repo}/compare/{basehead}', resource: 'Commit', handler: compareCommits },
  // Reviews, review comments and issue comments: see the block at the end of this file.
  ...discussionRoutes(),
  // Check runs: see the check-run block at the end of this file.
  ...checkRunRoutes(),
  // Pull requests (get, list): see the pull-request block at the end of this file.
  ...pullRequestRoutes(),
];

// ---------------------------------------------------------------------------------------------------------------
// Server

export interface RecordedRequest {
  method: string;
  /** As sent (percent-encoded), without the query string. */
  path: string;
  /** Query parameters as sent: a string, or the list of values when a name was repeated. */
  query: Record<string, string | string[]>;
  /** The JSON body parsed, the raw text when it was not JSON, undefined when empty. */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The matched path template and operation, once routing got that far. */
  template?: string;
  operationId?: string;
  status: number;
  /** What the server answered. */
  response?: unknown;
  /** Why the request was refused, for test failure messages. */
  error?: string;
}

export interface FakeGitHubOptions {
  /** The token clients must send (`Authorization: token X` or `Bearer X`). Default `fake-token`. */
  token?: string;
  /** Check the handlers' answers against the description (default true). */
  validateResponses?: boolean;
  /** Extra routes, added after (and overriding) DEFAULT_ROUTES. */
  routes?: Route[];
}

interface PendingRateLimit {
  matches: (method: string, path: string) => boolean;
}

const SECONDARY_RATE_LIMIT_DOCS =
  'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';

export class FakeGitHub {
  readonly state = new FakeGitHubState();
  readonly requests: RecordedRequest[] = [];
  /** Handler crashes, missing handlers and handler answers GitHub would never give. Tests should expect none. */
  readonly problems: string[] = [];
  readonly token: string;
  readonly validateResponses: boolean;
  /** When true, every write (POST, PATCH, PUT, DELETE) is refused as with a read-only GITHUB_TOKEN. */
  readOnly = false;
  /** The base URL once started, e.g. `http://127.0.0.1:43121`. */
  url = '';
  readonly spec: GitHubSpec;
  #routes = new Map<string, Route>();
  #rateLimits: PendingRateLimit[] = [];
  #server: Server | undefined;
  #rateRemaining = 5000;

  constructor(options: FakeGitHubOptions = {}) {
    this.token = options.token ?? 'fake-token';
    this.validateResponses = options.validateResponses ?? true;
    this.spec = loadGitHubSpec();
    for (const route of [...DEFAULT_ROUTES, ...(options.routes ?? [])]) this.route(route);
  }

  /** Adds or replaces a route. Throws when GitHub's description has no such operation. */
  route(route: Route): this {
    const key = `${route.method} ${route.path}`;
    if (!this.spec.operations.has(key)) {
      throw new Error(`fake-github: GitHub's OpenAPI description has no operation ${key}`);
    }
    this.#routes.set(key, route);
    return this;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        this.problems.push(`fake-github crashed on ${req.method} ${req.url}: ${String(error)}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: `fake-github crashed: ${String(error)}` }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  /** The next request (or the next one `matches` accepts) gets GitHub's secondary-rate-limit answer, once. */
  secondaryRateLimitOnce(matches: (method: string, path: string) => boolean = () => true): void {
    this.#rateLimits.push({ matches });
  }

  setPullFiles(owner: string, repo: string, pullNumber: number, files: FakeDiffFile[]): FakePull {
    const pull: FakePull = { number: pullNumber, files };
    this.state.repo(owner, repo).pulls.set(pullNumber, pull);
    return pull;
  }

  /** What `GET /repos/{owner}/{repo}/compare/{base}...{head}` answers. */
  setComparison(
    owner: string,
    repo: string,
    base: string,
    head: string,
    data: { files: FakeDiffFile[]; commits?: FakeCommit[] },
  ): FakeComparison {
    const comparison: FakeComparison = { base, head, files: data.files, commits: data.commits ?? [] };
    this.state.repo(owner, repo).comparisons.set(`${base}...${head}`, comparison);
    return comparison;
  }

  /** The recorded requests that were routed to `METHOD /template`. */
  requestsTo(method: HttpMethod, template: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.template === template);
  }

  /** GitHub's diff entry (as in pull request files and comparisons) for a file the test described. */
  diffEntry(repo: FakeRepo, ref: string, file: FakeDiffFile): Record<string, unknown> {
    const counted = countPatch(file.patch);
    const additions = file.additions ?? counted.additions;
    const deletions = file.deletions ?? counted.deletions;
    const sha = file.sha ?? fakeSha(`blob ${file.filename}\n${file.patch ?? ''}`);
    const encodedPath = file.filename.split('/').map(encodeURIComponent).join('/');
    const entry: Record<string, unknown> = {
      sha,
      filename: file.filename,
      status: file.status,
      additions,
      deletions,
      changes: file.changes ?? additions + deletions,
      blob_url: `${this.url}/${repo.owner}/${repo.name}/blob/${sha}/${encodedPath}`,
      raw_url: `${this.url}/${repo.owner}/${repo.name}/raw/${sha}/${encodedPath}`,
      contents_url: `${this.url}/repos/${repo.owner}/${repo.name}/contents/${encodedPath}?ref=${encodeURIComponent(ref)}`,
    };
    if (file.patch !== undefined) entry.patch = file.patch;
    if (file.previous_filename !== undefined) entry.previous_filename = file.previous_filename;
    return entry;
  }

  /** GitHub's commit object (as in comparisons). */
  commitObject(repo: FakeRepo, commit: FakeCommit): Record<string, unknown> {
    const api = `${this.url}/repos/${repo.owner}/${repo.name}`;
    const web = `${this.url}/${repo.owner}/${repo.name}`;
    const person = { name: 'Fake Author', email: 'author@example.test', date: '2024-05-01T12:00:00Z' };
    return {
      url: `${api}/commits/${commit.sha}`,
      sha: commit.sha,
      node_id: Buffer.from(`Commit:${commit.sha}`).toString('base64'),
      html_url: `${web}/commit/${commit.sha}`,
      comments_url: `${api}/commits/${commit.sha}/comments`,
      commit: {
        url: `${api}/git/commits/${commit.sha}`,
        author: person,
        committer: person,
        message: commit.message,
        comment_count: 0,
        tree: { sha: fakeSha(`tree ${commit.sha}`), url: `${api}/git/trees/${fakeSha(`tree ${commit.sha}`)}` },
        verification: { verified: false, reason: 'unsigned', payload: null, signature: null, verified_at: null },
      },
      author: this.user('fake-author', 1),
      committer: this.user('fake-author', 1),
      parents: (commit.parents ?? []).map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: `${web}/commit/${sha}` })),
    };
  }

  /** GitHub's simple-user object. */
  user(login: string, id: number): Record<string, unknown> {
    const api = `${this.url}/users/${login}`;
    return {
      login,
      id,
      node_id: Buffer.from(`User:${id}`).toString('base64'),
      avatar_url: `${this.url}/avatars/${login}`,
      gravatar_id: '',
      url: api,
      html_url: `${this.url}/${login}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: 'User',
      site_admin: false,
    };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = (req.method ?? 'GET').toUpperCase();
    const rawBody = await readBody(req);
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: queryRecord(url.searchParams),
      body: parseRecordedBody(rawBody),
      headers: req.headers,
      status: 0,
    };
    this.requests.push(record);
    const response = await this.#answer(record, url, method, rawBody, req.headers);
    record.status = response.status;
    record.response = response.body;
    this.#send(res, response);
  }

  async #answer(
    record: RecordedRequest,
    url: URL,
    method: string,
    rawBody: string,
    headers: IncomingHttpHeaders,
  ): Promise<FakeResponse> {
    const refuse = (response: FakeResponse, why: string): FakeResponse => {
      record.error = why;
      return response;
    };

    // 1. Authentication.
    const auth = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
    if (!auth) return refuse(errorResponse(401, 'Requires authentication'), 'no Authorization: token/Bearer header');
    if (auth[1] !== this.token) return refuse(errorResponse(401, 'Bad credentials'), `unknown token ${auth[1]}`);

    // 2. Secondary rate limit, when a test asked for one.
    const limitIndex = this.#rateLimits.findIndex((l) => l.matches(method, url.pathname));
    if (limitIndex >= 0) {
      this.#rateLimits.splice(limitIndex, 1);
      const requestId = randomUUID().toUpperCase();
      const response = errorResponse(
        403,
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out ' +
          `to GitHub Support for help, please include the request ID ${requestId}.`,
        SECONDARY_RATE_LIMIT_DOCS,
      );
      response.headers = { 'retry-after': '1', 'x-github-request-id': requestId };
      return refuse(response, 'secondary rate limit (set by the test)');
    }

    // 3. Route: the most specific template whose path parameters are valid.
    const candidates = this.spec.match(method, url.pathname);
    if (candidates.length === 0) {
      const why = this.spec.hasPath(url.pathname) ? `GitHub has no ${method} for this path` : 'no such path in GitHub\'s API';
      return refuse(errorResponse(404, 'Not Found'), why);
    }
    let operation: Operation | undefined;
    let params: Record<string, unknown> = {};
    const pathIssues: string[] = [];
    for (const candidate of candidates) {
      const coerced: Record<string, unknown> = {};
      const issues: SchemaIssue[] = [];
      for (const parameter of candidate.operation.pathParameters) {
        const value = coerceParameter(this.spec, parameter.schema, [candidate.params[parameter.name] ?? '']);
        coerced[parameter.name] = value;
        issues.push(...validateSchema(this.spec, parameter.schema, value, parameter.name));
      }
      if (issues.length === 0) {
        operation = candidate.operation;
        params = coerced;
        break;
      }
      pathIssues.push(`${candidate.operation.path}: ${issues.map((i) => i.message).join('; ')}`);
    }
    if (!operation) return refuse(errorResponse(404, 'Not Found'), `path parameters invalid: ${pathIssues.join(' | ')}`);
    record.template = operation.path;
    record.operationId = operation.operationId;
    const route = this.#routes.get(`${operation.method} ${operation.path}`);
    const docs = operation.documentationUrl;

    // 4. Read-only token.
    if (this.readOnly && method !== 'GET') {
      return refuse(errorResponse(403, 'Resource not accessible by integration', docs), 'read-only token');
    }

    // 5. Body syntax.
    let body: unknown;
    const takesJson = operation.bodyContentTypes.includes('application/json');
    if (takesJson && rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch (error) {
        return refuse(errorResponse(400, 'Problems parsing JSON', docs), `malformed JSON: ${String(error)}`);
      }
    } else if (!takesJson && rawBody !== '') {
      body = rawBody;
    }

    // 6. Parameters and body against the description.
    const issues: SchemaIssue[] = [];
    const query: Record<string, unknown> = {};
    for (const parameter of operation.queryParameters) {
      const raw = [...url.searchParams.getAll(parameter.name), ...url.searchParams.getAll(`${parameter.name}[]`)];
      if (raw.length === 0) {
        if (parameter.required) issues.push({ field: parameter.name, code: 'missing_field', message: `${parameter.name} is required` });
        continue;
      }
      const schema = effectiveParameterSchema(parameter);
      const value = coerceParameter(this.spec, schema, raw);
      query[parameter.name] = value;
      issues.push(...validateSchema(this.spec, schema, value, parameter.name));
    }
    if (operation.bodySchema && takesJson) {
      if (body === undefined && operation.bodyRequired) {
        // GitHub reads a missing body as an empty object, then names the fields that are required.
        const schema = operation.bodySchema.$ref
          ? (this.spec.resolve(operation.bodySchema.$ref) as { type?: string })
          : operation.bodySchema;
        if (schema.type === 'object' || schema.type === undefined) body = {};
        else issues.push({ field: '', code: 'missing_field', message: 'a request body is required' });
      }
      if (body !== undefined) issues.push(...validateSchema(this.spec, operation.bodySchema, body));
    }
    if (issues.length > 0) {
      const errors = issues.map((issue) => ({
        ...(route?.resource ? { resource: route.resource } : {}),
        field: issue.field,
        code: issue.code,
        message: issue.message,
        ...('value' in issue ? { value: issue.value } : {}),
      }));
      return refuse(
        { status: 422, body: { message: 'Validation Failed', errors, documentation_url: docs, status: '422' } },
        issues.map((i) => i.message).join('; '),
      );
    }

    // 7. The handler.
    if (!route) {
      const why = `fake-github has no handler for ${operation.method} ${operation.path} (${operation.operationId}); add one to DEFAULT_ROUTES`;
      this.problems.push(why);
      return refuse(errorResponse(501, why, docs), why);
    }
    const fakeRequest: FakeRequest = {
      method: operation.method,
      path: url.pathname,
      template: operation.path,
      operation,
      params,
      query,
      searchParams: url.searchParams,
      body,
      headers,
      baseUrl: this.url,
    };
    let response: FakeResponse;
    try {
      response = await route.handler(this.state, fakeRequest, this);
    } catch (error) {
      const why = `handler for ${operation.method} ${operation.path} threw: ${error instanceof Error ? error.stack : String(error)}`;
      this.problems.push(why);
      return refuse(errorResponse(500, why, docs), why);
    }

    // 8. The answer against the description.
    if (this.validateResponses) {
      const schema = operation.responseSchemas.get(String(response.status)) ?? operation.responseSchemas.get('default');
      if (schema && response.body !== undefined) {
        const problems = validateSchema(this.spec, schema, response.body, 'response');
        if (problems.length > 0) {
          const why =
            `handler for ${operation.method} ${operation.path} answered ${response.status} with a body GitHub's ` +
            `description does not allow (${problems.length} problem(s)): ` +
            problems.slice(0, 10).map((p) => p.message).join('; ');
          this.problems.push(why);
          return refuse(errorResponse(500, why, docs), why);
        }
      }
    }
    return response;
  }

  #send(res: ServerResponse, response: FakeResponse): void {
    this.#rateRemaining = Math.max(0, this.#rateRemaining - 1);
    const headers: Record<string, string> = {
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': randomUUID().toUpperCase(),
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(this.#rateRemaining),
      'x-ratelimit-used': String(5000 - this.#rateRemaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      ...response.headers,
    };
    if (response.status === 204 || response.body === undefined) {
      res.writeHead(response.status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(response.body);
    res.writeHead(response.status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    });
    res.end(text);
  }
}

/** Starts a fake GitHub on 127.0.0.1 with a random port. Close it with `await server.close()`. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  return new FakeGitHub(options).start();
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** A stable 40-hex-digit id derived from `seed`. */
export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

function countPatch(patch: string | undefined): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const line of (patch ?? '').split('\n')) {
    if (line.startsWith('+')) additions++;
    else if (line.startsWith('-')) deletions++;
  }
  return { additions, deletions };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseRecordedBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    record[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return record;
}

// =================================================================================================================
// Pull request reviews, review comments and issue comments (used by the review and summary-comment reporters).
//
// State lives on each FakeRepo under `discussion` (created on first use; see `discussionOf`). Writes are made as the
// token's user, `TOKEN_USER` (a workflow's GITHUB_TOKEN acts as github-actions[bot]). Timestamps come from a clock
// per repository that advances one second per write, so orderings are deterministic.
//
// As on GitHub, a review is created whole or not at all: every comment's line (and start_line) must be on the
// chosen side of one of the file's diff hunks (`setPullFiles` patches), or the whole review is refused with 422
// "Unprocessable Entity" and GitHub's sentence, e.g. "Pull request review thread line must be part of the diff and
// Pull request review thread diff hunk can't be blank". Bodies over 65,536 characters are refused with 422.
// Comments of a pending review (no `event`) are not listed, as GitHub lists them to nobody but their author.
// =================================================================================================================

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

/** The user the fake token writes as. */
export const TOKEN_USER: FakeUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export type FakeReviewState = 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'PENDING';

export interface FakeReview {
  id: number;
  pullNumber: number;
  body: string;
  state: FakeReviewState;
  commitId: string;
  /** Absent while pending. */
  submittedAt?: string;
  user: FakeUser;
}

export interface FakeReviewComment {
  id: number;
  pullNumber: number;
  /** null for a comment made outside a review (seeded by a test). */
  reviewId: number | null;
  path: string;
  line: number;
  side: 'LEFT' | 'RIGHT';
  startLine: number | null;
  startSide: 'LEFT' | 'RIGHT' | null;
  body: string;
  commitId: string;
  /** The hunk header and the diff lines down to `line`, as GitHub shows above the comment. */
  diffHunk: string;
  /** The line's position in the file's diff (the closing-down `position`). */
  position: number;
  inReplyToId?: number;
  createdAt: string;
  updatedAt: string;
  user: FakeUser;
}

export interface FakeIssueComment {
  id: number;
  issueNumber: number;
  body: string;
  createdAt: string;
  updatedAt: string;
  user: FakeUser;
}

export interface FakeDiscussion {
  reviews: FakeReview[];
  reviewComments: FakeReviewComment[];
  issueComments: FakeIssueComment[];
  /** Writes so far: the clock of `createdAt`/`updatedAt`. */
  ticks: number;
}

// Declaration merging: adds this block's state to FakeRepo without touching the interface above.
export interface FakeRepo {
  /** Reviews and comments; undefined until first used (use `discussionOf`). */
  discussion?: FakeDiscussion;
}

/** GitHub refuses comment and review bodies longer than this. */
export const BODY_LIMIT = 65_536;

/** The reviews and comments of a repository, created empty on first use. */
export function discussionOf(repo: FakeRepo): FakeDiscussion {
  repo.discussion ??= { reviews: [], reviewComments: [], issueComments: [], ticks: 0 };
  return repo.discussion;
}

/** The reviews and comments of `owner/name` (the repository is created when needed). */
export function discussion(server: FakeGitHub, owner: string, name: string): FakeDiscussion {
  return discussionOf(server.state.repo(owner, name));
}

function tick(d: FakeDiscussion): string {
  d.ticks++;
  return new Date(Date.UTC(2024, 4, 1, 12, 0, 0) + d.ticks * 1000).toISOString().replace('.000Z', 'Z');
}

/** One line of a diff hunk, with its line numbers on each side and its `position` in the file's diff. */
interface DiffLine {
  kind: '+' | '-' | ' ';
  oldLine: number | null;
  newLine: number | null;
  position: number;
  /** Index of the line in the patch text. */
  index: number;
}

interface DiffHunk {
  /** Index of the header line in the patch text. */
  headerIndex: number;
  lines: DiffLine[];
}

/** The hunks of a diff entry's patch. Throws on text that is not a unified diff (the test's fixture is wrong). */
export function diffHunks(patch: string): DiffHunk[] {
  const text = patch.split('\n');
  if (text.length > 0 && text[text.length - 1] === '') text.pop();
  const hunks: DiffHunk[] = [];
  let oldLine = 0;
  let newLine = 0;
  let position = 0;
  text.forEach((row, index) => {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(row);
    if (header) {
      // The first header is position 0; later headers take a position of their own.
      if (hunks.length > 0) position++;
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      hunks.push({ headerIndex: index, lines: [] });
      return;
    }
    const hunk = hunks[hunks.length - 1];
    if (!hunk) throw new Error(`fake-github: patch line ${index + 1} comes before any hunk header: ${JSON.stringify(row)}`);
    if (row.startsWith('\\')) return; // "\ No newline at end of file"
    position++;
    const kind = row[0] === '+' || row[0] === '-' ? row[0] : ' ';
    if (kind === '+') hunk.lines.push({ kind, oldLine: null, newLine: newLine++, position, index });
    else if (kind === '-') hunk.lines.push({ kind, oldLine: oldLine++, newLine: null, position, index });
    else hunk.lines.push({ kind, oldLine: oldLine++, newLine: newLine++, position, index });
  });
  return hunks;
}

/** The hunk and line that hold `line` on `side`, if any. */
function findDiffLine(hunks: DiffHunk[], side: 'LEFT' | 'RIGHT', line: number): { hunk: number; diffLine: DiffLine } | undefined {
  for (let h = 0; h < hunks.length; h++) {
    for (const diffLine of (hunks[h] as DiffHunk).lines) {
      if ((side === 'RIGHT' ? diffLine.newLine : diffLine.oldLine) === line) return { hunk: h, diffLine };
    }
  }
  return undefined;
}

/** Rails' `to_sentence`, which GitHub uses to join validation messages. */
function toSentence(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  if (parts.length === 2) return `${parts[0]} and ${parts[1]}`;
  return `${parts.slice(0, -1).join(', ')}, and ${parts[parts.length - 1]}`;
}

function unprocessable(req: FakeRequest, errors: string[]): FakeResponse {
  return {
    status: 422,
    body: { message: 'Unprocessable Entity', errors, documentation_url: req.operation.documentationUrl, status: '422' },
  };
}

function bodyTooLong(req: FakeRequest, resource: string): FakeResponse {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource, code: 'custom', field: 'body', message: `body is too long (maximum is ${BODY_LIMIT} characters)` }],
      documentation_url: req.operation.documentationUrl,
      status: '422',
    },
  };
}

function userObject(server: FakeGitHub, user: FakeUser): Record<string, unknown> {
  return { ...server.user(user.login, user.id), type: user.type };
}

function reactions(url: string): Record<string, unknown> {
  return { url: `${url}/reactions`, total_count: 0, '+1': 0, '-1': 0, laugh: 0, confused: 0, heart: 0, hooray: 0, eyes: 0, rocket: 0 };
}

function reviewObject(server: FakeGitHub, repo: FakeRepo, review: FakeReview): Record<string, unknown> {
  const pullUrl = `${server.url}/repos/${repo.owner}/${repo.name}/pulls/${review.pullNumber}`;
  const html = `${server.url}/${repo.owner}/${repo.name}/pull/${review.pullNumber}#pullrequestreview-${review.id}`;
  return {
    id: review.id,
    node_id: Buffer.from(`PullRequestReview:${review.id}`).toString('base64'),
    user: userObject(server, review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    ...(review.submittedAt ? { submitted_at: review.submittedAt } : {}),
    commit_id: review.commitId,
    author_association: 'CONTRIBUTOR',
  };
}

function reviewCommentObject(server: FakeGitHub, repo: FakeRepo, c: FakeReviewComment): Record<string, unknown> {
  const url = `${server.url}/repos/${repo.owner}/${repo.name}/pulls/comments/${c.id}`;
  const pullUrl = `${server.url}/repos/${repo.owner}/${repo.name}/pulls/${c.pullNumber}`;
  const html = `${server.url}/${repo.owner}/${repo.name}/pull/${c.pullNumber}#discussion_r${c.id}`;
  return {
    url,
    pull_request_review_id: c.reviewId,
    id: c.id,
    node_id: Buffer.from(`PullRequestReviewComment:${c.id}`).toString('base64'),
    diff_hunk: c.diffHunk,
    path: c.path,
    position: c.position,
    original_position: c.position,
    commit_id: c.commitId,
    original_commit_id: c.commitId,
    ...(c.inReplyToId !== undefined ? { in_reply_to_id: c.inReplyToId } : {}),
    user: userObject(server, c.user),
    body: c.body,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: 'CONTRIBUTOR',
    _links: { self: { href: url }, html: { href: html }, pull_request: { href: pullUrl } },
    start_line: c.startLine,
    original_start_line: c.startLine,
    start_side: c.startSide,
    line: c.line,
    original_line: c.line,
    side: c.side,
    subject_type: 'line',
    reactions: reactions(url),
  };
}

function issueCommentObject(server: FakeGitHub, repo: FakeRepo, c: FakeIssueComment): Record<string, unknown> {
  const url = `${server.url}/repos/${repo.owner}/${repo.name}/issues/comments/${c.id}`;
  return {
    id: c.id,
    node_id: Buffer.from(`IssueComment:${c.id}`).toString('base64'),
    url,
    body: c.body,
    html_url: `${server.url}/${repo.owner}/${repo.name}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    user: userObject(server, c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${server.url}/repos/${repo.owner}/${repo.name}/issues/${c.issueNumber}`,
    author_association: 'CONTRIBUTOR',
    reactions: reactions(url),
  };
}

interface ReviewCommentDraft {
  path: string;
  body: string;
  position?: number;
  line?: number;
  side?: string;
  start_line?: number;
  start_side?: string;
}

type Placed = Pick<FakeReviewComment, 'path' | 'line' | 'side' | 'startLine' | 'startSide' | 'diffHunk' | 'position' | 'body'>;

/** Where a draft comment goes in the file's diff, or GitHub's validation messages for it. */
function placeDraft(pull: FakePull, draft: ReviewCommentDraft): Placed | string[] {
  const file = pull.files.find((f) => f.filename === draft.path);
  if (!file) return ['Path could not be resolved'];
  if (file.patch === undefined) return ["Pull request review thread diff hunk can't be blank"];
  const hunks = diffHunks(file.patch);
  const patchLines = file.patch.split('\n');
  const hunkText = (h: number, upTo: DiffLine) =>
    patchLines.slice((hunks[h] as DiffHunk).headerIndex, upTo.index + 1).join('\n');

  if (draft.line === undefined && draft.position !== undefined) {
    // The closing-down way: a position in the file's diff.
    for (let h = 0; h < hunks.length; h++) {
      const diffLine = (hunks[h] as DiffHunk).lines.find((l) => l.position === draft.position);
      if (!diffLine) continue;
      const side = diffLine.kind === '-' ? 'LEFT' : 'RIGHT';
      return {
        path: draft.path,
        line: (side === 'LEFT' ? diffLine.oldLine : diffLine.newLine) as number,
        side,
        startLine: null,
        startSide: null,
        diffHunk: hunkText(h, diffLine),
        position: diffLine.position,
        body: draft.body,
      };
    }
    return ['Pull request review thread position is invalid'];
  }

  const messages: string[] = [];
  const side = draft.side ?? 'RIGHT';
  if (side !== 'LEFT' && side !== 'RIGHT') return [`Pull request review thread side is not included in the list`];
  const end = draft.line === undefined ? undefined : findDiffLine(hunks, side, draft.line);
  if (!end) messages.push('Pull request review thread line must be part of the diff');
  let startSide: 'LEFT' | 'RIGHT' | null = null;
  if (draft.start_line !== undefined) {
    const s = draft.start_side ?? side;
    if (s !== 'LEFT' && s !== 'RIGHT') return [`Pull request review thread start side is not included in the list`];
    startSide = s;
    const start = findDiffLine(hunks, s, draft.start_line);
    if (start && end && s === side && draft.start_line >= (draft.line as number)) {
      messages.push('Pull request review thread start line must precede the end line.');
    }
    if (!start || !end || start.hunk !== end.hunk) {
      messages.push('Pull request review thread start line must be part of the same hunk as the line.');
    }
  }
  if (!end) messages.push("Pull request review thread diff hunk can't be blank");
  if (messages.length > 0 || !end) return messages;
  return {
    path: draft.path,
    line: draft.line as number,
    side,
    startLine: draft.start_line ?? null,
    startSide,
    diffHunk: hunkText(end.hunk, end.diffLine),
    position: end.diffLine.position,
    body: draft.body,
  };
}

function pullOf(state: FakeGitHubState, req: FakeRequest): { repo: FakeRepo; pull: FakePull } | undefined {
  const repo = state.findRepo(String(req.params.owner), String(req.params.repo));
  const number = (req.params.pull_number ?? req.params.issue_number) as number;
  const pull = repo?.pulls.get(number);
  return repo && pull ? { repo, pull } : undefined;
}

const REVIEW_STATES: Record<string, FakeReviewState> = {
  COMMENT: 'COMMENTED',
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
};

function createReview(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const found = pullOf(state, req);
  if (!found) return notFound(req);
  const { repo, pull } = found;
  const body = req.body as { commit_id?: string; body?: string; event?: string; comments?: ReviewCommentDraft[] };
  const drafts = body.comments ?? [];
  const reviewState = body.event === undefined ? 'PENDING' : (REVIEW_STATES[body.event] as FakeReviewState);
  if ((body.body ?? '').length > BODY_LIMIT || drafts.some((c) => c.body.length > BODY_LIMIT)) {
    // This endpoint's 422 is GitHub's "simple" validation error: `errors` are strings.
    return unprocessable(req, [`body is too long (maximum is ${BODY_LIMIT} characters)`]);
  }
  if (reviewState === 'CHANGES_REQUESTED' && !body.body) return unprocessable(req, ["Body can't be blank"]);
  if (reviewState === 'COMMENTED' && !body.body && drafts.length === 0) return unprocessable(req, ["Body can't be blank"]);

  // The whole review or nothing: GitHub names the first comment it cannot place.
  const placed: Placed[] = [];
  for (const draft of drafts) {
    const result = placeDraft(pull, draft);
    if (Array.isArray(result)) return unprocessable(req, [toSentence(result)]);
    placed.push(result);
  }

  const d = discussionOf(repo);
  const now = tick(d);
  const review: FakeReview = {
    id: state.nextId(),
    pullNumber: pull.number,
    body: body.body ?? '',
    state: reviewState,
    commitId: body.commit_id ?? fakeSha(`head of pull ${pull.number}`),
    ...(reviewState === 'PENDING' ? {} : { submittedAt: now }),
    user: TOKEN_USER,
  };
  d.reviews.push(review);
  for (const p of placed) {
    d.reviewComments.push({
      ...p,
      id: state.nextId(),
      pullNumber: pull.number,
      reviewId: review.id,
      commitId: review.commitId,
      createdAt: now,
      updatedAt: now,
      user: TOKEN_USER,
    });
  }
  return { status: 200, body: reviewObject(server, repo, review) };
}

function listReviews(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const found = pullOf(state, req);
  if (!found) return notFound(req);
  const reviews = discussionOf(found.repo).reviews.filter((r) => r.pullNumber === found.pull.number);
  const { items, headers } = paginate(req, reviews);
  return { status: 200, headers, body: items.map((r) => reviewObject(server, found.repo, r)) };
}

function visibleReviewComments(d: FakeDiscussion, pullNumber: number): FakeReviewComment[] {
  const pending = new Set(d.reviews.filter((r) => r.state === 'PENDING').map((r) => r.id));
  return d.reviewComments.filter((c) => c.pullNumber === pullNumber && (c.reviewId === null || !pending.has(c.reviewId)));
}

function listReviewComments(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const found = pullOf(state, req);
  if (!found) return notFound(req);
  let comments = visibleReviewComments(discussionOf(found.repo), found.pull.number).sort((a, b) => a.id - b.id);
  if (typeof req.query.since === 'string') {
    const since = Date.parse(req.query.since);
    comments = comments.filter((c) => Date.parse(c.updatedAt) >= since);
  }
  if (req.query.sort !== undefined) {
    const key = req.query.sort === 'updated' ? 'updatedAt' : 'createdAt';
    const sign = req.query.direction === 'desc' ? -1 : 1;
    comments.sort((a, b) => sign * (Date.parse(a[key]) - Date.parse(b[key]) || a.id - b.id));
  }
  const { items, headers } = paginate(req, comments);
  return { status: 200, headers, body: items.map((c) => reviewCommentObject(server, found.repo, c)) };
}

function reviewCommentOf(state: FakeGitHubState, req: FakeRequest): { repo: FakeRepo; comment: FakeReviewComment } | undefined {
  const repo = state.findRepo(String(req.params.owner), String(req.params.repo));
  const comment = repo ? discussionOf(repo).reviewComments.find((c) => c.id === req.params.comment_id) : undefined;
  return repo && comment ? { repo, comment } : undefined;
}

function updateReviewComment(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const found = reviewCommentOf(state, req);
  if (!found) return notFound(req);
  const { body } = req.body as { body: string };
  if (body.length > BODY_LIMIT) return bodyTooLong(req, 'PullRequestReviewComment');
  found.comment.body = body;
  found.comment.updatedAt = tick(discussionOf(found.repo));
  return { status: 200, body: reviewCommentObject(server, found.repo, found.comment) };
}

function deleteReviewComment(state: FakeGitHubState, req: FakeRequest): FakeResponse {
  const found = reviewCommentOf(state, req);
  if (!found) return notFound(req);
  const d = discussionOf(found.repo);
  d.reviewComments = d.reviewComments.filter((c) => c !== found.comment);
  tick(d);
  return { status: 204 };
}

function listIssueComments(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const found = pullOf(state, req);
  if (!found) return notFound(req);
  let comments = discussionOf(found.repo).issueComments.filter((c) => c.issueNumber === found.pull.number);
  if (typeof req.query.since === 'string') {
    const since = Date.parse(req.query.since);
    comments = comments.filter((c) => Date.parse(c.updatedAt) >= since);
  }
  const { items, headers } = paginate(req, comments);
  return { status: 200, headers, body: items.map((c) => issueCommentObject(server, found.repo, c)) };
}

function checkIssueCommentBody(req: FakeRequest, body: string): FakeResponse | undefined {
  if (body.length > BODY_LIMIT) return bodyTooLong(req, 'IssueComment');
  if (body.trim() === '') {
    return {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }],
        documentation_url: req.operation.documentationUrl,
        status: '422',
      },
    };
  }
  return undefined;
}

function createIssueComment(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const found = pullOf(state, req);
  if (!found) return notFound(req);
  const { body } = req.body as { body: string };
  const refused = checkIssueCommentBody(req, body);
  if (refused) return refused;
  const d = discussionOf(found.repo);
  const now = tick(d);
  const comment: FakeIssueComment = {
    id: state.nextId(),
    issueNumber: found.pull.number,
    body,
    createdAt: now,
    updatedAt: now,
    user: TOKEN_USER,
  };
  d.issueComments.push(comment);
  return {
    status: 201,
    headers: { location: `${server.url}/repos/${found.repo.owner}/${found.repo.name}/issues/comments/${comment.id}` },
    body: issueCommentObject(server, found.repo, comment),
  };
}

function updateIssueComment(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const repo = state.findRepo(String(req.params.owner), String(req.params.repo));
  const comment = repo ? discussionOf(repo).issueComments.find((c) => c.id === req.params.comment_id) : undefined;
  if (!repo || !comment) return notFound(req);
  const { body } = req.body as { body: string };
  const refused = checkIssueCommentBody(req, body);
  if (refused) return refused;
  comment.body = body;
  comment.updatedAt = tick(discussionOf(repo));
  return { status: 200, body: issueCommentObject(server, repo, comment) };
}

/**
 * The routes of this block. A function (hoisted) rather than a constant, because DEFAULT_ROUTES, above, is built
 * before this part of the module runs.
 */
function discussionRoutes(): Route[] {
  return [
    { method: 'POST', path: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', resource: 'PullRequestReview', handler: createReview },
    { method: 'GET', path: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', resource: 'PullRequestReview', handler: listReviews },
    { method: 'GET', path: '/repos/{owner}/{repo}/pulls/{pull_number}/comments', resource: 'PullRequestReviewComment', handler: listReviewComments },
    { method: 'PATCH', path: '/repos/{owner}/{repo}/pulls/comments/{comment_id}', resource: 'PullRequestReviewComment', handler: updateReviewComment },
    { method: 'DELETE', path: '/repos/{owner}/{repo}/pulls/comments/{comment_id}', resource: 'PullRequestReviewComment', handler: deleteReviewComment },
    { method: 'GET', path: '/repos/{owner}/{repo}/issues/{issue_number}/comments', resource: 'IssueComment', handler: listIssueComments },
    { method: 'POST', path: '/repos/{owner}/{repo}/issues/{issue_number}/comments', resource: 'IssueComment', handler: createIssueComment },
    { method: 'PATCH', path: '/repos/{owner}/{repo}/issues/comments/{comment_id}', resource: 'IssueComment', handler: updateIssueComment },
  ];
}

/**
 * Puts a review comment on the pull request directly (no validation), as if someone else had written it: for
 * tests of what a reporter finds already there. `line` defaults to the first right-side line of the file's diff.
 */
export function seedReviewComment(
  server: FakeGitHub,
  owner: string,
  name: string,
  pullNumber: number,
  comment: { path: string; body: string; line?: number; startLine?: number; user?: FakeUser; inReplyToId?: number; commitId?: string },
): FakeReviewComment {
  const repo = server.state.repo(owner, name);
  const d = discussionOf(repo);
  const now = tick(d);
  const seeded: FakeReviewComment = {
    id: server.state.nextId(),
    pullNumber,
    reviewId: null,
    path: comment.path,
    line: comment.line ?? 1,
    side: 'RIGHT',
    startLine: comment.startLine ?? null,
    startSide: comment.startLine === undefined ? null : 'RIGHT',
    body: comment.body,
    commitId: comment.commitId ?? fakeSha(`head of pull ${pullNumber}`),
    diffHunk: '',
    position: 1,
    ...(comment.inReplyToId !== undefined ? { inReplyToId: comment.inReplyToId } : {}),
    createdAt: now,
    updatedAt: now,
    user: comment.user ?? { login: 'octocat', id: 583231, type: 'User' },
  };
  const file = repo.pulls.get(pullNumber)?.files.find((f) => f.filename === comment.path);
  if (file?.patch !== undefined) {
    const hunks = diffHunks(file.patch);
    const at = comment.line === undefined ? hunks[0]?.lines.find((l) => l.newLine !== null) : findDiffLine(hunks, 'RIGHT', comment.line)?.diffLine;
    if (at) {
      seeded.line = at.newLine as number;
      seeded.position = at.position;
      const hunk = hunks.find((h) => h.lines.includes(at)) as DiffHunk;
      seeded.diffHunk = file.patch.split('\n').slice(hunk.headerIndex, at.index + 1).join('\n');
    }
  }
  d.reviewComments.push(seeded);
  return seeded;
}

/** Puts an issue comment on the pull request directly, as if someone else had written it. */
export function seedIssueComment(
  server: FakeGitHub,
  owner: string,
  name: string,
  issueNumber: number,
  comment: { body: string; user?: FakeUser },
): FakeIssueComment {
  const d = discussionOf(server.state.repo(owner, name));
  const now = tick(d);
  const seeded: FakeIssueComment = {
    id: server.state.nextId(),
    issueNumber,
    body: comment.body,
    createdAt: now,
    updatedAt: now,
    user: comment.user ?? { login: 'octocat', id: 583231, type: 'User' },
  };
  d.issueComments.push(seeded);
  return seeded;
}

// =================================================================================================================
// Check runs (used by the check-run reporter).
//
// State lives on each FakeRepo under `checkRuns` (created on first use; see `checkRunsOf`), each run with the
// annotations of every write accumulated in order, as GitHub appends them across updates. The runs are made by the
// GitHub Actions app, as with a workflow's GITHUB_TOKEN.
//
// GitHub's limits, enforced: at most 50 annotations per request (GitHub's description says `maxItems: 50`, so the
// check before the handler answers 422); output summary and text at most 65,535 characters (likewise) and at most
// 65,535 bytes (422 "summary exceeds a maximum bytesize of 65535", as GitHub answers); annotation titles at most
// 255 characters, messages and raw details at most 64 KB, start_line at least 1, end_line not before start_line,
// columns only on a one-line annotation (422, resource CheckRun, field annotations); a head_sha that is not a commit
// SHA (422 "No commit found for SHA: …"); `completed` or `completed_at` without a conclusion, and an output
// without a title (422 missing_field). Listing for a ref matches the runs' head SHA (branch names are not resolved).
// =================================================================================================================

export interface FakeAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column: number | null;
  end_column: number | null;
  annotation_level: 'notice' | 'warning' | 'failure';
  title: string | null;
  message: string;
  raw_details: string | null;
}

export type FakeCheckStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';

export interface FakeCheckRun {
  id: number;
  name: string;
  headSha: string;
  status: FakeCheckStatus;
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** Every annotation sent, in order, across the create and all updates. */
  annotations: FakeAnnotation[];
  checkSuiteId: number;
  /** Successful writes: the create, then each update. */
  writes: number;
}

// Declaration merging: adds this block's state to FakeRepo without touching the interface above.
export interface FakeRepo {
  /** Check runs, oldest first; undefined until first used (use `checkRunsOf`). */
  checkRuns?: FakeCheckRun[];
}

/** GitHub's limit for a check run's output summary and text, in bytes. */
export const CHECK_OUTPUT_LIMIT = 65_535;
/** GitHub accepts at most this many annotations per create or update. */
export const CHECK_ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's documented limits for an annotation's title (characters) and its message and raw details (64 KB). */
export const ANNOTATION_TITLE_LIMIT = 255;
export const ANNOTATION_TEXT_LIMIT = 64 * 1024;

/** The GitHub Actions app, which owns the check runs a workflow's GITHUB_TOKEN creates. */
const ACTIONS_APP = { id: 15368, slug: 'github-actions', name: 'GitHub Actions' };

/** The check runs of a repository, created empty on first use. */
export function checkRunsOf(repo: FakeRepo): FakeCheckRun[] {
  repo.checkRuns ??= [];
  return repo.checkRuns;
}

/** The check runs of `owner/name` (the repository is created when needed). */
export function checkRuns(server: FakeGitHub, owner: string, name: string): FakeCheckRun[] {
  return checkRunsOf(server.state.repo(owner, name));
}

interface CheckRunBody {
  name?: string;
  head_sha?: string;
  details_url?: string;
  external_id?: string;
  status?: FakeCheckStatus;
  started_at?: string;
  conclusion?: string;
  completed_at?: string;
  output?: {
    title?: string;
    summary?: string;
    text?: string;
    annotations?: Array<Partial<FakeAnnotation> & { start_column?: number; end_column?: number }>;
  };
}

function checkRunInvalid(req: FakeRequest, errors: Array<Record<string, unknown>>): FakeResponse {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: errors.map((e) => ({ resource: 'CheckRun', ...e })),
      documentation_url: req.operation.documentationUrl,
      status: '422',
    },
  };
}

/** What GitHub refuses in a create or update body beyond its description's schema; undefined when accepted. */
function checkRunBodyRefused(req: FakeRequest, body: CheckRunBody, creating: boolean): FakeResponse | undefined {
  if (creating && !/^[0-9a-f]{40}$/i.test(body.head_sha ?? '')) {
    return errorResponse(422, `No commit found for SHA: ${body.head_sha ?? ''}`, req.operation.documentationUrl);
  }
  if ((body.status === 'completed' || body.completed_at !== undefined) && body.conclusion === undefined) {
    return checkRunInvalid(req, [{ code: 'missing_field', field: 'conclusion', message: 'conclusion is required when status is completed or completed_at is given' }]);
  }
  if (body.conclusion === 'stale') {
    return checkRunInvalid(req, [{ code: 'invalid', field: 'conclusion', message: 'only GitHub can set the conclusion stale' }]);
  }
  const output = body.output;
  if (!output) return undefined;
  if (output.title === undefined) return checkRunInvalid(req, [{ code: 'missing_field', field: 'title', message: 'output.title is required' }]);
  for (const field of ['summary', 'text'] as const) {
    const value = output[field];
    if (value !== undefined && Buffer.byteLength(value, 'utf8') > CHECK_OUTPUT_LIMIT) {
      return checkRunInvalid(req, [{ code: 'custom', field, message: `${field} exceeds a maximum bytesize of ${CHECK_OUTPUT_LIMIT}` }]);
    }
  }
  // More than 50 annotations never gets here: the description's `maxItems: 50` refuses it first.
  const annotations = output.annotations ?? [];
  const problems: string[] = [];
  annotations.forEach((a, i) => {
    const at = `annotations[${i}]`;
    const start = a.start_line as number;
    const end = a.end_line as number;
    if (start < 1) problems.push(`${at}.start_line must be at least 1, got ${start}`);
    if (end < start) problems.push(`${at}.end_line ${end} is before start_line ${start}`);
    if ((a.start_column !== undefined || a.end_column !== undefined) && start !== end) {
      problems.push(`${at}: start_column and end_column are only allowed when start_line equals end_line`);
    }
    if (a.start_column !== undefined && a.start_column < 1) problems.push(`${at}.start_column must be at least 1, got ${a.start_column}`);
    if (a.start_column !== undefined && a.end_column !== undefined && a.end_column < a.start_column) {
      problems.push(`${at}.end_column ${a.end_column} is before start_column ${a.start_column}`);
    }
    if (a.title !== undefined && a.title !== null && [...a.title].length > ANNOTATION_TITLE_LIMIT) {
      problems.push(`${at}.title is longer than ${ANNOTATION_TITLE_LIMIT} characters`);
    }
    for (const field of ['message', 'raw_details'] as const) {
      const value = a[field];
      if (typeof value === 'string' && Buffer.byteLength(value, 'utf8') > ANNOTATION_TEXT_LIMIT) {
        problems.push(`${at}.${field} is larger than ${ANNOTATION_TEXT_LIMIT} bytes`);
      }
    }
  });
  if (problems.length > 0) return checkRunInvalid(req, problems.map((message) => ({ code: 'invalid', field: 'annotations', message })));
  return undefined;
}

function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Applies a create or update body to the run: fields replace, annotations append. */
function applyCheckRunBody(run: FakeCheckRun, body: CheckRunBody): void {
  if (body.name !== undefined) run.name = body.name;
  if (body.details_url !== undefined) run.detailsUrl = body.details_url;
  if (body.external_id !== undefined) run.externalId = body.external_id;
  if (body.started_at !== undefined) run.startedAt = body.started_at;
  if (body.status !== undefined) run.status = body.status;
  if (run.status === 'in_progress' && run.startedAt === null) run.startedAt = isoNow();
  if (body.conclusion !== undefined) {
    // Providing a conclusion sets the status to completed (GitHub's documentation).
    run.conclusion = body.conclusion;
    run.status = 'completed';
    run.completedAt = body.completed_at ?? run.completedAt ?? isoNow();
  }
  if (body.output) {
    run.output.title = body.output.title ?? run.output.title;
    if (body.output.summary !== undefined) run.output.summary = body.output.summary;
    if (body.output.text !== undefined) run.output.text = body.output.text;
    for (const a of body.output.annotations ?? []) {
      run.annotations.push({
        path: a.path as string,
        start_line: a.start_line as number,
        end_line: a.end_line as number,
        start_column: a.start_column ?? null,
        end_column: a.end_column ?? null,
        annotation_level: a.annotation_level as FakeAnnotation['annotation_level'],
        title: a.title ?? null,
        message: a.message as string,
        raw_details: a.raw_details ?? null,
      });
    }
  }
  run.writes++;
}

function checkRunObject(server: FakeGitHub, repo: FakeRepo, run: FakeCheckRun): Record<string, unknown> {
  const api = `${server.url}/repos/${repo.owner}/${repo.name}/check-runs/${run.id}`;
  const owner = { ...server.user('github', 9919), type: 'Organization' };
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: Buffer.from(`CheckRun:${run.id}`).toString('base64'),
    external_id: run.externalId ?? '',
    url: api,
    html_url: `${server.url}/${repo.owner}/${repo.name}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${server.url}/${repo.owner}/${repo.name}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${api}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.checkSuiteId },
    app: {
      id: ACTIONS_APP.id,
      slug: ACTIONS_APP.slug,
      node_id: Buffer.from(`App:${ACTIONS_APP.id}`).toString('base64'),
      owner,
      name: ACTIONS_APP.name,
      description: 'Automate your workflow from idea to production',
      external_url: 'https://help.github.com/en/actions',
      html_url: `${server.url}/apps/${ACTIONS_APP.slug}`,
      created_at: '2018-07-30T09:30:17Z',
      updated_at: '2019-12-10T19:04:12Z',
      permissions: { checks: 'write', contents: 'write', metadata: 'read', pull_requests: 'write' },
      events: ['check_run', 'check_suite', 'pull_request', 'push'],
    },
    pull_requests: [],
  };
}

function checkRunOf(state: FakeGitHubState, req: FakeRequest): { repo: FakeRepo; run: FakeCheckRun } | undefined {
  const repo = state.findRepo(String(req.params.owner), String(req.params.repo));
  const run = repo ? checkRunsOf(repo).find((r) => r.id === req.params.check_run_id) : undefined;
  return repo && run ? { repo, run } : undefined;
}

function createCheckRun(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const body = req.body as CheckRunBody;
  const refused = checkRunBodyRefused(req, body, true);
  if (refused) return refused;
  const repo = state.repo(String(req.params.owner), String(req.params.repo));
  const runs = checkRunsOf(repo);
  const sameCommit = runs.find((r) => r.headSha === (body.head_sha as string).toLowerCase());
  const run: FakeCheckRun = {
    id: state.nextId(),
    name: body.name as string,
    headSha: (body.head_sha as string).toLowerCase(),
    status: 'queued',
    conclusion: null,
    startedAt: null,
    completedAt: null,
    detailsUrl: null,
    externalId: null,
    output: { title: null, summary: null, text: null },
    annotations: [],
    // One suite per commit for the app, as GitHub groups an app's runs on a commit.
    checkSuiteId: sameCommit?.checkSuiteId ?? state.nextId(),
    writes: 0,
  };
  applyCheckRunBody(run, body);
  runs.push(run);
  return { status: 201, body: checkRunObject(server, repo, run) };
}

function updateCheckRun(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const found = checkRunOf(state, req);
  if (!found) return notFound(req);
  const body = req.body as CheckRunBody;
  const refused = checkRunBodyRefused(req, body, false);
  if (refused) return refused;
  applyCheckRunBody(found.run, body);
  return { status: 200, body: checkRunObject(server, found.repo, found.run) };
}

function getCheckRun(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const found = checkRunOf(state, req);
  if (!found) return notFound(req);
  return { status: 200, body: checkRunObject(server, found.repo, found.run) };
}

function listCheckRunsForRef(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const repo = state.findRepo(String(req.params.owner), String(req.params.repo));
  if (!repo) return notFound(req);
  const ref = String(req.params.ref).toLowerCase();
  let runs = checkRunsOf(repo).filter((r) => r.headSha === ref);
  if (typeof req.query.check_name === 'string') runs = runs.filter((r) => r.name === req.query.check_name);
  if (typeof req.query.status === 'string') runs = runs.filter((r) => r.status === req.query.status);
  if (typeof req.query.app_id === 'number' && req.query.app_id !== ACTIONS_APP.id) runs = [];
  if ((req.query.filter ?? 'latest') === 'latest') {
    // The most recent run of each name.
    const latest = new Map<string, FakeCheckRun>();
    for (const r of runs) latest.set(r.name, r);
    runs = [...latest.values()];
  }
  // Newest first, as GitHub lists them.
  runs = [...runs].sort((a, b) => b.id - a.id);
  const { items, headers } = paginate(req, runs);
  return { status: 200, headers, body: { total_count: runs.length, check_runs: items.map((r) => checkRunObject(server, repo, r)) } };
}

function listCheckRunAnnotations(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const found = checkRunOf(state, req);
  if (!found) return notFound(req);
  const { repo, run } = found;
  const { items, headers } = paginate(req, run.annotations);
  return {
    status: 200,
    headers,
    body: items.map((a) => ({
      ...a,
      blob_href: `${server.url}/${repo.owner}/${repo.name}/blob/${run.headSha}/${a.path.split('/').map(encodeURIComponent).join('/')}`,
    })),
  };
}

/**
 * The routes of this block. A function (hoisted) rather than a constant, because DEFAULT_ROUTES, above, is built
 * before this part of the module runs.
 */
function checkRunRoutes(): Route[] {
  return [
    { method: 'POST', path: '/repos/{owner}/{repo}/check-runs', resource: 'CheckRun', handler: createCheckRun },
    { method: 'PATCH', path: '/repos/{owner}/{repo}/check-runs/{check_run_id}', resource: 'CheckRun', handler: updateCheckRun },
    { method: 'GET', path: '/repos/{owner}/{repo}/check-runs/{check_run_id}', resource: 'CheckRun', handler: getCheckRun },
    { method: 'GET', path: '/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations', resource: 'CheckRun', handler: listCheckRunAnnotations },
    { method: 'GET', path: '/repos/{owner}/{repo}/commits/{ref}/check-runs', resource: 'CheckRun', handler: listCheckRunsForRef },
  ];
}

// =================================================================================================================
// Pull requests (used by the action's report mode, which finds the pull request of a `workflow_run` event).
//
// State: each FakePull may carry `info` (set with `setPullRequest`): its state, title, author, head (commit, branch,
// and the repository it comes from — another owner's for a pull request from a fork) and base (commit, branch). A
// pull request made with `setPullFiles` alone has none and is served with defaults: open, head commit
// `fakeSha('head of pull N')` (the commit reviews default to), head branch `pull-N` in the same repository, base
// commit `fakeSha('base of pull N')` on the default branch.
//
// Routes: GET /repos/{owner}/{repo}/pulls/{pull_number} (the full pull request, with counts of its files' additions
// and deletions and of its comments) and GET /repos/{owner}/{repo}/pulls (the simple form), which filters as GitHub
// does: `state` (open by default, closed, all), `head` as `owner:branch` (owner case-insensitive; a value without
// the `owner:` part is ignored by GitHub, so here too), `base` (the base branch), sorted by `sort` (created by
// default, updated, popularity = comments, long-running = created) in `direction` (desc by default for created,
// else asc), paginated.
// =================================================================================================================

export interface FakePullInfo {
  state: 'open' | 'closed';
  title: string;
  body: string | null;
  /** The author's login. */
  author: string;
  draft: boolean;
  head: { sha: string; ref: string; owner: string; repo: string; repoId: number };
  base: { sha: string; ref: string };
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

// Declaration merging: adds this block's state to FakePull without touching the interface above.
export interface FakePull {
  /** Set by `setPullRequest`; undefined for a pull request made with `setPullFiles` alone (defaults apply). */
  info?: FakePullInfo;
}

export interface FakePullRequestSpec {
  number: number;
  files: FakeDiffFile[];
  /** The head commit (40 hex digits). */
  headSha: string;
  /** The head branch. Default `pull-<number>`. */
  headRef?: string;
  /** The owner of the head repository: another owner than the base repository's makes a pull request from a fork. */
  headOwner?: string;
  /** The head repository's name. Default the base repository's name. */
  headRepo?: string;
  /** The base commit (40 hex digits). */
  baseSha: string;
  /** The base branch. Default the repository's default branch. */
  baseRef?: string;
  state?: 'open' | 'closed';
  title?: string;
  body?: string | null;
  /** Default the head repository's owner. */
  author?: string;
  draft?: boolean;
}

/** When pull requests are created: a fixed day, one minute apart by number, so sorting by creation is stable. */
function pullCreatedAt(number: number): string {
  return new Date(Date.UTC(2024, 3, 1, 9, 0, 0) + number * 60_000).toISOString().replace('.000Z', 'Z');
}

/**
 * Creates (or replaces, e.g. after a push to its branch) pull request `number` of `owner/name` with its files and
 * its head and base. Replacing keeps the creation time and makes it the most recently updated pull request.
 */
export function setPullRequest(server: FakeGitHub, owner: string, name: string, spec: FakePullRequestSpec): FakePull {
  for (const [field, sha] of [['headSha', spec.headSha], ['baseSha', spec.baseSha]] as const) {
    if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`fake-github: setPullRequest ${field} must be 40 hex digits, got ${JSON.stringify(sha)}`);
  }
  const repo = server.state.repo(owner, name);
  const previous = repo.pulls.get(spec.number)?.info;
  const headOwner = spec.headOwner ?? repo.owner;
  const headRepo = spec.headRepo ?? repo.name;
  const sameHeadRepo = previous && previous.head.owner.toLowerCase() === headOwner.toLowerCase() && previous.head.repo === headRepo;
  const state = spec.state ?? 'open';
  const createdAt = previous?.createdAt ?? pullCreatedAt(spec.number);
  // A replacement happens now: after every earlier change to the repository's pull requests.
  const latest = Math.max(...[...repo.pulls.values()].map((p) => Date.parse(pullInfo(repo, p).updatedAt)));
  const updatedAt = previous ? new Date(latest + 1000).toISOString().replace('.000Z', 'Z') : createdAt;
  const pull = server.setPullFiles(owner, name, spec.number, spec.files);
  pull.info = {
    state,
    title: spec.title ?? `Pull request #${spec.number}`,
    body: spec.body ?? null,
    author: spec.author ?? headOwner,
    draft: spec.draft ?? false,
    head: {
      sha: spec.headSha,
      ref: spec.headRef ?? `pull-${spec.number}`,
      owner: headOwner,
      repo: headRepo,
      repoId: headOwner.toLowerCase() === repo.owner.toLowerCase() && headRepo === repo.name ? repo.id : sameHeadRepo ? previous.head.repoId : server.state.nextId(),
    },
    base: { sha: spec.baseSha, ref: spec.baseRef ?? repo.defaultBranch },
    createdAt,
    updatedAt,
    closedAt: state === 'closed' ? (previous?.closedAt ?? updatedAt) : null,
  };
  return pull;
}

/** The pull request's info, with the defaults for one made with `setPullFiles` alone. */
export function pullInfo(repo: FakeRepo, pull: FakePull): FakePullInfo {
  if (pull.info) return pull.info;
  const createdAt = pullCreatedAt(pull.number);
  return {
    state: 'open',
    title: `Pull request #${pull.number}`,
    body: null,
    author: repo.owner,
    draft: false,
    head: { sha: fakeSha(`head of pull ${pull.number}`), ref: `pull-${pull.number}`, owner: repo.owner, repo: repo.name, repoId: repo.id },
    base: { sha: fakeSha(`base of pull ${pull.number}`), ref: repo.defaultBranch },
    createdAt,
    updatedAt: createdAt,
    closedAt: null,
  };
}

/** A stable user id for a login (GitHub's ids are positive integers). */
function userId(login: string): number {
  return parseInt(fakeSha(`user ${login.toLowerCase()}`).slice(0, 7), 16) + 1;
}

/** GitHub's full repository object. */
function repositoryObject(server: FakeGitHub, owner: string, name: string, id: number, fork: boolean, defaultBranch: string): Record<string, unknown> {
  const api = `${server.url}/repos/${owner}/${name}`;
  const web = `${server.url}/${owner}/${name}`;
  const host = new URL(server.url).host;
  return {
    id,
    node_id: Buffer.from(`Repository:${id}`).toString('base64'),
    name,
    full_name: `${owner}/${name}`,
    owner: server.user(owner, userId(owner)),
    private: false,
    html_url: web,
    description: null,
    fork,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://${host}/${owner}/${name}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${host}:${owner}/${name}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${web}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: web,
    homepage: null,
    language: 'Dockerfile',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: defaultBranch,
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: !fork,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'public',
    license: null,
    pushed_at: '2024-04-30T12:00:00Z',
    created_at: '2024-01-02T03:04:05Z',
    updated_at: '2024-04-30T12:00:00Z',
    allow_forking: true,
    web_commit_signoff_required: false,
  };
}

/** GitHub's pull request: the simple form (lists) or the full one (GET of one pull request). */
function pullRequestObject(server: FakeGitHub, repo: FakeRepo, pull: FakePull, full: boolean): Record<string, unknown> {
  const info = pullInfo(repo, pull);
  const api = `${server.url}/repos/${repo.owner}/${repo.name}`;
  const web = `${server.url}/${repo.owner}/${repo.name}`;
  const url = `${api}/pulls/${pull.number}`;
  const html = `${web}/pull/${pull.number}`;
  const id = userId(`pull ${repo.owner}/${repo.name}#${pull.number}`);
  const sameRepo = info.head.repoId === repo.id;
  const headRepo = sameRepo
    ? repositoryObject(server, repo.owner, repo.name, repo.id, false, repo.defaultBranch)
    : repositoryObject(server, info.head.owner, info.head.repo, info.head.repoId, true, repo.defaultBranch);
  const baseRepo = repositoryObject(server, repo.owner, repo.name, repo.id, false, repo.defaultBranch);
  const link = (href: string) => ({ href });
  const object: Record<string, unknown> = {
    url,
    id,
    node_id: Buffer.from(`PullRequest:${id}`).toString('base64'),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${info.head.sha}`,
    number: pull.number,
    state: info.state,
    locked: false,
    title: info.title,
    user: server.user(info.author, userId(info.author)),
    body: info.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: info.createdAt,
    updated_at: info.updatedAt,
    closed_at: info.closedAt,
    merged_at: null,
    merge_commit_sha: info.state === 'open' ? fakeSha(`merge of pull ${pull.number} at ${info.head.sha}`) : null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${info.head.owner}:${info.head.ref}`,
      ref: info.head.ref,
      repo: headRepo,
      sha: info.head.sha,
      user: server.user(info.head.owner, userId(info.head.owner)),
    },
    base: {
      label: `${repo.owner}:${info.base.ref}`,
      ref: info.base.ref,
      repo: baseRepo,
      sha: info.base.sha,
      user: server.user(repo.owner, userId(repo.owner)),
    },
    _links: {
      self: link(url),
      html: link(html),
      issue: link(`${api}/issues/${pull.number}`),
      comments: link(`${api}/issues/${pull.number}/comments`),
      review_comments: link(`${url}/comments`),
      review_comment: link(`${api}/pulls/comments{/number}`),
      commits: link(`${url}/commits`),
      statuses: link(`${api}/statuses/${info.head.sha}`),
    },
    author_association: sameRepo ? 'MEMBER' : 'CONTRIBUTOR',
    auto_merge: null,
    draft: info.draft,
  };
  if (!full) return object;
  const counted = pull.files.map((f) => countPatch(f.patch));
  const d = repo.discussion;
  return {
    ...object,
    merged: false,
    mergeable: info.state === 'open' ? true : null,
    rebaseable: info.state === 'open' ? true : null,
    mergeable_state: info.state === 'open' ? 'clean' : 'unknown',
    merged_by: null,
    comments: d ? d.issueComments.filter((c) => c.issueNumber === pull.number).length : 0,
    review_comments: d ? d.reviewComments.filter((c) => c.pullNumber === pull.number).length : 0,
    maintainer_can_modify: !sameRepo,
    commits: 1,
    additions: pull.files.reduce((sum, f, i) => sum + (f.additions ?? (counted[i] as { additions: number }).additions), 0),
    deletions: pull.files.reduce((sum, f, i) => sum + (f.deletions ?? (counted[i] as { deletions: number }).deletions), 0),
    changed_files: pull.files.length,
  };
}

function getPullRequest(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const repo = state.findRepo(String(req.params.owner), String(req.params.repo));
  const pull = repo?.pulls.get(req.params.pull_number as number);
  if (!repo || !pull) return notFound(req);
  return { status: 200, body: pullRequestObject(server, repo, pull, true) };
}

function listPullRequests(state: FakeGitHubState, req: FakeRequest, server: FakeGitHub): FakeResponse {
  const repo = state.findRepo(String(req.params.owner), String(req.params.repo));
  if (!repo) return notFound(req);
  const wanted = (req.query.state as string | undefined) ?? 'open';
  let pulls = [...repo.pulls.values()].filter((p) => wanted === 'all' || pullInfo(repo, p).state === wanted);
  const head = req.query.head as string | undefined;
  if (head !== undefined && head.includes(':')) {
    const i = head.indexOf(':');
    const owner = head.slice(0, i).toLowerCase();
    const ref = head.slice(i + 1);
    pulls = pulls.filter((p) => {
      const info = pullInfo(repo, p);
      return info.head.owner.toLowerCase() === owner && info.head.ref === ref;
    });
  }
  const base = req.query.base as string | undefined;
  if (base !== undefined) pulls = pulls.filter((p) => pullInfo(repo, p).base.ref === base);
  const sort = (req.query.sort as string | undefined) ?? 'created';
  const direction = (req.query.direction as string | undefined) ?? (req.query.sort === undefined || sort === 'created' ? 'desc' : 'asc');
  const comments = (p: FakePull) => repo.discussion?.issueComments.filter((c) => c.issueNumber === p.number).length ?? 0;
  const key = (p: FakePull): number => {
    const info = pullInfo(repo, p);
    if (sort === 'updated') return Date.parse(info.updatedAt);
    if (sort === 'popularity') return comments(p);
    return Date.parse(info.createdAt);
  };
  const sign = direction === 'desc' ? -1 : 1;
  pulls.sort((a, b) => sign * (key(a) - key(b) || a.number - b.number));
  const { items, headers } = paginate(req, pulls);
  return { status: 200, headers, body: items.map((p) => pullRequestObject(server, repo, p, false)) };
}

/**
 * The routes of this block. A function (hoisted) rather than a constant, because DEFAULT_ROUTES, above, is built
 * before this part of the module runs.
 */
function pullRequestRoutes(): Route[] {
  return [
    { method: 'GET', path: '/repos/{owner}/{repo}/pulls/{pull_number}', resource: 'PullRequest', handler: getPullRequest },
    // No `resource`: GitHub names none when it refuses this list's query parameters.
    { method: 'GET', path: '/repos/{owner}/{repo}/pulls', handler: listPullRequests },
  ];
}
