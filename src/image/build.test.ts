/**
 * buildImage against the real engine, once for each builder this machine offers: every `docker` CLI on PATH is
 * asked which builder it gives (buildx, BuildKit with DOCKER_BUILDKIT=1, or legacy), and each distinct one runs the
 * same tests. (On Debian's docker.io 20.10 that is BuildKit; a newer CLI without the buildx plugin gives legacy; a
 * GitHub runner gives buildx.)
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { baseImages, requireDocker } from '../../__tests__/helpers/docker.ts';
import { buildImage, type BuildOptions, type BuildResult } from './build.ts';
import { buildxVersion, detectBuilder, dockerAvailable, inspectImageId, removeImage, runDocker, type BuilderKind } from './docker.ts';
import { runBuildChecks } from './build-checks.ts';

interface Mode {
  docker: string;
  builder: BuilderKind;
}

/** Each distinct builder offered by the docker CLIs on PATH (the first CLI offering it wins). */
async function buildModes(): Promise<Mode[]> {
  const seen = new Set<string>();
  const clis: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, 'docker');
    try {
      accessSync(p, constants.X_OK);
      const real = realpathSync(p);
      if (!seen.has(real)) {
        seen.add(real);
        clis.push(p);
      }
    } catch {
      /* not here */
    }
  }
  const modes: Mode[] = [];
  for (const docker of clis) {
    if (!(await dockerAvailable({ docker })).ok) continue;
    const builder = await detectBuilder({ docker });
    if (!modes.some((m) => m.builder === builder)) modes.push({ docker, builder });
  }
  return modes;
}

