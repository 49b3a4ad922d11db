import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../dockerfile/parse.ts';
import { parseImageRef } from '../../dockerfile/refs.ts';
import {
  describeGlobs,
  isKnownNonRootImage,
  isRootUser,
  maskSecret,
  matchesImageGlob,
  matchesRegistryGlob,
  mountOption,
  normaliseRegistryGlob,
  trustingGlob,
} from './images.ts';

describe('registry globs', () => {
  test('normalisation follows Docker names', () => {
    assert.equal(normaliseRegistryGlob('my-org/*'), 'docker.io/my-org/*');
    assert.equal(normaliseRegistryGlob('docker.io/nginx'), 'docker.io/library/nginx');
    assert.equal(normaliseRegistryGlob('index.docker.io/library/*'), 'docker.io/library/*');
    assert.equal(normaliseRegistryGlob('Quay.IO'), 'quay.io/*');
    assert.equal(normaliseRegistryGlob('ghcr.io/acme/'), 'ghcr.io/acme');
    assert.equal(normaliseRegistryGlob('*'), '**');
  });

  const cases: Array<[string, string, boolean]> = [
    ['docker.io/library/*', 'docker.io/library/nginx', true],
    ['docker.io/library/*', 'docker.io/someone/nginx', false],
    ['docker.io/*', 'docker.io/someone/nginx', true],
    ['docker.io/*', 'docker.io/library/nginx', true],
    ['x.com/*', 'x.com/a/b/c', true],
    ['x.com/*', 'x.com', false],
    ['x.com/*', 'x.company/a', false],
    ['x.com', 'x.com/a/b', true],
    ['*.random.com/*', 'foo.random.com/a/b', true],
    ['*.random.com/*', 'a.b.random.com/c', true],
    ['*.random.com/*', 'random.com/c', false],
    ['*.random.com/*', 'foo.random.com.evil.io/c', false],
    ['*.dkr.ecr.*.amazonaws.com/*', '1234.dkr.ecr.us-east-1.amazonaws.com/app', true],
    ['ghcr.io/my-org/*', 'ghcr.io/my-org/team/app', true],
    ['ghcr.io/my-org/*', 'ghcr.io/my-org-x/app', false],
    ['ghcr.io/my-org/app-*', 'ghcr.io/my-org/app-web', true],
    ['ghcr.io/my-org/app-*', 'ghcr.io/my-org/app-web/sub', false],
    ['ghcr.io/**/base', 'ghcr.io/a/b/base', true],
    ['ghcr.io/my-org/app', 'ghcr.io/my-org/app', true],
    ['ghcr.io/my-org/app', 'ghcr.io/my-org/app2', false],
    ['localhost:*/*', 'localhost:5000/x', true],
    ['*', 'anything.io/a/b', true],
    ['nginx', 'docker.io/library/nginx', false],
    ['', 'docker.io/library/nginx', false],
  ];
  for (const [glob, name, expected] of cases) {
    test(`${glob} ${expected ? 'matches' : 'does not match'} ${name}`, () => {
      assert.equal(matchesRegistryGlob(glob, name), expected);
    });
  }

  test('trustingGlob returns the first glob that matches', () => {
    assert.equal(trustingGlob(['ghcr.io/a/*', 'ghcr.io/*'], 'ghcr.io/b/c'), 'ghcr.io/*');
    assert.equal(trustingGlob(['ghcr.io/a/*'], 'ghcr.io/b/c'), null);
  });

  test('describeGlobs shortens long lists', () => {
    assert.equal(describeGlobs([]), 'none');
    assert.equal(describeGlobs(['a/*', 'b/*']), 'a/*, b/*');
    assert.equal(describeGlobs(['a', 'b', 'c', 'd', 'e', 'f']), 'a, b, c, d and 2 more');
  });
});

describe('images', () => {
  test('known non-root images', () => {
    assert.equal(isKnownNonRootImage(parseImageRef('gcr.io/distroless/static-debian12:nonroot')), true);
    assert.equal(isKnownNonRootImage(parseImageRef('gcr.io/distroless/base:debug-nonroot')), true);
    assert.equal(isKnownNonRootImage(parseImageRef('gcr.io/distroless/static-debian12')), false);
    assert.equal(isKnownNonRootImage(parseImageRef('cgr.dev/chainguard/python:latest')), true);
    assert.equal(isKnownNonRootImage(parseImageRef('cgr.dev/chainguard/python')), true);
    assert.equal(isKnownNonRootImage(parseImageRef('cgr.dev/chainguard/python:latest-dev')), false);
    assert.equal(isKnownNonRootImage(parseImageRef('node:20')), false);
  });

  test('image globs with tags', () => {
    const ref = parseImageRef('ghcr.io/acme/runtime:2.1-nonroot');
    assert.equal(matchesImageGlob('ghcr.io/acme/runtime', ref), true);
    assert.equal(matchesImageGlob('ghcr.io/acme/runtime:*-nonroot', ref), true);
    assert.equal(matchesImageGlob('ghcr.io/acme/runtime:2.0*', ref), false);
    assert.equal(matchesImageGlob('ghcr.io/acme/*:2.1-*', ref), true);
  });

  test('root users', () => {
    for (const u of ['root', '0', '00']) assert.equal(isRootUser(u), true, u);
    for (const u of ['rootless', '1000', 'app', '']) assert.equal(isRootUser(u), false, u);
  });
});

describe('mount options and masks', () => {
  test('mountOption reads CSV fields', () => {
    assert.equal(mountOption('type=bind,from=build,target=/src', 'from'), 'build');
    assert.equal(mountOption('"type=cache,FROM=img:1,target=/c"', 'from'), 'img:1');
    assert.equal(mountOption('type=secret,id=npm', 'from'), null);
  });

  test('maskSecret shows at most four characters of long values', () => {
    assert.equal(maskSecret('AKIAABCDEFGHIJKLMNOP'), 'AKIA****');
    assert.equal(maskSecret('short-value'), '****');
  });
});

