import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../dockerfile/parse.ts';
import type { DockerfileModel } from '../../dockerfile/model.ts';
import { envFor, inShippedImage, mountHolds, pathCovers, removes, runMounts } from './package-rules.ts';
import {
  aptPinned,
  apkPinned,
  gemPinned,
  goPinned,
  judgeableOperands,
  modulePinned,
  npmPinned,
  packageCommands,
  packageContext,
  packageName,
  pipPinned,
  resolveWord,
  rpmPinned,
  zypperPinned,
  type PackageCommand,
} from './packages.ts';

function model(text: string): DockerfileModel {
  return parseDockerfile(text, 'Dockerfile');
}

/** The package commands of the last RUN (or ONBUILD RUN) of a Dockerfile. */
function commands(text: string): PackageCommand[] {
  const m = model(text);
  const runs = m.all.filter((i) => i.keyword === 'RUN');
  return packageCommands(runs[runs.length - 1], packageContext(m));
}

const summary = (pc: PackageCommand) => ({
  manager: pc.manager,
  program: pc.program,
  sub: pc.subcommand,
  options: pc.options.map((o) => (o.value === null ? o.name : `${o.name}=${o.value}`)),
  operands: pc.operands.map((a) => a.text ?? `?${a.word.text}`),
});

describe('command lines', () => {
  test('apt-get: options before and after the sub-command, values taken, clusters split', () => {
    const [pc] = commands('FROM debian:12\nRUN apt-get -o Dpkg::Options::=--force-confold -qy install -t bookworm-backports --no-install-recommends curl git\n');
    assert.deepEqual(summary(pc), {
      manager: 'apt-get',
      program: 'apt-get',
      sub: 'install',
      options: ['-o=Dpkg::Options::=--force-confold', '-q', '-y', '-t=bookworm-backports', '--no-install-recommends'],
      operands: ['curl', 'git'],
    });
  });

  test('python -m pip, behind sudo and inside sh -c', () => {
    const pcs = commands("FROM python:3.12\nRUN sudo -H python3.12 -u -m pip install -r req.txt flask && sh -c 'pip3 --disable-pip-version-check install x'\n");
    assert.deepEqual(pcs.map(summary), [
      { manager: 'pip', program: 'python3.12 -m pip', sub: 'install', options: ['-r=req.txt'], operands: ['flask'] },
      { manager: 'pip', program: 'pip3', sub: 'install', options: ['--disable-pip-version-check'], operands: ['x'] },
    ]);
  });

  test('yum/dnf: aliases, and group/module with options between the words', () => {
    const pcs = commands('FROM fedora:40\nRUN dnf -y group --setopt=a=b install "Dev Tools" && yum in x && microdnf module enable nodejs:20 && dnf groupinstall g\n');
    assert.deepEqual(
      pcs.map((p) => [p.manager, p.subcommand, p.subcommandWords.map((w) => w.value)]),
      [
        ['dnf', 'group install', ['group', 'install']],
        ['yum', 'install', ['in']],
        ['microdnf', 'module enable', ['module', 'enable']],
        ['dnf', 'group install', ['groupinstall']],
      ],
    );
  });

  test('yarn: bare yarn installs, global add is one sub-command', () => {
    const pcs = commands('FROM node:20\nRUN yarn --frozen-lockfile && yarn global add serve && yarn build\n');
    assert.deepEqual(pcs.map((p) => p.subcommand), ['install', 'global add', 'build']);
  });

  test('go: single-dash flags with values, flags end at the first operand', () => {
    const [pc] = commands('FROM golang:1.22\nRUN go run -tags netgo -mod=mod example.com/gen@v1 -out x.go\n');
    assert.deepEqual(summary(pc), {
      manager: 'go',
      program: 'go',
      sub: 'run',
      options: ['-tags=netgo', '-mod=mod'],
      operands: ['example.com/gen@v1', '-out', 'x.go'],
    });
  });

  test('gem: build flags after -- are not operands; an unknown flag takes a boolean value', () => {
    const [pc] = commands('FROM ruby:3.3\nRUN gem install pg:1 --with-pg-config true nokogiri -- --use-system-libraries\n');
    assert.deepEqual(pc.operands.map((a) => a.text), ['pg:1', 'nokogiri']);
    assert.deepEqual(pc.passthrough.map((a) => a.text), ['--use-system-libraries']);
  });

  test('zypper: -n is global before the sub-command, a plain flag after it', () => {
    const [pc] = commands('FROM opensuse/leap:15.6\nRUN zypper --root /t -n install -t pattern -n devel\n');
    assert.deepEqual(summary(pc).options, ['--root=/t', '-n', '-t=pattern', '-n']);
    assert.deepEqual(summary(pc).operands, ['devel']);
  });

  test('options and packages from ARG/ENV are split into fields', () => {
    const [pc] = commands('FROM debian:12\nARG APT_OPTS="-y --no-install-recommends"\nENV PKGS="curl jq=1.6"\nRUN apt-get $APT_OPTS install $PKGS\n');
    assert.deepEqual(summary(pc).options, ['-y', '--no-install-recommends']);
    assert.deepEqual(summary(pc).operands, ['curl', 'jq=1.6']);
  });

  test('a sub-command that cannot be known is null, and lookups are not runs', () => {
    assert.equal(commands('FROM debian:12\nRUN apt-get $CMD curl\n')[0].subcommand, null);
    assert.deepEqual(commands('FROM node:20\nRUN command -v yarn && type npm\n'), []);
    assert.deepEqual(commands('FROM debian:12\nRUN notapt-get install x && pipx-ish install y\n'), []);
  });

  test('a word with several expansions between dashes is one operand', () => {
    const [pc] = commands('FROM debian:12\nENV MAJOR=3\nRUN apt-get install -y postgis-$PG-x-$MAJOR-scripts\n');
    assert.equal(pc.operands.length, 1);
    assert.equal(pc.operands[0].word.text, 'postgis-$PG-x-$MAJOR-scripts');
    assert.deepEqual([pc.operands[0].word.span.column, pc.operands[0].word.span.endColumn], [24, 52]);
  });
});

