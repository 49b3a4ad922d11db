import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from './image-setuid.ts';
import { debianLikeBase, dir, file, hardlink, layerDigest, runImageRule, summarise, symlink } from './util/image-fixtures.ts';

const advice =
  "clear the bit late in the final stage (RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} \\; || true) or remove the package that installs it; if the image needs it, list the path in the rule's allow option.";

const DOCKERFILE = [
  'FROM debian:bookworm-slim',
  'RUN apt-get update && apt-get install -y sudo',
  'RUN chmod u-s /usr/bin/su',
  'USER nobody',
  '',
].join('\n');

describe('rule image-setuid', () => {
  test('metadata: an image rule in the image category', () => {
    assert.equal(rule.meta.kind, 'image');
    assert.equal(rule.meta.category, 'image');
    assert.equal(rule.meta.severity, 'warning');
  });

  test('a setuid file from the base is inherited (FROM line), one added by a RUN is on that RUN, a chmod-ed one is gone', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: DOCKERFILE,
      layers: [
        { add: debianLikeBase() },
        { line: 2, add: [file('/usr/bin/sudo', { mode: 0o4755, size: 230_000 }), hardlink('/usr/bin/sudoedit', '/usr/bin/sudo', { mode: 0o4755 })] },
        { line: 3, add: [file('/usr/bin/su', { mode: 0o755, size: 72_000 })] },
      ],
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 1, column: 6, endLine: 1, endColumn: 26, severity: 'warning',
        message: `/usr/bin/passwd is set-user-ID (mode 4755), so it runs as root whoever starts it: ${advice}`,
        path: '/usr/bin/passwd', layer: layerDigest(0), inherited: true,
      },
      {
        line: 2, column: 1, endLine: 2, endColumn: 46, severity: 'warning',
        message: `/usr/bin/sudo is set-user-ID (mode 4755), so it runs as root whoever starts it: ${advice}`,
        path: '/usr/bin/sudo', layer: layerDigest(1),
      },
      {
        line: 2, column: 1, endLine: 2, endColumn: 46, severity: 'warning',
        message: `/usr/bin/sudoedit (a hardlink to /usr/bin/sudo) is set-user-ID (mode 4755), so it runs as root whoever starts it: ${advice}`,
        path: '/usr/bin/sudoedit', layer: layerDigest(1),
      },
    ]);
  });

  test('a setuid file deleted by a later layer (whiteout) is not reported', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nRUN rm -f /usr/bin/passwd /usr/bin/su\n',
      layers: [{ add: debianLikeBase() }, { line: 2, whiteout: ['/usr/bin/passwd', '/usr/bin/su'] }],
    });
    assert.deepEqual(summarise(findings), []);
  });

  test('an opaque directory hides the setuid files below it; what its own layer adds there counts', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nCOPY helper /opt/tools/helper\nRUN rm -rf /opt/tools && mkdir /opt/tools && cp /usr/bin/ls /opt/tools/ls && chmod 4755 /opt/tools/ls\n',
      layers: [
        { add: [dir('/usr'), dir('/usr/bin'), file('/usr/bin/ls', { mode: 0o755 })] },
        { line: 2, add: [file('/opt/tools/helper', { mode: 0o4755, size: 100 })] },
        { line: 3, opaque: ['/opt/tools'], add: [dir('/opt/tools'), file('/opt/tools/ls', { mode: 0o4755, size: 150_000 })] },
      ],
    });
    assert.deepEqual(
      summarise(findings).map((f) => [f.line, f.path, f.layer]),
      [[3, '/opt/tools/ls', layerDigest(2)]],
    );
  });

  test('a multi-line RUN: the finding covers the whole instruction', async () => {
    const dockerfile = 'FROM debian:bookworm-slim\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends iputils-ping \\\n && rm -rf /var/lib/apt/lists/*\nUSER 10001\n';
    const findings = await runImageRule(rule, {
      dockerfile,
      layers: [{ add: [dir('/usr'), dir('/usr/bin')] }, { line: 2, add: [file('/usr/bin/ping', { mode: 0o4755, size: 90_000 })] }],
    });
    assert.deepEqual(
      summarise(findings).map((f) => [f.line, f.column, f.endLine, f.endColumn, f.path, f.inherited]),
      [[2, 1, 4, 32, '/usr/bin/ping', undefined]],
    );
  });

  test('the owner is named from the image\'s own /etc/passwd', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nCOPY --chown=app app /srv/app\n',
      layers: [
        { add: [dir('/etc'), file('/etc/passwd', { content: 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n' })] },
        { line: 2, add: [file('/srv/app/run', { mode: 0o4750, uid: 1000, size: 10 }), file('/srv/app/tool', { mode: 0o4755, uid: 1234, size: 10 })] },
      ],
    });
    assert.deepEqual(
      summarise(findings).map((f) => f.message.slice(0, f.message.indexOf(':'))),
      [
        '/srv/app/run is set-user-ID (mode 4750), so it runs as app (uid 1000) whoever starts it',
        '/srv/app/tool is set-user-ID (mode 4755), so it runs as uid 1234 whoever starts it',
      ],
    );
  });

  test('a hardlink keeps the bit when its target is deleted or chmod-ed later (the inode stays in the lower layer)', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nRUN cp /usr/bin/ls /usr/local/bin/x && chmod 4755 /usr/local/bin/x && ln /usr/local/bin/x /usr/local/bin/y\nRUN rm /usr/local/bin/x\n',
      layers: [
        { add: [dir('/usr'), dir('/usr/bin'), file('/usr/bin/ls', { mode: 0o755 })] },
        { line: 2, add: [file('/usr/local/bin/x', { mode: 0o4755, size: 150_000 }), hardlink('/usr/local/bin/y', '/usr/local/bin/x', { mode: 0o4755 })] },
        { line: 3, whiteout: ['/usr/local/bin/x'] },
      ],
    });
    assert.deepEqual(
      summarise(findings).map((f) => [f.line, f.path, f.layer]),
      [[2, '/usr/local/bin/y', layerDigest(1)]],
    );
    assert.match(findings[0].message, /^\/usr\/local\/bin\/y \(a hardlink to \/usr\/local\/bin\/x\) is set-user-ID/);
  });

  test('directories and symlinks with the bit are not files; setgid-only files are image-setgid\'s', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nRUN mkdir -m 4775 /data && ln -s /usr/bin/su /usr/local/bin/su\n',
      layers: [
        { add: [dir('/usr'), dir('/usr/bin'), file('/usr/bin/wall', { mode: 0o2755, gid: 5 })] },
        { line: 2, add: [dir('/data', 0o4775), { path: '/usr/local/bin/su', type: 'symlink', target: '/usr/bin/su', mode: 0o4777 }] },
      ],
    });
    assert.deepEqual(summarise(findings), []);
  });

  test('allow: path globs, with or without the leading slash', async () => {
    const spec = {
      dockerfile: DOCKERFILE,
      layers: [
        { add: debianLikeBase() },
        { line: 2, add: [file('/usr/bin/sudo', { mode: 0o4755, size: 230_000 }), file('/usr/lib/chromium/chrome-sandbox', { mode: 0o4755 })] },
      ],
    };
    const all = await runImageRule(rule, spec);
    assert.deepEqual(summarise(all).map((f) => f.path), ['/usr/bin/passwd', '/usr/bin/su', '/usr/bin/sudo', '/usr/lib/chromium/chrome-sandbox']);
    const some = await runImageRule(rule, spec, { options: { allow: ['usr/bin/su*', '/usr/lib/**/chrome-sandbox', 42] } });
    assert.deepEqual(summarise(some).map((f) => f.path), ['/usr/bin/passwd']);
  });

  test('a stage chain: base layers go on the first FROM, a layer of the parent stage on its own line', async () => {
    const dockerfile = 'FROM debian:bookworm-slim AS runtime\nRUN apt-get install -y fuse3\n\nFROM runtime\nCOPY app /app\n';
    const findings = await runImageRule(rule, {
      dockerfile,
      layers: [
        { add: [dir('/usr'), dir('/usr/bin'), file('/usr/bin/mount', { mode: 0o4755 })] },
        { line: 2, add: [file('/usr/bin/fusermount3', { mode: 0o4755 })] },
        { line: 5, add: [file('/app', { mode: 0o755 })] },
      ],
    });
    assert.deepEqual(
      summarise(findings).map((f) => [f.line, f.column, f.endColumn, f.path, f.inherited ?? false]),
      [
        [1, 6, 26, '/usr/bin/mount', true],
        [2, 1, 29, '/usr/bin/fusermount3', false],
      ],
    );
  });

  test('a multi-stage build onto scratch: only the final image counts', async () => {
    const dockerfile = 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\nFROM scratch\nCOPY --from=build /out/app /app\n';
    const findings = await runImageRule(rule, {
      dockerfile,
      layers: [{ line: 5, add: [file('/app', { mode: 0o4755, size: 5_000_000 })] }],
    });
    assert.deepEqual(
      summarise(findings).map((f) => [f.line, f.path, f.layer, f.inherited]),
      [[5, '/app', layerDigest(0), undefined]],
    );
  });

  test('a layer that could not be tied to an instruction goes on the final FROM, saying so', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nRUN true\n',
      layers: [{ add: [dir('/usr'), dir('/usr/bin')] }, { unmapped: 'the history has more entries than the Dockerfile has instructions', add: [file('/usr/bin/x', { mode: 0o4711 })] }],
    });
    const [f] = summarise(findings);
    assert.deepEqual([f.line, f.column, f.endColumn, f.path, f.layer], [1, 1, 5, '/usr/bin/x', layerDigest(1)]);
    assert.match(f.message, /\(the layer could not be tied to an instruction: the history has more entries than the Dockerfile has instructions\)$/);
  });

  test('no setuid files: nothing reported', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nRUN find / -xdev -perm /6000 -type f -exec chmod a-s {} \\; || true\n',
      layers: [
        { add: debianLikeBase() },
        { line: 2, add: [file('/usr/bin/su', { mode: 0o755 }), file('/usr/bin/passwd', { mode: 0o755 }), file('/usr/bin/chage', { mode: 0o755 }), symlink('/usr/bin/x', 'su')] },
      ],
    });
    assert.deepEqual(summarise(findings), []);
  });
});
