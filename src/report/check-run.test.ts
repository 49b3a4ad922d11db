import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getOctokit } from '@actions/github';
import { checkRuns, errorResponse, fakeSha, startFakeGitHub, type FakeGitHub } from '../../__tests__/helpers/fake-github.ts';
import type { FailOn } from '../config/policy.ts';
import { compareBySeverity, type Finding, type Severity } from '../findings.ts';
import type { RuleMeta } from '../rules/types.ts';
import {
  blobLineUrl,
  checkAnnotation,
  checkConclusion,
  checkOutput,
  checkTitle,
  completeCheckRun,
  githubMessage,
  MAX_OUTPUT_BYTES,
  outcomeForError,
  startCheckRun,
} from './check-run.ts';
import type { ReporterContext } from './github.ts';
import { finding } from './testing.ts';
import type { Report } from './types.ts';


const PIN: RuleMeta = {
  id: 'unpinned-base-image',
  severity: 'warning',
  title: 'Pin the base image',
  description: 'A tag that moves changes the image under you; pin a version.',
  hadolint: ['DL3006'],
  fixable: true,
  kind: 'static',
  enabledByDefault: true,
  category: 'base-image',
};

const docs = (id: string) => `https://docs.example.test/rules/${id}.md`;

/** `count` findings over three Dockerfiles, severities cycling error, warning, info. */
function manyFindings(count: number, message = (i: number) => `Finding number ${i}.`): Report {
  const severities: Severity[] = ['error', 'warning', 'info'];
  const files = ['Dockerfile', 'api/Dockerfile', 'web/Dockerfile'];
  const findings = Array.from({ length: count }, (_, i) =>
    finding({ file: files[i % 3], line: i + 1, endLine: i + 1, severity: severities[i % 3], ruleId: `rule-${i % 7}`, message: message(i) }),
  );
  return {
    rules: [],
    results: files.map((dockerfile) => ({ dockerfile, findings: findings.filter((f) => f.file === dockerfile) })),
  };
}

// The environment decides docs links and blob links: keep it out of the tests.
const ENV_KEYS = ['GITHUB_ACTION_REPOSITORY', 'GITHUB_ACTION_REF', 'GITHUB_SERVER_URL'] as const;
const savedEnv: Record<string, string | undefined> = {};
before(() => {
  for (const k of ENV_KEYS) {
    savedEnv[k] = process.env[k];
    delete process.env[k];
  }
});
after(() => {
  for (const k of ENV_KEYS) if (savedEnv[k] === undefined) delete process.env[k];
  else process.env[k] = savedEnv[k];
});

describe('conclusion and title', () => {
  const errors = [finding({ severity: 'error' }), finding({ severity: 'info' })];
  const infos = [finding({ severity: 'info' })];

  test('the conclusion follows fail-on; neutral when nothing can fail but there are findings', () => {
    assert.equal(checkConclusion(errors, 'error'), 'failure');
    assert.equal(checkConclusion(infos, 'error'), 'success');
    assert.equal(checkConclusion(infos, 'warning'), 'success');
    assert.equal(checkConclusion(infos, 'info'), 'failure');
    assert.equal(checkConclusion(errors, 'never'), 'neutral');
    assert.equal(checkConclusion([], 'never'), 'success');
    assert.equal(checkConclusion([], 'info'), 'success');
  });

  test('title: counts and Dockerfiles', () => {
    assert.equal(checkTitle(manyFindings(8)), '3 errors, 3 warnings, 2 infos in 3 Dockerfiles');
    assert.equal(checkTitle({ results: [{ dockerfile: 'Dockerfile', findings: [finding({ severity: 'error' })] }] }), '1 error, 0 warnings, 0 infos in 1 Dockerfile');
    assert.equal(checkTitle({ results: [{ dockerfile: 'Dockerfile', findings: [] }] }), 'No problems found in 1 Dockerfile');
    assert.equal(checkTitle({ results: [] }), 'No Dockerfiles to check');
  });
});

