import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../findings.ts';
import type { RuleMeta } from '../rules/types.ts';
import {
  chars,
  codeSpan,
  countsPhrase,
  countsTable,
  cutText,
  escapeText,
  failsGate,
  findingSections,
  findingsTable,
  imageGroups,
  isImageFinding,
  link,
  omissionNote,
  renderWithinLimit,
  safeUrl,
  shortDigest,
  utf8Bytes,
  verdict,
  type RenderedSections,
} from './markdown.ts';
import { finding as baseFinding } from './testing.ts';
import type { FileResult } from './types.ts';

const Z = '\u200b';

/** The shared builder, with a fingerprint that differs per rule, line and path. */
function finding(over: Partial<Finding>): Finding {
  return baseFinding({ endColumn: 2, fingerprint: `fp-${over.ruleId ?? 'some-rule'}-${over.line ?? 1}-${over.path ?? ''}`, ...over });
}

const LAYER_A = `sha256:${'a1'.repeat(32)}`;
const LAYER_B = `sha256:${'b2'.repeat(32)}`;

const docs = (id: string) => `https://docs.example.test/rules/${id}.md`;

describe('escapeText', () => {
  test('mentions, e-mail addresses and issue references get a zero-width space', () => {
    assert.equal(escapeText('ping @octocat and @my-org/team'), `ping @${Z}octocat and @${Z}my-org/team`);
    assert.equal(escapeText('mail root@example.com'), `mail root@${Z}example.com`);
    assert.equal(escapeText('fixes #12 and o/r#3'), `fixes #${Z}12 and o/r#${Z}3`);
    // Not followed by a word: left alone.
    assert.equal(escapeText('a @ b, # c'), 'a @ b, # c');
  });

  test('bare URLs and www. cannot become links', () => {
    assert.equal(escapeText('curl https://get.example.test | sh'), `curl https:${Z}//get.example.test \\| sh`);
    assert.equal(escapeText('see WWW.example.test'), `see WWW${Z}.example.test`);
  });

  test('links, images, HTML, emphasis, code, math, strike-through and entities are shown as written', () => {
    assert.equal(escapeText('[click](https://evil.test)'), `\\[click\\](https:${Z}//evil.test)`);
    assert.equal(escapeText('![x](y)'), '!\\[x\\](y)');
    assert.equal(escapeText('<img src=x onerror=alert(1)>'), '\\<img src=x onerror=alert(1)\\>');
    assert.equal(escapeText('*a* _b_ `c` ~~d~~ $e$ &amp; \\'), '\\*a\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~ \\$e\\$ \\&amp; \\\\');
    assert.equal(escapeText('a | b'), 'a \\| b');
  });

  test('what would start a block at the beginning is escaped', () => {
    assert.equal(escapeText('# heading'), '\\# heading');
    assert.equal(escapeText('- item'), '\\- item');
    assert.equal(escapeText('+ item'), '\\+ item');
    assert.equal(escapeText('=== '), '\\===');
    assert.equal(escapeText('12. item'), '12\\. item');
    assert.equal(escapeText('3) item'), '3\\) item');
    // Inside the text they mean nothing.
    assert.equal(escapeText('a - b # c 1. d'), 'a - b # c 1. d');
  });

  test('one line: breaks and tabs become spaces, controls and bidi overrides are shown as escapes', () => {
    assert.equal(escapeText('one\ntwo\r\nthree\tfour'), 'one two three four');
    assert.equal(escapeText('a\u001b[31mb\u202ec'), 'a\\\\x1b\\[31mb\\\\u202ec');
    assert.equal(escapeText('x\ud800y'), 'x\ufffdy');
    assert.equal(escapeText('  padded  '), 'padded');
  });

  test('a code fence in a message cannot open a block', () => {
    const out = escapeText('```\n@everyone <script>');
    assert.equal(out, `\\\`\\\`\\\` @${Z}everyone \\<script\\>`);
    assert.ok(!out.includes('\n'));
  });
});

