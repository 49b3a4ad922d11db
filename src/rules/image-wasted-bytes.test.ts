import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from './image-wasted-bytes.ts';
import { debianLikeBase, dir, file, hardlink, layerDigest, runImageRule, summarise } from './util/image-fixtures.ts';

const tail = 'Remove temporary files in the same RUN that creates them, or build in a separate stage and copy only the result.';
const MiB = 1024 * 1024;

describe('rule image-wasted-bytes', () => {
  test('metadata: info, 1 MiB threshold', () => {
    assert.deepEqual([rule.meta.severity, rule.meta.kind, rule.meta.category], ['info', 'image', 'image']);
    assert.equal(rule.meta.options?.threshold.default, MiB);
  });

  test('an archive copied, unpacked and deleted in later layers: on the COPY line', async () => {
    const dockerfile = [
      'FROM debian:bookworm-slim',
      'COPY dist.tar.gz /tmp/dist.tar.gz',
      'RUN tar -xzf /tmp/dist.tar.gz -C /opt',
      'RUN rm /tmp/dist.tar.gz',
      '',
    ].join('\n');
    const findings = await runImageRule(rule, {
      dockerfile,
      layers: [
        { add: debianLikeBase() },
        { line: 2, add: [file('/tmp/dist.tar.gz', { size: 50 * MiB })] },
        { line: 3, add: [file('/opt/app/bin', { size: 80 * MiB })] },
        { line: 4, whiteout: ['/tmp/dist.tar.gz'] },
      ],
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 2, column: 1, endLine: 2, endColumn: 34, severity: 'info',
        message: `This layer writes 50.0 MiB (1 file) that the RUN on line 4 later deletes: the bytes still ship in the image. The largest is /tmp/dist.tar.gz (50.0 MiB, deleted by the RUN on line 4). ${tail}`,
        path: '/tmp/dist.tar.gz', layer: layerDigest(1),
      },
    ]);
  });

  test('files of the base overwritten and deleted by two RUNs: inherited, on the FROM line', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nRUN apt-get upgrade -y\nRUN rm -rf /usr/share/doc\n',
      layers: [
        { add: [...debianLikeBase(), file('/usr/lib/x86_64-linux-gnu/libc.so.6', { size: 2 * MiB }), dir('/usr/share/doc'), file('/usr/share/doc/a/changelog.gz', { size: 600_000 }), file('/usr/share/doc/b/changelog.gz', { size: 700_000 })] },
        { line: 2, add: [file('/usr/lib/x86_64-linux-gnu/libc.so.6', { size: 2 * MiB + 10 })] },
        { line: 3, whiteout: ['/usr/share/doc'] },
      ],
    });
    assert.deepEqual(summarise(findings), [
      {
        line: 1, column: 6, endLine: 1, endColumn: 26, severity: 'info',
        message: `A layer of the base image writes 3.24 MiB (3 files) that the RUN on line 2 and the RUN on line 3 later delete or overwrite: the bytes still ship in the image. The largest is /usr/lib/x86_64-linux-gnu/libc.so.6 (2.00 MiB, overwritten by the RUN on line 2). ${tail}`,
        path: '/usr/lib/x86_64-linux-gnu/libc.so.6', layer: layerDigest(0), inherited: true,
      },
    ]);
  });

  test('the threshold: below it nothing, an option lowers it; hardlinks and directories hold no bytes of their own', async () => {
    const spec = {
      dockerfile: 'FROM debian:bookworm-slim\nRUN make build\nRUN make clean\n',
      layers: [
        { add: debianLikeBase() },
        { line: 2, add: [file('/src/a.o', { size: 400_000 }), file('/src/b.o', { size: 500_000 }), hardlink('/src/c.o', '/src/b.o')] },
        { line: 3, whiteout: ['/src'] },
      ],
    };
    assert.deepEqual(summarise(await runImageRule(rule, spec)), []);
    const low = await runImageRule(rule, spec, { options: { threshold: 500_000 } });
    assert.deepEqual(summarise(low).map((f) => [f.line, f.path, f.message.slice(0, f.message.indexOf(':'))]), [
      [2, '/src/b.o', 'This layer writes 879 KiB (2 files) that the RUN on line 3 later deletes'],
    ]);
    const bad = await runImageRule(rule, spec, { options: { threshold: 'lots' } });
    assert.deepEqual(summarise(bad), []);
  });

  test('nothing deleted or overwritten: nothing reported', async () => {
    const findings = await runImageRule(rule, {
      dockerfile: 'FROM debian:bookworm-slim\nCOPY app /opt/app\n',
      layers: [{ add: debianLikeBase() }, { line: 2, add: [file('/opt/app', { size: 40 * MiB })] }],
    }, { options: { threshold: 0 } });
    assert.deepEqual(summarise(findings), []);
  });
});
