import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from './parse.ts';

const cmds = (m: ReturnType<typeof parseDockerfile>, i: number) =>
  (m.all[i].shell?.commands ?? []).map((c) => `${c.base}@${c.span.line}:${c.span.column}`);

describe('directives and escape', () => {
  test('reads # syntax and # escape=`', () => {
    const m = parseDockerfile('# syntax=docker/dockerfile:1.7\n# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo a `\n    b\n', 'Dockerfile');
    assert.equal(m.syntax, 'docker/dockerfile:1.7');
    assert.equal(m.escape, '`');
    assert.equal(m.all[1].args, 'echo a     b');
    // The b on the continuation line maps back to line 5, column 5.
    const at = m.all[1].args.indexOf('b');
    assert.deepEqual(m.all[1].argsText.spanOf(at, at + 1), { line: 5, column: 5, endLine: 5, endColumn: 6 });
    // A Windows base: cmd runs RUN, not sh.
    assert.equal(m.stages[0].windows, true);
    assert.equal(m.all[1].shell, null);
    const linux = parseDockerfile('# escape=`\nFROM debian:12\nRUN echo a `\n  b\n', 'Dockerfile');
    assert.equal(linux.stages[0].windows, false);
    assert.deepEqual(cmds(linux, 1), ['echo@3:5']);
    const unknown = parseDockerfile('# escape=`\nARG BASE\nFROM $BASE\nRUN dir\n', 'Dockerfile');
    assert.equal(unknown.stages[0].windows, true);
  });
});

describe('continuations map to exact positions', () => {
  test('comment and empty lines inside a continuation are dropped, positions stay exact', () => {
    const text = 'FROM debian:bookworm\nRUN apt-get update \\\n  # why\n\n    && apt-get install -y \\\n       curl \\\n    && rm -rf /var/lib/apt/lists/*\n';
    const m = parseDockerfile(text, 'Dockerfile');
    const run = m.all[1];
    assert.equal(run.span.line, 2);
    assert.equal(run.span.endLine, 7);
    assert.deepEqual(cmds(m, 1), ['apt-get@2:5', 'apt-get@5:8', 'rm@7:8']);
    const curl = run.shell!.commands[1].args[2];
    assert.equal(curl.value, 'curl');
    assert.deepEqual(curl.span, { line: 6, column: 8, endLine: 6, endColumn: 12 });
  });

  test('CRLF line endings', () => {
    const m = parseDockerfile('FROM alpine:3\r\nRUN a \\\r\n  && b\r\n', 'Dockerfile');
    assert.deepEqual(cmds(m, 1), ['a@2:5', 'b@3:6']);
  });
});

describe('heredocs', () => {
  test('RUN <<EOF runs the body as the script', () => {
    const m = parseDockerfile('FROM alpine:3\nRUN <<EOF\nset -e\napk add curl\nEOF\nRUN echo done\n', 'Dockerfile');
    assert.deepEqual(cmds(m, 1), ['set@3:1', 'apk@4:1']);
    assert.equal(m.all[1].heredocs[0].delimiter, 'EOF');
    assert.equal(m.all[1].heredocs[0].body, 'set -e\napk add curl\n');
    assert.equal(m.all[2].span.line, 6);
  });

  test('<<- strips tabs; quoted delimiter is recorded', () => {
    const m = parseDockerfile("FROM alpine:3\nCOPY <<-'EOT' /etc/motd\n\thello $USER\n\tEOT\n", 'Dockerfile');
    const h = m.all[1].heredocs[0];
    assert.equal(h.stripTabs, true);
    assert.equal(h.quoted, true);
    assert.equal(h.body, 'hello $USER\n');
  });

  test('a command reading a heredoc keeps its own command line', () => {
    const m = parseDockerfile('FROM python:3.12\nRUN python3 <<PY\nprint(1)\nPY\n', 'Dockerfile');
    assert.deepEqual(cmds(m, 1), ['python3@2:5']);
  });

  test('a heredoc with a non-shell shebang is not parsed as shell', () => {
    const m = parseDockerfile('FROM python:3.12\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n', 'Dockerfile');
    assert.equal(m.all[1].shell, null);
  });

  test('an unterminated heredoc is a problem', () => {
    const m = parseDockerfile('FROM alpine:3\nRUN <<EOF\necho hi\n', 'Dockerfile');
    assert.match(m.problems.map((p) => p.message).join('\n'), /heredoc <<EOF is not terminated/);
  });
});