describe('annotations', () => {
  test('one line: columns, end column inclusive; title with the hadolint code; docs and fix in raw details', () => {
    const a = checkAnnotation(
      finding({
        ruleId: 'unpinned-base-image',
        hadolint: 'DL3006',
        line: 1,
        column: 6,
        endColumn: 12,
        message: 'Base image "debian" has no tag.',
        fix: { line: 1, endLine: 1, replacement: 'FROM debian:12', description: 'pin the tag' },
      }),
      docs,
    );
    assert.deepEqual(a, {
      path: 'Dockerfile',
      start_line: 1,
      end_line: 1,
      start_column: 6,
      end_column: 11,
      annotation_level: 'warning',
      message: 'Base image "debian" has no tag.',
      title: 'unpinned-base-image (DL3006)',
      raw_details: 'Documentation: https://docs.example.test/rules/unpinned-base-image.md\n\nSuggested fix (line 1): pin the tag:\nFROM debian:12',
    });
  });

  test('several lines: no columns; image findings say where in the image; info is a notice', () => {
    assert.deepEqual(
      checkAnnotation(finding({ severity: 'error', line: 3, endLine: 5, message: 'Piped.', ruleId: 'curl-pipe-shell' }), docs),
      {
        path: 'Dockerfile',
        start_line: 3,
        end_line: 5,
        annotation_level: 'failure',
        message: 'Piped.',
        title: 'curl-pipe-shell',
        raw_details: 'Documentation: https://docs.example.test/rules/curl-pipe-shell.md',
      },
    );
    const image = checkAnnotation(finding({ severity: 'info', path: '/etc/shadow', inherited: true, message: 'Readable.' }), docs);
    assert.equal(image.annotation_level, 'notice');
    assert.equal(image.message, 'Readable.\npath in the image: /etc/shadow; inherited from the base image');
  });

  test('a huge message is cut to 64 KB', () => {
    const a = checkAnnotation(finding({ message: 'é'.repeat(40_000) }), docs);
    assert.ok(Buffer.byteLength(a.message) <= 64 * 1024);
    assert.ok(a.message.endsWith('é…'));
  });
});

