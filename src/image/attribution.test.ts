import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../dockerfile/index.ts';
import type { DockerfileModel } from '../dockerfile/model.ts';
import type { Attribution, ImageView } from '../image-view.ts';
import { attribute, baseFromInspect, historyFromConfig, parseHistoryEntry, runMatches } from './attribution.ts';

/** A history entry: [created_by, owns a layer?, comment?]. */
type H = [string, boolean, string?];
const BK = 'buildkit.dockerfile.v0';
const digest = (n: number): string => `sha256:${n.toString(16).padStart(64, '0')}`;

/** A minimal image view: layers numbered 1.. in order unless diff_ids are given. */
function view(history: H[], diffIds?: string[]): ImageView {
  const owning = history.filter((h) => h[1]).length;
  const ids = diffIds ?? Array.from({ length: owning }, (_, i) => digest(i + 1));
  return {
    id: digest(999),
    tags: [],
    config: { user: '', env: [], entrypoint: null, cmd: null, workingDir: '', labels: {}, exposedPorts: [], os: 'linux', architecture: 'amd64' },
    history: history.map(([createdBy, layer, comment]) => ({ createdBy, emptyLayer: !layer, ...(comment ? { comment } : {}) })),
    layers: ids.map((diffId, index) => ({ index, diffId, size: 0, entries: 0 })),
    files: new Map(),
    removed: [],
    contents: [],
    layout: 'docker-archive',
  };
}

const model = (text: string): DockerfileModel => parseDockerfile(text, 'Dockerfile');

/** Each layer as `base`, the line of its instruction, or `?` (unmapped). */
const lines = (m: DockerfileModel, a: Attribution): (number | string)[] =>
  a.layers.map((l) => (l.inherited ? 'base' : l.instruction === null ? '?' : m.all[l.instruction].span.line));

// A base image as `docker import` + a legacy build leave it: one layer, then a CMD.
const BASE: H[] = [
  ['', true, 'Imported from -'],
  ['/bin/sh -c #(nop)  CMD ["sh"]', false],
];

const APP = `FROM example/base:1
ENV A=1
RUN apt-get update && \\
    apt-get install -y curl
COPY app /app
USER app
`;

