import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { getOctokit } from '@actions/github';
import { discussion, seedIssueComment, startFakeGitHub, type FakeGitHub } from '../../__tests__/helpers/fake-github.ts';
import type { FailOn } from '../config/policy.ts';
import type { Finding } from '../findings.ts';
import type { RuleMeta } from '../rules/types.ts';
import type { ReporterContext } from './github.ts';
import { renderSummaryComment, SUMMARY_LIMIT, SUMMARY_MARKER, upsertSummaryComment } from './summary-comment.ts';
import type { Report } from './types.ts';

const HEAD = 'abcdef0123456789abcdef0123456789abcdef01';
const PULL = 12;
const LIST = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
const CREATE = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
const EDIT = '/repos/{owner}/{repo}/issues/comments/{comment_id}';

let serial = 0;
function finding(over: Partial<Finding> = {}): Finding {
  serial++;
  return {
    ruleId: 'root-user',
    severity: 'error',
    message: `Finding ${serial}.`,
    file: 'Dockerfile',
    line: 3,
    column: 1,
    endLine: 3,
    endColumn: 9,
    fingerprint: `fp${String(serial).padStart(30, '0')}`,
    ...over,
  };
}

function rule(id: string, kind: RuleMeta['kind']): RuleMeta {
  return { id, severity: 'warning', title: id, description: id, fixable: false, kind, enabledByDefault: true, category: kind === 'image' ? 'image' : 'user' };
}

const RULES = [rule('root-user', 'static'), rule('image-setuid', 'image'), rule('image-secret', 'image')];

function reportOf(findings: Finding[], extra: string[] = [], notices?: string[]): Report {
  const files = new Map<string, Finding[]>(extra.map((f) => [f, []]));
  for (const f of findings) files.set(f.file, [...(files.get(f.file) ?? []), f]);
  return {
    results: [...files].map(([dockerfile, list]) => ({ dockerfile, findings: list })),
    rules: RULES,
    ...(notices ? { notices } : {}),
  };
}

function context(gh: FakeGitHub, report: Report, failOn: FailOn = 'error'): ReporterContext & { notices: string[] } {
  const notices: string[] = [];
  return {
    octokit: getOctokit(gh.token, { baseUrl: gh.url }),
    repo: { owner: 'octo', repo: 'app' },
    pull: { number: PULL, headSha: HEAD, baseSha: '0'.repeat(40) },
    headSha: HEAD,
    report,
    changed: new Map(),
    options: {
      checkName: 'Defang',
      filterMode: 'added',
      maxReviewComments: 30,
      failOn,
      runUrl: 'https://github.com/octo/app/actions/runs/42',
    },
    log: { info: () => {}, notice: (m) => notices.push(m), warning: () => {} },
    notices,
  };
}

/** The table rows of a body (lines starting with `|` that are not header or delimiter rows). */
function rows(body: string): string[] {
  return body.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Line') && !l.startsWith('| Severity') && !l.startsWith('| ---'));
}