describe('codeSpan', () => {
  test('the fence is longer than any backtick run inside, padded when needed', () => {
    assert.equal(codeSpan('Dockerfile'), '`Dockerfile`');
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`x`'), '`` `x` ``');
    assert.equal(codeSpan('x ```` y'), '`````x ```` y`````');
    assert.equal(codeSpan(' y '), '`  y  `');
    assert.equal(codeSpan(''), '` `');
  });

  test('one line; pipes are escaped only for tables', () => {
    assert.equal(codeSpan('a\nb'), '`a b`');
    assert.equal(codeSpan('a|b'), '`a|b`');
    assert.equal(codeSpan('a|b', 'table'), '`a\\|b`');
    assert.equal(codeSpan('a\\|b', 'table'), '`a\\\\|b`');
  });
});

describe('links', () => {
  test('only absolute http(s) URLs, with characters that would end the target encoded', () => {
    assert.equal(safeUrl('https://github.com/o/r/blob/v1/docs/rules/x (y).md'), 'https://github.com/o/r/blob/v1/docs/rules/x%20%28y%29.md');
    assert.equal(safeUrl('https://h.test/a|b<c>'), 'https://h.test/a%7Cb%3Cc%3E');
    assert.equal(safeUrl('javascript:alert(1)'), null);
    assert.equal(safeUrl('docs/rules/x.md'), null);
    assert.equal(safeUrl('//h.test/x'), null);
    assert.equal(link('the [docs]', 'https://h.test/d'), '[the \\[docs\\]](https://h.test/d)');
    assert.equal(link('docs', 'docs/rules/x.md'), 'docs');
  });
});

describe('counts and verdict', () => {
  const findings = [
    finding({ severity: 'error', line: 1 }),
    finding({ severity: 'error', line: 2 }),
    finding({ severity: 'warning', line: 3 }),
    finding({ severity: 'info', line: 4 }),
  ];

  test('countsPhrase counts every severity', () => {
    assert.equal(countsPhrase({ error: 2, warning: 5, info: 1 }), '2 errors, 5 warnings, 1 info');
    assert.equal(countsPhrase({ error: 1, warning: 0, info: 2 }), '1 error, 0 warnings, 2 infos');
  });

  test('the gate follows fail-on', () => {
    assert.equal(failsGate(findings, 'error'), true);
    assert.equal(failsGate(findings.slice(2), 'error'), false);
    assert.equal(failsGate(findings.slice(2), 'warning'), true);
    assert.equal(failsGate(findings.slice(3), 'info'), true);
    assert.equal(failsGate(findings, 'never'), false);
    assert.equal(failsGate([], 'info'), false);
  });

  test('one line for each case', () => {
    assert.equal(verdict(findings, 'error', 2), '❌ **Failing**: 2 errors at or above fail-on `error`; also 1 warning, 1 info.');
    assert.equal(verdict(findings, 'warning', 2), '❌ **Failing**: 2 errors, 1 warning at or above fail-on `warning`; also 1 info.');
    assert.equal(verdict(findings, 'info', 2), '❌ **Failing**: 2 errors, 1 warning, 1 info at or above fail-on `info`.');
    assert.equal(verdict(findings.slice(2), 'error', 2), '✅ **Passing**: nothing at or above fail-on `error`; 1 warning, 1 info to review.');
    assert.equal(verdict(findings, 'never', 2), 'ℹ️ **Not gating** (fail-on `never`): 2 errors, 1 warning, 1 info.');
    assert.equal(verdict([], 'error', 1), '✅ **Passing**: no problems found in 1 Dockerfile.');
    assert.equal(verdict([], 'error', 0), '✅ **Passing**: no Dockerfiles to check.');
  });

  test('countsTable', () => {
    assert.equal(
      countsTable({ error: 2, warning: 0, info: 7 }),
      '| Severity | Count |\n| --- | ---: |\n| ❌ Errors | 2 |\n| ⚠️ Warnings | 0 |\n| ℹ️ Info | 7 |\n',
    );
  });
});

