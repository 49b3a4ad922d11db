/**
 * The build-log parser and the step locator, on logs written here in each builder's format: buildx/BuildKit with
 * source excerpts (Dockerfile frontend 1.4+), Docker 20.10's built-in BuildKit (no excerpt), and the legacy builder.
 * (build.test.ts runs the real builders this machine has.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BuildLogParser, locateFailedStep, parseBuildLog } from './build-log.ts';

const MODERN_RUN_FAILURE = `#0 building with "default" instance using docker driver

#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 211B done
#1 DONE 0.0s

#2 [internal] load metadata for docker.io/library/alpine:3.20
#2 DONE 0.6s

#3 [internal] load .dockerignore
#3 transferring context: 2B done
#3 DONE 0.0s

#4 [build 1/3] FROM docker.io/library/alpine:3.20@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5
#4 CACHED

#5 [build 2/3] RUN apk add --no-cache make
#5 0.512 fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz
#5 DONE 1.9s

#6 [build 3/3] RUN make check &&     make install
#6 0.221 make: *** No rule to make target 'check'.  Stop.
#6 ERROR: process "/bin/sh -c make check &&     make install" did not complete successfully: exit code: 2
------
 > [build 3/3] RUN make check &&     make install:
0.221 make: *** No rule to make target 'check'.  Stop.
------
Dockerfile:6
--------------------
   4 |     FROM alpine:3.20 AS build
   5 |     RUN apk add --no-cache make
   6 | >>> RUN make check && \\
   7 | >>>     make install
   8 |     
--------------------
ERROR: failed to solve: process "/bin/sh -c make check &&     make install" did not complete successfully: exit code: 2
`;

const MODERN_PARSE_ERROR = `#0 building with "default" instance using docker driver

#1 [internal] load build definition from app.Dockerfile
#1 transferring dockerfile: 96B done
#1 DONE 0.0s
app.Dockerfile:4
--------------------
   2 |     RUN true
   3 |     
   4 | >>> COPPY a b
   5 |     
--------------------
ERROR: failed to solve: dockerfile parse error on line 4: unknown instruction: COPPY
`;

const OLD_BUILDKIT_COPY_FAILURE = `#1 [internal] load build definition from Dockerfile
#1 sha256:4c5f6bd1fd7e0c7e5b2f1a7c48a8e0a5bb9b8f3d2c1e0f9a8b7c6d5e4f3a2b1c
#1 transferring dockerfile: 101B done
#1 DONE 0.0s

#2 [internal] load .dockerignore
#2 sha256:5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c
#2 transferring context: 2B done
#2 DONE 0.0s

#3 [internal] load metadata for docker.io/library/debian:bookworm
#3 sha256:6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d
#3 DONE 0.0s

#4 [1/3] FROM docker.io/library/debian:bookworm
#4 sha256:7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e
#4 DONE 0.0s

#6 [internal] load build context
#6 sha256:8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f
#6 transferring context: 2B done
#6 DONE 0.0s

#5 [2/3] WORKDIR /srv
#5 sha256:91a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80
#5 CACHED

#7 [3/3] COPY config/app.toml /srv/
#7 sha256:a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091
#7 ERROR: "/config/app.toml" not found: not found
------
 > [3/3] COPY config/app.toml /srv/:
------
failed to compute cache key: "/config/app.toml" not found: not found
`;

const LEGACY_FAILURE = `DEPRECATED: The legacy builder is deprecated and will be removed in a future release.
            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0
            environment-variable.

Sending build context to Docker daemon  3.072kB
Step 1/6 : ARG BASE=debian:bookworm
Step 2/6 : FROM $BASE
 ---> 1b2c3d4e5f60
Step 3/6 : ENV LANG=C.UTF-8
 ---> Using cache
 ---> 2c3d4e5f6071
Step 4/6 : RUN useradd --system app &&     chown app /srv
 ---> Running in 3d4e5f607182
chown: cannot access '/srv': No such file or directory
The command '/bin/sh -c useradd --system app &&     chown app /srv' returned a non-zero code: 1
`;

describe('BuildLogParser: failures', () => {
  test('buildx: the excerpt gives the line and the >>> marks the last line; the failure block the step', () => {
    const { failure } = parseBuildLog(MODERN_RUN_FAILURE);
    assert.deepEqual(failure, {
      format: 'buildkit',
      error: 'ERROR: failed to solve: process "/bin/sh -c make check &&     make install" did not complete successfully: exit code: 2',
      step: { instructionText: 'RUN make check &&     make install', stage: 'build', step: 3, steps: 3, line: 6, endLine: 7 },
    });
  });

  test('buildx: a parse error has a line and no step', () => {
    const { failure } = parseBuildLog(MODERN_PARSE_ERROR);
    assert.deepEqual(failure, {
      format: 'buildkit',
      error: 'ERROR: failed to solve: dockerfile parse error on line 4: unknown instruction: COPPY',
      step: { line: 4 },
    });
  });

  test('Docker 20.10 BuildKit: no excerpt, the failed vertex names the step', () => {
    const { failure, tail } = parseBuildLog(OLD_BUILDKIT_COPY_FAILURE);
    assert.deepEqual(failure, {
      format: 'buildkit',
      error: 'failed to compute cache key: "/config/app.toml" not found: not found',
      step: { instructionText: 'COPY config/app.toml /srv/', step: 3, steps: 3 },
    });
    assert.ok(!tail.some((l) => /sha256:[0-9a-f]{64}$/.test(l)), 'vertex digests are noise');
    assert.ok(!tail.includes(''), 'blank lines are noise');
  });

  test('legacy builder: the last Step is the failed one; the deprecation banner is left out of the tail', () => {
    const { failure, tail } = parseBuildLog(LEGACY_FAILURE);
    assert.deepEqual(failure, {
      format: 'legacy',
      error: "The command '/bin/sh -c useradd --system app &&     chown app /srv' returned a non-zero code: 1",
      step: { instructionText: 'RUN useradd --system app &&     chown app /srv', step: 4, steps: 6 },
    });
    assert.equal(tail[0], 'Sending build context to Docker daemon  3.072kB');
    assert.equal(tail[tail.length - 1], failure.error);
  });

  test('legacy parse errors come from the daemon with the line', () => {
    const { failure } = parseBuildLog('Sending build context to Docker daemon  2.048kB\nError response from daemon: dockerfile parse error line 7: unknown instruction: RUNN\n');
    assert.deepEqual(failure, { format: 'unknown', error: 'Error response from daemon: dockerfile parse error line 7: unknown instruction: RUNN', step: { line: 7 } });
  });

  test('a failure in an internal vertex (base image metadata) names no instruction unless an excerpt gives the line', () => {
    const old = `#3 [internal] load metadata for docker.io/library/nope:1
#3 ERROR: pull access denied, repository does not exist or may require authorization
------
 > [internal] load metadata for docker.io/library/nope:1:
------
failed to solve with frontend dockerfile.v0: failed to create LLB definition: pull access denied
`;
    assert.deepEqual(parseBuildLog(old).failure.step, null);
    const modern = `${old.replace(/failed to solve.*\n$/, '')}Dockerfile:1
--------------------
   1 | >>> FROM nope:1
   2 |     RUN true
   3 |     
--------------------
ERROR: failed to solve: nope:1: failed to resolve source metadata for docker.io/library/nope:1: pull access denied
`;
    assert.deepEqual(parseBuildLog(modern).failure.step, { line: 1 });
  });

  test('the tail keeps the last 30 meaningful lines; ANSI colours and carriage returns are stripped', () => {
    const p = new BuildLogParser();
    for (let i = 1; i <= 45; i++) p.push(`#7 ${i}.000 line ${i}`);
    p.push('\x1b[31mERROR: failed to solve: boom\x1b[0m\r');
    p.push('progress 10%\rprogress 100%');
    const tail = p.tail();
    assert.equal(tail.length, 30);
    assert.equal(tail[0], '#7 18.000 line 18');
    assert.equal(tail[28], 'ERROR: failed to solve: boom');
    assert.equal(tail[29], 'progress 100%');
    assert.equal(p.failure().error, 'ERROR: failed to solve: boom');
  });

  test('with no error line at all, the last line is the reason', () => {
    assert.equal(parseBuildLog('something odd happened\nand then this\n').failure.error, 'and then this');
    assert.equal(parseBuildLog('').failure.error, 'the build failed');
  });
});

describe('BuildLogParser: check warnings at the end of a build', () => {
  test('the summary, in both documented shapes, with More info URLs under --debug', () => {
    const log = `#9 exporting to image
#9 DONE 0.1s

 3 warnings found (use docker --debug to expand):
 - JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 9)
JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals
More info: https://docs.docker.com/go/dockerfile/rule/json-args-recommended/
Dockerfile:9
--------------------
   8 |     
   9 | >>> CMD node server.js
  10 |     
--------------------
 - Lint Rule 'StageNameCasing': Stage name 'Build' should be lowercase (line 1)
 - FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)
`;
    const p = parseBuildLog(log);
    assert.deepEqual(p.checks, [
      { rule: 'FromAsCasing', message: "'as' and 'FROM' keywords' casing do not match", line: 1 },
      { rule: 'StageNameCasing', message: "Stage name 'Build' should be lowercase", line: 1 },
      {
        rule: 'JSONArgsRecommended',
        message: 'JSON arguments recommended for CMD to prevent unintended behavior related to OS signals',
        line: 9,
        url: 'https://docs.docker.com/go/dockerfile/rule/json-args-recommended/',
      },
    ]);
  });

  test('no summary, no checks; dash lines elsewhere are not checks', () => {
    assert.deepEqual(parseBuildLog(LEGACY_FAILURE + ' - Note: this is not a warning (line 3)\n').checks, []);
  });
});

describe('locateFailedStep', () => {
  test('legacy: Step N counts every instruction, global ARGs included; the text must agree', () => {
    const text = 'ARG BASE=debian:bookworm\nFROM $BASE\nENV LANG=C.UTF-8\nRUN useradd --system app && \\\n    chown app /srv\nCMD ["app"]\n';
    const step = { instructionText: 'RUN useradd --system app &&     chown app /srv', step: 4, steps: 6 };
    assert.deepEqual(locateFailedStep(text, step, { format: 'legacy' }), { ...step, line: 4, endLine: 5 });
    // A step number that points elsewhere falls back to the unique text match.
    assert.deepEqual(locateFailedStep(text, { ...step, step: 2 }, { format: 'legacy' }), { ...step, step: 2, line: 4, endLine: 5 });
  });

  test('BuildKit prints RUN with variables expanded (ENV and build args)', () => {
    const text = 'FROM busybox AS a\nARG NAME\nENV GREETING=hi\nRUN echo $GREETING $NAME\nFROM a\nRUN false\n';
    const step = { instructionText: 'RUN echo hi world', stage: 'a', step: 2, steps: 2 };
    assert.deepEqual(locateFailedStep(text, step, { format: 'buildkit', buildArgs: { NAME: 'world' } }), { ...step, line: 4 });
    // stage-N names the N-th stage (0-based) when it has no name.
    const other = { instructionText: 'RUN false', stage: 'stage-1', step: 1, steps: 1 };
    assert.deepEqual(locateFailedStep(text, other, { format: 'buildkit' }), { ...other, line: 6 });
  });

  test('the same instruction twice: the step number decides (BuildKit counts FROM, RUN, COPY, ADD, WORKDIR)', () => {
    const text = 'FROM busybox\nRUN ./flaky\nENV X=1\nWORKDIR /w\nRUN ./flaky\n';
    const bk = { instructionText: 'RUN ./flaky', step: 4, steps: 4 };
    assert.equal(locateFailedStep(text, bk, { format: 'buildkit' }).line, 5);
    assert.equal(locateFailedStep(text, { ...bk, step: 2 }, { format: 'buildkit' }).line, 2);
    const legacy = { instructionText: 'RUN ./flaky', step: 5, steps: 5 };
    assert.equal(locateFailedStep(text, legacy, { format: 'legacy' }).line, 5);
    // Without a number there is no telling which: no line rather than a guess.
    assert.equal(locateFailedStep(text, { instructionText: 'RUN ./flaky' }, { format: 'buildkit' }).line, undefined);
  });

  test('a failing FROM is placed on the stage FROM line', () => {
    const text = 'FROM golang:1.22 AS build\nRUN go build\nFROM nope:1 AS run\nCOPY --from=build /out /\n';
    const step = { instructionText: 'FROM docker.io/library/nope:1', stage: 'run', step: 1, steps: 2 };
    assert.equal(locateFailedStep(text, step, { format: 'buildkit' }).line, 3);
  });

  test('exec form and flags are matched as printed', () => {
    const text = 'FROM busybox\nCOPY --chown=1000:1000 a.txt /a.txt\nRUN ["/bin/check", "--strict"]\n';
    assert.equal(locateFailedStep(text, { instructionText: 'COPY --chown=1000:1000 a.txt /a.txt', step: 2, steps: 3 }, { format: 'buildkit' }).line, 2);
    assert.equal(locateFailedStep(text, { instructionText: 'RUN ["/bin/check", "--strict"]', step: 3, steps: 3 }, { format: 'legacy' }).line, 3);
    assert.equal(locateFailedStep(text, { instructionText: 'RUN [/bin/check --strict]', step: 3, steps: 3 }, { format: 'buildkit' }).line, 3);
  });

  test('a line from the log is kept, and names the instruction there', () => {
    const text = 'FROM busybox\nRUN true\nCOPPY a b\n';
    assert.deepEqual(locateFailedStep(text, { line: 3 }), { line: 3, instructionText: 'COPPY a b' });
    assert.deepEqual(locateFailedStep(text, { line: 9 }), { line: 9 });
  });

  test('text that matches nothing leaves the step without a line', () => {
    const step = { instructionText: 'RUN something else', step: 2, steps: 2 };
    assert.deepEqual(locateFailedStep('FROM busybox\nRUN true\n', step, { format: 'legacy' }), step);
  });
});
