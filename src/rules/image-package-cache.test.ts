import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from './image-package-cache.ts';
import { debianLikeBase, dir, file, layerDigest, runImageRule, summarise } from './util/image-fixtures.ts';

describe('rule image-package-cache', () => {
  test('metadata: info', () => {
    assert.deepEqual([rule.meta.severity, rule.meta.kind, rule.meta.category], ['info', 'image', 'image']);
  });

  test('apt lists and the apt cache, with their bytes, each on the layer that added most of them', async () => {
    const dockerfile = [
      'FROM debian:bookworm-slim',
      'RUN apt-get update && apt-get install -y --no-install-recommends curl',
      'RUN apt-get update && apt-get install -y --no-install-recommends jq',
      '',
    ].join('\n');
    const findings = await runImageRule(rule, {
      dockerfile,
      layers: [
        { add: [...debianLikeBase(), dir('/var/lib/apt/lists/partial'), file('/var/lib/apt/lists/lock'), file('/var/lib/apt/lists/partial/x_Packages', { size: 4096 })] },
        {
          line: 2,
          add: [
            file('/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4', { size: 9_000_000 }),
            file('/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease', { size: 151_000 }),
            file('/var/cache/apt/pkgcache.bin', { size: 30_000_000 }),
            file('/var/cache/apt/archives/curl_7.88.1-10_amd64.deb', { size: 315_000 }),
            file('/var/cache/apt/archives/lock'),
          ],
        },
        {
          line: 3,
          add: [
            file('/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4', { size: 9_100_000 }),
            file('/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm-updates_InRelease', { size: 55_000 }),
          ],
        },
      ],
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 2, column: 1, endLine: 2, endColumn: 70, severity: 'info',
        message: 'The apt package cache is left in the image: /var/cache/apt holds 28.9 MiB in 2 files; run apt-get clean in the same RUN that installs packages.',
        path: '/var/cache/apt', layer: layerDigest(1),
      },
      {
        line: 3, column: 1, endLine: 3, endColumn: 68, severity: 'info',
        message: 'Apt package lists are left in the image: /var/lib/apt/lists holds 8.87 MiB in 3 files (8.73 MiB of it added here); end the RUN that runs apt-get update with && rm -rf /var/lib/apt/lists/*.',
        path: '/var/lib/apt/lists', layer: layerDigest(2),
      },
    ]);
  });

  test('apk, dnf, pip and npm caches, per home directory', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM python:3.12-alpine\nRUN apk add build-base && pip install -r requirements.txt\nUSER app\nRUN pip install --user httpx && npm ci\n',
      layers: [
        { add: [dir('/var/cache/apk'), dir('/home/app')] },
        {
          line: 2,
          add: [
            file('/var/cache/apk/APKINDEX.5022a8a2.tar.gz', { size: 2_000_000 }),
            file('/root/.cache/pip/http-v2/a/b/c', { size: 12_000_000 }),
            file('/var/cache/dnf/expired_repos.json', { size: 2 }),
          ],
        },
        {
          line: 4,
          add: [
            file('/home/app/.cache/pip/wheels/x.whl', { size: 400_000 }),
            file('/home/app/.npm/_cacache/content-v2/sha512/ab/cd', { size: 3_000_000 }),
            file('/home/app/.npm/_logs/debug.log', { size: 1000 }),
          ],
        },
      ],
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.path, f.message.slice(0, f.message.indexOf(';'))]), [
      [2, '/root/.cache/pip', 'The pip cache is left in the image: /root/.cache/pip holds 11.4 MiB in 1 file'],
      [2, '/var/cache/apk', 'The apk package cache is left in the image: /var/cache/apk holds 1.91 MiB in 1 file'],
      [2, '/var/cache/dnf', 'The dnf/yum package cache is left in the image: /var/cache/dnf holds 2 B in 1 file'],
      [4, '/home/app/.cache/pip', 'The pip cache is left in the image: /home/app/.cache/pip holds 391 KiB in 1 file'],
      [4, '/home/app/.npm/_cacache', 'The npm cache is left in the image: /home/app/.npm/_cacache holds 2.86 MiB in 1 file'],
    ]);
  });

  test('caches removed in the same or a later layer, empty caches, lock files: nothing', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/* && apt-get clean\n',
      layers: [
        { add: [...debianLikeBase(), file('/var/lib/apt/lists/lock'), dir('/var/cache/apt/archives/partial'), file('/var/cache/apt/archives/lock')] },
        { line: 2, add: [file('/var/lib/apt/lists/deb_InRelease', { size: 150_000 }), file('/var/cache/apt/pkgcache.bin', { size: 30_000_000 }), file('/root/.cache/pip/empty')] },
        { line: 3, whiteout: ['/var/lib/apt/lists/deb_InRelease', '/var/cache/apt/pkgcache.bin'] },
      ],
    });
    assert.deepEqual(summarise(findings), []);
  });
});