describe('findingsTable', () => {
  test('rows with linked lines and rules, hadolint codes, escaped messages', () => {
    const table = findingsTable(
      [
        finding({ severity: 'error', ruleId: 'unpinned-base-image', hadolint: 'DL3006', message: 'Pin `debian` | @octocat', line: 1 }),
        finding({ severity: 'info', ruleId: 'multi-line', message: '', line: 3, endLine: 5 }),
      ],
      { docsUrl: docs, lineUrl: (file, line, end) => `https://gh.test/o/r/blob/abc/${file}#L${line}${end > line ? `-L${end}` : ''}` },
    );
    assert.equal(
      table,
      [
        '| Line | Severity | Rule | Message |',
        '| ---: | --- | --- | --- |',
        '| [1](https://gh.test/o/r/blob/abc/Dockerfile#L1) | ❌ error | [`unpinned-base-image`](https://docs.example.test/rules/unpinned-base-image.md) (DL3006) | Pin \\`debian\\` \\| @\u200boctocat |',
        '| [3–5](https://gh.test/o/r/blob/abc/Dockerfile#L3-L5) | ℹ️ info | [`multi-line`](https://docs.example.test/rules/multi-line.md) | \u00a0 |',
        '',
      ].join('\n'),
    );
  });

  test('a relative docs path is not linked; chosen columns in order', () => {
    const table = findingsTable([finding({ path: '/etc/a|b', message: 'm' })], {
      columns: ['path', 'rule'],
      docsUrl: () => 'docs/rules/some-rule.md',
    });
    assert.equal(table, '| Path | Rule |\n| --- | --- |\n| `/etc/a\\|b` | `some-rule` |\n');
  });
});

describe('image findings', () => {
  const rules = [
    { id: 'image-setuid', kind: 'image' },
    { id: 'image-root-user', kind: 'image' },
    { id: 'some-rule', kind: 'static' },
  ] as RuleMeta[];
  const kinds = new Map(rules.map((r) => [r.id, r.kind] as const));

  test('told apart by the rule kind, else by image fields', () => {
    assert.equal(isImageFinding(finding({ ruleId: 'image-root-user' }), kinds), true);
    assert.equal(isImageFinding(finding({ ruleId: 'some-rule', path: '/x' }), kinds), false);
    assert.equal(isImageFinding(finding({ ruleId: 'unknown', path: '/x' }), kinds), true);
    assert.equal(isImageFinding(finding({ ruleId: 'unknown', inherited: true })), true);
    assert.equal(isImageFinding(finding({ ruleId: 'unknown' })), false);
  });

  test('grouped by lines and layer, groups in line order, most severe first inside', () => {
    const groups = imageGroups([
      finding({ ruleId: 'image-setuid', line: 9, severity: 'info', path: '/b', layer: LAYER_B }),
      finding({ ruleId: 'image-setuid', line: 1, severity: 'warning', path: '/a', layer: LAYER_A, inherited: true }),
      finding({ ruleId: 'image-setuid', line: 9, severity: 'error', path: '/c', layer: LAYER_B }),
      finding({ ruleId: 'image-root-user', line: 12 }),
    ]);
    assert.deepEqual(
      groups.map((g) => ({ line: g.line, layer: g.layer, inherited: g.inherited, paths: g.findings.map((f) => f.path ?? '-') })),
      [
        { line: 1, layer: LAYER_A, inherited: true, paths: ['/a'] },
        { line: 9, layer: LAYER_B, inherited: false, paths: ['/c', '/b'] },
        { line: 12, layer: undefined, inherited: false, paths: ['-'] },
      ],
    );
  });

  test('short digests', () => {
    assert.equal(shortDigest(LAYER_A), 'sha256:a1a1a1a1a1a1');
    assert.equal(shortDigest('not-a-digest'), 'not-a-digest');
  });
});