describe('forms, flags, ONBUILD', () => {
  test('exec and shell form', () => {
    const m = parseDockerfile('FROM alpine:3\nCMD ["nginx", "-g", "daemon off;"]\nENTRYPOINT run.sh --x\nRUN ["apk", "add", "x"]\n', 'Dockerfile');
    assert.equal(m.all[1].form, 'exec');
    assert.deepEqual(m.all[1].exec, ['nginx', '-g', 'daemon off;']);
    assert.equal(m.all[2].form, 'shell');
    assert.equal(m.all[3].form, 'exec');
    assert.equal(m.all[3].shell, null);
  });

  test('flags are split off with their spans', () => {
    const m = parseDockerfile('FROM alpine:3 AS a\nFROM alpine:3\nCOPY --from=a --chown=1000:1000 /x /y\nRUN --mount=type=cache,target=/root/.cache pip install x\n', 'Dockerfile');
    const copy = m.all[2];
    assert.deepEqual(copy.flags.map((f) => [f.name, f.value, f.span.column]), [['from', 'a', 6], ['chown', '1000:1000', 15]]);
    assert.equal(copy.args, '/x /y');
    assert.equal(m.all[3].flags[0].name, 'mount');
    assert.deepEqual(cmds(m, 3), ['pip@4:44']);
  });

  test('ONBUILD triggers are instructions of their own', () => {
    const m = parseDockerfile('FROM node:20\nONBUILD RUN npm ci && sudo make\n', 'Dockerfile');
    assert.equal(m.instructions.length, 2);
    assert.equal(m.all.length, 3);
    const t = m.all[2];
    assert.equal(t.keyword, 'RUN');
    assert.equal(t.onbuild, m.all[1]);
    assert.deepEqual(cmds(m, 2), ['npm@2:13', 'sudo@2:23', 'make@2:28']);
  });
});

describe('variables and stages', () => {
  test('global ARGs, build args, defaults and unresolved bases', () => {
    const text = 'ARG REG=ghcr.io/acme\nARG TAG\nARG DISTRO=${DISTRO_OVERRIDE:-bookworm}\nFROM ${REG}/base:${TAG:-1} AS base\nFROM debian:${DISTRO}\nFROM alpine:${TAG}\n';
    const m = parseDockerfile(text, 'Dockerfile');
    assert.equal(m.stages[0].base?.canonical, 'ghcr.io/acme/base:1');
    assert.equal(m.stages[1].base?.canonical, 'docker.io/library/debian:bookworm');
    assert.equal(m.stages[2].base, null);
    assert.match(m.stages[2].unresolved ?? '', /\$TAG, which has no value/);
    const withArgs = parseDockerfile(text, 'Dockerfile', { buildArgs: { TAG: '9', REG: 'quay.io/x' } });
    assert.equal(withArgs.stages[0].base?.canonical, 'quay.io/x/base:9');
    assert.equal(withArgs.stages[2].base?.canonical, 'docker.io/library/alpine:9');
  });

  test('stage names, stage bases, scratch, final', () => {
    const m = parseDockerfile('FROM golang:1.22 AS Build\nFROM build AS test\nFROM scratch\nCOPY --from=build /app /app\n', 'Dockerfile');
    assert.deepEqual(m.stages.map((s) => s.name), ['build', 'test', null]);
    assert.equal(m.stages[1].baseStage, m.stages[0]);
    assert.equal(m.stages[2].scratch, true);
    assert.equal(m.finalStage, m.stages[2]);
    assert.equal(m.stages[2].final, true);
    assert.equal(m.stages[0].final, false);
  });

  test('ARG inside a stage takes the global value; ENV carries to child stages; platform ARGs exist', () => {
    const text = 'ARG VERSION=1.2\nFROM alpine:3 AS a\nARG VERSION\nARG TARGETARCH\nENV PKGS="curl jq" DIR=/opt/$VERSION\nRUN apk add $PKGS && echo $TARGETARCH\nFROM a\nRUN echo $DIR $VERSION\n';
    const m = parseDockerfile(text, 'Dockerfile', { platform: 'linux/arm64' });
    const run = m.all[5];
    assert.equal(run.lookup('VERSION'), '1.2');
    assert.equal(run.lookup('DIR'), '/opt/1.2');
    assert.equal(run.lookup('TARGETARCH'), 'arm64');
    assert.deepEqual(run.shell!.commands[0].args[1].fields, ['curl', 'jq']);
    const child = m.all[7];
    assert.equal(child.lookup('DIR'), '/opt/1.2');
    assert.equal(child.lookup('VERSION'), undefined);
  });

  test('ENV properties are expanded in order', () => {
    const m = parseDockerfile('FROM alpine:3\nENV A=1\nENV B=${A}2 C="x y"\n', 'Dockerfile');
    assert.deepEqual(m.all[2].properties.map((p) => [p.name, p.expanded, p.nameSpan.column]), [['B', '12', 5], ['C', 'x y', 13]]);
  });
});

