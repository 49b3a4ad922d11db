import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from './image-network-tool.ts';
import { debianLikeBase, file, layerDigest, runImageRule, summarise, symlink } from './util/image-fixtures.ts';

const DOCKERFILE = [
  'FROM debian:bookworm-slim',
  'RUN apt-get update \\',
  ' && apt-get install -y --no-install-recommends curl netcat-openbsd \\',
  ' && rm -rf /var/lib/apt/lists/*',
  'HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1',
  '',
].join('\n');

const LAYERS = [
  { add: [...debianLikeBase(), file('/usr/bin/wget', { mode: 0o755 })] },
  {
    line: 2,
    add: [
      file('/usr/bin/curl', { mode: 0o755, size: 280_000 }),
      file('/usr/bin/nc.openbsd', { mode: 0o755 }),
      symlink('/etc/alternatives/nc', '/bin/nc.openbsd'),
      symlink('/etc/alternatives/netcat', '/bin/nc.openbsd'),
      symlink('/usr/bin/nc', '/etc/alternatives/nc'),
      symlink('/usr/bin/netcat', '/etc/alternatives/netcat'),
    ],
  },
];

const tail = "an intruder would use it to fetch tools or send data out; install it only in a build stage or remove it in the RUN that uses it, or list it in the rule's allow option if the image needs it.";

describe('rule image-network-tool', () => {
  test('metadata', () => {
    assert.deepEqual([rule.meta.severity, rule.meta.kind, rule.meta.category], ['warning', 'image', 'image']);
  });

  test('tools from the base (FROM line) and from a multi-line RUN (its whole span); alternatives links grouped', async () => {
    const findings = await runImageRule(rule, { dockerfile: DOCKERFILE, layers: LAYERS });
    assert.deepEqual(summarise(findings), [
      {
        line: 1, column: 6, endLine: 1, endColumn: 26, severity: 'warning',
        message: `Network tool wget is in the final image (/usr/bin/wget): ${tail}`,
        path: '/usr/bin/wget', layer: layerDigest(0), inherited: true,
      },
      {
        line: 2, column: 1, endLine: 4, endColumn: 32, severity: 'warning',
        message: `Network tool curl is in the final image (/usr/bin/curl): ${tail}`,
        path: '/usr/bin/curl', layer: layerDigest(1),
      },
      {
        line: 2, column: 1, endLine: 4, endColumn: 32, severity: 'warning',
        message: `Network tool nc (also netcat) is in the final image (/usr/bin/nc.openbsd): ${tail}`,
        path: '/usr/bin/nc.openbsd', layer: layerDigest(1),
      },
    ]);
  });

  test('busybox applets: one finding for the binary, naming the applets', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM busybox:1.36\nCOPY app /app\n',
      layers: [
        { add: [file('/bin/busybox', { mode: 0o755 }), symlink('/bin/wget', 'busybox'), symlink('/bin/nc', '/bin/busybox'), symlink('/bin/ls', 'busybox')] },
        { line: 2, add: [file('/app', { mode: 0o755 })] },
      ],
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.path, f.inherited, f.message]), [
      [1, '/bin/busybox', true, "Network tools nc and wget (busybox applets) are in the final image (/bin/busybox): an intruder would use them to fetch tools or send data out; install them only in a build stage or remove them in the RUN that uses them, or list them in the rule's allow option if the image needs them."],
    ]);
    const one = await runImageRule(rule, {
      dockerfile: 'FROM busybox:1.36\nCOPY app /app\n',
      layers: [{ add: [file('/bin/busybox', { mode: 0o755 }), symlink('/bin/wget', 'busybox')] }, { line: 2, add: [file('/app', { mode: 0o755 })] }],
    });
    assert.match(one[0].message, /^Network tool wget \(busybox applet\) is in the final image \(\/bin\/busybox\): an intruder would use it /);
  });

  test('allow: command names the image needs', async () => {
    const findings = await runImageRule(rule, { dockerfile: DOCKERFILE, layers: LAYERS }, { options: { allow: ['curl', 'wget'] } });
    assert.deepEqual(summarise(findings).map((f) => f.path), ['/usr/bin/nc.openbsd']);
  });

  test('removed in a later layer, or only under another name: not reported', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nRUN apt-get purge -y wget\nCOPY curl-config /usr/bin/curl-config\n',
      layers: [
        { add: [...debianLikeBase(), file('/usr/bin/wget', { mode: 0o755 })] },
        { line: 2, whiteout: ['/usr/bin/wget'] },
        { line: 3, add: [file('/usr/bin/curl-config', { mode: 0o755 }), file('/usr/share/doc/curl/curl', { mode: 0o755 })] },
      ],
    });
    assert.deepEqual(summarise(findings), []);
  });
});