describe('resolving words', () => {
  const word = (text: string, file: string) => {
    const m = model(file.replace('WORD', text));
    const runs = m.all.filter((i) => i.keyword === 'RUN');
    const inst = runs[runs.length - 1];
    const cmd = inst.shell!.commands[0];
    return resolveWord(cmd.args[cmd.args.length - 1], inst, packageContext(m));
  };

  test('an unknown version reads as any version; the message keeps the variable', () => {
    const r = word('git-core-${VERSION}', 'FROM fedora:40\nRUN dnf install -y WORD\n');
    assert.deepEqual([r.fields, r.template, r.templateShown], [null, 'git-core-0', 'git-core-${VERSION}']);
  });

  test('an unknown package name cannot be judged', () => {
    assert.equal(word('$PKG', 'FROM fedora:40\nRUN dnf install -y WORD\n').template, null);
    assert.equal(word('python${SUFFIX}', 'FROM fedora:40\nRUN dnf install -y WORD\n').template, null);
  });

  test('a variable set only in another stage expands to nothing', () => {
    const r = word('git-${V}', 'FROM fedora:40 AS a\nENV V=2.45\nFROM fedora:40\nRUN dnf install -y WORD\n');
    assert.deepEqual([r.fields, r.unsetHere], [['git-'], ['V']]);
  });

  test('a stage ARG without a value is a build-arg: unknown, not empty', () => {
    const r = word('git-${V}', 'FROM fedora:40 AS a\nENV V=2.45\nFROM fedora:40\nARG V\nRUN dnf install -y WORD\n');
    assert.deepEqual([r.template, r.unsetHere], ['git-0', []]);
  });

  test('defaults of ${VAR:-default} are used when the variable is unknown', () => {
    assert.deepEqual(word('curl=${CURL:-8.5.0}', 'FROM debian:12\nRUN apt-get install -y WORD\n').fields, ['curl=8.5.0']);
  });

  test('ENV before the first FROM is known to the RUNs there', () => {
    assert.deepEqual(word('git-$V', 'ENV V=1.2\nRUN yum install -y WORD\n').fields, ['git-1.2']);
  });

  test('judgeable operands name unknown words as written', () => {
    const m = model('FROM debian:12\nRUN apt-get install -y $X curl=$V\n');
    const run = m.all.find((i) => i.keyword === 'RUN')!;
    const [pc] = packageCommands(run, packageContext(m));
    assert.deepEqual(
      judgeableOperands(pc.operands).map((o) => [o.spec, o.shown, o.specShown]),
      [['curl=0', 'curl=$V', 'curl=$V']],
    );
  });
});