describe('SHELL', () => {
  test('a non-POSIX SHELL turns off shell parsing; a bash SHELL keeps it', () => {
    const m = parseDockerfile('FROM mcr.microsoft.com/powershell\nSHELL ["pwsh", "-Command"]\nRUN Get-ChildItem | Select-Object Name\nFROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN ls | wc -l\n', 'Dockerfile');
    assert.equal(m.all[2].shell, null);
    assert.deepEqual(m.all[5].shellCommand, ['/bin/bash', '-o', 'pipefail', '-c']);
    assert.equal(m.all[5].shell?.pipelines.length, 1);
  });

  test('# hadolint shell=powershell pragma', () => {
    const m = parseDockerfile('# hadolint shell=powershell\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN Get-Process | Out-Null\n', 'Dockerfile');
    assert.equal(m.all[1].shell, null);
  });
});

describe('problems are recorded, parsing goes on', () => {
  test('unknown instruction and instruction before FROM', () => {
    const m = parseDockerfile('RUN echo early\nFROM alpine:3\nFORM x\nRUN apk add curl\n', 'Dockerfile');
    const msgs = m.problems.map((p) => `${p.span.line}:${p.span.column} ${p.message}`);
    assert.deepEqual(msgs, ['1:1 RUN before the first FROM: only ARG may come before FROM', '3:1 unknown instruction "FORM"']);
    assert.deepEqual(cmds(m, 3), ['apk@4:5']);
  });

  test('invalid image reference', () => {
    const m = parseDockerfile('FROM Alpine:3\n', 'Dockerfile');
    assert.match(m.problems[0].message, /must be lowercase/);
    assert.equal(m.stages[0].base, null);
  });

  test('empty file and comments only', () => {
    assert.deepEqual(parseDockerfile('', 'Dockerfile').problems, []);
    assert.deepEqual(parseDockerfile('# nothing\n', 'Dockerfile').stages, []);
  });
});

describe('ONBUILD trigger properties', () => {
  test('key=value pairs and the legacy form, with spans', () => {
    const model = parseDockerfile('FROM alpine:3.20\nONBUILD ENV A=1 B="two words"\nONBUILD ENV LEGACY some value\nONBUILD ARG X\n', 'Dockerfile');
    const triggers = model.all.filter((i) => i.onbuild);
    assert.deepEqual(
      triggers[0].properties.map((p) => [p.name, p.value, p.span.line, p.span.column, p.span.endColumn]),
      [
        ['A', '1', 2, 13, 16],
        ['B', 'two words', 2, 17, 30],
      ],
    );
    assert.deepEqual(
      triggers[1].properties.map((p) => [p.name, p.value, p.span.column, p.span.endColumn]),
      [['LEGACY', 'some value', 13, 30]],
    );
    assert.deepEqual(triggers[2].properties.map((p) => [p.name, p.value]), [['X', null]]);
  });
});

describe('details BuildKit cares about', () => {
  test('several ARGs in one instruction', () => {
    const m = parseDockerfile('FROM alpine:3\nARG A B=2 C="x y"\nRUN echo $B\n', 'Dockerfile');
    assert.deepEqual(m.all[1].properties.map((p) => [p.name, p.value, p.nameSpan.column]), [['A', null, 5], ['B', '2', 7], ['C', 'x y', 11]]);
    assert.equal(m.all[2].lookup('B'), '2');
    assert.equal(m.all[2].lookup('C'), 'x y');
  });

  test('`--` ends the flags', () => {
    const m = parseDockerfile('FROM alpine:3\nCOPY -- --weird-name /dst/\n', 'Dockerfile');
    assert.deepEqual(m.all[1].flags, []);
    assert.equal(m.all[1].args, '--weird-name /dst/');
  });

  test('Windows stages run RUN with cmd, not sh', () => {
    const m = parseDockerfile(
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win\nRUN echo print(1)\nFROM win\nRUN dir\nFROM --platform=windows/amd64 example/tool:1\nRUN x\nFROM debian:12\nRUN echo ok\n',
      'Dockerfile',
    );
    assert.deepEqual(m.stages.map((s) => s.windows), [true, true, true, false]);
    assert.deepEqual(m.all[1].shellCommand, ['cmd', '/S', '/C']);
    assert.equal(m.all[1].shell, null);
    assert.equal(m.all[3].shell, null);
    assert.equal(m.all[5].shell, null);
    assert.notEqual(m.all[7].shell, null);
  });
});
