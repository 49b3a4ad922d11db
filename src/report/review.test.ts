import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { getOctokit } from '@actions/github';
import { discussion, seedReviewComment, startFakeGitHub, type FakeGitHub } from '../../__tests__/helpers/fake-github.ts';
import { parsePatch } from '../changes/patch.ts';
import type { Finding } from '../findings.ts';
import type { ChangedLines, FilterMode, ReporterContext } from './github.ts';
import { codeFence, commentBody, fingerprintMarker, markerId, placeFinding, postReview, resolvedBody } from './review.ts';

const HEAD = '1111111111111111111111111111111111111111';
const HEAD2 = '2222222222222222222222222222222222222222';
const BASE = '0000000000000000000000000000000000000000';
const PULL = 7;

/*
 * The head Dockerfile (15 lines); the pull request added lines 3-4 and 14:
 *  1 FROM debian:12          6 COPY . .        11 ENV E=5
 *  2 RUN apt-get update      7 ENV A=1         12 ENV F=6
 *  3 RUN apt-get install \   8 ENV B=2         13 EXPOSE 80
 *  4     -y curl             9 ENV C=3         14 USER root
 *  5 WORKDIR /app           10 ENV D=4         15 CMD ["./run"]
 * Hunks (right side): 1-6 and 11-15.
 */
const PATCH = [
  '@@ -1,4 +1,6 @@',
  ' FROM debian:12',
  ' RUN apt-get update',
  '+RUN apt-get install \\',
  '+    -y curl',
  ' WORKDIR /app',
  ' COPY . .',
  '@@ -9,4 +11,5 @@ ENV D=4',
  ' ENV E=5',
  ' ENV F=6',
  ' EXPOSE 80',
  '+USER root',
  ' CMD ["./run"]',
].join('\n');

let serial = 0;
function finding(line: number, endLine: number, over: Partial<Finding> = {}): Finding {
  serial++;
  return {
    ruleId: 'test-rule',
    severity: 'warning',
    message: `Finding ${serial}.`,
    file: 'Dockerfile',
    line,
    column: 1,
    endLine,
    endColumn: 10,
    fingerprint: `fp${String(serial).padStart(30, '0')}`,
    ...over,
  };
}

function changedOf(patch: string): ChangedLines {
  const ranges = parsePatch(patch);
  return { added: ranges.added, hunks: ranges.hunks };
}

interface Logged {
  info: string[];
  notice: string[];
  warning: string[];
}

function context(
  gh: FakeGitHub,
  findings: Finding[],
  options: { filterMode?: FilterMode; max?: number; headSha?: string; changed?: Map<string, ChangedLines> } = {},
): ReporterContext & { logged: Logged } {
  const logged: Logged = { info: [], notice: [], warning: [] };
  const headSha = options.headSha ?? HEAD;
  const files = new Map<string, Finding[]>();
  for (const f of findings) files.set(f.file, [...(files.get(f.file) ?? []), f]);
  return {
    octokit: getOctokit(gh.token, { baseUrl: gh.url }),
    repo: { owner: 'octo', repo: 'app' },
    pull: { number: PULL, headSha, baseSha: BASE },
    headSha,
    report: { results: [...files].map(([dockerfile, list]) => ({ dockerfile, findings: list })), rules: [] },
    changed: options.changed ?? new Map([['Dockerfile', changedOf(PATCH)]]),
    options: {
      checkName: 'Defang',
      filterMode: options.filterMode ?? 'added',
      maxReviewComments: options.max ?? 30,
      failOn: 'error',
    },
    log: {
      info: (m) => logged.info.push(m),
      notice: (m) => logged.notice.push(m),
      warning: (m) => logged.warning.push(m),
    },
    logged,
  };
}

const REVIEWS = '/repos/{owner}/{repo}/pulls/{pull_number}/reviews';
const COMMENT = '/repos/{owner}/{repo}/pulls/comments/{comment_id}';

