import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../findings.ts';
import type { RuleMeta } from '../rules/types.ts';
import { JOB_SUMMARY_LIMIT, renderJobSummary, writeJobSummary, type SummaryWriter } from './job-summary.ts';
import { finding } from './testing.ts';
import type { Report } from './types.ts';


const LAYER = `sha256:${'c3'.repeat(32)}`;

const REPORT: Report = {
  rules: [{ id: 'image-root-user', kind: 'image' } as RuleMeta],
  notices: ['.hadolint.yaml:3:1: key "trustedRegistries" ignored <b>'],
  results: [
    { dockerfile: 'web/Dockerfile', findings: [] },
    {
      dockerfile: 'Dockerfile',
      findings: [
        finding({ ruleId: 'apt-no-recommends', hadolint: 'DL3015', line: 4, message: 'Add --no-install-recommends.' }),
        finding({ ruleId: 'image-setuid', severity: 'error', message: 'Setuid file.', path: '/usr/bin/passwd', layer: LAYER, inherited: true }),
        finding({ ruleId: 'image-root-user', severity: 'info', line: 9, message: 'The image runs as root.' }),
      ],
    },
  ],
};

const FULL = [
  '## Defang',
  '',
  '❌ **Failing**: 1 error at or above fail-on `error`; also 1 warning, 1 info.',
  '',
  '| Severity | Count |',
  '| --- | ---: |',
  '| ❌ Errors | 1 |',
  '| ⚠️ Warnings | 1 |',
  '| ℹ️ Info | 1 |',
  '',
  '### `Dockerfile` · 1 error, 1 warning, 1 info',
  '',
  '| Line | Severity | Rule | Message |',
  '| ---: | --- | --- | --- |',
  '| [4](https://gh.test/o/r/blob/abc/Dockerfile#L4) | ⚠️ warning | [`apt-no-recommends`](https://docs.test/apt-no-recommends.md) (DL3015) | Add --no-install-recommends. |',
  '',
  '**Image, line 1** · layer `sha256:c3c3c3c3c3c3` · inherited from the base image',
  '',
  '| Severity | Rule | Path | Message |',
  '| --- | --- | --- | --- |',
  '| ❌ error | [`image-setuid`](https://docs.test/image-setuid.md) | `/usr/bin/passwd` | Setuid file. |',
  '',
  '**Image, line 9**',
  '',
  '| Severity | Rule | Path | Message |',
  '| --- | --- | --- | --- |',
  '| ℹ️ info | [`image-root-user`](https://docs.test/image-root-user.md) |  | The image runs as root. |',
  '',
  '### `web/Dockerfile` · no problems found',
  '',
  '### Notices',
  '',
  '- .hadolint.yaml:3:1: key "trustedRegistries" ignored \\<b\\>',
  '',
  '',
].join('\n');

const options = {
  failOn: 'error' as const,
  docsUrl: (id: string) => `https://docs.test/${id}.md`,
  lineUrl: (file: string, line: number) => `https://gh.test/o/r/blob/abc/${file}#L${line}`,
};

describe('renderJobSummary', () => {
  test('verdict, counts, a section per Dockerfile with image findings grouped, notices', () => {
    assert.equal(renderJobSummary(REPORT, options), FULL);
  });

  test('a title of the caller\'s is escaped; no findings is a passing verdict', () => {
    const out = renderJobSummary({ rules: [], results: [{ dockerfile: 'Dockerfile', findings: [] }] }, { failOn: 'warning', title: 'Lint <i>@team</i>' });
    assert.equal(
      out,
      '## Lint \\<i\\>@\u200bteam\\</i\\>\n\n✅ **Passing**: no problems found in 1 Dockerfile.\n\n' +
        '| Severity | Count |\n| --- | ---: |\n| ❌ Errors | 0 |\n| ⚠️ Warnings | 0 |\n| ℹ️ Info | 0 |\n\n### `Dockerfile` · no problems found\n\n',
    );
  });

  test('within a small limit: the most severe findings, a note with what was left out, the notices kept', () => {
    const limit = Buffer.byteLength(FULL) - 200;
    const out = renderJobSummary(REPORT, { ...options, limit, seeAlso: 'See the check run.' });
    assert.ok(Buffer.byteLength(out) <= limit);
    assert.ok(out.includes('| ❌ error | [`image-setuid`]'));
    assert.ok(!out.includes('The image runs as root.'));
    assert.ok(out.includes('### Notices'));
    assert.match(
      out,
      new RegExp(
        `\\n> \\*\\*Note\\*\\*: (1 finding \\(1 info\\)|2 findings \\(1 warning, 1 info\\)) and 1 Dockerfile without findings are not listed here, ` +
          `to stay within GitHub's limit of ${limit.toLocaleString('en-US')} bytes for a job summary\\. See the check run\\.\\n\\n### Notices`,
      ),
    );
  });

  test('thousands of findings stay under 1 MiB', () => {
    const findings = Array.from({ length: 6_000 }, (_, i) =>
      finding({ line: i + 1, severity: i % 2 ? 'warning' : 'error', message: `Problem ${i}: ${'détail '.repeat(30)}` }),
    );
    const out = renderJobSummary({ rules: [], results: [{ dockerfile: 'Dockerfile', findings }] }, { failOn: 'error', docsUrl: () => null });
    const bytes = Buffer.byteLength(out);
    assert.ok(bytes <= JOB_SUMMARY_LIMIT && bytes > JOB_SUMMARY_LIMIT - 2_000, `${bytes} bytes`);
    const rows = out.split('\n').filter((l) => /^\| \d/.test(l));
    assert.ok(rows.length > 2_000);
    // Every one of the 3,000 errors is kept; warnings fill the rest (rows stay in line order).
    assert.equal(rows.filter((r) => r.includes('❌ error')).length, 3_000);
    assert.match(out, new RegExp(`> \\*\\*Note\\*\\*: ${6_000 - rows.length} findings \\(${6_000 - rows.length} warnings\\) are not listed here`));
  });
});

