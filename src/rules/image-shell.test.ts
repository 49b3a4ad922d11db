import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from './image-shell.ts';
import { debianLikeBase, dir, file, hardlink, layerDigest, runImageRule, summarise, symlink } from './util/image-fixtures.ts';

const advice = 'If the application needs no shell at run time, copy it onto a base without one (scratch or distroless) in a last stage.';

describe('rule image-shell', () => {
  test('metadata: info, an image rule', () => {
    assert.deepEqual([rule.meta.severity, rule.meta.kind, rule.meta.category], ['info', 'image', 'image']);
  });

  test('one finding per shell binary: links through /bin → usr/bin and sh → dash are grouped', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nRUN apt-get install -y --no-install-recommends bash\nUSER 10001\n',
      layers: [
        { add: debianLikeBase() },
        { line: 2, add: [file('/usr/bin/bash', { mode: 0o755, size: 1_200_000 }), hardlink('/usr/bin/rbash', '/usr/bin/bash', { mode: 0o755 })] },
      ],
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 1, column: 6, endLine: 1, endColumn: 26, severity: 'info',
        message: `A shell is in the final image: /usr/bin/dash, on PATH as dash and sh. ${advice}`,
        path: '/usr/bin/dash', layer: layerDigest(0), inherited: true,
      },
      {
        line: 2, column: 1, endLine: 2, endColumn: 52, severity: 'info',
        message: `A shell is in the final image: /usr/bin/bash, on PATH as bash. ${advice}`,
        path: '/usr/bin/bash', layer: layerDigest(1),
      },
    ]);
  });

  test('busybox providing sh, through hardlinks as the busybox image ships it', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM busybox:1.36\nCOPY app /app\n',
      layers: [
        {
          add: [
            dir('/bin'),
            file('/bin/[', { mode: 0o755, size: 1_100_000 }),
            hardlink('/bin/busybox', '/bin/['),
            hardlink('/bin/sh', '/bin/['),
            hardlink('/bin/ls', '/bin/['),
          ].map((e) => ({ ...e, mode: 0o755 })),
        },
        { line: 2, add: [file('/app', { mode: 0o755 })] },
      ],
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.path, f.inherited, f.message]), [
      [1, '/bin/[', true, `A shell is in the final image: /bin/[ (busybox, which runs a shell as \`busybox sh\`), on PATH as busybox and sh. ${advice}`],
    ]);
  });

  test('a static busybox alone is a shell; a shell on the image\'s own PATH counts', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM gcr.io/distroless/static:debug\nCOPY --from=tools /opt/zsh /opt/zsh\n',
      layers: [
        { add: [dir('/busybox'), file('/busybox/busybox', { mode: 0o755 })] },
        { line: 2, add: [file('/opt/zsh/bin/zsh', { mode: 0o755 })] },
      ],
      config: { env: ['PATH=/busybox:/opt/zsh/bin'] },
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.path, f.inherited ?? false]), [
      [1, '/busybox/busybox', true],
      [2, '/opt/zsh/bin/zsh', false],
    ]);
  });

  test('no shell: a scratch image, a dangling sh link, a non-executable file, a shell outside PATH', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM scratch\nCOPY app /app\n',
      layers: [
        {
          line: 2,
          add: [
            file('/app', { mode: 0o755 }),
            symlink('/bin/sh', '/bin/busybox'),
            file('/usr/bin/bash', { mode: 0o644 }),
            file('/opt/shells/fish', { mode: 0o755 }),
            symlink('/usr/bin/zsh', '/usr/bin/zsh'),
          ],
        },
      ],
    });
    assert.deepEqual(summarise(findings), []);
  });
});