interface SentComment {
  path: string;
  body: string;
  line: number;
  side: string;
  start_line?: number;
  start_side?: string;
}

function sentComments(gh: FakeGitHub): SentComment[][] {
  return gh.requestsTo('POST', REVIEWS).map((r) => (r.body as { comments: SentComment[] }).comments);
}

/** [start_line, line] of each comment, with the fingerprint it carries. */
function anchors(comments: SentComment[]): Array<[string, number | undefined, number]> {
  return comments.map((c) => [/fingerprint=(\w+)/.exec(c.body)?.[1] ?? '?', c.start_line, c.line]);
}

const savedEnv = { ...process.env };
function useDocsEnv(): void {
  process.env.GITHUB_ACTION_REPOSITORY = 'defang-dev/defang';
  process.env.GITHUB_ACTION_REF = 'v1';
  process.env.GITHUB_SERVER_URL = 'https://github.com';
}
function restoreEnv(): void {
  for (const key of ['GITHUB_ACTION_REPOSITORY', 'GITHUB_ACTION_REF', 'GITHUB_SERVER_URL']) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
}

describe('placeFinding', () => {
  const changed = changedOf(PATCH);
  const cases: Array<[string, Finding, FilterMode, ReturnType<typeof placeFinding>]> = [
    ['added: a finding on added lines, anchored on them', finding(3, 4), 'added', { eligible: true, anchor: [3, 4], suggestion: false }],
    ['added: a context line is left out', finding(2, 2), 'added', { eligible: false, suggestion: false }],
    ['added: a span reaching outside the hunk is cut to the hunk', finding(9, 14), 'added', { eligible: true, anchor: [11, 14], suggestion: false }],
    ['diff_context: a context line is in', finding(2, 2), 'diff_context', { eligible: true, anchor: [2, 2], suggestion: false }],
    ['diff_context: between the hunks is out', finding(8, 8), 'diff_context', { eligible: false, suggestion: false }],
    ['file: between the hunks is eligible but cannot be placed', finding(8, 8), 'file', { eligible: true, suggestion: false }],
    ['nofilter: same', finding(8, 8), 'nofilter', { eligible: true, suggestion: false }],
    [
      'a fix inside a hunk anchors the comment on the fix lines, with a suggestion',
      finding(14, 14, { fix: { line: 13, endLine: 14, replacement: 'EXPOSE 80\nUSER app' } }),
      'added',
      { eligible: true, anchor: [13, 14], suggestion: true },
    ],
    [
      'a fix reaching outside the hunk: no suggestion, the finding\'s own lines',
      finding(3, 3, { fix: { line: 7, endLine: 8, replacement: 'ENV A=1 B=2' } }),
      'added',
      { eligible: true, anchor: [3, 3], suggestion: false },
    ],
    [
      'a fix spanning both hunks: no suggestion',
      finding(14, 14, { fix: { line: 5, endLine: 14, replacement: '' } }),
      'added',
      { eligible: true, anchor: [14, 14], suggestion: false },
    ],
  ];
  for (const [name, f, mode, expected] of cases) {
    test(name, () => assert.deepEqual(placeFinding(f, changed, mode), expected));
  }

  test('a file the pull request did not change: only nofilter takes it, and it cannot be placed', () => {
    const f = finding(1, 1, { file: 'other/Dockerfile' });
    for (const mode of ['added', 'diff_context', 'file'] as const) assert.deepEqual(placeFinding(f, undefined, mode), { eligible: false, suggestion: false });
    assert.deepEqual(placeFinding(f, undefined, 'nofilter'), { eligible: true, suggestion: false });
  });

  test('unknown lines (GitHub sent no diff): every line counts, but nothing can be anchored', () => {
    assert.deepEqual(placeFinding(finding(8, 8), { added: null, hunks: null }, 'added'), { eligible: true, suggestion: false });
  });
});

