import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PatchParseError, parsePatch } from './patch.ts';

describe('parsePatch', () => {
  test('an empty patch changes nothing', () => {
    assert.deepEqual(parsePatch(''), { added: [], hunks: [] });
  });

  test('one hunk: added lines and the right-side range of context and additions', () => {
    const patch = [
      '@@ -4,5 +4,6 @@ FROM debian:12',
      ' WORKDIR /app',
      '-RUN apt-get update',
      '+RUN apt-get update \\',
      '+    && apt-get install -y curl',
      ' COPY . .',
      ' USER app',
      '-CMD ["run"]',
      '+CMD ["serve"]',
    ].join('\n');
    assert.deepEqual(parsePatch(patch), { added: [5, 6, 9], hunks: [[4, 9]] });
  });

  test('several hunks, with counts left out of the header meaning one line', () => {
    const patch = [
      '@@ -1 +1 @@',
      '-FROM node:18',
      '+FROM node:22',
      '@@ -20,3 +20,4 @@ RUN npm ci',
      ' EXPOSE 8080',
      '+HEALTHCHECK CMD curl -f http://localhost:8080/',
      ' ENV NODE_ENV=production',
      ' CMD ["node", "server.js"]',
    ].join('\n');
    assert.deepEqual(parsePatch(patch), { added: [1, 21], hunks: [[1, 1], [20, 23]] });
  });

  test('a new file: every line added', () => {
    assert.deepEqual(parsePatch('@@ -0,0 +1,3 @@\n+FROM scratch\n+COPY app /\n+ENTRYPOINT ["/app"]'), {
      added: [1, 2, 3],
      hunks: [[1, 3]],
    });
  });

  test('"\\ No newline at end of file" markers are not lines', () => {
    const patch = [
      '@@ -7,2 +7,2 @@',
      ' USER nobody',
      '-CMD ["a"]',
      '\\ No newline at end of file',
      '+CMD ["b"]',
      '\\ No newline at end of file',
    ].join('\n');
    assert.deepEqual(parsePatch(patch), { added: [8], hunks: [[7, 8]] });
  });

  test('a hunk that only deletes covers no right-side line', () => {
    const patch = '@@ -3,2 +2,0 @@\n-RUN one\n-RUN two\n@@ -9 +7,2 @@\n RUN three\n+RUN four';
    assert.deepEqual(parsePatch(patch), { added: [8], hunks: [[7, 8]] });
  });

  test('a file emptied entirely', () => {
    assert.deepEqual(parsePatch('@@ -1,2 +0,0 @@\n-FROM a\n-RUN b'), { added: [], hunks: [] });
  });

  test('a trailing newline, an empty context line and CRLF content', () => {
    const patch = '@@ -1,4 +1,4 @@\n FROM a\r\n\n-RUN b\r\n+RUN c\r\n CMD d\r\n';
    assert.deepEqual(parsePatch(patch), { added: [3], hunks: [[1, 4]] });
  });

  test('-U0 hunks from git', () => {
    const patch = '@@ -2 +2 @@ FROM a\n-RUN b\n+RUN B\n@@ -5,0 +6,2 @@ RUN e\n+RUN f\n+RUN g';
    assert.deepEqual(parsePatch(patch), { added: [2, 6, 7], hunks: [[2, 2], [6, 7]] });
  });

  test('text that is not a hunk header is an error naming the patch line', () => {
    assert.throws(
      () => parsePatch('diff --git a/Dockerfile b/Dockerfile\n@@ -1 +1 @@\n-a\n+b'),
      (error: unknown) =>
        error instanceof PatchParseError &&
        error.line === 1 &&
        error.message === 'patch line 1: expected a hunk header such as "@@ -1,2 +1,3 @@", got "diff --git a/Dockerfile b/Dockerfile"',
    );
  });

  test('a hunk with fewer lines than its header announces', () => {
    assert.throws(
      () => parsePatch('@@ -1,3 +1,3 @@\n FROM a\n-RUN b\n+RUN c'),
      (error: unknown) =>
        error instanceof PatchParseError &&
        error.line === 1 &&
        error.message ===
          'patch line 1: the patch ends before the hunk "@@ -1,3 +1,3 @@" has all its lines: 1 old-side and 1 new-side line(s) missing',
    );
    assert.throws(
      () => parsePatch('@@ -1,3 +1,3 @@\n FROM a\n@@ -9 +9 @@\n-x\n+y'),
      /^PatchParseError: patch line 3: a new hunk starts before the hunk "@@ -1,3 \+1,3 @@" \(line 1\) has all its lines: 2 old-side and 2 new-side line\(s\) missing$/,
    );
  });

  test('a hunk with more lines than its header announces', () => {
    assert.throws(() => parsePatch('@@ -1 +1 @@\n-a\n+b\n+c'), /^PatchParseError: patch line 4: expected a hunk header/);
    assert.throws(
      () => parsePatch('@@ -1,1 +1,2 @@\n-a\n-b\n+c'),
      /^PatchParseError: patch line 3: one - line more than the hunk header "@@ -1,1 \+1,2 @@" announces$/,
    );
  });

  test('a line that is no diff line at all', () => {
    assert.throws(
      () => parsePatch('@@ -1,2 +1,2 @@\n FROM a\n*RUN b'),
      /^PatchParseError: patch line 3: expected a line starting with " ", "\+", "-" or "\\", got "\*RUN b"$/,
    );
  });
});
