import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageRef, tryParseImageRef } from './refs.ts';

test('normalises references the way Docker does', () => {
  const cases: Array<[string, string, string, string]> = [
    ['nginx', 'docker.io', 'library/nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.25', 'docker.io', 'library/nginx', 'docker.io/library/nginx:1.25'],
    ['bitnami/redis:7', 'docker.io', 'bitnami/redis', 'docker.io/bitnami/redis:7'],
    ['docker.io/nginx', 'docker.io', 'library/nginx', 'docker.io/library/nginx:latest'],
    ['index.docker.io/library/nginx:1', 'docker.io', 'library/nginx', 'docker.io/library/nginx:1'],
    ['ghcr.io/acme/tools/app:v1', 'ghcr.io', 'acme/tools/app', 'ghcr.io/acme/tools/app:v1'],
    ['localhost:5000/base', 'localhost:5000', 'base', 'localhost:5000/base:latest'],
    ['localhost/base:1', 'localhost', 'base', 'localhost/base:1'],
    ['127.0.0.1:5000/team/base:2', '127.0.0.1:5000', 'team/base', '127.0.0.1:5000/team/base:2'],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'app', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1'],
  ];
  for (const [raw, registry, repository, canonical] of cases) {
    const r = parseImageRef(raw);
    assert.equal(r.registry, registry, raw);
    assert.equal(r.repository, repository, raw);
    assert.equal(r.canonical, canonical, raw);
  }
});

test('keeps tag and digest apart', () => {
  const d = 'sha256:' + 'a'.repeat(64);
  const r = parseImageRef(`alpine:3.20@${d}`);
  assert.equal(r.tag, '3.20');
  assert.equal(r.digest, d);
  assert.equal(r.canonical, `docker.io/library/alpine:3.20@${d}`);
  const only = parseImageRef(`alpine@${d}`);
  assert.equal(only.tag, undefined);
  assert.equal(only.canonical, `docker.io/library/alpine@${d}`);
});

test('rejects what Docker rejects, with a reason', () => {
  assert.throws(() => parseImageRef('Ubuntu'), /must be lowercase/);
  assert.throws(() => parseImageRef(''), /empty/);
  assert.throws(() => parseImageRef('alpine@sha256:short'), /invalid digest/);
  assert.throws(() => parseImageRef('alpine:bad tag'), /invalid tag/);
  assert.equal(tryParseImageRef('a//b'), null);
});