describe('parseHistoryEntry', () => {
  const cases: [string, string | undefined, ReturnType<typeof parseHistoryEntry>][] = [
    ['RUN |2 A=b C=d /bin/sh -c apt-get update # buildkit', BK, { builder: 'buildkit', keyword: 'RUN', args: '|2 A=b C=d /bin/sh -c apt-get update', buildArgCount: 2, command: '/bin/sh -c apt-get update' }],
    ['RUN /bin/sh -c echo hi # buildkit', BK, { builder: 'buildkit', keyword: 'RUN', args: '/bin/sh -c echo hi', buildArgCount: 0, command: '/bin/sh -c echo hi' }],
    ['COPY src dst # buildkit', BK, { builder: 'buildkit', keyword: 'COPY', args: 'src dst', buildArgCount: 0, command: 'src dst' }],
    ['EXPOSE map[80/tcp:{}]', BK, { builder: 'buildkit', keyword: 'EXPOSE', args: 'map[80/tcp:{}]', buildArgCount: 0, command: 'map[80/tcp:{}]' }],
    ['WORKDIR /app', BK, { builder: 'buildkit', keyword: 'WORKDIR', args: '/app', buildArgCount: 0, command: '/app' }],
    ['USER x', BK, { builder: 'buildkit', keyword: 'USER', args: 'x', buildArgCount: 0, command: 'x' }],
    ['CMD ["x"]', BK, { builder: 'buildkit', keyword: 'CMD', args: '["x"]', buildArgCount: 0, command: '["x"]' }],
    ['/bin/sh -c #(nop)  ENV A=b', undefined, { builder: 'legacy', keyword: 'ENV', args: 'A=b', buildArgCount: 0, command: 'A=b' }],
    ['/bin/sh -c #(nop) COPY file:abc123 in /dst ', undefined, { builder: 'legacy', keyword: 'COPY', args: 'file:abc123 in /dst', buildArgCount: 0, command: 'file:abc123 in /dst' }],
    ['/bin/sh -ec #(nop)  SHELL [/bin/sh -ec]', undefined, { builder: 'legacy', keyword: 'SHELL', args: '[/bin/sh -ec]', buildArgCount: 0, command: '[/bin/sh -ec]' }],
    ['cmd /S /C #(nop)  USER ContainerUser', undefined, { builder: 'legacy', keyword: 'USER', args: 'ContainerUser', buildArgCount: 0, command: 'ContainerUser' }],
    ['|1 A=b /bin/sh -c echo hi', undefined, { builder: 'legacy', keyword: 'RUN', args: '|1 A=b /bin/sh -c echo hi', buildArgCount: 1, command: '/bin/sh -c echo hi' }],
    ["/bin/sh -c echo '#(nop) x'", undefined, { builder: 'legacy', keyword: 'RUN', args: "/bin/sh -c echo '#(nop) x'", buildArgCount: 0, command: "/bin/sh -c echo '#(nop) x'" }],
    ['|1 A=b /bin/sh -c echo #(nop) ENV x', undefined, { builder: 'legacy', keyword: 'RUN', args: '|1 A=b /bin/sh -c echo #(nop) ENV x', buildArgCount: 1, command: '/bin/sh -c echo #(nop) ENV x' }],
    ['|2 A=x y B=z /bin/sh -c run', undefined, { builder: 'legacy', keyword: 'RUN', args: '|2 A=x y B=z /bin/sh -c run', buildArgCount: 2, command: '/bin/sh -c run' }],
    ['', 'Imported from -', { builder: null, keyword: null, args: '', buildArgCount: 0, command: '' }],
    ['created by buildkit', 'buildkit.exporter.image.v0', { builder: 'buildkit', keyword: null, args: 'created by buildkit', buildArgCount: 0, command: '' }],
  ];
  for (const [createdBy, comment, want] of cases) {
    test(JSON.stringify(createdBy), () => {
      assert.deepEqual(parseHistoryEntry({ createdBy, comment }), want);
    });
  }
});

describe('runMatches', () => {
  const run = (createdBy: string) => parseHistoryEntry({ createdBy, comment: BK });
  test('whitespace is normalised, variables are compared as written', () => {
    assert.equal(runMatches(run('RUN /bin/sh -c echo $A1   $A2 > /r # buildkit'), '/bin/sh -c echo $A1 $A2 > /r'), true);
    assert.equal(runMatches(run('RUN /bin/sh -c echo one # buildkit'), '/bin/sh -c echo two'), false);
  });
  test('a build-argument prefix is skipped even when a value holds spaces', () => {
    assert.equal(runMatches(run('RUN |1 A=x y /bin/sh -c run # buildkit'), '/bin/sh -c run'), true);
    assert.equal(runMatches(run('RUN |1 A=x /bin/sh -c run more # buildkit'), '/bin/sh -c run'), false);
    // The tail must follow the prefix's KEY= words.
    assert.equal(runMatches(run('RUN |1 /bin/sh -c run # buildkit'), '/bin/sh -c run'), false);
  });
  test('only RUN entries match', () => {
    assert.equal(runMatches(parseHistoryEntry({ createdBy: '/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "x"]' }), '/bin/sh -c x'), false);
  });
});

