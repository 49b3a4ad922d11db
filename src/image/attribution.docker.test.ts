/**
 * Attribution against a real Docker engine: images built with the legacy builder (DOCKER_BUILDKIT=0) and with
 * BuildKit from a local busybox base, read back with `docker image inspect` and the config from `docker save`, and
 * each layer checked against the Dockerfile line that made it.
 *
 * Without an engine these tests fail, with the reason, unless DEFANG_SKIP_DOCKER_TESTS=1 says to skip them.
 * Images are named `defang-test-attribution/…`; the ones a run builds carry its pid and are removed at the end.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseDockerfile } from '../dockerfile/index.ts';
import type { DockerfileModel } from '../dockerfile/model.ts';
import type { Attribution, ImageView } from '../image-view.ts';
import { attribute, baseFromInspect, historyFromConfig, parseHistoryEntry } from './attribution.ts';

const SKIP = process.env.DEFANG_SKIP_DOCKER_TESTS === '1';
const BUSYBOX = 'defang-test-attribution/busybox:1';
const RUN_ID = `${process.pid}`;
const BASE = `defang-test-attribution/base:${RUN_ID}`;
const created: string[] = [];

function run(command: string, args: string[], opts: { env?: Record<string, string>; input?: Buffer; cwd?: string } = {}): SpawnSyncReturns<Buffer> {
  return spawnSync(command, args, {
    env: { ...process.env, ...opts.env },
    input: opts.input,
    cwd: opts.cwd,
    timeout: 300_000,
    maxBuffer: 256 * 1024 * 1024,
  });
}

function must(command: string, args: string[], opts: Parameters<typeof run>[2] = {}): string {
  const r = run(command, args, opts);
  if (r.error) throw new Error(`${command} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = r.stderr.toString().trim().split('\n').slice(-15).join('\n');
    throw new Error(`${command} ${args.join(' ')} exited with ${r.status}:\n${tail}`);
  }
  return r.stdout.toString();
}

/** Why no engine can be used, or null when `docker` reaches one. */
function engineProblem(): string | null {
  const r = run('docker', ['version', '--format', '{{.Server.Version}}']);
  if (r.error) return `the docker command could not run (${r.error.message})`;
  if (r.status !== 0) return `no Docker engine answers (docker version: ${r.stderr.toString().trim().split('\n').pop()})`;
  return null;
}

