import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchesDockerfile, normalizePath } from './globs.ts';

/** The shipped default globs (src/config/policy.ts), written out so this test pins their meaning here. */
const DEFAULTS = [
  '**/Dockerfile',
  '**/Dockerfile.*',
  '**/*.Dockerfile',
  '**/*.dockerfile',
  '**/Containerfile',
  '**/Containerfile.*',
];

describe('matchesDockerfile', () => {
  const cases: Array<[string, boolean]> = [
    ['Dockerfile', true],
    ['services/api/Dockerfile', true],
    ['Dockerfile.dev', true],
    ['deploy/Dockerfile.prod', true],
    ['api.Dockerfile', true],
    ['build/worker.dockerfile', true],
    ['Containerfile', true],
    ['images/base/Containerfile.fedora', true],
    ['.devcontainer/Dockerfile', true],
    // `**/Dockerfile.*` means any extension: the globs are taken as written.
    ['docs/Dockerfile.md', true],
    ['Dockerfiles/readme.md', false],
    ['Dockerfile/notes.txt', false],
    ['dockerfile', false],
    ['MyDockerfile', false],
    ['docker-compose.yml', false],
  ];
  for (const [path, expected] of cases) {
    test(`${path} → ${expected}`, () => {
      assert.equal(matchesDockerfile(path, DEFAULTS), expected);
    });
  }

  test('a glob without ** matches only where it says', () => {
    assert.equal(matchesDockerfile('Dockerfile', ['Dockerfile']), true);
    assert.equal(matchesDockerfile('app/Dockerfile', ['Dockerfile']), false);
    assert.equal(matchesDockerfile('app/Dockerfile', ['app/*']), true);
  });

  test('globs starting with ! exclude what the others include', () => {
    const globs = ['**/Dockerfile', '!vendor/**', '!**/testdata/**'];
    assert.equal(matchesDockerfile('Dockerfile', globs), true);
    assert.equal(matchesDockerfile('vendor/lib/Dockerfile', globs), false);
    assert.equal(matchesDockerfile('pkg/testdata/Dockerfile', globs), false);
    assert.equal(matchesDockerfile('pkg/Dockerfile', globs), true);
  });

  test('no globs match nothing', () => {
    assert.equal(matchesDockerfile('Dockerfile', []), false);
    assert.equal(matchesDockerfile('Dockerfile', ['!x']), false);
  });

  test('paths with ./ and backslashes are normalised before matching', () => {
    assert.equal(matchesDockerfile('./Dockerfile', ['**/Dockerfile']), true);
    assert.equal(matchesDockerfile('svc\\web\\Dockerfile', ['svc/**/Dockerfile']), true);
    assert.equal(matchesDockerfile('app/Dockerfile', ['./app/Dockerfile']), true);
  });
});

describe('normalizePath', () => {
  test('uses / separators and drops leading ./ and /', () => {
    assert.equal(normalizePath('.\\a\\b'), 'a/b');
    assert.equal(normalizePath('././x/Dockerfile'), 'x/Dockerfile');
    assert.equal(normalizePath('/abs/Dockerfile'), 'abs/Dockerfile');
    assert.equal(normalizePath('.devcontainer/Dockerfile'), '.devcontainer/Dockerfile');
  });
});