describe('checkOutput', () => {
  const report: Report = {
    rules: [PIN],
    notices: ['ShellCheck is not installed: @octocat [rules](x) skipped'],
    results: [
      {
        dockerfile: 'Dockerfile',
        findings: [
          finding({ ruleId: 'unpinned-base-image', hadolint: 'DL3006', message: 'Base image "debian" has no tag.' }),
          finding({ ruleId: 'curl-pipe-shell', severity: 'error', line: 3, endLine: 4, message: 'Piped into <sh>.' }),
        ],
      },
    ],
  };

  test('summary: verdict, counts, a table per Dockerfile; text: the rules and the notices; most severe annotation first', () => {
    const out = checkOutput(report, { failOn: 'error', docsUrl: docs, lineUrl: blobLineUrl('https://github.com', { owner: 'o', repo: 'r' }, 'abc') });
    assert.equal(out.conclusion, 'failure');
    assert.equal(out.output.title, '1 error, 1 warning, 0 infos in 1 Dockerfile');
    assert.equal(
      out.output.summary,
      [
        '❌ **Failing**: 1 error at or above fail-on `error`; also 1 warning.',
        '',
        '| Severity | Count |',
        '| --- | ---: |',
        '| ❌ Errors | 1 |',
        '| ⚠️ Warnings | 1 |',
        '| ℹ️ Info | 0 |',
        '',
        '### `Dockerfile` · 1 error, 1 warning',
        '',
        '| Line | Severity | Rule | Message |',
        '| ---: | --- | --- | --- |',
        '| [1](https://github.com/o/r/blob/abc/Dockerfile#L1) | ⚠️ warning | [`unpinned-base-image`](https://docs.example.test/rules/unpinned-base-image.md) (DL3006) | Base image "debian" has no tag. |',
        '| [3–4](https://github.com/o/r/blob/abc/Dockerfile#L3-L4) | ❌ error | [`curl-pipe-shell`](https://docs.example.test/rules/curl-pipe-shell.md) | Piped into \\<sh\\>. |',
        '',
        '',
      ].join('\n'),
    );
    assert.equal(
      out.output.text,
      [
        '### Rules with findings',
        '',
        '| Rule | Findings | Title | Why it matters |',
        '| --- | ---: | --- | --- |',
        '| [`curl-pipe-shell`](https://docs.example.test/rules/curl-pipe-shell.md) | 1 |  |  |',
        '| [`unpinned-base-image`](https://docs.example.test/rules/unpinned-base-image.md) | 1 | Pin the base image | A tag that moves changes the image under you; pin a version. |',
        '',
        '### Notices',
        '',
        '- ShellCheck is not installed: @\u200boctocat \\[rules\\](x) skipped',
        '',
      ].join('\n'),
    );
    assert.deepEqual(out.annotations.map((a) => a.title), ['curl-pipe-shell', 'unpinned-base-image (DL3006)']);
  });

  test('no findings: passing, no text', () => {
    const out = checkOutput({ rules: [], results: [{ dockerfile: 'Dockerfile', findings: [] }] }, { failOn: 'error', docsUrl: docs });
    assert.equal(out.conclusion, 'success');
    assert.equal(out.output.title, 'No problems found in 1 Dockerfile');
    assert.equal(out.output.text, undefined);
    assert.ok(out.output.summary.startsWith('✅ **Passing**: no problems found in 1 Dockerfile.\n'));
    assert.deepEqual(out.annotations, []);
  });

  test('a summary over the limit keeps the most severe findings and says how many were left out', () => {
    const big = manyFindings(900, (i) => `Finding number ${i} ${'with a long explanation '.repeat(6)}`);
    const out = checkOutput(big, { failOn: 'error', docsUrl: docs });
    const bytes = Buffer.byteLength(out.output.summary);
    assert.ok(bytes <= MAX_OUTPUT_BYTES && bytes > MAX_OUTPUT_BYTES - 1_000, `summary is ${bytes} bytes`);
    const rows = out.output.summary.split('\n').filter((l) => /^\| \d/.test(l)).length;
    const left = out.sections.omitted.error + out.sections.omitted.warning + out.sections.omitted.info;
    assert.equal(rows, out.sections.shown);
    assert.equal(rows + left, 900);
    // The rows shown are exactly the most severe findings (errors, by file and line).
    const shownLines = out.output.summary
      .split('\n')
      .filter((l) => /^\| \d/.test(l))
      .map((l) => Number(/^\| (\d+)/.exec(l)![1]))
      .sort((a, b) => a - b);
    const mostSevere = [...big.results.flatMap((r) => r.findings)].sort(compareBySeverity).slice(0, rows).map((f) => f.line).sort((a, b) => a - b);
    assert.deepEqual(shownLines, mostSevere);
    assert.deepEqual(out.sections.omitted, { error: 300 - rows, warning: 300, info: 300 });
    assert.ok(
      out.output.summary.endsWith(
        `> **Note**: ${left} findings (${300 - rows} errors, 300 warnings, 300 infos) are not listed here, ` +
          "to stay within GitHub's limit of 65,535 bytes. Every finding is annotated.\n",
      ),
    );
    // Every finding is still annotated (900 < 1,000), most severe first.
    assert.equal(out.annotations.length, 900);
    assert.deepEqual(
      [out.annotations[0]?.annotation_level, out.annotations[299]?.annotation_level, out.annotations[300]?.annotation_level, out.annotations[899]?.annotation_level],
      ['failure', 'failure', 'warning', 'notice'],
    );
  });

  test('annotations beyond the cap are not sent, and the summary says so', () => {
    const out = checkOutput(manyFindings(30), { failOn: 'error', docsUrl: docs, maxAnnotations: 12 });
    assert.equal(out.annotations.length, 12);
    assert.ok(out.annotations.every((a) => a.annotation_level === 'failure' || a.annotation_level === 'warning'));
    assert.ok(out.output.summary.includes('> **Note**: the 12 most severe of the 30 findings are annotated.\n'));
  });
});