interface BuildCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * How to build with BuildKit here: `docker buildx build --load` where buildx is installed (GitHub runners), else a
 * client older than 23, whose `docker build` has BuildKit built in (Debian's docker.io 20.10). Newer clients need
 * buildx for BuildKit.
 */
function buildKitCommand(): BuildCommand | string {
  if (run('docker', ['buildx', 'version']).status === 0) return { command: 'docker', args: ['buildx', 'build', '--load'], env: {} };
  const tried: string[] = [];
  for (const client of ['docker', '/usr/bin/docker']) {
    const r = run(client, ['version', '--format', '{{.Client.Version}}']);
    const version = r.status === 0 ? r.stdout.toString().trim() : '';
    tried.push(`${client} ${version || 'does not run'}`);
    const major = Number(/^(\d+)\./.exec(version)?.[1]);
    if (major > 0 && major < 23) return { command: client, args: ['build'], env: { DOCKER_BUILDKIT: '1' } };
  }
  return `no docker client here builds with BuildKit: docker buildx is not installed and the clients found need it (${tried.join('; ')})`;
}

const LEGACY: BuildCommand = { command: 'docker', args: ['build'], env: { DOCKER_BUILDKIT: '0' } };

function build(builder: BuildCommand, context: string, tag: string, extra: string[] = []): void {
  must(builder.command, [...builder.args, '-q', '-t', tag, ...extra, context], { env: builder.env });
  created.push(tag);
}

/** A busybox image from the static busybox binary: `bin/busybox`, its applet links, /etc/passwd, a sticky /tmp. */
function ensureBusybox(): void {
  if (run('docker', ['image', 'inspect', BUSYBOX]).status === 0) return;
  const busybox = ['/usr/bin/busybox', '/bin/busybox'].find((p) => existsSync(p));
  if (!busybox) throw new Error(`${BUSYBOX} is missing and no static busybox binary (/usr/bin/busybox) is here to make it`);
  const root = mkdtempSync(join(tmpdir(), 'defang-attribution-busybox-'));
  try {
    for (const d of ['bin', 'etc', 'tmp', 'root']) mkdirSync(join(root, d));
    chmodSync(join(root, 'tmp'), 0o1777);
    copyFileSync(busybox, join(root, 'bin', 'busybox'));
    chmodSync(join(root, 'bin', 'busybox'), 0o755);
    for (const applet of must(busybox, ['--list']).split('\n').map((s) => s.trim())) {
      if (applet && applet !== 'busybox') symlinkSync('busybox', join(root, 'bin', applet));
    }
    writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
    writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
    const tar = run('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-C', root, '-c', '.']);
    if (tar.status !== 0) throw new Error(`tar of the busybox tree failed: ${tar.stderr.toString()}`);
    must('docker', ['import', '-', BUSYBOX], { input: tar.stdout });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The image config as `docker save` holds it (`docker image inspect` does not show the history). */
function savedConfig(id: string): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'defang-attribution-save-'));
  try {
    must('docker', ['save', '-o', join(dir, 'image.tar'), id]);
    must('tar', ['-xf', 'image.tar', 'manifest.json'], { cwd: dir });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { Config: string }[];
    must('tar', ['-xf', 'image.tar', manifest[0].Config], { cwd: dir });
    return JSON.parse(readFileSync(join(dir, manifest[0].Config), 'utf8')) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A minimal ImageView (no filesystem) from `docker image inspect` and the saved config. */
function viewOf(ref: string): ImageView {
  const inspect = (JSON.parse(must('docker', ['image', 'inspect', ref])) as Record<string, any>[])[0];
  const config = savedConfig(inspect.Id);
  const diffIds = (config.rootfs as { diff_ids: string[] }).diff_ids;
  assert.deepEqual(diffIds, inspect.RootFS.Layers, `${ref}: the saved config and docker image inspect disagree on the layers`);
  const c = inspect.Config ?? {};
  return {
    id: inspect.Id,
    tags: inspect.RepoTags ?? [],
    config: {
      user: c.User ?? '',
      env: c.Env ?? [],
      entrypoint: c.Entrypoint ?? null,
      cmd: c.Cmd ?? null,
      workingDir: c.WorkingDir ?? '',
      labels: c.Labels ?? {},
      exposedPorts: Object.keys(c.ExposedPorts ?? {}),
      os: inspect.Os,
      architecture: inspect.Architecture,
    },
    history: historyFromConfig(config, `${ref} config`),
    layers: diffIds.map((diffId, index) => ({ index, diffId, size: 0, entries: 0 })),
    files: new Map(),
    removed: [],
    contents: [],
    layout: 'docker-archive',
  };
}

/** What the caller learns by inspecting the local base image. */
function baseInfo(ref: string): { baseDiffIds: string[]; baseHistoryLength: number | null } {
  return baseFromInspect(JSON.parse(must('docker', ['image', 'inspect', ref])), must('docker', ['history', '--no-trunc', '--format', '{{json .}}', ref]), `docker image inspect ${ref}`);
}

function context(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'defang-attribution-ctx-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const lines = (m: DockerfileModel, a: Attribution): (number | string)[] =>
  a.layers.map((l) => (l.inherited ? 'base' : l.instruction === null ? `? ${l.unmapped}` : m.all[l.instruction].span.line));

// Every instruction kind after FROM; each instruction that makes a layer changes files, so every builder keeps its
// layer. Line numbers matter: the assertions name them.
const ALL = (base: string) => `FROM ${base}
ARG TOKEN
ARG VERSION=1.0
ENV APP_HOME=/srv/app PATH_EXTRA="a b"
LABEL org.example.name="attribution test" version=$VERSION
USER root
WORKDIR /
WORKDIR $APP_HOME
COPY one.txt ./one.txt
ADD two.txt /srv/two/
COPY --chown=1:1 three.txt \${APP_HOME}/three.txt
RUN echo "$TOKEN" > /token \\
    && echo "$VERSION" > /version
RUN ["/bin/sh", "-c", "echo exec > /exec"]
CMD ["sh"]
ENTRYPOINT ["/bin/sh", "-c"]
EXPOSE 8080 53/udp
HEALTHCHECK --interval=30s CMD true
SHELL ["/bin/sh", "-ec"]
RUN echo shell > /shell
STOPSIGNAL SIGTERM
ONBUILD RUN echo onbuild
MAINTAINER someone@example.com
VOLUME /data
USER nobody
`;
const ALL_KEYWORDS = [
  'ARG', 'ARG', 'ENV', 'LABEL', 'USER', 'WORKDIR', 'WORKDIR', 'COPY', 'ADD', 'COPY', 'RUN', 'RUN', 'CMD', 'ENTRYPOINT',
  'EXPOSE', 'HEALTHCHECK', 'SHELL', 'RUN', 'STOPSIGNAL', 'ONBUILD', 'MAINTAINER', 'VOLUME', 'USER',
];
const ALL_LAYERS = ['base', 'base', 8, 9, 10, 11, 12, 14, 20];

const MULTI = (base: string) => `ARG GREETING=hello
FROM ${base} AS build
ARG GREETING
RUN mkdir -p /out && echo "$GREETING" > /out/greeting
ONBUILD RUN echo triggered > /triggered
COPY four.txt /out/four.txt

FROM ${base} AS other
RUN echo other > /other

FROM build AS final
WORKDIR /srv
RUN cp /out/greeting /srv/greeting
COPY --from=other /other /srv/other
USER nobody
`;

const EMPTY_DIFFS = (base: string) => `FROM ${base}
WORKDIR /opt/base
RUN true
RUN echo four > /four
RUN ["/bin/true"]
COPY five.txt /opt/base/five
`;

const problem = engineProblem();
if (problem) {
  if (SKIP) {
    test('attribution against a real Docker engine', { skip: `${problem}; skipped because DEFANG_SKIP_DOCKER_TESTS=1` }, () => {});
  } else {
    test('attribution against a real Docker engine', () => {
      assert.fail(`${problem}. These tests need a Docker engine: start dockerd, or set DEFANG_SKIP_DOCKER_TESTS=1 to skip them explicitly.`);
    });
  }
} else {
  const buildkit = buildKitCommand();
  const dirs: string[] = [];

  before(async () => {
    ensureBusybox();
    // A base with two layers and history entries after its last layer (ENV, CMD): the boundary must fall after them.
    const dir = context({
      Dockerfile: `FROM ${BUSYBOX}\nRUN mkdir -p /opt/base && echo base > /opt/base/marker\nENV BASE_VERSION=1\nCMD ["sh"]\n`,
    });
    dirs.push(dir);
    build(LEGACY, dir, BASE);
  });

  after(() => {
    for (const tag of created.reverse()) run('docker', ['image', 'rm', '-f', tag]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const describeBuild = (b: BuildCommand): string => [...Object.entries(b.env).map(([k, v]) => `${k}=${v}`), b.command, ...b.args].join(' ');
  const builders: [string, BuildCommand | string][] = [
    [`the legacy builder (${describeBuild(LEGACY)})`, LEGACY],
    [typeof buildkit === 'string' ? 'BuildKit' : `BuildKit (${describeBuild(buildkit)})`, buildkit],
  ];
  for (const [name, builder] of builders) {
    const kind = builder === LEGACY ? 'legacy' : 'buildkit';
    describe(`attribution with ${name}`, () => {
      if (typeof builder === 'string') {
        if (SKIP) test('BuildKit builds', { skip: `${builder}; skipped because DEFANG_SKIP_DOCKER_TESTS=1` }, () => {});
        else test('BuildKit builds', () => assert.fail(`${builder}. Install docker-buildx, or set DEFANG_SKIP_DOCKER_TESTS=1 to skip these tests explicitly.`));
        return;
      }
      const tag = (what: string) => `defang-test-attribution/img:${RUN_ID}-${kind}-${what}`;
      const ctx = (files: Record<string, string>) => {
        const dir = context(files);
        dirs.push(dir);
        return dir;
      };

      test('every instruction after FROM records one history entry, and each layer lands on its line', () => {
        const text = ALL(BASE);
        const dir = ctx({ Dockerfile: text, 'one.txt': '1\n', 'two.txt': '2\n', 'three.txt': '3\n' });
        build(builder, dir, tag('all'), ['--build-arg', 'TOKEN=abc def']);
        const view = viewOf(tag('all'));
        const base = baseInfo(BASE);
        assert.equal(base.baseHistoryLength, 4);
        assert.equal(base.baseDiffIds.length, 2);

        // What the engine records: one entry per instruction, except that BuildKit records no ONBUILD.
        const own = view.history.slice(base.baseHistoryLength!).map((h) => parseHistoryEntry(h));
        const expected = kind === 'legacy' ? ALL_KEYWORDS : ALL_KEYWORDS.filter((k) => k !== 'ONBUILD');
        assert.deepEqual(own.map((c) => c.keyword), expected);
        assert.deepEqual([...new Set(own.map((c) => c.builder))], [kind]);

        const m = parseDockerfile(text, 'Dockerfile', { buildArgs: { TOKEN: 'abc def' } });
        const known = attribute(view, m, base);
        assert.equal(known.method, 'base-image-layers');
        assert.deepEqual(known.notes, []);
        assert.equal(known.baseLayers, 2);
        assert.deepEqual(lines(m, known), ALL_LAYERS);
        const guessed = attribute(view, m, {});
        assert.equal(guessed.method, 'history');
        assert.deepEqual(guessed.notes, []);
        assert.equal(guessed.baseLayers, 2);
        assert.deepEqual(guessed.layers, known.layers);
      });

      test('a Dockerfile that is not the one built: the mapping stops at the first entry that differs', () => {
        const built = ALL(BASE);
        const dir = ctx({ Dockerfile: built, 'one.txt': '1\n', 'two.txt': '2\n', 'three.txt': '3\n' });
        build(builder, dir, tag('changed'), ['--build-arg', 'TOKEN=abc def']);
        const view = viewOf(tag('changed'));
        const m = parseDockerfile(built.replace('RUN echo shell > /shell', 'RUN echo changed > /shell'), 'Dockerfile');
        const a = attribute(view, m, baseInfo(BASE));
        const reason = 'history entry 21 "RUN |2 … /bin/sh -ec echo shell > /shell" does not match line 20 "RUN echo changed > /shell"';
        assert.deepEqual(a.notes, [reason]);
        assert.deepEqual(lines(m, a), [...ALL_LAYERS.slice(0, -1), `? ${reason}`]);
        assert.ok(!JSON.stringify(a).includes('abc def'), 'the build-argument value is not repeated');
      });

      test('multi-stage: FROM build AS final, the parent stage ONBUILD trigger, COPY --from', () => {
        const text = MULTI(BASE);
        const dir = ctx({ Dockerfile: text, 'four.txt': '4\n' });
        build(builder, dir, tag('multi'));
        const view = viewOf(tag('multi'));
        const m = parseDockerfile(text, 'Dockerfile');
        for (const opts of [baseInfo(BASE), {}]) {
          const a = attribute(view, m, opts);
          assert.equal(a.stage, 2);
          assert.deepEqual(a.notes, []);
          // build's RUN and COPY, then the trigger (on its ONBUILD line), then final's WORKDIR, RUN and COPY.
          assert.deepEqual(lines(m, a), ['base', 'base', 4, 6, 5, 12, 13, 14]);
        }
      });

      test('--target maps to the target stage', () => {
        const text = MULTI(BASE);
        const dir = ctx({ Dockerfile: text, 'four.txt': '4\n' });
        build(builder, dir, tag('target'), ['--target', 'build']);
        const view = viewOf(tag('target'));
        const m = parseDockerfile(text, 'Dockerfile');
        for (const opts of [{ target: 'build', ...baseInfo(BASE) }, { target: 'build' }]) {
          const a = attribute(view, m, opts);
          assert.equal(a.stage, 0);
          assert.deepEqual(a.notes, []);
          assert.deepEqual(lines(m, a), ['base', 'base', 4, 6]);
        }
        // The same image against the final stage (as if --target were forgotten). The final stage's chain starts
        // with build's instructions, so with the base known those still match, and the shortfall is noted...
        const k = kind === 'legacy' ? 9 : 8;
        const entries = kind === 'legacy' ? 4 : 3;
        const wrong = attribute(view, m, baseInfo(BASE));
        assert.equal(wrong.stage, 2);
        assert.deepEqual(wrong.notes, [`after the base image's history the image has ${entries} entries, but the stage chain records ${k}`]);
        assert.deepEqual(lines(m, wrong), ['base', 'base', 4, 6]);
        // ...while the heuristic cannot even place the base.
        const reason = `the stage chain has ${k} instruction(s) that each record a history entry, but the image's history has only ${entries + 4}`;
        assert.deepEqual(lines(m, attribute(view, m, {})), [0, 1, 2, 3].map(() => `? ${reason}`));
      });

      test('docker build --label', () => {
        const text = `FROM ${BASE}\nRUN echo labelled > /labelled\n`;
        const dir = ctx({ Dockerfile: text });
        build(builder, dir, tag('label'), ['--label', 'org.example.a=1', '--label', 'org.example.b=two words']);
        const view = viewOf(tag('label'));
        const m = parseDockerfile(text, 'Dockerfile');
        const a = attribute(view, m, baseInfo(BASE));
        // The legacy builder appends a LABEL entry per label; BuildKit records none.
        assert.deepEqual(a.notes, kind === 'legacy' ? ['the last 2 history entries are LABELs from `docker build --label`, not from Dockerfile'] : []);
        assert.deepEqual(lines(m, a), ['base', 'base', 2]);
        assert.deepEqual(lines(m, attribute(view, m, {})), ['base', 'base', 2]);
      });

      test('instructions that change nothing: whether they own a layer is up to the builder; the mapping follows the entries', () => {
        const text = EMPTY_DIFFS(BASE);
        const dir = ctx({ Dockerfile: text, 'five.txt': '5\n' });
        build(builder, dir, tag('empty'));
        const view = viewOf(tag('empty'));
        const m = parseDockerfile(text, 'Dockerfile');
        const a = attribute(view, m, baseInfo(BASE));
        assert.deepEqual(a.notes, []);
        const got = lines(m, a);
        assert.deepEqual(got.slice(0, 2), ['base', 'base']);
        const own = got.slice(2) as number[];
        // The two instructions that change files always own a layer; the others may; order is kept.
        assert.ok(own.includes(4) && own.includes(6), JSON.stringify(got));
        assert.deepEqual(own, [...own].sort((x, y) => x - y));
        assert.ok(own.every((line) => [2, 3, 4, 5, 6].includes(line)), JSON.stringify(got));
        // Each layer's instruction has the keyword of the history entry that owns it.
        const owners = view.history.filter((h) => !h.emptyLayer);
        a.layers.forEach((l, i) => {
          if (l.instruction !== null) assert.equal(m.all[l.instruction].keyword, parseHistoryEntry(owners[i]).keyword);
        });
        if (kind === 'legacy') {
          // Observed on the legacy builder: WORKDIR of an existing directory, `RUN true` and `RUN ["/bin/true"]` make
          // no layer (empty_layer), so only the two that change files own one.
          assert.deepEqual(own, [4, 6]);
        }
      });
    });
  }
}