describe('attribute: the base boundary', () => {
  const history: H[] = [
    ...BASE,
    ['ENV A=1', false, BK],
    ['RUN /bin/sh -c apt-get update &&     apt-get install -y curl # buildkit', true, BK],
    ['COPY app /app # buildkit', true, BK],
    ['USER app', false, BK],
  ];

  test('heuristic: the chain is the last k entries', () => {
    const m = model(APP);
    const a = attribute(view(history), m, {});
    assert.equal(a.method, 'history');
    assert.equal(a.baseLayers, 1);
    assert.equal(a.stage, 0);
    assert.deepEqual(a.notes, []);
    assert.deepEqual(a.layers, [
      { layer: 0, instruction: null, inherited: true },
      { layer: 1, instruction: 2, inherited: false },
      { layer: 2, instruction: 3, inherited: false },
    ]);
    assert.deepEqual(lines(m, a), ['base', 3, 5]);
  });

  test("the base image's own layers and history length", () => {
    const m = model(APP);
    const a = attribute(view(history), m, { baseDiffIds: [digest(1)], baseHistoryLength: 2 });
    assert.equal(a.method, 'base-image-layers');
    assert.equal(a.baseLayers, 1);
    assert.deepEqual(a.notes, []);
    assert.deepEqual(lines(m, a), ['base', 3, 5]);
  });

  test("the base image's layers without its history length", () => {
    const m = model(APP);
    const a = attribute(view(history), m, { baseDiffIds: [digest(1)] });
    assert.equal(a.method, 'base-image-layers');
    assert.deepEqual(lines(m, a), ['base', 3, 5]);
  });

  test('a base history length that does not line up with its layers is noted and not used', () => {
    const m = model(APP);
    const a = attribute(view(history), m, { baseDiffIds: [digest(1)], baseHistoryLength: 4 });
    assert.deepEqual(a.notes, ["the base image's 4 history entries do not line up with its 1 layer(s) in this image's history"]);
    assert.deepEqual(lines(m, a), ['base', 3, 5]);
  });

  test('a base history length that is not a count is noted and ignored', () => {
    const m = model(APP);
    const a = attribute(view(history), m, { baseDiffIds: [digest(1)], baseHistoryLength: -1 });
    assert.deepEqual(a.notes, ["the base image's history length -1 is not a count of entries; it was ignored"]);
    assert.deepEqual(lines(m, a), ['base', 3, 5]);
  });

  test('a base history length without the base layers is noted and ignored', () => {
    const m = model(APP);
    const a = attribute(view(history), m, { baseHistoryLength: 2 });
    assert.equal(a.method, 'history');
    assert.deepEqual(a.notes, ["the base image's history length is used only with its layers (baseDiffIds), which were not given; it was ignored"]);
    assert.deepEqual(lines(m, a), ['base', 3, 5]);
  });

  test('a local base that is not the one the build used falls back to the heuristic', () => {
    const m = model(APP);
    const a = attribute(view(history), m, { baseDiffIds: [digest(77)], baseHistoryLength: 2 });
    assert.equal(a.method, 'history');
    assert.deepEqual(a.notes, [
      "the base image's 1 layer(s) are not the first layers of this image (only 0 match): the local base is not the one the build used, so the base boundary comes from the history heuristic",
    ]);
    assert.deepEqual(lines(m, a), ['base', 3, 5]);
  });

  test('layers proven to be the base outrank the heuristic: a conflict leaves the rest unmapped', () => {
    // The image's first two layers are the local base's first two, but the chain claims the second.
    const m = model('FROM example/base:1\nRUN one\nRUN two\n');
    const v = view([
      ['', true, 'Imported from -'],
      ['RUN /bin/sh -c one # buildkit', true, BK],
      ['RUN /bin/sh -c two # buildkit', true, BK],
    ]);
    const a = attribute(v, m, { baseDiffIds: [digest(1), digest(2), digest(9)] });
    const reason =
      "the history heuristic puts the base boundary after layer 0 but the first 2 layers are the base image's own, so the history does not come from this Dockerfile";
    assert.equal(a.baseLayers, 2);
    assert.deepEqual(a.layers, [
      { layer: 0, instruction: null, inherited: true },
      { layer: 1, instruction: null, inherited: true },
      { layer: 2, instruction: null, inherited: false, unmapped: reason },
    ]);
    assert.ok(a.notes.includes(reason));
  });

  test("the base image's ONBUILD trigger entries: unmapped with base layers, inherited by the heuristic", () => {
    const m = model('FROM example/onbuild-base:1\nRUN make\n');
    const v = view([
      ...BASE,
      ['RUN /bin/sh -c echo from the base trigger > /t # buildkit', true, BK],
      ['RUN /bin/sh -c make # buildkit', true, BK],
    ]);
    const known = attribute(v, m, { baseDiffIds: [digest(1)], baseHistoryLength: 2 });
    assert.equal(known.method, 'base-image-layers');
    assert.equal(known.baseLayers, 1);
    assert.deepEqual(known.layers[1], {
      layer: 1,
      instruction: null,
      inherited: false,
      unmapped: `history entry 2 "RUN /bin/sh -c echo from the base trigger > /t" is not an instruction of the stage chain (the base image's ONBUILD triggers record such entries)`,
    });
    assert.deepEqual(lines(m, known), ['base', '?', 2]);
    assert.deepEqual(known.notes, ["after the base image's history the image has 2 entries, but the stage chain records 1"]);
    const guessed = attribute(v, m, {});
    assert.equal(guessed.baseLayers, 2);
    assert.deepEqual(lines(m, guessed), ['base', 'base', 2]);
  });

  test('FROM scratch: no base layers, known without inspecting anything', () => {
    const m = model('FROM scratch\nCOPY app /app\nCMD ["/app"]\n');
    const a = attribute(view([['COPY app /app # buildkit', true, BK], ['CMD ["/app"]', false, BK]]), m, {});
    assert.equal(a.method, 'base-image-layers');
    assert.equal(a.baseLayers, 0);
    assert.deepEqual(a.notes, []);
    assert.deepEqual(lines(m, a), [2]);
  });
});