describe('pins', () => {
  const cases: Array<[string, (s: string) => boolean, string[], string[]]> = [
    ['apt', aptPinned, ['curl=7.88', 'git=1:2.39.*', './x.deb', '/tmp/y.deb'], ['curl', 'curl=', 'golang/bookworm-backports']],
    ['apk', apkPinned, ['a=1', 'a~1.2', 'a>=1', 'a<2', 'a=~1', 'x.apk'], ['a', 'a@edge', 'a=']],
    [
      'pip',
      pipPinned,
      ['a==1', 'a~=1.2', 'a===1', 'a>=1', 'a<2', 'a!=1', '.', 'lib/x', 'x.whl', 'https://h/x.zip', 'git+https://h/r.git@v1#egg=r', 'git+ssh://git@h/r.git@abc'],
      ['a', 'a[extra]', 'a==', 'git+https://h/r.git#egg=r', 'git+ssh://git@h/r.git'],
    ],
    [
      'npm',
      npmPinned,
      ['a@1', '@s/a@1', 'a@>=1 <2', './d', '/d', '~/d', 'x.tgz', 'git://h/r.git#v1', 'u/r#abc', 'https://h/x.tgz'],
      ['a', '@s/a', 'a@latest', 'a@', 'git+https://h/r.git', 'github:u/r', 'u/r'],
    ],
    ['gem', gemPinned, ['a:1', 'x.gem', './x'], ['a', 'a:']],
    ['go', goPinned, ['m/p@v1', 'm/p@abc123', 'm/p@none', '.', './c', '/s', 'main.go'], ['m/p', 'm/p@latest', 'm/p@upgrade', 'm/p@patch', 'm/p@']],
    [
      'rpm',
      rpmPinned,
      ['httpd-2.4', 'git-core-2.45.2-2.fc40', 'openssl-1:3.0', 'gcc-c++-11', '@base', 'perl(JSON)', '/usr/bin/make', 'x.rpm', 'a >= 1'],
      ['httpd', 'rpm-sign', 'java-11-openjdk', 'git-core-'],
    ],
    ['module', modulePinned, ['nodejs:20'], ['nodejs', 'nodejs:']],
    ['zypper', zypperPinned, ['a=1', 'a>=1', 'a<1', 'x.rpm'], ['a', 'vim-9.1', 'a=']],
  ];
  for (const [name, fn, yes, no] of cases) {
    test(`${name}: pinned and not pinned`, () => {
      for (const s of yes) assert.equal(fn(s), true, `${s} is pinned`);
      for (const s of no) assert.equal(fn(s), false, `${s} is not pinned`);
    });
  }

  test('package names without their version part', () => {
    assert.deepEqual(
      [
        packageName('jq=', 'apt-get'),
        packageName('a~1', 'apk'),
        packageName('uvicorn[standard]>=1', 'pip'),
        packageName('@s/a@latest', 'npm'),
        packageName('typescript@latest', 'npm'),
        packageName('m/p@latest', 'go'),
        packageName('git-core-', 'dnf'),
      ],
      ['jq', 'a', 'uvicorn[standard]', '@s/a', 'typescript', 'm/p', 'git-core'],
    );
  });
});