describe('blob links and errors', () => {
  test('blob links encode each segment; absolute paths get none', () => {
    const url = blobLineUrl('https://ghe.test/', { owner: 'o', repo: 'r' }, 'abc');
    assert.equal(url('dir with space/Docker#file', 3, 3), 'https://ghe.test/o/r/blob/abc/dir%20with%20space/Docker%23file#L3');
    assert.equal(url('./a/Dockerfile', 2, 9), 'https://ghe.test/o/r/blob/abc/a/Dockerfile#L2-L9');
    assert.equal(url('/abs/Dockerfile', 1, 1), null);
  });

  test('GitHub\'s message with its errors; 403 refused unless a rate limit', () => {
    const e422 = Object.assign(new Error('x'), {
      status: 422,
      response: { data: { message: 'Validation Failed', errors: [{ resource: 'CheckRun', code: 'custom', field: 'summary', message: 'summary exceeds a maximum bytesize of 65535' }, { field: 'title', code: 'missing_field' }] } },
    });
    assert.equal(githubMessage(e422), 'Validation Failed (summary: summary exceeds a maximum bytesize of 65535; title missing_field)');
    assert.deepEqual(outcomeForError(e422, 'complete the check run "Defang"'), {
      reporter: 'check-run',
      status: 'failed',
      message: 'GitHub rejected the request to complete the check run "Defang" (422: Validation Failed (summary: summary exceeds a maximum bytesize of 65535; title missing_field))',
    });
    const limited = Object.assign(new Error('x'), { status: 403, response: { data: { message: 'You have exceeded a secondary rate limit.' } } });
    assert.equal(outcomeForError(limited, 'x').status, 'failed');
    const readOnly = Object.assign(new Error('x'), { status: 403, response: { data: { message: 'Resource not accessible by integration' } } });
    assert.equal(outcomeForError(readOnly, 'x').status, 'refused');
    assert.deepEqual(outcomeForError(new Error('socket hang up'), 'create the check run "D"'), {
      reporter: 'check-run',
      status: 'failed',
      message: 'could not create the check run "D": socket hang up',
    });
  });
});