describe('attribute: what cannot be mapped', () => {
  test('a RUN whose text differs stops the mapping there', () => {
    const m = model(APP);
    const v = view([
      ...BASE,
      ['ENV A=1', false, BK],
      ['RUN /bin/sh -c apt-get update && apt-get install -y wget # buildkit', true, BK],
      ['COPY app /app # buildkit', true, BK],
      ['USER app', false, BK],
    ]);
    const a = attribute(v, m, {});
    const reason = 'history entry 3 "RUN /bin/sh -c apt-get update && apt-get install -y wget" does not match line 3 "RUN apt-get update && apt-get install -y curl"';
    assert.deepEqual(a.layers, [
      { layer: 0, instruction: null, inherited: true },
      { layer: 1, instruction: null, inherited: false, unmapped: reason },
      { layer: 2, instruction: null, inherited: false, unmapped: reason },
    ]);
    assert.deepEqual(a.notes, [reason]);
  });

  test('layers before the mismatch stay mapped', () => {
    const m = model('FROM example/base:1\nRUN one\nCOPY a /a\nRUN three\n');
    const v = view([...BASE, ['RUN /bin/sh -c one # buildkit', true, BK], ['COPY a /elsewhere # buildkit', true, BK], ['RUN /bin/sh -c three # buildkit', true, BK]]);
    const a = attribute(v, m, {});
    const reason = 'history entry 3 "COPY a /elsewhere" does not match line 3 "COPY a /a"';
    assert.deepEqual(lines(m, a), ['base', 2, '?', '?']);
    assert.equal(a.layers[3].unmapped, reason);
  });

  test('build-argument values are not repeated in the reason', () => {
    const m = model('FROM example/base:1\nARG TOKEN\nRUN curl -H "x: $TOKEN" https://example.com/a\n');
    const v = view([...BASE, ['ARG TOKEN=s3cr3t-value', false, BK], ['RUN |1 TOKEN=s3cr3t-value /bin/sh -c curl https://example.com/b # buildkit', true, BK]]);
    const a = attribute(v, m, {});
    assert.equal(
      a.layers[1].unmapped,
      'history entry 3 "RUN |1 … /bin/sh -c curl https://example.com/b" does not match line 3 "RUN curl -H "x: $TOKEN" https://example.com/a"',
    );
    assert.ok(!JSON.stringify(a).includes('s3cr3t'));
  });

  test('a keyword that differs is a mismatch too (an ARG value is hidden)', () => {
    const m = model('FROM example/base:1\nENV A=1\nRUN one\n');
    const v = view([...BASE, ['ARG A=hidden', false, BK], ['RUN /bin/sh -c one # buildkit', true, BK]]);
    const a = attribute(v, m, {});
    assert.equal(a.layers[1].unmapped, 'history entry 2 "ARG A=…" does not match line 2 "ENV A=1"');
  });

  test('history that does not account for the layers: nothing is tied to an entry', () => {
    const m = model(APP);
    const v = view([...BASE, ['ENV A=1', false, BK], ['RUN /bin/sh -c x # buildkit', true, BK]], [digest(1), digest(2), digest(3)]);
    const reason = "the image's history has 2 entries that own a layer but the image has 3 layer(s), so layers cannot be matched to history entries";
    const a = attribute(v, m, {});
    assert.deepEqual(a.notes, [reason]);
    assert.deepEqual(a.layers.map((l) => l.unmapped), [reason, reason, reason]);
    assert.equal(a.baseLayers, 0);
    const withBase = attribute(v, m, { baseDiffIds: [digest(1)] });
    assert.equal(withBase.baseLayers, 1);
    assert.deepEqual(withBase.layers.map((l) => [l.inherited, l.unmapped]), [[true, undefined], [false, reason], [false, reason]]);
  });

  test('fewer history entries than the chain records', () => {
    const m = model(APP);
    const v = view([['RUN /bin/sh -c x # buildkit', true, BK], ['COPY app /app # buildkit', true, BK]]);
    const reason = "the stage chain has 4 instruction(s) that each record a history entry, but the image's history has only 2";
    const a = attribute(v, m, {});
    assert.deepEqual(a.notes, [reason]);
    assert.deepEqual(a.layers.map((l) => l.unmapped), [reason, reason]);
  });

  test('an image without history', () => {
    const m = model('FROM example/base:1\nRUN x\n');
    const a = attribute(view([], [digest(1), digest(2)]), m, {});
    assert.deepEqual(a.layers.map((l) => l.unmapped), [
      "the image's history has 0 entries that own a layer but the image has 2 layer(s), so layers cannot be matched to history entries",
      "the image's history has 0 entries that own a layer but the image has 2 layer(s), so layers cannot be matched to history entries",
    ]);
  });

  test('a target that names no stage', () => {
    const m = model('FROM example/base:1 AS build\nRUN x\nFROM build AS final\nRUN y\n');
    const a = attribute(view([...BASE, ['RUN /bin/sh -c x # buildkit', true, BK]]), m, { target: 'tests' });
    const reason = 'the target "tests" names no stage of Dockerfile (named stages: build, final)';
    assert.equal(a.stage, 1);
    assert.deepEqual(a.notes, [reason]);
    assert.deepEqual(a.layers.map((l) => l.unmapped), [reason, reason]);
  });

  test('a Dockerfile without FROM', () => {
    const m = model('ARG X=1\n');
    const a = attribute(view([['RUN /bin/sh -c x # buildkit', true, BK]]), m, {});
    assert.deepEqual(a.layers[0].unmapped, 'Dockerfile has no FROM instruction, so no stage of it built this image');
  });
});

