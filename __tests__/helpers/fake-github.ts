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