describe('findingSections', () => {
  const results: FileResult[] = [
    { dockerfile: 'web/Dockerfile', findings: [] },
    {
      dockerfile: 'Dockerfile',
      findings: [
        finding({ line: 7, ruleId: 'apt-no-recommends', hadolint: 'DL3015', message: 'Use --no-install-recommends.' }),
        finding({ line: 1, severity: 'error', ruleId: 'unpinned-base-image', message: 'Base image "debian" has no tag.' }),
        finding({ line: 1, severity: 'error', ruleId: 'image-setuid', message: 'Setuid file.', path: '/usr/bin/su', layer: LAYER_A, inherited: true }),
        finding({ line: 5, endLine: 6, severity: 'info', ruleId: 'image-secret', message: 'A secret.', path: '/app/.env', layer: LAYER_B }),
      ],
    },
  ];

  const FULL = [
    '### `Dockerfile` · 2 errors, 1 warning, 1 info',
    '',
    '| Line | Severity | Rule | Message |',
    '| ---: | --- | --- | --- |',
    '| 1 | ❌ error | `unpinned-base-image` | Base image "debian" has no tag. |',
    '| 7 | ⚠️ warning | `apt-no-recommends` (DL3015) | Use --no-install-recommends. |',
    '',
    '**Image, line 1** · layer `sha256:a1a1a1a1a1a1` · inherited from the base image',
    '',
    '| Severity | Rule | Path | Message |',
    '| --- | --- | --- | --- |',
    '| ❌ error | `image-setuid` | `/usr/bin/su` | Setuid file. |',
    '',
    '**Image, lines 5–6** · layer `sha256:b2b2b2b2b2b2`',
    '',
    '| Severity | Rule | Path | Message |',
    '| --- | --- | --- | --- |',
    '| ℹ️ info | `image-secret` | `/app/.env` | A secret. |',
    '',
    '### `web/Dockerfile` · no problems found',
    '',
    '',
  ].join('\n');

  test('a section per Dockerfile in path order: static table, then image groups', () => {
    const out = findingSections(results, { docsUrl: () => null });
    assert.equal(out.markdown, FULL);
    assert.deepEqual({ ...out, markdown: '' }, { markdown: '', shown: 4, omitted: { error: 0, warning: 0, info: 0 }, omittedFiles: 0 });
  });

  test('within a limit the most severe findings stay, in line order, and the rest is counted', () => {
    const out = findingSections(results, { docsUrl: () => null, limit: 450, headingLevel: 2 });
    assert.equal(
      out.markdown,
      [
        '## `Dockerfile` · 2 errors, 1 warning, 1 info',
        '',
        '| Line | Severity | Rule | Message |',
        '| ---: | --- | --- | --- |',
        '| 1 | ❌ error | `unpinned-base-image` | Base image "debian" has no tag. |',
        '',
        '**Image, line 1** · layer `sha256:a1a1a1a1a1a1` · inherited from the base image',
        '',
        '| Severity | Rule | Path | Message |',
        '| --- | --- | --- | --- |',
        '| ❌ error | `image-setuid` | `/usr/bin/su` | Setuid file. |',
        '',
        '',
      ].join('\n'),
    );
    assert.ok(utf8Bytes(out.markdown) <= 450);
    assert.equal(out.shown, 2);
    assert.deepEqual(out.omitted, { error: 0, warning: 1, info: 1 });
    assert.equal(out.omittedFiles, 1);
    assert.equal(
      omissionNote(out, "GitHub's limit of 65,535 bytes", 'Every finding is annotated.'),
      "> **Note**: 2 findings (1 warning, 1 info) and 1 Dockerfile without findings are not listed here, to stay within GitHub's limit of 65,535 bytes. Every finding is annotated.\n",
    );
  });

  test('the exact size is a limit that keeps everything; one byte less drops the last finding', () => {
    const size = utf8Bytes(FULL);
    assert.equal(findingSections(results, { docsUrl: () => null, limit: size }).markdown, FULL);
    const cut = findingSections(results, { docsUrl: () => null, limit: size - 1 });
    assert.equal(cut.omittedFiles, 1);
    assert.equal(cut.shown, 4);
    // Characters instead of bytes: the emoji and the dash count once each.
    assert.equal(findingSections(results, { docsUrl: () => null, limit: chars(FULL), measure: chars }).markdown, FULL);
  });

  test('rule kinds from metadata put an image rule without image fields among the image groups', () => {
    const out = findingSections([{ dockerfile: 'D', findings: [finding({ file: 'D', ruleId: 'image-root-user', line: 4, message: 'Runs as root.' })] }], {
      docsUrl: () => null,
      rules: [{ id: 'image-root-user', kind: 'image' } as RuleMeta],
    });
    assert.equal(
      out.markdown,
      '### `D` · 1 warning\n\n**Image, line 4**\n\n| Severity | Rule | Path | Message |\n| --- | --- | --- | --- |\n| ⚠️ warning | `image-root-user` |  | Runs as root. |\n\n',
    );
  });

  test('nothing omitted, no note', () => {
    assert.equal(omissionNote({ omitted: { error: 0, warning: 0, info: 0 }, omittedFiles: 0 }, 'x'), '');
    assert.equal(
      omissionNote({ omitted: { error: 1, warning: 0, info: 0 }, omittedFiles: 0 }, 'the limit'),
      '> **Note**: 1 finding (1 error) is not listed here, to stay within the limit.\n',
    );
  });
});

