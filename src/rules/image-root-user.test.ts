import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from './image-root-user.ts';
import { debianLikeBase, dir, file, runImageRule, summarise, type LayerSpec } from './util/image-fixtures.ts';

const advice = 'Add a USER with an unprivileged user after the steps that need root (e.g. USER 10001).';
const createAdvice = 'Create the user in the image (useradd, adduser) before switching to it, or use a numeric uid (USER 10001).';

const withUsers = (extra: string): LayerSpec[] => [
  { add: debianLikeBase() },
  { line: 2, add: [file('/etc/passwd', { content: `root:x:0:0:root:/root:/bin/bash\n${extra}` })] },
];

describe('rule image-root-user', () => {
  test('metadata', () => {
    assert.deepEqual([rule.meta.severity, rule.meta.kind, rule.meta.category], ['warning', 'image', 'image']);
  });

  test('no USER here nor in the base: root, on the FROM line', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nRUN echo hi\n',
      layers: [{ add: debianLikeBase() }, { line: 2, add: [file('/hi')] }],
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 1, column: 6, endLine: 1, endColumn: 26, severity: 'warning',
        message: `The container runs as root: no USER is set, here or in "debian:bookworm-slim". ${advice}`,
      },
    ]);
  });

  test('USER with a name whose uid is 0 in the image\'s /etc/passwd', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nRUN useradd -o -u 0 -g 0 admin\nUSER admin\n',
      layers: withUsers('admin:x:0:0::/home/admin:/bin/sh\n'),
      config: { user: 'admin' },
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 3, column: 6, endLine: 3, endColumn: 11, severity: 'warning',
        message: `The container runs as root: its user "admin" has uid 0 in the image's /etc/passwd. ${advice}`,
      },
    ]);
  });

  for (const user of ['root', '0', '0:0', 'root:app']) {
    test(`USER ${user} is root`, async () => {
      const findings = await runImageRule(rule, {
        dockerfile: `FROM debian:bookworm-slim\nRUN groupadd app\nUSER ${user}\n`,
        layers: [{ add: debianLikeBase() }, { line: 2, add: [file('/etc/group', { content: 'root:x:0:\napp:x:1000:\n' })] }],
        config: { user },
      });
      assert.deepEqual(summarise(findings).map((f) => [f.line, f.column, f.endColumn, f.severity, f.message]), [
        [3, 6, 6 + user.length, 'warning', `The container runs as root: its user is "${user}". ${advice}`],
      ]);
    });
  }

  test('a group alone means the root user', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nUSER :1000\n',
      layers: [{ add: debianLikeBase() }],
      config: { user: ':1000' },
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.message]), [
      [2, `The container runs as root: ":1000" names only a group, so the user is root. ${advice}`],
    ]);
  });

  test('a name the image does not know: an error, the container will not start', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nCOPY app /app\nUSER app\n',
      layers: [{ add: debianLikeBase() }, { line: 2, add: [file('/app', { mode: 0o755 })] }],
      config: { user: 'app' },
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 3, column: 6, endLine: 3, endColumn: 9, severity: 'error',
        message: `The container will not start: the image's user is "app" and the user "app" is not in the image's /etc/passwd. ${createAdvice}`,
      },
    ]);
  });

  test('a group the image does not know', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nRUN useradd -u 1000 app\nUSER app:developers\n',
      layers: withUsers('app:x:1000:1000::/home/app:/bin/sh\n'),
      config: { user: 'app:developers' },
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.severity, f.message]), [
      [3, 'error', `The container will not start: the image's user is "app:developers" and the group "developers" is not in the image's /etc/group. ${createAdvice}`],
    ]);
  });

  test('scratch with a name: no /etc/passwd at all', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nUSER nobody\n',
      layers: [{ line: 4, add: [file('/app', { mode: 0o755 })] }],
      config: { user: 'nobody' },
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.column, f.severity, f.message]), [
      [5, 6, 'error', `The container will not start: the image's user is "nobody" and the image has no /etc/passwd, so the user "nobody" cannot be found. ${createAdvice}`],
    ]);
  });

  test('an unknown user inherited from the base is reported on the FROM line', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM registry.example.com/runtime:2\nCOPY app /app\n',
      layers: [{ add: debianLikeBase() }, { line: 2, add: [file('/app')] }],
      config: { user: 'svc' },
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.column, f.endColumn, f.severity, f.message]), [
      [1, 6, 36, 'error', `The container will not start: the image's user is "svc" and the user "svc" is not in the image's /etc/passwd (the user is inherited from "registry.example.com/runtime:2"). ${createAdvice}`],
    ]);
  });

  test('the USER of a parent stage', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim AS base\nUSER root\n\nFROM base\nRUN echo built\n',
      layers: [{ add: debianLikeBase() }, { line: 5, add: [file('/built')] }],
      config: { user: 'root' },
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.column, f.endColumn]), [[2, 6, 10]]);
  });

  test('USER through a variable: the config holds the value, the USER line gets the finding', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nARG RUNAS=daemon\nUSER ${RUNAS}\n',
      layers: [{ add: debianLikeBase() }],
      config: { user: 'ghost' },
    });
    assert.deepEqual(summarise(findings).map((f) => [f.line, f.column, f.endColumn, f.severity]), [[3, 6, 14, 'error']]);
  });

  test('not root: a known name, a numeric uid with or without an entry, an inherited non-root user', async () => {
    const cases: Array<{ dockerfile: string; user: string }> = [
      { dockerfile: 'FROM debian:bookworm-slim\nRUN useradd app\nUSER app\n', user: 'app' },
      { dockerfile: 'FROM debian:bookworm-slim\nRUN useradd app\nUSER 10001\n', user: '10001' },
      { dockerfile: 'FROM debian:bookworm-slim\nRUN useradd app\nUSER 10001:10001\n', user: '10001:10001' },
      { dockerfile: 'FROM debian:bookworm-slim\nRUN useradd app\n', user: 'daemon' },
      { dockerfile: 'FROM debian:bookworm-slim\nRUN useradd app\nUSER nobody:nogroup\n', user: 'nobody:nogroup' },
    ];
    for (const c of cases) {
      const findings = await runImageRule(rule, {
        dockerfile: c.dockerfile,
        layers: withUsers('app:x:1000:1000::/home/app:/bin/sh\ndaemon:x:1:1::/:/bin/false\nnobody:x:65534:65534::/:/bin/false\n'),
        config: { user: c.user },
      });
      assert.deepEqual(summarise(findings), [], c.user);
    }
  });

  test('an /etc/passwd that was not read: a name cannot be judged', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nUSER app\n',
      layers: [{ add: [dir('/etc'), file('/etc/passwd', { size: 5_000_000 })] }],
      config: { user: 'app' },
    });
    assert.deepEqual(summarise(findings), []);
  });

  test('Windows images are not judged', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerAdministrator\n',
      layers: [{ add: [dir('/Windows')] }],
      config: { user: 'ContainerAdministrator', os: 'windows' },
    });
    assert.deepEqual(summarise(findings), []);
  });
});