describe('comment bodies', () => {
  before(useDocsEnv);
  after(restoreEnv);

  test('message, rule, hadolint code, docs link and the hidden marker', () => {
    const f = finding(14, 14, { ruleId: 'root-user', hadolint: 'DL3002', severity: 'error', message: 'The final stage runs as root.' });
    assert.equal(
      commentBody(f, false),
      [
        '❌ **error**: The final stage runs as root.',
        '`root-user` (`DL3002`) · [docs](https://github.com/defang-dev/defang/blob/v1/docs/rules/root-user.md)',
        `<!-- defang:fingerprint=${f.fingerprint} -->`,
      ].join('\n\n'),
    );
  });

  test('image findings name the path in the image, the layer, and the base image', () => {
    const f = finding(1, 1, { ruleId: 'image-setuid', path: '/usr/bin/su', layer: 'sha256:abc', inherited: true, severity: 'info' });
    assert.equal(
      commentBody(f, false).split('\n\n')[1],
      '`image-setuid` · [docs](https://github.com/defang-dev/defang/blob/v1/docs/rules/image-setuid.md) · ' +
        'Path in image: `/usr/bin/su` · layer `sha256:abc` · inherited from the base image',
    );
  });

  test('a hostile message, rule id and fix are rendered inert', () => {
    const f = finding(3, 3, {
      ruleId: 'x`y](http://evil)',
      hadolint: '<b>DL1</b>',
      message: 'Ping @org/team, see [x](http://evil) <img src=x> ``` and close the fence',
      fix: { line: 3, endLine: 3, replacement: 'RUN echo ```\n```\n<img src=x> @org/team', description: '**bold** @org/team' },
      fingerprint: 'abc --> <img src=x>',
    });
    const body = commentBody(f, true);
    const parts = body.split('\n\n');
    assert.equal(parts[0], '⚠️ **warning**: Ping @\u200borg/team, see \\[x\\](http:\u200b//evil) \\<img src=x\\> \\`\\`\\` and close the fence');
    // The rule id is a code span that its backtick cannot close; it names no docs page, so no link.
    assert.equal(parts[1], '``x`y](http://evil)`` (`<b>DL1</b>`)');
    assert.equal(parts[2], '**Suggested fix**: \\*\\*bold\\*\\* @\u200borg/team');
    assert.equal(parts[3], '````suggestion\nRUN echo ```\n```\n<img src=x> @org/team\n````');
    // The marker carries a hash, not the text.
    assert.equal(parts[4], `<!-- defang:fingerprint=${markerId('abc --> <img src=x>')} -->`);
    assert.match(markerId('abc --> <img src=x>'), /^h[0-9a-f]{32}$/);
    assert.equal(body.match(/<!--/g)?.length, 1, 'only the marker opens an HTML comment');
    assert.equal(body.match(/(?<!\\)<img/g)?.length, 1, 'the only unescaped <img is inside the suggestion block');
  });

  test('a fix outside the diff is shown as a plain code block, naming its lines', () => {
    const f = finding(3, 3, { fix: { line: 7, endLine: 8, replacement: 'ENV A=1 B=2' } });
    assert.equal(
      commentBody(f, false).split('\n\n').slice(2, 4).join('\n\n'),
      "**Suggested fix** for lines 7–8 (outside this pull request's diff, so it cannot be applied here):\n\n```dockerfile\nENV A=1 B=2\n```",
    );
  });

  test('code fences: longer than any run of backticks inside; an empty replacement deletes the lines', () => {
    assert.equal(codeFence('a ``` b ````` c', 'suggestion'), '``````suggestion\na ``` b ````` c\n``````');
    assert.equal(codeFence('', 'suggestion'), '```suggestion\n```');
  });

  test('a resolved comment keeps its headline struck through, the commit, and the marker marked resolved', () => {
    const old = commentBody(finding(3, 3, { message: 'Old problem.' }), false);
    const fp = /fingerprint=(\w+)/.exec(old)?.[1] as string;
    assert.equal(resolvedBody(old, fp, HEAD2), `~~⚠️ **warning**: Old problem.~~\n\n✅ Resolved in ${HEAD2}.\n\n${fingerprintMarker(fp, true)}`);
  });
});

