/**
 * BuildKit's build checks: the JSON of `--call=check,format=json` and the text of `--check` (outputs written here
 * in the documented shapes), and the buildx code paths of runBuildChecks and buildImage driven through a stand-in
 * `docker` CLI (this machine has no buildx; build.test.ts covers the real engine and the unsupported path).
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseBuildChecksJson, parseBuildChecksText, runBuildChecks } from './build-checks.ts';
import { buildImage } from './build.ts';

const CHECK_JSON = JSON.stringify(
  {
    warnings: [
      {
        ruleName: 'JSONArgsRecommended',
        description: 'JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals',
        url: 'https://docs.docker.com/go/dockerfile/rule/json-args-recommended/',
        detail: 'JSON arguments recommended for CMD to prevent unintended behavior related to OS signals',
        location: { ranges: [{ start: { line: 7 }, end: { line: 7 } }] },
      },
      {
        ruleName: 'UndefinedVar',
        description: 'Variables should be defined before their use',
        url: 'https://docs.docker.com/go/dockerfile/rule/undefined-var/',
        detail: "Usage of undefined variable '$APP_HOME'",
        location: { sourceIndex: 0, ranges: [{ start: { line: 4, character: 9 }, end: { line: 5, character: 20 } }] },
      },
      {
        ruleName: 'InvalidDefaultArgInFrom',
        description: 'Default value for global ARG results in an empty or invalid base image name',
        detail: 'Default value for ARG ${BASE} results in empty or invalid base image name',
        location: { sourceIndex: -1 },
      },
      { description: 'a warning without a rule name is not a check' },
    ],
    sources: [{ filename: 'Dockerfile', language: 'Dockerfile', data: 'RlJPTSBidXN5Ym94Cg==' }],
  },
  null,
  2,
);

describe('parseBuildChecksJson', () => {
  test('warnings become checks: rule, detail as the message, 1-based line and column, ranges, url', () => {
    assert.deepEqual(parseBuildChecksJson(CHECK_JSON), {
      checks: [
        {
          rule: 'InvalidDefaultArgInFrom',
          message: 'Default value for ARG ${BASE} results in empty or invalid base image name',
          line: 0,
        },
        {
          rule: 'UndefinedVar',
          message: "Usage of undefined variable '$APP_HOME'",
          line: 4,
          column: 10,
          endLine: 5,
          url: 'https://docs.docker.com/go/dockerfile/rule/undefined-var/',
        },
        {
          rule: 'JSONArgsRecommended',
          message: 'JSON arguments recommended for CMD to prevent unintended behavior related to OS signals',
          line: 7,
          url: 'https://docs.docker.com/go/dockerfile/rule/json-args-recommended/',
        },
      ],
    });
  });

  test('a build error in the output is returned with its line; no warnings is no checks', () => {
    const text = JSON.stringify({
      warnings: null,
      sources: [],
      buildError: { message: 'dockerfile parse error on line 3: unknown instruction: COPPY', location: { ranges: [{ start: { line: 3 }, end: { line: 3 } }] } },
    });
    assert.deepEqual(parseBuildChecksJson(text), {
      checks: [],
      error: { message: 'dockerfile parse error on line 3: unknown instruction: COPPY', line: 3 },
    });
    assert.deepEqual(parseBuildChecksJson('{"warnings":[],"sources":[]}'), { checks: [] });
  });

  test('text around the JSON is tolerated; output that is not the JSON says what is wrong', () => {
    assert.equal(parseBuildChecksJson(`#0 building with "default" instance\n${CHECK_JSON}\n`).checks.length, 3);
    assert.throws(() => parseBuildChecksJson('Check complete, no warnings found.'), /^Error: no JSON object in the build check output$/);
    assert.throws(() => parseBuildChecksJson('{"warnings": [}'), /^Error: the build check output is not valid JSON: /);
    assert.throws(() => parseBuildChecksJson('{"warnings": 3}'), /^Error: the build check output has "warnings" that is not an array$/);
  });
});

describe('parseBuildChecksText', () => {
  test('the blocks `docker build --check` prints, with and without the WARNING: prefix', () => {
    const text = `[+] Building 1.1s (4/4) FINISHED
 => [internal] load build definition from Dockerfile
 => => transferring dockerfile: 180B
JSONArgsRecommended - https://docs.docker.com/go/dockerfile/rule/json-args-recommended/
JSON arguments recommended for CMD to prevent unintended behavior related to OS signals
Dockerfile:8
--------------------
   6 |     COPY . /app
   7 |     
   8 | >>> CMD python app.py
   9 |     
--------------------

WARNING: StageNameCasing - https://docs.docker.com/go/dockerfile/rule/stage-name-casing/
Stage name 'Builder' should be lowercase
Dockerfile:1-2
--------------------
   1 | >>> FROM python:3.12 AS Builder
--------------------

WARNING: InvalidDefaultArgInFrom - https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/
Default value for ARG \${BASE} results in empty or invalid base image name
`;
    assert.deepEqual(parseBuildChecksText(text), [
      {
        rule: 'InvalidDefaultArgInFrom',
        message: 'Default value for ARG ${BASE} results in empty or invalid base image name',
        line: 0,
        url: 'https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/',
      },
      {
        rule: 'StageNameCasing',
        message: "Stage name 'Builder' should be lowercase",
        line: 1,
        endLine: 2,
        url: 'https://docs.docker.com/go/dockerfile/rule/stage-name-casing/',
      },
      {
        rule: 'JSONArgsRecommended',
        message: 'JSON arguments recommended for CMD to prevent unintended behavior related to OS signals',
        line: 8,
        url: 'https://docs.docker.com/go/dockerfile/rule/json-args-recommended/',
      },
    ]);
  });

  test('a build summary is read too; the same warning twice is one check', () => {
    const text = ` 2 warnings found (use docker --debug to expand):
 - JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 8)
 - JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 8)
`;
    assert.deepEqual(parseBuildChecksText(text), [
      { rule: 'JSONArgsRecommended', message: 'JSON arguments recommended for CMD to prevent unintended behavior related to OS signals', line: 8 },
    ]);
    assert.deepEqual(parseBuildChecksText('Check complete, no warnings found.\n'), []);
  });
});

// A stand-in docker CLI: records each call (arguments NUL-separated, then the attestation env) and answers the few
// commands the buildx paths use, as the scenario in FAKE_SCENARIO says.
const FAKE_DOCKER = `#!/usr/bin/env bash
{ printf '%s\\0' "$@"; printf 'BUILDX_NO_DEFAULT_ATTESTATIONS=%s\\n' "\${BUILDX_NO_DEFAULT_ATTESTATIONS:-}"; } >>"$FAKE_CALLS"
ID=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
case "$1 $2" in
  "buildx version")
    if [ -z "\${FAKE_BUILDX_VERSION:-}" ]; then echo "docker: unknown command: docker buildx" >&2; exit 1; fi
    echo "github.com/docker/buildx v\${FAKE_BUILDX_VERSION} 1a2b3c4"; exit 0 ;;
  "image inspect")
    echo "$ID"; exit 0 ;;
  "buildx build")
    iid=""; call=""; prev=""
    for a in "$@"; do
      [ "$prev" = --iidfile ] && iid=$a
      case "$a" in --call=*) call=$a ;; esac
      prev=$a
    done
    if [ -n "$call" ]; then
      case "$FAKE_SCENARIO" in
        old-buildx) echo "unknown flag: --call" >&2; exit 125 ;;
        garbage) echo "#1 [internal] load build definition" >&2; echo "ERROR: failed to solve: no such file" >&2; exit 1 ;;
      esac
      echo "#1 [internal] load build definition from Dockerfile" >&2
      cat "$FAKE_CHECK_JSON"; exit 1
    fi
    if [ "$FAKE_SCENARIO" = fail ]; then
      cat "$FAKE_LOG" >&2; exit 1
    fi
    printf '%s' "$ID" >"$iid"
    cat "$FAKE_LOG" >&2; exit 0 ;;
esac
echo "unexpected: $*" >&2; exit 2
`;

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function fakeDocker(scenario: string, buildxVersion: string, log = ''): { docker: string; env: NodeJS.ProcessEnv; calls: () => { args: string[]; attest: string }[]; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'defang-fake-docker-'));
  dirs.push(dir);
  const docker = join(dir, 'docker');
  writeFileSync(docker, FAKE_DOCKER);
  chmodSync(docker, 0o755);
  writeFileSync(join(dir, 'check.json'), CHECK_JSON);
  writeFileSync(join(dir, 'build.log'), log);
  writeFileSync(join(dir, 'calls'), '');
  const env = {
    FAKE_CALLS: join(dir, 'calls'),
    FAKE_SCENARIO: scenario,
    FAKE_BUILDX_VERSION: buildxVersion,
    FAKE_CHECK_JSON: join(dir, 'check.json'),
    FAKE_LOG: join(dir, 'build.log'),
  };
  const calls = (): { args: string[]; attest: string }[] =>
    readFileSync(join(dir, 'calls'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const parts = l.split('\0');
        const attest = parts.pop()!;
        return { args: parts, attest };
      });
  return { docker, env, calls, dir };
}

describe('runBuildChecks through buildx', () => {
  test('runs `docker buildx build --call=check,format=json` with the build inputs and reads its JSON', async () => {
    const fake = fakeDocker('ok', '0.17.1');
    writeFileSync(join(fake.dir, 'Dockerfile'), 'FROM busybox\n');
    const result = await runBuildChecks({
      dockerfile: join(fake.dir, 'Dockerfile'),
      context: fake.dir,
      buildArgs: { VERSION: '1.2 beta' },
      target: 'runtime',
      platform: 'linux/arm64',
      docker: fake.docker,
      env: fake.env,
    });
    assert.equal(result.supported, true);
    assert.ok(result.supported);
    assert.deepEqual(result.checks.map((c) => `${c.rule}@${c.line}`), ['InvalidDefaultArgInFrom@0', 'UndefinedVar@4', 'JSONArgsRecommended@7']);
    assert.equal(result.error, undefined);
    const calls = fake.calls();
    assert.deepEqual(calls[calls.length - 1].args, [
      'buildx', 'build', '--call=check,format=json', '--progress=plain', '-f', join(fake.dir, 'Dockerfile'),
      '--build-arg', 'VERSION=1.2 beta', '--target', 'runtime', '--platform', 'linux/arm64', fake.dir,
    ]);
  });

  test('buildx older than 0.15, or one without --call, is unsupported; output without JSON is an error', async () => {
    let fake = fakeDocker('ok', '0.14.1');
    let r = await runBuildChecks({ dockerfile: join(fake.dir, 'Dockerfile'), context: fake.dir, docker: fake.docker, env: fake.env });
    assert.deepEqual(r, { supported: false, reason: 'buildx 0.14.1 is older than 0.15, the first with build checks (docker build --check)' });
    assert.equal(fake.calls().length, 1, 'nothing run beyond `buildx version`');

    fake = fakeDocker('old-buildx', '0.15.0');
    r = await runBuildChecks({ dockerfile: join(fake.dir, 'Dockerfile'), context: fake.dir, docker: fake.docker, env: fake.env });
    assert.deepEqual(r, { supported: false, reason: 'this builder cannot run build checks: unknown flag: --call' });

    fake = fakeDocker('garbage', '0.16.0');
    r = await runBuildChecks({ dockerfile: join(fake.dir, 'Dockerfile'), context: fake.dir, docker: fake.docker, env: fake.env });
    assert.deepEqual(r, {
      supported: true,
      checks: [],
      error: { message: 'no JSON object in the build check output: #1 [internal] load build definition ERROR: failed to solve: no such file' },
    });
  });
});

describe('buildImage through buildx', () => {
  test('`docker buildx build --load` with every input as its own argument; checks from the build summary', async () => {
    const log = `#0 building with "default" instance using docker driver
#1 [internal] load build definition from Dockerfile
#1 DONE 0.0s
#5 exporting to image
#5 writing image sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef done
#5 DONE 0.0s

 1 warning found (use docker --debug to expand):
 - JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 3)
`;
    const fake = fakeDocker('ok', '0.17.1', log);
    const dockerfile = join(fake.dir, 'Dockerfile');
    writeFileSync(dockerfile, 'FROM busybox\nRUN true\nCMD echo hi\n');
    const lines: string[] = [];
    const r = await buildImage({
      dockerfile,
      context: fake.dir,
      buildArgs: { A: 'one two', B: '$(rm -rf /)' },
      target: 'final',
      platform: 'linux/amd64',
      tag: 'defang-test-build/fake:1',
      docker: fake.docker,
      env: fake.env,
      log: (l) => lines.push(l),
    });
    assert.deepEqual(r, {
      ok: true,
      imageId: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      log: log.trimEnd(),
      checks: [{ rule: 'JSONArgsRecommended', message: 'JSON arguments recommended for CMD to prevent unintended behavior related to OS signals', line: 3 }],
      builder: 'buildx',
    });
    assert.deepEqual(lines, log.trimEnd().split('\n'));
    const build = fake.calls().find((c) => c.args[1] === 'build')!;
    const iidfile = build.args[build.args.indexOf('--iidfile') + 1];
    assert.deepEqual(build.args, [
      'buildx', 'build', '--load', '--progress=plain', '--iidfile', iidfile, '-f', dockerfile,
      '--build-arg', 'A=one two', '--build-arg', 'B=$(rm -rf /)', '--target', 'final', '--platform', 'linux/amd64',
      '--tag', 'defang-test-build/fake:1', fake.dir,
    ]);
    assert.equal(build.attest, 'BUILDX_NO_DEFAULT_ATTESTATIONS=1', 'no attestation manifests beside the loaded image');
  });

  test('a failed buildx build: the excerpt line, the step, the error and the tail', async () => {
    const log = `#4 [2/2] RUN ./configure --prefix=/opt
#4 0.301 ./configure: not found
#4 ERROR: process "/bin/sh -c ./configure --prefix=/opt" did not complete successfully: exit code: 127
------
 > [2/2] RUN ./configure --prefix=/opt:
0.301 ./configure: not found
------
Dockerfile:2
--------------------
   1 |     FROM busybox
   2 | >>> RUN ./configure --prefix=/opt
   3 |     
--------------------
ERROR: failed to solve: process "/bin/sh -c ./configure --prefix=/opt" did not complete successfully: exit code: 127
`;
    const fake = fakeDocker('fail', '0.17.1', log);
    const dockerfile = join(fake.dir, 'Dockerfile');
    writeFileSync(dockerfile, 'FROM busybox\nRUN ./configure --prefix=/opt\n');
    const r = await buildImage({ dockerfile, context: fake.dir, buildArgs: {}, docker: fake.docker, env: fake.env });
    assert.deepEqual(r, {
      ok: false,
      log: log.trimEnd(),
      failedStep: { instructionText: 'RUN ./configure --prefix=/opt', step: 2, steps: 2, line: 2 },
      message: log.trimEnd().split('\n').filter((l) => l.trim() !== '').join('\n'),
      error: 'ERROR: failed to solve: process "/bin/sh -c ./configure --prefix=/opt" did not complete successfully: exit code: 127',
      builder: 'buildx',
    });
  });
});
