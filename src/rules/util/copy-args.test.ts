import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../dockerfile/parse.ts';
import { baseName, copyArgs, isGitSource, isHttpUrl, looksLikeArchive } from './copy-args.ts';

const first = (text: string, keyword = 'COPY') => {
  const m = parseDockerfile(text, 'Dockerfile');
  const inst = m.all.find((i) => i.keyword === keyword)!;
  return copyArgs(m, inst)!;
};

describe('copyArgs', () => {
  test('shell form: quotes, variables, spans', () => {
    const a = first('FROM x\nARG DIR=/opt\nCOPY --chown=1 a.txt "b c.txt" $DIR/\n');
    assert.equal(a.form, 'shell');
    assert.deepEqual(a.sources.map((s) => [s.raw, s.value, s.quote]), [['a.txt', 'a.txt', null], ['b c.txt', 'b c.txt', '"']]);
    assert.equal(a.dest?.value, '/opt/');
    assert.equal(a.dest?.raw, '$DIR/');
    assert.deepEqual(a.sources[1].span, { line: 3, column: 22, endLine: 3, endColumn: 31 });
  });
  test('JSON form over two lines', () => {
    const a = first('FROM x\nCOPY ["a b", \\\n  "/d/"]\n');
    assert.equal(a.form, 'json');
    assert.equal(a.sources[0].raw, 'a b');
    assert.deepEqual(a.dest?.span, { line: 3, column: 3, endLine: 3, endColumn: 8 });
  });
  test('unknown variables give a null value; heredocs are marked', () => {
    const a = first('FROM x\nARG NOPE\nCOPY <<EOF $NOPE\nhi\nEOF\n');
    assert.equal(a.sources[0].heredoc, true);
    assert.equal(a.dest?.value, null);
  });
  test('a single argument has no destination', () => {
    assert.equal(first('FROM x\nCOPY lonely\n').dest, null);
  });
});

describe('source kinds', () => {
  test('URLs, git, archives, base names', () => {
    assert.equal(isHttpUrl('HTTPS://x/y'), true);
    assert.equal(isGitSource('https://github.com/a/b.git#main'), true);
    assert.equal(isGitSource('git@github.com:a/b.git'), true);
    assert.equal(isGitSource('https://example.org/b.tar.gz'), false);
    assert.equal(looksLikeArchive('x.TGZ'), true);
    assert.equal(looksLikeArchive('x.zip'), false);
    assert.equal(baseName('C:\\a\\b/c.tar'), 'c.tar');
  });
});
