import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule, { isPackageManager } from './image-package-manager.ts';
import { debianLikeBase, dir, file, layerDigest, runImageRule, summarise, symlink } from './util/image-fixtures.ts';

const tail = 'whoever gets into the container can install anything with it; install packages in a build stage and copy the results onto a minimal base.';

describe('rule image-package-manager', () => {
  test('metadata: info', () => {
    assert.deepEqual([rule.meta.severity, rule.meta.kind, rule.meta.category], ['info', 'image', 'image']);
  });

  test('names', () => {
    assert.deepEqual(
      ['apt', 'apt-get', 'dpkg', 'apk', 'yum', 'dnf', 'microdnf', 'rpm', 'pip', 'pip3', 'pip3.12', 'apt-cache', 'pipx', 'npm', 'dpkg-deb'].map(isPackageManager),
      [true, true, true, true, true, true, true, true, true, true, true, false, false, false, false],
    );
  });

  test('apt and dpkg from the base, pip added by a RUN with its versioned names grouped', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nRUN apt-get install -y python3-pip\nUSER 10001\n',
      layers: [
        { add: [...debianLikeBase(), file('/usr/bin/apt', { mode: 0o755 }), file('/usr/bin/apt-get', { mode: 0o755 }), file('/usr/bin/dpkg', { mode: 0o755 })] },
        { line: 2, add: [file('/usr/bin/pip3', { mode: 0o755 }), symlink('/usr/bin/pip', 'pip3'), symlink('/usr/bin/pip3.11', 'pip3')] },
      ],
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 1, column: 6, endLine: 1, endColumn: 26, severity: 'info',
        message: `Package manager apt is in the final image (/usr/bin/apt): ${tail}`,
        path: '/usr/bin/apt', layer: layerDigest(0), inherited: true,
      },
      {
        line: 1, column: 6, endLine: 1, endColumn: 26, severity: 'info',
        message: `Package manager apt-get is in the final image (/usr/bin/apt-get): ${tail}`,
        path: '/usr/bin/apt-get', layer: layerDigest(0), inherited: true,
      },
      {
        line: 1, column: 6, endLine: 1, endColumn: 26, severity: 'info',
        message: `Package manager dpkg is in the final image (/usr/bin/dpkg): ${tail}`,
        path: '/usr/bin/dpkg', layer: layerDigest(0), inherited: true,
      },
      {
        line: 2, column: 1, endLine: 2, endColumn: 35, severity: 'info',
        message: `Package manager pip3 (also pip, pip3.11) is in the final image (/usr/bin/pip3): ${tail}`,
        path: '/usr/bin/pip3', layer: layerDigest(1),
      },
    ]);
  });

  test('busybox applets', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM busybox:1.36\nCOPY app /app\n',
      layers: [{ add: [file('/bin/busybox', { mode: 0o755 }), symlink('/bin/dpkg', 'busybox'), symlink('/bin/rpm', 'busybox')] }, { line: 2, add: [file('/app', { mode: 0o755 })] }],
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.path, f.message]), [
      [1, '/bin/busybox', `Package managers dpkg and rpm (busybox applets) are in the final image (/bin/busybox): whoever gets into the container can install anything with them; install packages in a build stage and copy the results onto a minimal base.`],
    ]);
  });

  test('apk on an Alpine-like base under /sbin; removed in the final stage: not reported', async () => {
    const alpine = [dir('/sbin'), file('/sbin/apk', { mode: 0o755 })];
    const kept = await runImageRule(rule, {
      dockerfile: 'FROM alpine:3.20\nRUN apk add --no-cache ca-certificates\n',
      layers: [{ add: alpine }, { line: 2, add: [file('/etc/ssl/certs/ca-certificates.crt')] }],
    });
    assert.deepEqual(summarise(kept).map((f) => [f.line, f.path]), [[1, '/sbin/apk']]);
    const removed = await runImageRule(rule, {
      dockerfile: 'FROM alpine:3.20\nRUN apk add --no-cache ca-certificates && apk del apk-tools\n',
      layers: [{ add: alpine }, { line: 2, whiteout: ['/sbin/apk'] }],
    });
    assert.deepEqual(summarise(removed), []);
  });
});