describe('attribute: stages, builders, instructions', () => {
  const MULTI = `FROM example/base:1 AS build
RUN make
ONBUILD RUN echo trig > /trig
SHELL ["/bin/bash", "-c"]
FROM build AS test
RUN make test
FROM example/base:1 AS final
COPY --from=build /out /out
`;

  test('--target maps to that stage and the stages it builds on; a parent ONBUILD trigger runs first (BuildKit)', () => {
    const m = model(MULTI);
    const v = view([
      ...BASE,
      ['RUN /bin/sh -c make # buildkit', true, BK],
      ['SHELL [/bin/bash -c]', false, BK],
      ['RUN /bin/bash -c echo trig > /trig # buildkit', true, BK],
      ['RUN /bin/bash -c make test # buildkit', true, BK],
    ]);
    const a = attribute(v, m, { target: 'TEST' });
    assert.equal(a.stage, 1);
    assert.deepEqual(a.notes, []);
    assert.deepEqual(lines(m, a), ['base', 2, 3, 6]);
    // The trigger is its own instruction in model.all, on the ONBUILD line.
    assert.equal(m.all[a.layers[2].instruction!].onbuild?.keyword, 'ONBUILD');
  });

  test('the legacy builder records ONBUILD itself', () => {
    const m = model(MULTI);
    const v = view([
      ...BASE,
      ['/bin/sh -c make', true],
      ['/bin/sh -c #(nop)  ONBUILD RUN echo trig > /trig', false],
      ['/bin/bash -c #(nop)  SHELL [/bin/bash -c]', false],
      ['/bin/bash -c echo trig > /trig', true],
      ['/bin/bash -c make test', true],
    ]);
    const a = attribute(v, m, { target: 'test' });
    assert.deepEqual(a.notes, []);
    assert.deepEqual(lines(m, a), ['base', 2, 3, 6]);
    // An ONBUILD entry in a history that BuildKit wrote (it never records one): counted the BuildKit way, the chain
    // takes the last 4 entries, so the heuristic gives `make`'s layer to the base, and the ONBUILD entry then fails
    // to match `RUN make`: everything after it is unmapped rather than shifted.
    const bk = attribute(view([...BASE, ['RUN /bin/sh -c make # buildkit', true, BK], ['/bin/sh -c #(nop)  ONBUILD RUN echo trig > /trig', false], ['SHELL [/bin/bash -c]', false, BK], ['RUN /bin/bash -c echo trig > /trig # buildkit', true, BK], ['RUN /bin/bash -c make test # buildkit', true, BK]]), m, { target: 'test' });
    assert.deepEqual(lines(m, bk), ['base', 'base', '?', '?']);
    assert.equal(bk.layers[2].unmapped, 'history entry 3 "ONBUILD RUN echo trig > /trig" does not match line 2 "RUN make"');
  });

  test('the final stage with COPY --from: the other stages are not in the chain', () => {
    const m = model(MULTI);
    const a = attribute(view([...BASE, ['COPY /out /out # buildkit', true, BK]]), m, {});
    assert.equal(a.stage, 2);
    assert.deepEqual(lines(m, a), ['base', 8]);
  });

  test('legacy: `docker build --label` entries at the end are set aside', () => {
    const m = model('FROM example/base:1\nRUN make\nLABEL a=b\n');
    const v = view([
      ...BASE,
      ['/bin/sh -c make', true],
      ['/bin/sh -c #(nop)  LABEL a=b', false],
      ['/bin/sh -c #(nop)  LABEL z=w v', false],
      ['/bin/sh -c #(nop)  LABEL x=y', false],
    ]);
    const a = attribute(v, m, { baseDiffIds: [digest(1)], baseHistoryLength: 2 });
    assert.deepEqual(a.notes, ['the last 2 history entries are LABELs from `docker build --label`, not from Dockerfile']);
    assert.deepEqual(lines(m, a), ['base', 2]);
  });

  test('COPY and ADD: the destination as written or with variables expanded; JSON form', () => {
    const m = model('FROM example/base:1\nARG D=/opt\nCOPY a $D/\nADD ["b c", "/x y/"]\nCOPY --chown=1:1 d "/q/"\n');
    const legacy = view([
      ...BASE,
      ['/bin/sh -c #(nop)  ARG D=/opt', false],
      ['/bin/sh -c #(nop) COPY file:0a1b in /opt/ ', true],
      ['/bin/sh -c #(nop) ADD file:2c3d in /x y/ ', true],
      ['/bin/sh -c #(nop) COPY --chown=1:1file:4e5f in /q/ ', true],
    ]);
    assert.deepEqual(lines(m, attribute(legacy, m, {})), ['base', 3, 4, 5]);
    const buildkit = view([...BASE, ['ARG D=/opt', false, BK], ['COPY a /opt/ # buildkit', true, BK], ['ADD b c /x y/ # buildkit', true, BK], ['COPY --chown=1:1 d /q/ # buildkit', true, BK]]);
    assert.deepEqual(lines(m, attribute(buildkit, m, {})), ['base', 3, 4, 5]);
  });

  test('RUN: exec form, SHELL, continuation lines and build-argument prefixes', () => {
    const m = model('FROM example/base:1\nARG V=1\nRUN ["/bin/echo", "a  b"]\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nRUN echo $V \\\n  | cat\n');
    const v = view([
      ...BASE,
      ['ARG V=1', false, BK],
      ['RUN |1 V=1 /bin/echo a  b # buildkit', true, BK],
      ['SHELL [/bin/ash -eo pipefail -c]', false, BK],
      ['RUN |1 V=1 /bin/ash -eo pipefail -c echo $V   | cat # buildkit', true, BK],
    ]);
    const a = attribute(v, m, {});
    assert.deepEqual(a.notes, []);
    assert.deepEqual(lines(m, a), ['base', 3, 5]);
  });

  test('RUN with a heredoc is checked by keyword', () => {
    const m = model('# syntax=docker/dockerfile:1\nFROM example/base:1\nRUN <<EOF\necho hi > /hi\nEOF\n');
    const a = attribute(view([...BASE, ['RUN /bin/sh -c echo hi > /hi # buildkit', true, BK]]), m, {});
    assert.deepEqual(lines(m, a), ['base', 3]);
  });

  test('an instruction that changed nothing may own no layer: the mapping follows the entries', () => {
    const m = model('FROM example/base:1\nWORKDIR /app\nWORKDIR /app\nRUN true\nRUN touch /x\n');
    const v = view([...BASE, ['/bin/sh -c #(nop) WORKDIR /app', true], ['/bin/sh -c #(nop) WORKDIR /app', false], ['/bin/sh -c true', false], ['/bin/sh -c touch /x', true]]);
    assert.deepEqual(lines(m, attribute(v, m, {})), ['base', 2, 5]);
  });
});

