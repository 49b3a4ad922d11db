import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from './image-untrusted-base.ts';
import { debianLikeBase, file, runImageRule, summarise, type LayerSpec } from './util/image-fixtures.ts';

const DIGEST = 'sha256:' + 'ab12'.repeat(16);
const LAYERS: LayerSpec[] = [{ add: debianLikeBase() }, { line: 2, add: [file('/app')] }];
const defaults = 'trusted: docker.io/library/*, mcr.microsoft.com/*, gcr.io/distroless/*, public.ecr.aws/* and 3 more';
const advice = 'use a base from a trusted registry, or add its registry to trusted-registries-extra in .github/defang.yml.';

describe('rule image-untrusted-base', () => {
  test('metadata', () => {
    assert.deepEqual([rule.meta.severity, rule.meta.kind, rule.meta.category], ['error', 'image', 'image']);
  });

  test('a base from Docker Hub outside the official images, with the digest the build pulled', async () => {
    const findings = await runImageRule(rule, { dockerfile: 'FROM someone/python-base:3.12\nCOPY app /app\n', layers: LAYERS }, { facts: { baseDigest: DIGEST } });
    assert.deepEqual(summarise(findings), [
      {
        line: 1, column: 6, endLine: 1, endColumn: 30, severity: 'error',
        message: `The image is built on docker.io/someone/python-base:3.12@${DIGEST}, which is not from a trusted registry (${defaults}): ${advice}`,
      },
    ]);
  });

  test('without a digest fact: the FROM\'s own digest, or none', async () => {
    const pinned = await runImageRule(rule, { dockerfile: `FROM quay.example.org/team/base@${DIGEST}\nCOPY app /app\n`, layers: LAYERS });
    assert.match(pinned[0].message, new RegExp(`^The image is built on quay\\.example\\.org/team/base@${DIGEST}, which `));
    const plain = await runImageRule(rule, { dockerfile: 'FROM quay.example.org/team/base:1\nCOPY app /app\n', layers: LAYERS }, { facts: { baseDigest: 'not-a-digest' } });
    assert.match(plain[0].message, /^The image is built on quay\.example\.org\/team\/base:1, which/);
  });

  test('the chain\'s first FROM counts, build stages that are not copied from are not the image\'s base', async () => {
    const dockerfile = 'FROM someone/builder:1 AS build\nRUN make\n\nFROM ghcr.io/acme/runtime:2 AS runtime\nCOPY --from=build /out /app\n\nFROM runtime\nUSER 10001\n';
    const trusted = await runImageRule(rule, { dockerfile, layers: [{ add: debianLikeBase() }, { line: 5, add: [file('/app')] }] });
    assert.deepEqual(summarise(trusted), []);
    const findings = await runImageRule(
      rule,
      { dockerfile, layers: [{ add: debianLikeBase() }, { line: 5, add: [file('/app')] }] },
      { policy: { trustedRegistries: ['docker.io/library/*'] } },
    );
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.column, f.endColumn, f.message]), [
      [4, 6, 28, `The image is built on ghcr.io/acme/runtime:2, which is not from a trusted registry (trusted: docker.io/library/*): ${advice}`],
    ]);
  });

  test('the base resolved with the build arguments', async () => {
    const dockerfile = 'ARG BASE=debian:bookworm-slim\nFROM ${BASE}\nCOPY app /app\n';
    const layers: LayerSpec[] = [{ add: debianLikeBase() }, { line: 3, add: [file('/app')] }];
    assert.deepEqual(summarise(await runImageRule(rule, { dockerfile, layers })), []);
    const findings = await runImageRule(rule, { dockerfile, layers }, { policy: { buildArgs: { BASE: 'evil.example.net/debian:12' } } });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.column, f.endColumn]), [[2, 6, 13]]);
    assert.match(findings[0].message, /^The image is built on evil\.example\.net\/debian:12, which/);
  });

  test('an empty trusted list trusts nothing; scratch is never judged', async () => {
    const findings = await runImageRule(rule, { dockerfile: 'FROM debian:bookworm-slim\nCOPY app /app\n', layers: LAYERS }, { policy: { trustedRegistries: [] } });
    assert.deepEqual(summarise(findings).map((f) => f.message), [
      `The image is built on docker.io/library/debian:bookworm-slim, which is not from a trusted registry (no registry is trusted: trusted-registries is empty): ${advice}`,
    ]);
    const scratch = await runImageRule(rule, { dockerfile: 'FROM scratch\nCOPY app /app\n', layers: [{ line: 2, add: [file('/app')] }] }, { policy: { trustedRegistries: [] } });
    assert.deepEqual(summarise(scratch), []);
  });

  test('registry globs match as in untrusted-base-registry', async () => {
    const findings = await runImageRule(
      rule,
      { dockerfile: 'FROM 123456789012.dkr.ecr.eu-west-1.amazonaws.com/base/python:3.12\nCOPY app /app\n', layers: LAYERS },
      { policy: { trustedRegistries: ['*.dkr.ecr.*.amazonaws.com/*'] } },
    );
    assert.deepEqual(summarise(findings), []);
  });
});
