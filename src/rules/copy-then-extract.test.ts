import rule from './copy-then-extract.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    {
      name: 'a Windows stage: cmd runs RUN, which is not read as POSIX shell',
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY out\\pkg.tar.gz "C:\\Program Files\\App"\nRUN tar -xf "C:\\Program Files\\App\\pkg.tar.gz"\n',
    },
    'FROM debian:12\nADD vendor.tar.gz /opt/\n',
    { name: 'copied, never extracted', code: 'FROM debian:12\nCOPY backup.tar /srv/\nRUN ls -l /srv\n' },
    { name: 'not an archive', code: 'FROM debian:12\nCOPY package.json /app/\nRUN tar -cf /tmp/p.tar /app/package.json\n' },
    { name: 'tar creating, not extracting', code: 'FROM debian:12\nCOPY docs.tar /srv/\nRUN tar -tf /srv/docs.tar\n' },
    { name: 'from another stage', code: 'FROM debian:12 AS fetch\nRUN true\nFROM debian:12\nCOPY --from=fetch /out/tool.tar.gz /tmp/\nRUN tar -xzf /tmp/tool.tar.gz -C /opt\n' },
    { name: 'extracted in another stage', code: 'FROM debian:12 AS a\nCOPY tool.tgz /tmp/\nFROM debian:12\nRUN tar -xzf /tmp/tool.tgz\n' },
    { name: 'a different file of another name', code: 'FROM debian:12\nCOPY a.tar.gz /tmp/\nRUN tar -xzf /tmp/b.tar.gz\n' },
    { name: 'zip: ADD would not unpack it', code: 'FROM debian:12\nCOPY site.zip /tmp/\nRUN unzip /tmp/site.zip -d /srv\n' },
    { name: 'gunzip of a plain .gz file', code: 'FROM debian:12\nCOPY words.gz /tmp/\nRUN gunzip /tmp/words.gz\n' },
    { name: 'lzip: ADD cannot unpack it', code: 'FROM debian:12\nCOPY src.tar.lz /tmp/\nRUN tar --lzip -xf /tmp/src.tar.lz\n' },
    { name: 'bind mount', code: 'FROM debian:12\nRUN --mount=type=bind,source=tool.tgz,target=/tmp/tool.tgz tar -xzf /tmp/tool.tgz -C /opt\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY tool-1.2.tar.gz /tmp/\nRUN tar -xzf /tmp/tool-1.2.tar.gz -C /opt\n',
      errors: [
        {
          line: 2,
          column: 6,
          endColumn: 21,
          hadolint: 'DL3010',
          severity: 'info',
          message:
            '"tool-1.2.tar.gz" is copied here and unpacked by tar on line 3, so the archive stays in this layer: let ADD unpack it, or bind-mount it in that RUN (--mount=type=bind).',
        },
      ],
    },
    {
      name: 'relative name after WORKDIR, old-style tar options, in a chain on a continuation line',
      code: 'FROM debian:12\nCOPY dist/bundle.tar /srv/app/\nWORKDIR /srv/app\nRUN echo unpacking \\\n && tar xf bundle.tar && rm bundle.tar\n',
      errors: [{ line: 2, column: 6, endColumn: 21, message: /^"bundle.tar" is copied here and unpacked by tar on line 5/ }],
    },
    {
      name: 'destination names the archive',
      code: 'FROM debian:12\nCOPY build/out.tgz /opt/app.tgz\nRUN tar --extract --file=/opt/app.tgz -C /opt\n',
      errors: [{ line: 2, column: 20, endColumn: 32, message: /^"app.tgz"/ }],
    },
    {
      name: 'decompressor on a compressed tar',
      code: 'FROM debian:12\nCOPY rootfs.tar.xz /tmp/\nRUN xzcat /tmp/rootfs.tar.xz | tar -x -C /\n',
      errors: [{ line: 2, column: 6, message: /unpacked by xzcat on line 3/ }],
    },
    {
      name: 'several sources, one extracted',
      code: 'FROM debian:12\nCOPY a.tar b.tar notes.txt /tmp/\nRUN tar -xf /tmp/b.tar\n',
      errors: [{ line: 2, column: 12, endColumn: 17, message: /^"b.tar"/ }],
    },
    {
      name: 'ONBUILD triggers',
      code: 'FROM debian:12\nONBUILD COPY app.tar /tmp/\nONBUILD RUN tar -xf /tmp/app.tar\n',
      errors: [{ line: 2, column: 14 }],
    },
  ],
});