describe('historyFromConfig', () => {
  test('reads created, created_by, comment, empty_layer', () => {
    const config = {
      history: [
        { created: '2024-01-01T00:00:00Z', created_by: '/bin/sh -c #(nop) ADD file:1 in / ' },
        { created_by: '/bin/sh -c #(nop)  CMD ["sh"]', empty_layer: true },
        { comment: 'Imported from -' },
      ],
    };
    assert.deepEqual(historyFromConfig(config), [
      { created: '2024-01-01T00:00:00Z', createdBy: '/bin/sh -c #(nop) ADD file:1 in / ', emptyLayer: false },
      { createdBy: '/bin/sh -c #(nop)  CMD ["sh"]', emptyLayer: true },
      { createdBy: '', emptyLayer: false, comment: 'Imported from -' },
    ]);
    assert.deepEqual(historyFromConfig({ rootfs: { diff_ids: [] } }), []);
  });

  test('bad configs fail with where and what', () => {
    assert.throws(() => historyFromConfig([], 'img.json'), { message: 'img.json: the image config is not a JSON object' });
    assert.throws(() => historyFromConfig({ history: {} }, 'img.json'), { message: 'img.json: "history" is not an array' });
    assert.throws(() => historyFromConfig({ history: [{}, { created_by: 7 }] }, 'img.json'), { message: 'img.json: history[1].created_by is not a string' });
    assert.throws(() => historyFromConfig({ history: [{ empty_layer: 'yes' }] }, 'img.json'), { message: 'img.json: history[0].empty_layer is not a boolean' });
    assert.throws(() => historyFromConfig({ history: [null] }, 'img.json'), { message: 'img.json: history[0] is not an object' });
  });
});

