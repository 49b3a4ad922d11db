import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from './image-world-writable.ts';
import { debianLikeBase, dir, file, layerDigest, runImageRule, summarise, symlink } from './util/image-fixtures.ts';

const advice = 'remove the o+w bit (chmod o-w), chown the path to the user that writes it, or make a shared directory sticky (chmod +t).';

describe('rule image-world-writable', () => {
  test('metadata', () => {
    assert.deepEqual([rule.meta.severity, rule.meta.kind, rule.meta.category], ['warning', 'image', 'image']);
  });

  test('one path: a world-writable directory without the sticky bit, on the RUN that made it', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nRUN mkdir -p /srv/uploads && chmod 777 /srv/uploads\nUSER 10001\n',
      layers: [{ add: debianLikeBase() }, { line: 2, add: [dir('/srv'), dir('/srv/uploads', 0o777)] }],
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 2, column: 1, endLine: 2, endColumn: 52, severity: 'warning',
        message: `/srv/uploads (directory, mode 0777) is world-writable without the sticky bit: any process in the container can change it, whatever its user; ${advice}`,
        path: '/srv/uploads', layer: layerDigest(1),
      },
    ]);
  });

  test('many paths of one layer: one finding listing five and the count; the base\'s on the FROM line', async () => {
    const paths = ['/app/a.sh', '/app/b.sh', '/app/c.sh', '/app/d.sh', '/app/e.sh', '/app/f.sh', '/app/g.sh'];
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM registry.example.com/base:1\nCOPY --chmod=777 scripts/ /app/\n',
      layers: [
        { add: [...debianLikeBase(), file('/etc/app.conf', { mode: 0o666 })] },
        { line: 2, add: paths.map((p) => file(p, { mode: 0o777 })) },
      ],
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 1, column: 6, endLine: 1, endColumn: 33, severity: 'warning',
        message: `/etc/app.conf (file, mode 0666) is world-writable: any process in the container can change it, whatever its user; ${advice}`,
        path: '/etc/app.conf', layer: layerDigest(0), inherited: true,
      },
      {
        line: 2, column: 1, endLine: 2, endColumn: 32, severity: 'warning',
        message: `7 paths are world-writable: /app/a.sh (file, mode 0777), /app/b.sh (file, mode 0777), /app/c.sh (file, mode 0777), /app/d.sh (file, mode 0777), /app/e.sh (file, mode 0777) and 2 more. Any process in the container can change them, whatever its user; ${advice}`,
        path: '/app/a.sh', layer: layerDigest(1),
      },
    ]);
  });

  test('not reported: sticky directories, symlinks, /tmp-like and runtime-mounted trees, fixed by a later chmod, allowed paths', async () => {
    const findings = await runImageRule(
      rule,
      {
        dockerfile: 'FROM debian:bookworm-slim\nRUN mkdir -m 1777 /shared && chmod 666 /tmp/x /var/tmp/y\nRUN chmod o-w /srv/data\n',
        layers: [
          { add: [...debianLikeBase(), dir('/srv'), dir('/srv/data', 0o777), dir('/dev'), { path: '/dev/null', type: 'char', mode: 0o666 }, dir('/run/lock', 0o777), dir('/var/www/uploads', 0o777)] },
          { line: 2, add: [dir('/shared', 0o1777), file('/tmp/x', { mode: 0o666 }), file('/var/tmp/y', { mode: 0o666 }), symlink('/srv/link', '/srv/data'), dir('/dev/shm', 0o777)] },
          { line: 3, add: [dir('/srv/data', 0o775)] },
        ],
      },
      { options: { allow: ['/var/www/uploads'] } },
    );
    assert.deepEqual(summarise(findings), []);
  });
});