describe('postReview against the fake GitHub', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await startFakeGitHub();
    gh.setPullFiles('octo', 'app', PULL, [{ filename: 'Dockerfile', status: 'modified', patch: PATCH }]);
    useDocsEnv();
  });
  afterEach(async () => {
    restoreEnv();
    assert.deepEqual(gh.problems, []);
    await gh.close();
  });

  /** A: added 3-4 (error); B: added 14 with a fix (error); C: context 2 (warning); D: between hunks 8 (info);
   *  E: a file the pull request did not change (warning); F: context 1 with a fix on 1-2 (warning);
   *  G: 12-14 touching added 14 (warning). */
  function sample() {
    const A = finding(3, 4, { severity: 'error', ruleId: 'pipe-install' });
    const B = finding(14, 14, { severity: 'error', ruleId: 'root-user', fix: { line: 14, endLine: 14, replacement: 'USER app' } });
    const C = finding(2, 2, { ruleId: 'apt-update-alone' });
    const D = finding(8, 8, { severity: 'info', ruleId: 'env-style' });
    const E = finding(1, 1, { file: 'other/Dockerfile', ruleId: 'untagged-base' });
    const F = finding(1, 1, { ruleId: 'pin-base', fix: { line: 1, endLine: 2, replacement: 'FROM debian:12.5\nRUN apt-get update' } });
    const G = finding(12, 14, { ruleId: 'env-group' });
    return { A, B, C, D, E, F, G, all: [A, B, C, D, E, F, G] };
  }

  test('added: one review, comments only on findings touching added lines, on lines inside the diff', async () => {
    const { A, B, G, all } = sample();
    const ctx = context(gh, all, { filterMode: 'added' });
    const outcome = await postReview(ctx);
    assert.equal(outcome.status, 'done');
    assert.deepEqual(outcome.notPlaced, []);
    const posts = gh.requestsTo('POST', REVIEWS);
    assert.equal(posts.length, 1);
    assert.equal(posts[0]?.status, 200);
    const sent = posts[0]?.body as { commit_id: string; event: string; body: string; comments: SentComment[] };
    assert.equal(sent.commit_id, HEAD);
    assert.equal(sent.event, 'COMMENT');
    assert.equal(
      sent.body,
      "**Defang**: 3 new findings on this pull request's changes (2 errors, 1 warning, 0 infos).\n\n<!-- defang:review -->",
    );
    // Most severe first, then file order.
    assert.deepEqual(anchors(sent.comments), [
      [A.fingerprint, 3, 4],
      [B.fingerprint, undefined, 14],
      [G.fingerprint, 12, 14],
    ]);
    assert.deepEqual(
      sent.comments.map((c) => [c.path, c.side, c.start_side]),
      [['Dockerfile', 'RIGHT', 'RIGHT'], ['Dockerfile', 'RIGHT', undefined], ['Dockerfile', 'RIGHT', 'RIGHT']],
    );
    const stored = discussion(gh, 'octo', 'app').reviewComments;
    assert.deepEqual(stored.map((c) => [c.startLine, c.line]), [[3, 4], [null, 14], [12, 14]]);
    assert.equal(stored[0]?.diffHunk, '@@ -1,4 +1,6 @@\n FROM debian:12\n RUN apt-get update\n+RUN apt-get install \\\n+    -y curl');
  });

  test('diff_context: context lines of the hunks too; findings between the hunks are left to the summary', async () => {
    const { A, B, C, F, G, all } = sample();
    const outcome = await postReview(context(gh, all, { filterMode: 'diff_context' }));
    assert.equal(outcome.status, 'done');
    assert.deepEqual(outcome.notPlaced, []);
    assert.deepEqual(anchors(sentComments(gh)[0] ?? []), [
      [A.fingerprint, 3, 4],
      [B.fingerprint, undefined, 14],
      [F.fingerprint, 1, 2],
      [C.fingerprint, undefined, 2],
      [G.fingerprint, 12, 14],
    ]);
  });

  test('file: every finding of a changed file; one between the hunks is not sent but not placed', async () => {
    const { D, all } = sample();
    const outcome = await postReview(context(gh, all, { filterMode: 'file' }));
    assert.equal(outcome.status, 'done');
    assert.deepEqual(outcome.notPlaced, [D]);
    const lines = (sentComments(gh)[0] ?? []).map((c) => c.line);
    assert.equal(lines.includes(8), false);
    assert.equal(lines.length, 5);
    assert.match(
      (gh.requestsTo('POST', REVIEWS)[0]?.body as { body: string }).body,
      /\n\n1 other finding could not be placed on the diff; the summary comment lists them\.\n\n/,
    );
  });

  test('nofilter: findings of unchanged files too, which cannot be placed', async () => {
    const { D, E, all } = sample();
    const outcome = await postReview(context(gh, all, { filterMode: 'nofilter' }));
    assert.equal(outcome.status, 'done');
    assert.deepEqual(outcome.notPlaced, [D, E]);
    assert.equal((sentComments(gh)[0] ?? []).length, 5);
  });

  test('suggestion blocks sit exactly on the fix lines', async () => {
    const { B, F, all } = sample();
    await postReview(context(gh, all, { filterMode: 'diff_context' }));
    const comments = sentComments(gh)[0] ?? [];
    const ofB = comments.find((c) => c.body.includes(B.fingerprint));
    const ofF = comments.find((c) => c.body.includes(F.fingerprint));
    assert.deepEqual([ofB?.start_line, ofB?.line], [undefined, 14]);
    assert.match(ofB?.body ?? '', /\n\n```suggestion\nUSER app\n```\n\n/);
    assert.deepEqual([ofF?.start_line, ofF?.line], [1, 2]);
    assert.match(ofF?.body ?? '', /\n\n```suggestion\nFROM debian:12\.5\nRUN apt-get update\n```\n\n/);
    for (const c of comments.filter((c) => c !== ofB && c !== ofF)) assert.doesNotMatch(c.body, /suggestion/);
  });

  test('a re-run posts nothing new: no second review, no duplicate comment', async () => {
    const { all } = sample();
    const first = await postReview(context(gh, all, { filterMode: 'diff_context' }));
    assert.equal(first.status, 'done');
    const second = await postReview(context(gh, all, { filterMode: 'diff_context' }));
    assert.equal(second.status, 'skipped');
    assert.equal(second.message, '5 findings already commented on');
    assert.deepEqual(second.notPlaced, []);
    assert.equal(gh.requestsTo('POST', REVIEWS).length, 1);
    assert.equal(gh.requestsTo('PATCH', COMMENT).length, 0);
    assert.equal(discussion(gh, 'octo', 'app').reviewComments.length, 5);
    assert.equal(discussion(gh, 'octo', 'app').reviews.length, 1);
  });

  test('a new finding on a re-run gets its own review with only that comment', async () => {
    const { A, B } = sample();
    await postReview(context(gh, [A]));
    const outcome = await postReview(context(gh, [A, B]));
    assert.equal(outcome.status, 'done');
    assert.equal(outcome.message, 'posted a review with 1 comment; 1 finding already commented on');
    assert.deepEqual(sentComments(gh).map(anchors), [[[A.fingerprint, 3, 4]], [[B.fingerprint, undefined, 14]]]);
  });

  test('a fixed finding\'s comment is marked resolved (edited, not deleted); if it comes back it is posted again', async () => {
    const { A, B } = sample();
    await postReview(context(gh, [A, B]));
    const [ofA, ofB] = discussion(gh, 'octo', 'app').reviewComments;
    const bodyOfB = ofB?.body as string;

    const second = await postReview(context(gh, [A], { headSha: HEAD2 }));
    assert.equal(second.status, 'done');
    assert.equal(second.message, 'marked 1 fixed finding resolved; 1 finding already commented on');
    assert.equal(gh.requestsTo('POST', REVIEWS).length, 1, 'nothing new to post: no review');
    const patches = gh.requestsTo('PATCH', COMMENT);
    assert.deepEqual(patches.map((r) => r.path), [`/repos/octo/app/pulls/comments/${ofB?.id}`]);
    assert.equal(ofB?.body, resolvedBody(bodyOfB, B.fingerprint, HEAD2));
    assert.match(ofB?.body ?? '', /^~~❌ \*\*error\*\*: Finding \d+\.~~\n\n✅ Resolved in 2{40}\.\n\n<!-- defang:fingerprint=\w+ resolved -->$/);
    assert.equal(ofA?.body.endsWith(fingerprintMarker(A.fingerprint)), true, 'the comment of a finding still there is untouched');
    assert.equal(discussion(gh, 'octo', 'app').reviewComments.length, 2, 'nothing deleted');

    // A third run without change does not resolve it again.
    await postReview(context(gh, [A], { headSha: HEAD2 }));
    assert.equal(gh.requestsTo('PATCH', COMMENT).length, 1);

    // The finding comes back: a new comment (the resolved one does not count).
    const back = await postReview(context(gh, [A, B], { headSha: HEAD2 }));
    assert.equal(back.message, 'posted a review with 1 comment; 1 finding already commented on');
    assert.deepEqual(anchors(sentComments(gh)[1] ?? []), [[B.fingerprint, undefined, 14]]);
  });

  test('other people\'s comments and replies are left alone', async () => {
    const { A } = sample();
    const human = seedReviewComment(gh, 'octo', 'app', PULL, { path: 'Dockerfile', line: 3, body: 'Why curl?' });
    const reply = seedReviewComment(gh, 'octo', 'app', PULL, {
      path: 'Dockerfile',
      line: 3,
      body: `quoting ${fingerprintMarker('f'.repeat(32))}`,
      inReplyToId: human.id,
    });
    const outcome = await postReview(context(gh, [A]));
    assert.equal(outcome.status, 'done');
    assert.equal(gh.requestsTo('PATCH', COMMENT).length, 0);
    assert.equal(human.body, 'Why curl?');
    assert.equal(reply.body, `quoting ${fingerprintMarker('f'.repeat(32))}`);
  });

  test('review comments are read across pages', async () => {
    const findings = Array.from({ length: 8 }, (_, i) => finding(14, 14, { message: `Number ${i}.` }));
    await postReview(context(gh, findings));
    assert.equal(discussion(gh, 'octo', 'app').reviewComments.length, 8);
    // Pad the pull request with 250 comments of other people, so Defang's are spread over three pages of 100.
    for (let i = 0; i < 250; i++) seedReviewComment(gh, 'octo', 'app', PULL, { path: 'Dockerfile', line: 14, body: `note ${i}` });
    const again = await postReview(context(gh, findings));
    assert.equal(again.status, 'skipped');
    const pages = gh.requestsTo('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/comments').slice(1);
    assert.deepEqual(pages.map((r) => r.query.page ?? '1'), ['1', '2', '3']);
  });

  test('the cap keeps the most severe findings; the rest are not placed; open comments count against it', async () => {
    const info = finding(3, 3, { severity: 'info', ruleId: 'i' });
    const warning = finding(4, 4, { severity: 'warning', ruleId: 'w' });
    const error1 = finding(14, 14, { severity: 'error', ruleId: 'e1' });
    const error2 = finding(3, 4, { severity: 'error', ruleId: 'e2' });
    const all = [info, warning, error1, error2];
    const first = await postReview(context(gh, all, { max: 2 }));
    assert.deepEqual(anchors(sentComments(gh)[0] ?? []).map((a) => a[0]), [error2.fingerprint, error1.fingerprint]);
    assert.deepEqual(first.notPlaced, [info, warning]);
    assert.equal(first.message, 'posted a review with 2 comments; 2 findings not placed');

    // Same cap: the two open comments fill it; nothing is posted.
    const second = await postReview(context(gh, all, { max: 2 }));
    assert.equal(second.status, 'skipped');
    assert.deepEqual(second.notPlaced, [info, warning]);
    assert.equal(gh.requestsTo('POST', REVIEWS).length, 1);

    // One more slot: the next most severe.
    const third = await postReview(context(gh, all, { max: 3 }));
    assert.deepEqual(anchors(sentComments(gh)[1] ?? []).map((a) => a[0]), [warning.fingerprint]);
    assert.deepEqual(third.notPlaced, [info]);
  });

  test('read-only token: refused, nothing written, the findings are handed to the summary', async () => {
    const { A, B, G, all } = sample();
    gh.readOnly = true;
    const ctx = context(gh, all);
    const outcome = await postReview(ctx);
    assert.equal(outcome.status, 'refused');
    assert.equal(outcome.message, 'creating the review: GitHub answered 403: Resource not accessible by integration');
    assert.deepEqual(outcome.notPlaced, [A, G, B]);
    assert.equal(discussion(gh, 'octo', 'app').reviews.length, 0);
    assert.equal(ctx.logged.notice.length, 1);
  });

  test('read-only token with only resolutions to make: refused', async () => {
    const { A, B } = sample();
    await postReview(context(gh, [A, B]));
    gh.readOnly = true;
    const outcome = await postReview(context(gh, [A]));
    assert.equal(outcome.status, 'refused');
    assert.equal(outcome.message, 'GitHub refused to edit 1 comment (403)');
  });

  test('GitHub answers 422: failed with GitHub\'s message, and the findings are not lost', async () => {
    const { A, B } = sample();
    // The runner's diff says line 8 changed; GitHub's (the fake's patch) does not.
    const changed = new Map([['Dockerfile', { added: [3, 4, 8, 14], hunks: [[1, 8], [11, 15]] as Array<[number, number]> }]]);
    const C = finding(8, 8, { severity: 'warning' });
    const outcome = await postReview(context(gh, [A, B, C], { changed }));
    assert.equal(outcome.status, 'failed');
    assert.equal(
      outcome.message,
      "creating the review: GitHub answered 422: Unprocessable Entity: Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank; 3 findings not placed",
    );
    assert.deepEqual(outcome.notPlaced, [A, C, B]);
    assert.equal(discussion(gh, 'octo', 'app').reviewComments.length, 0);
  });

  test('not a pull request: skipped without a request', async () => {
    const ctx = context(gh, sample().all);
    const outcome = await postReview({ ...ctx, pull: null });
    assert.equal(outcome.status, 'skipped');
    assert.equal(gh.requests.length, 0);
  });

  test('a hostile message and path are sent inert in the comment', async () => {
    const path = 'evil/@org/team [x](http://evil) <img src=x> ```/Dockerfile';
    gh.setPullFiles('octo', 'app', PULL, [{ filename: path, status: 'added', patch: '@@ -0,0 +1,2 @@\n+FROM x\n+USER root' }]);
    const f = finding(2, 2, {
      file: path,
      severity: 'error',
      message: 'Hello @org/team: [x](http://evil) <img src=x> ``` done',
      path: '/opt/@org/team `<img src=x>`',
    });
    const outcome = await postReview(context(gh, [f], { changed: new Map([[path, { added: [1, 2], hunks: [[1, 2]] }]]) }));
    assert.equal(outcome.status, 'done');
    const [comment] = sentComments(gh)[0] ?? [];
    assert.equal(comment?.path, path);
    const [headline, details] = (comment?.body ?? '').split('\n\n');
    assert.equal(headline, '❌ **error**: Hello @\u200borg/team: \\[x\\](http:\u200b//evil) \\<img src=x\\> \\`\\`\\` done');
    assert.equal(
      details,
      '`test-rule` · [docs](https://github.com/defang-dev/defang/blob/v1/docs/rules/test-rule.md) · Path in image: `` /opt/@org/team `<img src=x>` ``',
    );
  });
});