describe('baseFromInspect', () => {
  test('diff_ids from docker image inspect, history length from docker history lines', () => {
    const inspect = [{ Id: digest(5), RootFS: { Type: 'layers', Layers: [digest(1), digest(2)] } }];
    const historyLines = '{"CreatedBy":"/bin/sh -c #(nop)  CMD [\\"sh\\"]","Size":"0B"}\n{"CreatedBy":"","Size":"2MB"}\n';
    assert.deepEqual(baseFromInspect(inspect, historyLines), { baseDiffIds: [digest(1), digest(2)], baseHistoryLength: 2 });
    assert.deepEqual(baseFromInspect(inspect[0]), { baseDiffIds: [digest(1), digest(2)], baseHistoryLength: null });
  });

  test('bad input fails with where and what', () => {
    assert.throws(() => baseFromInspect([{}, {}]), { message: 'docker image inspect: expected one image object, got 2 items' });
    assert.throws(() => baseFromInspect({ Id: 'x' }), { message: 'docker image inspect: the image has no RootFS' });
    assert.throws(() => baseFromInspect({ RootFS: { Layers: ['nope'] } }), { message: 'docker image inspect: RootFS.Layers[0] is not a digest ("nope")' });
    assert.throws(() => baseFromInspect({ RootFS: { Layers: [] } }, '{"a":1}\nnot json\n'), { message: 'docker history, line 2: not JSON (not json)' });
  });
});