describe('writeJobSummary', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'defang-summary-'));
    file = join(dir, 'step_summary');
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    writeFileSync(file, '');
  });

  test('with a writer: writes the rendered summary and reports its size', async () => {
    const written: string[] = [];
    const writer: SummaryWriter = {
      addRaw(text) {
        written.push(text);
        return writer;
      },
      write: async () => undefined,
    };
    const result = await writeJobSummary(REPORT, options, writer, { GITHUB_STEP_SUMMARY: file });
    assert.deepEqual(result, { status: 'done', message: `job summary written (${Buffer.byteLength(FULL)} bytes)`, bytes: Buffer.byteLength(FULL) });
    assert.deepEqual(written, [FULL]);
  });

  test('what the step already wrote counts against the MiB', async () => {
    writeFileSync(file, 'x'.repeat(JOB_SUMMARY_LIMIT - 700));
    const written: string[] = [];
    const writer: SummaryWriter = {
      addRaw(text) {
        written.push(text);
        return writer;
      },
      write: async () => undefined,
    };
    const result = await writeJobSummary(REPORT, options, writer, { GITHUB_STEP_SUMMARY: file });
    assert.equal(result.status, 'done');
    assert.ok(result.bytes <= 700);
    assert.match(written[0] ?? '', /> \*\*Note\*\*: .* to stay within GitHub's limit of 700 bytes for a job summary/);

    writeFileSync(file, 'x'.repeat(JOB_SUMMARY_LIMIT - 100));
    const full = await writeJobSummary(REPORT, options, writer, { GITHUB_STEP_SUMMARY: file });
    assert.deepEqual(full, {
      status: 'skipped',
      message: `no job summary: the step's summary already takes ${JOB_SUMMARY_LIMIT - 100} of GitHub's ${JOB_SUMMARY_LIMIT} bytes`,
      bytes: 0,
    });
    assert.equal(written.length, 1);
  });

  test('outside GitHub Actions it is skipped; a write error is a failure, not a throw', async () => {
    assert.deepEqual(await writeJobSummary(REPORT, options, undefined, {}), {
      status: 'skipped',
      message: 'no job summary: GITHUB_STEP_SUMMARY is not set (not running in GitHub Actions)',
      bytes: 0,
    });
    const failing: SummaryWriter = {
      addRaw: () => failing,
      write: async () => {
        throw new Error('EACCES: permission denied');
      },
    };
    assert.deepEqual(await writeJobSummary(REPORT, options, failing, { GITHUB_STEP_SUMMARY: file }), {
      status: 'failed',
      message: 'could not write the job summary: EACCES: permission denied',
      bytes: 0,
    });
  });

  test('the real core.summary appends the Markdown to the file', async () => {
    const saved = process.env.GITHUB_STEP_SUMMARY;
    process.env.GITHUB_STEP_SUMMARY = file;
    try {
      writeFileSync(file, 'before\n');
      const result = await writeJobSummary(REPORT, options);
      assert.equal(result.status, 'done');
      assert.equal(readFileSync(file, 'utf8'), `before\n${FULL}`);
    } finally {
      if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = saved;
    }
  });
});