describe('check run against the fake GitHub', () => {
  let gh: FakeGitHub;
  let logs: string[];
  const HEAD = fakeSha('pull head');

  before(async () => {
    gh = await startFakeGitHub();
  });
  after(async () => {
    await gh.close();
  });
  beforeEach(() => {
    logs = [];
    gh.readOnly = false;
  });
  afterEach(() => {
    assert.deepEqual(gh.problems, []);
  });

  function context(report: Report, failOn: FailOn = 'error', repo = 'app'): ReporterContext {
    return {
      octokit: getOctokit(gh.token, { baseUrl: gh.url }),
      repo: { owner: 'octo', repo },
      pull: { number: 7, headSha: HEAD, baseSha: fakeSha('base') },
      headSha: HEAD,
      report,
      changed: new Map(),
      options: { checkName: 'Defang', filterMode: 'added', maxReviewComments: 30, failOn, runUrl: 'https://github.com/octo/app/actions/runs/1' },
      log: { info: (m) => logs.push(`info ${m}`), notice: (m) => logs.push(`notice ${m}`), warning: (m) => logs.push(`warning ${m}`) },
    };
  }

  const now = () => new Date('2024-05-01T12:00:00.000Z');

  test('120 findings: started in progress, completed with the first 50, then two more slices', async () => {
    const ctx = context(manyFindings(120), 'error', 'slices');
    const handle = await startCheckRun(ctx, { now });
    assert.ok('id' in handle);
    const [started] = checkRuns(gh, 'octo', 'slices');
    assert.deepEqual(
      { name: started?.name, sha: started?.headSha, status: started?.status, startedAt: started?.startedAt, details: started?.detailsUrl, title: started?.output.title },
      { name: 'Defang', sha: HEAD, status: 'in_progress', startedAt: '2024-05-01T12:00:00.000Z', details: 'https://github.com/octo/app/actions/runs/1', title: 'Checking Dockerfiles…' },
    );

    const outcome = await completeCheckRun(ctx, handle, { now });
    assert.deepEqual(outcome, { reporter: 'check-run', status: 'done', message: 'check run "Defang" completed: failure, 120 annotations in 3 requests' });
    const patches = gh.requestsTo('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}');
    assert.deepEqual(
      patches.map((r) => [(r.body as any).output.annotations.length, (r.body as any).conclusion ?? null, r.status]),
      [
        [50, 'failure', 200],
        [50, null, 200],
        [20, null, 200],
      ],
    );
    const run = checkRuns(gh, 'octo', 'slices')[0]!;
    assert.equal(run.status, 'completed');
    assert.equal(run.conclusion, 'failure');
    assert.equal(run.completedAt, '2024-05-01T12:00:00.000Z');
    assert.equal(run.output.title, '40 errors, 40 warnings, 40 infos in 3 Dockerfiles');
    assert.equal(run.annotations.length, 120);
    // Most severe first across the slices.
    assert.deepEqual(
      [run.annotations[0]!.annotation_level, run.annotations[39]!.annotation_level, run.annotations[40]!.annotation_level, run.annotations[80]!.annotation_level],
      ['failure', 'failure', 'warning', 'notice'],
    );
    assert.equal(new Set(run.annotations.map((a) => `${a.path}:${a.start_line}`)).size, 120);
    assert.equal(checkRuns(gh, 'octo', 'slices').length, 1);
    assert.deepEqual(logs, [
      `info Defang: check run "Defang" started (id ${run.id})`,
      'info Defang: check run "Defang" completed: failure, 120 annotations in 3 requests',
    ]);
  });

  test('the conclusion follows fail-on', async () => {
    const warnings: Report = { rules: [], results: [{ dockerfile: 'Dockerfile', findings: [finding({ severity: 'warning' })] }] };
    for (const [failOn, expected] of [
      ['error', 'success'],
      ['warning', 'failure'],
      ['never', 'neutral'],
    ] as const) {
      const ctx = context(warnings, failOn, `conclusion-${failOn}`);
      const handle = await startCheckRun(ctx);
      assert.equal((await completeCheckRun(ctx, handle as { id: number })).status, 'done');
      assert.equal(checkRuns(gh, 'octo', `conclusion-${failOn}`)[0]?.conclusion, expected, `fail-on ${failOn}`);
    }
  });

  test('a summary too long for GitHub is cut with the note, and GitHub accepts it', async () => {
    const ctx = context(manyFindings(700, (i) => `Finding ${i}: ${'ü'.repeat(150)}`), 'error', 'long');
    const outcome = await completeCheckRun(ctx, (await startCheckRun(ctx)) as { id: number });
    assert.equal(outcome.status, 'done');
    assert.match(outcome.message ?? '', /^check run "Defang" completed: failure, 700 annotations in 14 requests; \d+ findings left out of the summary to stay within GitHub's limit$/);
    const run = checkRuns(gh, 'octo', 'long')[0]!;
    assert.ok(Buffer.byteLength(run.output.summary ?? '') <= 65_535);
    assert.match(run.output.summary ?? '', /> \*\*Note\*\*: \d+ findings \(\d+ errors, 233 warnings, 233 infos\) are not listed here, to stay within GitHub's limit of 65,535 bytes\./);
    assert.equal(run.annotations.length, 700);
  });

  test('read-only token: start and complete are refused, never thrown', async () => {
    gh.readOnly = true;
    const ctx = context(manyFindings(3), 'error', 'fork');
    const started = await startCheckRun(ctx);
    assert.deepEqual(started, {
      reporter: 'check-run',
      status: 'refused',
      message:
        'GitHub refused to create the check run "Defang" (403: Resource not accessible by integration). The token cannot write checks: ' +
        'a pull request from a fork gets a read-only token, and otherwise the workflow needs `permissions: checks: write`.',
    });
    const completed = await completeCheckRun(ctx, null);
    assert.equal(completed.status, 'refused');
    assert.match(completed.message ?? '', /^GitHub refused to create the check run "Defang" \(403: Resource not accessible by integration\)/);
    assert.equal(checkRuns(gh, 'octo', 'fork').length, 0);
  });

  test('start failed: complete creates the run completed in one go, then appends the other slices', async () => {
    const ctx = context(manyFindings(75), 'warning', 'oneshot');
    gh.readOnly = true;
    const started = await startCheckRun(ctx);
    assert.equal('status' in started && started.status, 'refused');
    gh.readOnly = false;
    const before = gh.requests.length;
    const outcome = await completeCheckRun(ctx, null, { now });
    assert.equal(outcome.status, 'done');
    const sent = gh.requests.slice(before).map((r) => [r.method, r.template, (r.body as any).status ?? null, (r.body as any).output.annotations.length]);
    assert.deepEqual(sent, [
      ['POST', '/repos/{owner}/{repo}/check-runs', 'completed', 50],
      ['PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}', null, 25],
    ]);
    const [run] = checkRuns(gh, 'octo', 'oneshot');
    assert.deepEqual([run?.status, run?.conclusion, run?.annotations.length, run?.writes], ['completed', 'failure', 75, 2]);
  });

  test('a 422 is reported with GitHub\'s message', async () => {
    const ctx = context(manyFindings(2), 'error', 'bad-sha');
    ctx.headSha = 'not-a-sha';
    const outcome = await completeCheckRun(ctx, null);
    assert.deepEqual(outcome, {
      reporter: 'check-run',
      status: 'failed',
      message: 'GitHub rejected the request to create the check run "Defang" (422: No commit found for SHA: not-a-sha)',
    });
  });

  test('a slice that fails after completion says what was sent', async () => {
    const ctx = context(manyFindings(120), 'error', 'partial');
    const handle = (await startCheckRun(ctx)) as { id: number };
    const server = await startFakeGitHub();
    try {
      // A second server that completes the run but refuses the second update with a validation error.
      let patches = 0;
      server.route({
        method: 'PATCH',
        path: '/repos/{owner}/{repo}/check-runs/{check_run_id}',
        handler: () => {
          patches++;
          return patches === 1
            ? { status: 200, body: undefined }
            : { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'CheckRun', code: 'invalid', field: 'annotations' }], documentation_url: 'https://docs.github.com/rest', status: '422' } };
        },
      });
      const outcome = await completeCheckRun({ ...ctx, octokit: getOctokit(server.token, { baseUrl: server.url }) }, handle);
      assert.deepEqual(outcome, {
        reporter: 'check-run',
        status: 'failed',
        message:
          'The check run was completed (failure) with 50 of 120 annotations. GitHub rejected the request to add annotations 51-100 ' +
          'to the check run "Defang" (422: Validation Failed (annotations invalid))',
      });
      assert.equal(patches, 2);
    } finally {
      await server.close();
    }
  });

  test('a server error and a secondary rate limit are failures, not refusals', async () => {
    const ctx = context(manyFindings(1), 'error', 'flaky');
    gh.secondaryRateLimitOnce((method) => method === 'POST');
    const limited = await startCheckRun(ctx);
    assert.equal('status' in limited && limited.status, 'failed');
    assert.match((limited as { message: string }).message, /^GitHub answered 403 when asked to create the check run "Defang": You have exceeded a secondary rate limit/);

    const server = await startFakeGitHub();
    try {
      server.route({ method: 'POST', path: '/repos/{owner}/{repo}/check-runs', handler: () => errorResponse(502, 'Server Error') });
      const broken = await startCheckRun({ ...ctx, octokit: getOctokit(server.token, { baseUrl: server.url, request: { retries: 0 } }) });
      assert.deepEqual(broken, { reporter: 'check-run', status: 'failed', message: 'GitHub answered 502 when asked to create the check run "Defang": Server Error' });
    } finally {
      await server.close();
    }
  });
});