const modes = await buildModes();
const nonce = `${process.pid}-${randomBytes(4).toString('hex')}`;
const dirs: string[] = [];
const tags: string[] = [];
const intermediates: { docker: string; id: string }[] = [];
after(async () => {
  for (const t of tags) await removeImage(t);
  // The legacy builder keeps the images of the steps before a failure: remove the ones these builds made (newest
  // first; never forced, so an image something else uses stays).
  for (const { docker, id } of intermediates.reverse()) await removeImage(id, { docker });
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Image ids a legacy build created: each step's ` ---> id`, except a FROM's (the base) and a cached step's. */
function createdImages(log: string): string[] {
  const lines = log.split('\n');
  const ids: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const m = /^ ---> ([0-9a-f]{12})$/.exec(lines[i]);
    if (m && !/^Step \d+\/\d+ : FROM /i.test(lines[i - 1]) && lines[i - 1] !== ' ---> Using cache') ids.push(m[1]);
  }
  return ids;
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'defang-build-test-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function build(mode: Mode, files: Record<string, string>, extra: Partial<BuildOptions> = {}): Promise<{ result: BuildResult; lines: string[] }> {
  const dir = project(files);
  const lines: string[] = [];
  const result = await buildImage({
    dockerfile: join(dir, 'Dockerfile'),
    context: dir,
    buildArgs: {},
    docker: mode.docker,
    builder: mode.builder,
    log: (l) => lines.push(l),
    ...extra,
  });
  for (const id of createdImages(result.log)) intermediates.push({ docker: mode.docker, id });
  return { result, lines };
}

function failed(r: BuildResult): Extract<BuildResult, { ok: false }> {
  assert.equal(r.ok, false, `expected the build to fail; log:\n${r.log}`);
  return r as Extract<BuildResult, { ok: false }>;
}

if (modes.length === 0) {
  // No engine: requireDocker fails these (or skips them with DEFANG_SKIP_DOCKER_TESTS=1), never silently.
  test('buildImage with a real Docker engine', async (t) => {
    await requireDocker(t);
    assert.fail('docker answered for requireDocker but for no CLI on PATH');
  });
}

for (const mode of modes) {
  describe(`buildImage (${mode.builder}, ${mode.docker})`, () => {
    test('a multi-stage build with a build arg and a target returns the image id', async (t) => {
      if (!(await requireDocker(t, { docker: mode.docker }))) return;
      const { busybox } = await baseImages();
      const tag = `defang-test-build/ok:${mode.builder}-${nonce}`;
      tags.push(tag);
      const { result, lines } = await build(
        mode,
        {
          Dockerfile: [
            `FROM ${busybox} AS base`,
            'ARG GREETING=hello',
            `LABEL defang.test.nonce=${nonce}`,
            'RUN echo "$GREETING" > /greeting',
            'FROM base AS chosen',
            'ARG GREETING',
            'LABEL stage=chosen greeting=$GREETING',
            'RUN cp /greeting /copied',
            'FROM base AS after',
            'LABEL stage=after',
            'RUN false',
            '',
          ].join('\n'),
        },
        { buildArgs: { GREETING: 'bonjour' }, target: 'chosen', tag },
      );
      assert.equal(result.ok, true, result.log);
      assert.ok(result.ok);
      assert.match(result.imageId, /^sha256:[0-9a-f]{64}$/);
      assert.equal(result.imageId, await inspectImageId(tag, { docker: mode.docker }));
      assert.equal(result.builder, mode.builder);
      assert.deepEqual(result.checks, []);
      const labels = await runDocker(['image', 'inspect', '--format', '{{json .Config.Labels}}', tag], { docker: mode.docker });
      const parsed = JSON.parse(labels.stdout) as Record<string, string>;
      assert.equal(parsed.stage, 'chosen', 'the target stage was built, not the last one');
      assert.equal(parsed.greeting, 'bonjour', 'the build arg reached the build');
      assert.equal(parsed['defang.test.nonce'], nonce);
      // The log streamed to the caller is the log returned.
      assert.ok(lines.length > 0);
      assert.equal(lines.join('\n'), result.log);
    });

    test('a failing RUN on line 3 is reported with its line and the log tail', async (t) => {
      if (!(await requireDocker(t, { docker: mode.docker }))) return;
      const { busybox } = await baseImages();
      const { result } = await build(mode, {
        Dockerfile: `FROM ${busybox}\nLABEL defang.test.nonce=${nonce}-run\nRUN false\nRUN echo never-reached\n`,
      });
      const r = failed(result);
      assert.equal(r.failedStep?.line, 3);
      assert.equal(r.failedStep?.instructionText, 'RUN false');
      assert.equal(r.failedStep?.endLine, undefined);
      assert.match(r.error, /\/bin\/sh -c false.*(returned a non-zero code: 1|exit code: 1)/);
      const tail = r.message.split('\n');
      assert.ok(tail.length <= 30, `at most 30 lines, got ${tail.length}`);
      assert.equal(tail[tail.length - 1], r.log.trimEnd().split('\n').filter((l) => l.trim() !== '').pop());
      assert.ok(tail.some((l) => l.includes('RUN false')), r.message);
      assert.ok(!r.log.includes('never-reached\n') && !/Step 4\/4|\[4\/4\]/.test(r.log), 'the build stopped at the failure');
    });

    test('a RUN spanning lines in a named stage fails with its first and last line', async (t) => {
      if (!(await requireDocker(t, { docker: mode.docker }))) return;
      const { busybox } = await baseImages();
      const { result } = await build(mode, {
        Dockerfile: [
          `FROM ${busybox} AS base`,
          `LABEL defang.test.nonce=${nonce}-multi`,
          'FROM base AS tests',
          'ENV MODE=strict',
          'RUN echo "mode $MODE" && \\',
          '    exit 7',
          'RUN echo never-reached',
          '',
        ].join('\n'),
      });
      const r = failed(result);
      assert.equal(r.failedStep?.line, 5);
      assert.equal(r.failedStep?.endLine, 6);
      assert.match(r.error, /exit 7|code: 7/);
      assert.match(r.message, /mode strict/);
    });

    test('a Dockerfile syntax error is reported on its line', async (t) => {
      if (!(await requireDocker(t, { docker: mode.docker }))) return;
      const { busybox } = await baseImages();
      const { result } = await build(mode, { Dockerfile: `FROM ${busybox}\nRUN echo fine\nCOPPY a b\nRUN echo never\n` });
      const r = failed(result);
      assert.equal(r.failedStep?.line, 3);
      assert.equal(r.failedStep?.instructionText, 'COPPY a b');
      assert.match(r.error, /dockerfile parse error (on )?line 3: unknown instruction: COPPY/i);
      assert.match(r.message, /unknown instruction: COPPY/i);
    });

    test('a COPY of a file missing from the context is reported on its line', async (t) => {
      if (!(await requireDocker(t, { docker: mode.docker }))) return;
      const { busybox } = await baseImages();
      const { result } = await build(mode, {
        Dockerfile: `FROM ${busybox}\nLABEL defang.test.nonce=${nonce}-copy\nCOPY present.txt /present.txt\nCOPY missing.txt /x\n`,
        'present.txt': 'here\n',
      });
      const r = failed(result);
      assert.equal(r.failedStep?.line, 4);
      assert.equal(r.failedStep?.instructionText, 'COPY missing.txt /x');
      assert.match(r.error, /missing\.txt/);
    });
  });
}

describe('buildImage input checks (no Docker needed)', () => {
  test('a relative Dockerfile path, a missing Dockerfile or context, a bad build-arg name are results, not throws', async () => {
    const dir = project({ Dockerfile: 'FROM scratch\n' });
    const base = { context: dir, buildArgs: {} };
    let r = await buildImage({ ...base, dockerfile: 'Dockerfile' });
    assert.deepEqual([r.ok, !r.ok && r.error], [false, 'the Dockerfile path must be absolute: Dockerfile']);
    r = await buildImage({ ...base, dockerfile: join(dir, 'Nope') });
    assert.deepEqual([r.ok, !r.ok && r.error], [false, `${join(dir, 'Nope')}: no such Dockerfile`]);
    r = await buildImage({ ...base, dockerfile: join(dir, 'Dockerfile'), context: join(dir, 'ctx') });
    assert.deepEqual([r.ok, !r.ok && r.error], [false, `${join(dir, 'ctx')}: the build context of ${join(dir, 'Dockerfile')} is not a directory`]);
    r = await buildImage({ ...base, dockerfile: join(dir, 'Dockerfile'), buildArgs: { 'A=B': 'x' } });
    assert.deepEqual([r.ok, !r.ok && r.error], [false, `${join(dir, 'Dockerfile')}: invalid build-arg name "A=B"`]);
    r = await buildImage({ ...base, dockerfile: join(dir, 'Dockerfile'), target: '--push' });
    assert.deepEqual([r.ok, !r.ok && r.error], [false, `${join(dir, 'Dockerfile')}: invalid target "--push"`]);
  });

  test('a docker CLI that does not exist is a failed build with the reason', async () => {
    const dir = project({ Dockerfile: 'FROM scratch\n' });
    const r = await buildImage({ dockerfile: join(dir, 'Dockerfile'), context: dir, buildArgs: {}, docker: '/nonexistent/docker', builder: 'legacy' });
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.equal(r.failedStep, null);
    assert.match(r.error, /^cannot run \/nonexistent\/docker: /);
  });
});

describe('dockerAvailable and the build checks against the real engine', () => {
  test('dockerAvailable reports the engine and the builder consistently', async (t) => {
    if (!(await requireDocker(t))) return;
    const info = await dockerAvailable();
    assert.ok(info.ok);
    const server = await runDocker(['version', '--format', '{{.Server.Version}}']);
    assert.equal(info.version, server.stdout.trim());
    assert.equal(info.buildx, (await buildxVersion()) !== null);
    assert.equal(info.builder, await detectBuilder());
    assert.equal(info.buildkit, info.builder !== 'legacy');
    if (info.buildx) assert.equal(info.builder, 'buildx');
  });

  test('dockerAvailable with no CLI says why', async () => {
    const info = await dockerAvailable({ docker: '/nonexistent/docker' });
    assert.deepEqual(info, { ok: false, reason: '/nonexistent/docker not found (is Docker installed and on PATH?)' });
  });

  test('dockerAvailable with no engine behind the CLI says why', async (t) => {
    if (!(await requireDocker(t))) return;
    const info = await dockerAvailable({ env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    assert.equal(info.ok, false);
    assert.ok(!info.ok);
    assert.match(info.reason, /^no Docker engine answers: .*nonexistent\/docker\.sock/);
  });

  test('runBuildChecks: unsupported without buildx 0.15+, else the checks BuildKit finds', async (t) => {
    if (!(await requireDocker(t))) return;
    const { busybox } = await baseImages();
    const dir = project({ Dockerfile: `FROM ${busybox} as base\nCMD echo hello\n` });
    const result = await runBuildChecks({ dockerfile: join(dir, 'Dockerfile'), context: dir });
    const bx = await buildxVersion();
    if (bx === null) {
      assert.deepEqual(result, {
        supported: false,
        reason: 'docker buildx is not available; BuildKit build checks (docker build --check) need buildx 0.15 or later',
      });
      return;
    }
    if (!result.supported) {
      assert.match(result.reason, /older than 0\.15|cannot run build checks/);
      return;
    }
    assert.equal(result.error, undefined);
    const rules = result.checks.map((c) => `${c.rule}@${c.line}`).sort();
    assert.deepEqual(rules, ['FromAsCasing@1', 'JSONArgsRecommended@2']);
  });
});
