/**
 * `defang scan` with a real Docker engine: build, stream `docker save` into the reader, attribute layers, and check
 * that every image finding lands on the Dockerfile line whose layer introduced it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { baseImages, requireDocker, requireRegistry } from './helpers/docker.ts';

const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  line: number;
  path?: string;
  layer?: string;
  inherited?: boolean;
}

function scan(dockerfile: string, ...args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'defang-scan-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, '.dockerignore'), '.git\n');
  const r = spawnSync(process.execPath, [cli, 'scan', 'Dockerfile', '--format', 'json', '--fail-on', 'never', ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(r.status, 0, `defang scan failed: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as { results: Array<{ findings: JsonFinding[] }> };
  return { findings: report.results[0].findings, stderr: r.stderr };
}

const of = (fs: JsonFinding[], rule: string) => fs.filter((f) => f.ruleId === rule);

describe('defang scan', { timeout: 600_000 }, () => {
  test('image findings land on the line whose layer made them', async (t) => {
    if (!(await requireDocker(t))) return;
    const { busybox } = await baseImages();
    const dockerfile = [
      `FROM ${busybox}`,
      'RUN cp /bin/busybox /bin/suid-tool && chmod 4755 /bin/suid-tool',
      'RUN cp /bin/busybox /bin/gone && chmod 4755 /bin/gone',
      'RUN rm /bin/gone',
      'RUN cp /bin/busybox /bin/later && chmod 4755 /bin/later',
      'RUN chmod u-s /bin/later',
      'RUN ln /bin/suid-tool /bin/hardlinked',
      'RUN mkdir -p /opt/data /root/.ssh && touch /opt/data/a && printf -- "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA\\n-----END OPENSSH PRIVATE KEY-----\\n" > /root/.ssh/id_ed25519',
      'RUN rm /root/.ssh/id_ed25519',
      'RUN rm -rf /opt/data && mkdir /opt/data && touch /opt/data/b',
      "RUN echo 'admin:x:0:0::/root:/bin/sh' >> /etc/passwd",
      'USER admin',
      '',
    ].join('\n');
    const { findings, stderr } = scan(dockerfile);
    const setuid = of(findings, 'image-setuid');
    assert.deepEqual(
      setuid.map((f) => [f.line, f.path, f.inherited ?? false]).sort(),
      [[2, '/bin/suid-tool', false], [7, '/bin/hardlinked', false]],
      `setuid findings: ${JSON.stringify(setuid)}\n${stderr}`,
    );
    for (const f of setuid) assert.match(f.layer ?? '', /^sha256:[0-9a-f]{64}$/);
    const deleted = of(findings, 'image-deleted-secret');
    assert.equal(deleted.length, 1, JSON.stringify(deleted));
    assert.equal(deleted[0].line, 8);
    assert.equal(deleted[0].path, '/root/.ssh/id_ed25519');
    assert.match(deleted[0].message, /line 9/);
    const root = of(findings, 'image-root-user');
    assert.equal(root.length, 1, JSON.stringify(root));
    assert.equal(root[0].line, 12);
    assert.match(root[0].message, /admin/);
    assert.deepEqual(of(findings, 'build-failed'), []);
  });

  test('findings from the base image are inherited and placed on FROM; an unknown USER is an error', async (t) => {
    if (!(await requireDocker(t))) return;
    const { debian } = await baseImages();
    const { findings } = scan(`FROM ${debian}\nUSER ghost\n`);
    const setuid = of(findings, 'image-setuid');
    assert.ok(setuid.length > 0, 'Debian ships setuid binaries');
    assert.ok(setuid.some((f) => f.path === '/usr/bin/passwd'), JSON.stringify(setuid.map((f) => f.path)));
    for (const f of setuid) {
      assert.equal(f.line, 1);
      assert.equal(f.inherited, true);
    }
    const user = of(findings, 'image-root-user');
    assert.equal(user.length, 1, JSON.stringify(user));
    assert.equal(user[0].line, 2);
    assert.equal(user[0].severity, 'error');
    assert.match(user[0].message, /will not start/);
  });

  test('a multi-stage build ending in scratch: no shell, no setuid, the build stage is not judged', async (t) => {
    if (!(await requireDocker(t))) return;
    const { busybox } = await baseImages();
    const { findings } = scan(`FROM ${busybox} AS build\nRUN echo hi > /out.txt && chmod 4755 /bin/busybox\nFROM scratch\nCOPY --from=build /out.txt /out.txt\nUSER 10001\n`);
    assert.deepEqual(of(findings, 'image-shell'), []);
    assert.deepEqual(of(findings, 'image-setuid'), []);
    assert.deepEqual(of(findings, 'image-root-user'), []);
    assert.deepEqual(of(findings, 'build-failed'), []);
  });

  test('a failing build is a finding on the failing line, not a crash', async (t) => {
    if (!(await requireDocker(t))) return;
    const { busybox } = await baseImages();
    const { findings } = scan(`FROM ${busybox}\nRUN echo ok\nRUN false\nRUN echo never\n`);
    const failed = of(findings, 'build-failed');
    assert.equal(failed.length, 1, JSON.stringify(findings));
    assert.equal(failed[0].line, 3);
    assert.equal(failed[0].severity, 'error');
    assert.match(failed[0].message, /The image does not build/);
  });

  test('--image inspects an existing image without building', async (t) => {
    if (!(await requireDocker(t))) return;
    const { debian } = await baseImages();
    const { findings } = scan(`FROM ${debian}\nUSER 10001\n`, '--image', debian);
    assert.ok(of(findings, 'image-setuid').length > 0);
    assert.deepEqual(of(findings, 'build-failed'), []);
  });

  test('a base image from an untrusted registry: static and image findings, the image one with the digest', async (t) => {
    if (!(await requireDocker(t)) || !(await requireRegistry(t))) return;
    const { registryBusybox } = await baseImages();
    assert.ok(registryBusybox, 'the base image was pushed to the local registry');
    spawnSync('docker', ['pull', registryBusybox], { encoding: 'utf8' });
    const { findings } = scan(`FROM ${registryBusybox}\nUSER 10001\n`);
    const untrusted = of(findings, 'untrusted-base-registry');
    assert.equal(untrusted.length, 1, JSON.stringify(findings.map((f) => f.ruleId)));
    assert.equal(untrusted[0].line, 1);
    const image = of(findings, 'image-untrusted-base');
    assert.equal(image.length, 1, JSON.stringify(findings.map((f) => f.ruleId)));
    assert.equal(image[0].line, 1);
    assert.match(image[0].message, /127\.0\.0\.1:5000/);
    assert.match(image[0].message, /sha256:[0-9a-f]{64}/, 'the digest of the base actually used');
    // Trusting the local registry silences both.
    const dir = dirs[dirs.length - 1];
    writeFileSync(join(dir, '.defang.yml'), 'trusted-registries-extra: ["127.0.0.1:5000/*"]\n');
    const again = spawnSync(process.execPath, [cli, 'scan', 'Dockerfile', '--format', 'json', '--fail-on', 'never'], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    const ids = (JSON.parse(again.stdout) as { results: Array<{ findings: JsonFinding[] }> }).results[0].findings.map((f) => f.ruleId);
    assert.ok(!ids.includes('untrusted-base-registry') && !ids.includes('image-untrusted-base'), ids.join(','));
  });

  test('an opaque directory: what it replaced is gone from the image', async (t) => {
    if (!(await requireDocker(t))) return;
    const { busybox } = await baseImages();
    const { findings } = scan(
      `FROM ${busybox}\nRUN mkdir -p /opt/d && cp /bin/busybox /opt/d/old && chmod 4755 /opt/d/old\nRUN rm -rf /opt/d && mkdir /opt/d && cp /bin/busybox /opt/d/new && chmod 4755 /opt/d/new\nUSER 10001\n`,
    );
    assert.deepEqual(of(findings, 'image-setuid').map((f) => [f.line, f.path]), [[3, '/opt/d/new']]);
  });
});