describe('renderSummaryComment', () => {
  test('verdict, counts, a section per Dockerfile with image findings by layer and the base image, not-placed list, notes', () => {
    const staticError = finding({ line: 14, endLine: 14 });
    const staticWarning = finding({ severity: 'warning', ruleId: 'root-user', line: 2, endLine: 2, message: 'Second.' });
    const setuid = finding({
      ruleId: 'image-setuid',
      severity: 'warning',
      line: 5,
      endLine: 6,
      path: '/usr/bin/passwd',
      layer: `sha256:${'a'.repeat(64)}`,
      message: 'setuid file.',
    });
    const inherited = finding({ ruleId: 'image-secret', severity: 'info', line: 1, endLine: 1, path: '/etc/key', inherited: true, message: 'From the base.' });
    const other = finding({ file: 'api/Dockerfile', severity: 'warning', line: 9, endLine: 9, message: 'Elsewhere.' });
    const report = reportOf([staticError, staticWarning, setuid, inherited, other], ['clean/Dockerfile'], ['a notice for @someone']);
    const { body, omitted, omittedNotPlaced } = renderSummaryComment({
      report,
      notPlaced: [other, staticWarning],
      failOn: 'error',
      headSha: HEAD,
      runUrl: 'https://github.com/octo/app/actions/runs/42',
    });
    assert.equal(omitted + omittedNotPlaced, 0);
    const expected = [
      '<!-- defang:summary -->',
      '## Defang',
      '',
      '❌ **Failing**: 1 error at or above fail-on `error`; also 3 warnings, 1 info.',
      '',
      '| Severity | Count |',
      '| --- | ---: |',
      '| ❌ Errors | 1 |',
      '| ⚠️ Warnings | 3 |',
      '| ℹ️ Info | 1 |',
      '',
      '### `Dockerfile` · 1 error, 2 warnings, 1 info',
      '',
      '| Line | Severity | Rule | Message |',
      '| ---: | --- | --- | --- |',
      '| 2 | ⚠️ warning | `root-user` | Second. |',
      `| 14 | ❌ error | \`root-user\` | ${staticError.message} |`,
      '',
      '**Image, line 1** · inherited from the base image',
      '',
      '| Severity | Rule | Path | Message |',
      '| --- | --- | --- | --- |',
      '| ℹ️ info | `image-secret` | `/etc/key` | From the base. |',
      '',
      '**Image, lines 5–6** · layer `sha256:aaaaaaaaaaaa`',
      '',
      '| Severity | Rule | Path | Message |',
      '| --- | --- | --- | --- |',
      '| ⚠️ warning | `image-setuid` | `/usr/bin/passwd` | setuid file. |',
      '',
      '### `api/Dockerfile` · 1 warning',
      '',
      '| Line | Severity | Rule | Message |',
      '| ---: | --- | --- | --- |',
      '| 9 | ⚠️ warning | `root-user` | Elsewhere. |',
      '',
      '### `clean/Dockerfile` · no problems found',
      '',
      '',
      '### Not placed on the diff (2)',
      '',
      "2 findings could not be shown as review comments: their lines are outside this pull request's diff, there were more than the review comment limit, or GitHub refused the review.",
      '',
      '#### `Dockerfile` · 1 warning',
      '',
      '| Line | Severity | Rule | Message |',
      '| ---: | --- | --- | --- |',
      '| 2 | ⚠️ warning | `root-user` | Second. |',
      '',
      '#### `api/Dockerfile` · 1 warning',
      '',
      '| Line | Severity | Rule | Message |',
      '| ---: | --- | --- | --- |',
      '| 9 | ⚠️ warning | `root-user` | Elsewhere. |',
      '',
      '',
      '### Notes',
      '',
      '- a notice for @\u200bsomeone',
      '',
      '---',
      '<sub>Defang · commit `abcdef012345` · [workflow run](https://github.com/octo/app/actions/runs/42)</sub>',
      '',
    ].join('\n');
    assert.equal(body, expected);
  });

  test('verdicts follow fail-on', () => {
    const warning = finding({ severity: 'warning' });
    const line = (failOn: FailOn, findings: Finding[]) =>
      renderSummaryComment({ report: reportOf(findings, ['Dockerfile']), notPlaced: [], failOn, headSha: HEAD }).body.split('\n')[3];
    assert.equal(line('error', [warning]), '✅ **Passing**: nothing at or above fail-on `error`; 1 warning to review.');
    assert.equal(line('warning', [warning]), '❌ **Failing**: 1 warning at or above fail-on `warning`.');
    assert.equal(line('never', [warning]), 'ℹ️ **Not gating** (fail-on `never`): 1 warning.');
    assert.equal(line('error', []), '✅ **Passing**: no problems found in 1 Dockerfile.');
  });

  test('too many findings: stays under 65,536 characters, keeps the most severe, and says how many were left out', () => {
    const findings: Finding[] = [];
    for (let i = 0; i < 1500; i++) {
      const severity = i % 5 === 0 ? 'error' : i % 5 < 3 ? 'warning' : 'info';
      findings.push(finding({ severity, line: i + 1, endLine: i + 1, message: `Problem ${i}: ${'x'.repeat(40)}` }));
    }
    const notPlaced = findings.filter((_, i) => i % 2 === 0);
    const { body, omitted, omittedNotPlaced } = renderSummaryComment({ report: reportOf(findings), notPlaced, failOn: 'error', headSha: HEAD });
    assert.ok(body.length <= SUMMARY_LIMIT, `${body.length} characters`);
    assert.ok(body.length > SUMMARY_LIMIT - 2000, 'the room is used');
    assert.ok(omitted > 0 && omittedNotPlaced > 0);
    // Every finding is either listed or counted as left out, in each list.
    const [main, notPlacedPart] = body.split('### Not placed on the diff');
    assert.equal(rows(main as string).length - 3, findings.length - omitted, 'rows of the Dockerfile section (the counts table has 3)');
    assert.equal(rows(notPlacedPart as string).length, notPlaced.length - omittedNotPlaced);
    const note = /> \*\*Note\*\*: (\d+) findings \(([^)]*)\) are not listed here, to stay within GitHub's limit of 65,536 characters for a comment\. The workflow run has them all\./.exec(main as string);
    assert.ok(note, 'the note says how many were left out');
    assert.equal(Number(note[1]), omitted);
    // The most severe are kept: every error is listed; what is left out is infos (and warnings).
    assert.doesNotMatch(note[2] as string, /error/);
    assert.match(note[2] as string, /\d+ infos?$/);
    assert.equal(rows(main as string).filter((r) => r.includes('❌ error')).length, 300, 'all 300 errors');
    assert.ok((notPlacedPart as string).includes('are not listed here'));
  });

  test('a hostile path, message, image path and notice are rendered inert', () => {
    const hostile = 'x @org/team [x](http://evil) <img src=x> ``` y';
    const f = finding({ file: `${hostile}/Dockerfile`, message: hostile, path: `/opt/${hostile}`, ruleId: 'image-setuid', layer: hostile });
    const { body } = renderSummaryComment({ report: reportOf([f], [], [hostile]), notPlaced: [f], failOn: 'error', headSha: HEAD });
    assert.ok(body.includes('\n### ````x @org/team [x](http://evil) <img src=x> ``` y/Dockerfile```` · 1 error\n'), 'the path is a code span its backticks cannot close');
    assert.ok(body.includes('x @\u200borg/team \\[x\\](http:\u200b//evil) \\<img src=x\\> \\`\\`\\` y'), 'the message is escaped');
    assert.ok(body.includes('| ````/opt/x @org/team [x](http://evil) <img src=x> ``` y```` |'), 'the image path is a code span');
    assert.ok(body.includes('- x @\u200borg/team'), 'the notice is escaped');
    // Outside code spans, nothing raw is left.
    const withoutCode = body.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
    assert.doesNotMatch(withoutCode, /(?<!\\)<img|(?<!\\)\[x(?<!\\)\]|@org|http:\/\//);
    assert.equal(body.match(/<!--/g)?.length, 1);
  });
});