describe('images, mounts, cleanup and environment', () => {
  test('paths: a directory covers what is inside it, globs and ~ are understood', () => {
    assert.equal(pathCovers('/var/lib/apt', '/var/lib/apt/lists'), true);
    assert.equal(pathCovers('/var/lib/apt/lists/*', '/var/lib/apt/lists'), true);
    assert.equal(pathCovers('~/.cache', '/root/.cache/pip'), true);
    assert.equal(pathCovers('/var/cache/apt', '/var/lib/apt/lists'), false);
    assert.equal(pathCovers('/var//lib/apt/', '/var/lib/apt/lists'), true);
    assert.equal(pathCovers('/var/lib/apt/lists/.*', '/var/lib/apt/lists'), true);
    assert.equal(pathCovers('/', '/anything'), true);
    assert.equal(pathCovers('~', '/root/.npm'), true);
    assert.equal(pathCovers('/var/lib/ap', '/var/lib/apt/lists'), false);
    assert.equal(pathCovers('/var/lib/ap', '/var/lib/apt'), false);
  });

  test('mounts: type defaults to bind, target aliases, variables expanded', () => {
    const m = model('FROM debian:12\nARG C=/var/cache/apt\nRUN --mount=type=cache,dst=${C} --mount=target=/src --mount=type=tmpfs,destination=/tmp true\n');
    const run = m.all.find((i) => i.keyword === 'RUN')!;
    const ctx = packageContext(m);
    assert.deepEqual(runMounts(run, ctx), [
      { type: 'cache', target: '/var/cache/apt' },
      { type: 'bind', target: '/src' },
      { type: 'tmpfs', target: '/tmp' },
    ]);
    assert.equal(mountHolds(run, '/var/cache/apt/archives', ctx), true);
    assert.equal(mountHolds(run, '/src/x', ctx), false);
  });

  test('removes: rm operands and find -delete', () => {
    const m = model('FROM debian:12\nRUN rm -rf -- /var/lib/apt/lists/* && find /var/cache/apk -type f -delete && rm -f /etc/x\n');
    const cmds = m.all.find((i) => i.keyword === 'RUN')!.shell!.commands;
    assert.deepEqual(
      cmds.map((c) => [removes(c, '/var/lib/apt/lists'), removes(c, '/var/cache/apk')]),
      [
        [true, false],
        [false, true],
        [false, false],
      ],
    );
  });

  test('environment: own assignment, env wrapper, export before (not after), then ENV', () => {
    const m = model('FROM python:3.12\nENV X=env\nRUN X=own pip a; env X=wrapped pip b; export X=exported; pip c; pip d\n');
    const run = m.all.find((i) => i.keyword === 'RUN')!;
    const ctx = packageContext(m);
    const pips = run.shell!.commands.filter((c) => c.base === 'pip');
    assert.deepEqual(pips.map((c) => envFor(c, run, 'X', ctx)), ['own', 'wrapped', 'exported', 'exported']);
    const m2 = model('FROM python:3.12\nENV X=env\nRUN pip a; export X=later\n');
    const run2 = m2.all.find((i) => i.keyword === 'RUN')!;
    assert.equal(envFor(run2.shell!.commands[0], run2, 'X', packageContext(m2)), 'env');
  });

  test('shipped image: the final stage and its ancestors, ONBUILD triggers, or everything with allStages', () => {
    const m = model('FROM a:1 AS base\nRUN one\nFROM b:1 AS other\nRUN two\nONBUILD RUN three\nFROM base\nRUN four\n');
    const runs = m.all.filter((i) => i.keyword === 'RUN');
    assert.deepEqual(runs.map(inShippedImage(m, false)), [true, false, true, true]);
    assert.deepEqual(runs.map(inShippedImage(m, true)), [true, true, true, true]);
  });
});