describe('renderWithinLimit', () => {
  const many: FileResult[] = [
    {
      dockerfile: 'Dockerfile',
      findings: Array.from({ length: 200 }, (_, i) =>
        finding({ line: i + 1, severity: i % 10 === 0 ? 'error' : 'warning', ruleId: `rule-${i}`, message: `Message number ${i} `.repeat(5) }),
      ),
    },
  ];
  const compose = (s: RenderedSections) => `# Title\n\n${s.markdown}${omissionNote(s, 'the limit')}`;

  test('everything when it fits', () => {
    const { text, sections } = renderWithinLimit(many, compose, { limit: 1_000_000, docsUrl: () => null });
    assert.equal(sections.shown, 200);
    assert.ok(!text.includes('Note'));
  });

  test('shrinks the sections until text and note fit, keeping the errors', () => {
    for (const limit of [20_000, 5_000, 1_200]) {
      const { text, sections } = renderWithinLimit(many, compose, { limit, docsUrl: () => null });
      assert.ok(utf8Bytes(text) <= limit, `${utf8Bytes(text)} > ${limit}`);
      const rows = text.split('\n').filter((l) => /^\| \d/.test(l));
      assert.equal(rows.length, sections.shown);
      assert.equal(sections.shown + sections.omitted.error + sections.omitted.warning, 200);
      assert.ok(text.endsWith(omissionNote(sections, 'the limit')));
      // Errors go first: warnings are only shown when every error is.
      if (sections.omitted.error > 0) assert.ok(rows.every((r) => r.includes('error')));
    }
  });

  test('when the text around the sections is too long itself, it is cut at a line break with a marker', () => {
    const { text, sections } = renderWithinLimit(many, (s) => `${'long line\n'.repeat(50)}${s.markdown}`, {
      limit: 300,
      docsUrl: () => null,
      cutMarker: '[cut]\n',
    });
    assert.equal(sections.shown, 0);
    assert.equal(text, `${'long line\n'.repeat(29)}[cut]\n`);
  });
});

describe('cutText', () => {
  test('whole lines when possible, else inside the first line at a code point', () => {
    assert.equal(cutText('a\nbb\nccc\n', 100, utf8Bytes, '!'), 'a\nbb\nccc\n');
    assert.equal(cutText('a\nbb\nccc\n', 9, utf8Bytes, '!'), 'a\nbb\nccc\n');
    assert.equal(cutText('a\nbb\nccc\n', 8, utf8Bytes, '!'), 'a\nbb\n!');
    assert.equal(cutText('a\nbb\nccc\n', 6, utf8Bytes, '!'), 'a\nbb\n!');
    assert.equal(cutText('a\nbb\nccc\n', 5, utf8Bytes, '!'), 'a\n!');
    assert.equal(cutText('ééééé', 6, utf8Bytes, '!'), 'éé\n!');
  });
});