describe('upsertSummaryComment against the fake GitHub', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await startFakeGitHub();
    gh.setPullFiles('octo', 'app', PULL, []);
  });
  afterEach(async () => {
    assert.deepEqual(gh.problems, []);
    await gh.close();
  });

  test('created once, then edited in place (same comment) on every run with something new', async () => {
    seedIssueComment(gh, 'octo', 'app', PULL, { body: 'Looks good to me' });
    const a = finding();
    const first = await upsertSummaryComment(context(gh, reportOf([a])), []);
    assert.equal(first.status, 'done');
    const created = gh.requestsTo('POST', CREATE);
    assert.equal(created.length, 1);
    const id = (created[0]?.response as { id: number }).id;
    assert.equal(first.message, `created summary comment ${id}`);

    const b = finding({ severity: 'warning', message: 'A new warning.' });
    const second = await upsertSummaryComment(context(gh, reportOf([a, b])), [b]);
    assert.equal(second.status, 'done');
    assert.equal(second.message, `updated summary comment ${id}`);
    assert.deepEqual(gh.requestsTo('PATCH', EDIT).map((r) => r.path), [`/repos/octo/app/issues/comments/${id}`]);
    assert.equal(gh.requestsTo('POST', CREATE).length, 1);

    const comments = discussion(gh, 'octo', 'app').issueComments;
    assert.equal(comments.length, 2);
    const ours = comments.filter((c) => c.body.startsWith(SUMMARY_MARKER));
    assert.equal(ours.length, 1);
    assert.equal(ours[0]?.id, id);
    assert.match(ours[0]?.body ?? '', /### Not placed on the diff \(1\)/);
    assert.match(ours[0]?.body ?? '', /A new warning\./);

    // Nothing changed: no write.
    const third = await upsertSummaryComment(context(gh, reportOf([a, b])), [b]);
    assert.equal(third.status, 'skipped');
    assert.equal(third.message, `summary comment ${id} is up to date`);
    assert.equal(gh.requestsTo('PATCH', EDIT).length, 1);
  });

  test('finds its comment on a later page, past other people\'s comments', async () => {
    const first = await upsertSummaryComment(context(gh, reportOf([finding()])), []);
    assert.equal(first.status, 'done');
    for (let i = 0; i < 230; i++) seedIssueComment(gh, 'octo', 'app', PULL, { body: `comment ${i}` });
    // Someone quoting the marker further down does not confuse it.
    seedIssueComment(gh, 'octo', 'app', PULL, { body: `${SUMMARY_MARKER}\nquoted` });
    const second = await upsertSummaryComment(context(gh, reportOf([finding()])), []);
    assert.equal(second.status, 'done');
    assert.equal(gh.requestsTo('POST', CREATE).length, 1);
    const pages = gh.requestsTo('GET', LIST).slice(1).map((r) => r.query.page ?? '1');
    assert.deepEqual(pages, ['1', '2', '3']);
    const id = (gh.requestsTo('POST', CREATE)[0]?.response as { id: number }).id;
    assert.equal(second.message, `updated summary comment ${id}`);
  });

  test('a huge report is cut to fit, and GitHub takes it', async () => {
    const findings = Array.from({ length: 2000 }, (_, i) => finding({ line: i + 1, endLine: i + 1, message: `${'long '.repeat(30)}${i}` }));
    const outcome = await upsertSummaryComment(context(gh, reportOf(findings)), findings);
    assert.equal(outcome.status, 'done');
    assert.match(outcome.message ?? '', /^created summary comment \d+ \(\d+ findings left out to fit\)$/);
    const [comment] = discussion(gh, 'octo', 'app').issueComments;
    assert.ok((comment?.body.length ?? 0) <= SUMMARY_LIMIT);
    assert.match(comment?.body ?? '', /> \*\*Note\*\*: \d+ findings \(\d+ errors\) are not listed here, to stay within GitHub's limit of 65,536 characters for a comment\. The \[workflow run\]\(https:\/\/github\.com\/octo\/app\/actions\/runs\/42\) has them all\./);
  });

  test('read-only token: refused with one notice, nothing written', async () => {
    gh.readOnly = true;
    const ctx = context(gh, reportOf([finding()]));
    const outcome = await upsertSummaryComment(ctx, []);
    assert.equal(outcome.status, 'refused');
    assert.equal(outcome.message, 'creating the summary comment: GitHub answered 403: Resource not accessible by integration');
    assert.equal(ctx.notices.length, 1);
    assert.equal(discussion(gh, 'octo', 'app').issueComments.length, 0);
  });

  test('not a pull request: skipped without a request', async () => {
    const outcome = await upsertSummaryComment({ ...context(gh, reportOf([])), pull: null }, []);
    assert.equal(outcome.status, 'skipped');
    assert.equal(gh.requests.length, 0);
  });
});
