import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from './image-setgid.ts';
import { debianLikeBase, dir, file, layerDigest, runImageRule, summarise } from './util/image-fixtures.ts';

const advice =
  "clear the bit late in the final stage (RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} \\; || true) or remove the package that installs it; if the image needs it, list the path in the rule's allow option.";

const DOCKERFILE = 'FROM debian:bookworm-slim\nRUN apt-get install -y openssh-client\nRUN chmod g-s /usr/bin/chage\nUSER nobody\n';

describe('rule image-setgid', () => {
  test('metadata', () => {
    assert.equal(rule.meta.kind, 'image');
    assert.equal(rule.meta.category, 'image');
    assert.equal(rule.meta.severity, 'warning');
  });

  test('setgid files: from the base on the FROM line, added by a RUN on that line, group named from /etc/group', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: DOCKERFILE,
      layers: [
        {
          add: [
            ...debianLikeBase(),
            file('/usr/bin/expiry', { mode: 0o2755, gid: 42 }),
            file('/usr/bin/both', { mode: 0o6755, gid: 0 }),
          ],
        },
        { line: 2, add: [dir('/etc'), file('/etc/group', { content: 'root:x:0:\nshadow:x:42:\n_ssh:x:101:\n' }), file('/usr/bin/ssh-agent', { mode: 0o2755, gid: 101 })] },
      ],
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 1, column: 6, endLine: 1, endColumn: 26, severity: 'warning',
        message: `/usr/bin/both is set-group-ID (mode 6755), so it runs with the group root (gid 0) whoever starts it: ${advice}`,
        path: '/usr/bin/both', layer: layerDigest(0), inherited: true,
      },
      {
        line: 1, column: 6, endLine: 1, endColumn: 26, severity: 'warning',
        message: `/usr/bin/chage is set-group-ID (mode 2755), so it runs with the group shadow (gid 42) whoever starts it: ${advice}`,
        path: '/usr/bin/chage', layer: layerDigest(0), inherited: true,
      },
      {
        line: 1, column: 6, endLine: 1, endColumn: 26, severity: 'warning',
        message: `/usr/bin/expiry is set-group-ID (mode 2755), so it runs with the group shadow (gid 42) whoever starts it: ${advice}`,
        path: '/usr/bin/expiry', layer: layerDigest(0), inherited: true,
      },
      {
        line: 2, column: 1, endLine: 2, endColumn: 38, severity: 'warning',
        message: `/usr/bin/ssh-agent is set-group-ID (mode 2755), so it runs with the group _ssh (gid 101) whoever starts it: ${advice}`,
        path: '/usr/bin/ssh-agent', layer: layerDigest(1),
      },
    ]);
  });

  test('a bit cleared by a later chmod is not reported; setuid-only files are image-setuid\'s', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: DOCKERFILE,
      layers: [{ add: debianLikeBase() }, { line: 3, add: [file('/usr/bin/chage', { mode: 0o755, gid: 42 })] }],
    });
    assert.deepEqual(summarise(findings), []);
  });

  test('allow', async () => {
    const findings = await runImageRule(
      rule,
      {
        dockerfile: DOCKERFILE,
        layers: [{ add: debianLikeBase() }, { line: 2, add: [file('/usr/bin/ssh-agent', { mode: 0o2755, gid: 101 })] }],
      },
      { options: { allow: ['/usr/bin/ssh-agent'] } },
    );
    assert.deepEqual(summarise(findings).map((f) => f.path), ['/usr/bin/chage']);
  });

  test('a group the image does not name is shown by number', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM scratch\nCOPY tool /tool\n',
      layers: [{ line: 2, add: [file('/tool', { mode: 0o2711, gid: 5000 })] }],
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].message.slice(0, findings[0].message.indexOf(':')), '/tool is set-group-ID (mode 2711), so it runs with the group gid 5000 whoever starts it');
    assert.equal(findings[0].line, 2);
  });
});
