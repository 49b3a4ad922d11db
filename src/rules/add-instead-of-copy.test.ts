import rule from './add-instead-of-copy.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nCOPY app.conf /etc/app/\n',
    { name: 'archive to unpack', code: 'FROM debian:12\nADD rootfs.tar.xz /\n' },
    { name: 'quoted archive', code: 'FROM debian:12\nADD "vendor.tgz" /opt/\n' },
    { name: 'compressed file', code: 'FROM debian:12\nADD data.bz2 /srv/\n' },
    { name: 'URL', code: 'FROM debian:12\nADD https://example.org/tool.tar.gz /opt/\n' },
    { name: 'quoted URL', code: 'FROM debian:12\nADD "http://example.org/data.bin" /srv/\n' },
    { name: 'git over ssh', code: 'FROM debian:12\nADD git@github.com:acme/tools.git /src/tools\n' },
    { name: 'JSON form with an archive', code: 'FROM debian:12\nADD ["bundle.tar", "/opt/"]\n' },
    { name: 'unknown source is not judged', code: 'FROM debian:12\nARG SRC\nADD ${SRC} /opt/\n' },
    { name: 'source from an ARG that names an archive', code: 'FROM debian:12\nARG SRC=bundle.tgz\nADD ${SRC} /opt/\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nADD app.conf /etc/app/\n',
      errors: [
        {
          line: 2,
          column: 1,
          endColumn: 4,
          hadolint: 'DL3020',
          severity: 'warning',
          message: 'Use COPY instead of ADD for the local source "app.conf": ADD also fetches URLs and unpacks archives.',
          fix: 'COPY app.conf /etc/app/',
          fixLines: [2, 2],
        },
      ],
    },
    {
      name: 'zip is not unpacked by ADD',
      code: 'FROM debian:12\nADD "site.zip" /srv/\n',
      errors: [{ line: 2, column: 1, message: /local source "site.zip"/, fix: 'COPY "site.zip" /srv/' }],
    },
    {
      name: 'several sources, flags COPY also has, lower-case keyword',
      code: 'FROM debian:12\nadd --chown=app:app --chmod=644 a.conf b.conf /etc/app/\n',
      errors: [{ line: 2, column: 1, message: /local sources "a.conf", "b.conf"/, fix: 'copy --chown=app:app --chmod=644 a.conf b.conf /etc/app/' }],
    },
    {
      name: 'JSON form over continuation lines',
      code: 'FROM debian:12\nADD [ "src dir", \\\n      "/app/" ]\n',
      errors: [{ line: 2, column: 1, message: /"src dir"/, fix: 'COPY [ "src dir", \\' , fixLines: [2, 2] }],
    },
    {
      name: 'mixed with an archive: reported on the local source, no fix',
      code: 'FROM debian:12\nADD vendor.tgz notes.txt /opt/\n',
      errors: [
        {
          line: 2,
          column: 16,
          endColumn: 25,
          message: 'ADD copies the local source "notes.txt" like COPY would: move it to a COPY instruction and keep ADD for the URLs and archives.',
        },
      ],
    },
    {
      name: 'source from an ARG default',
      code: 'FROM debian:12\nARG CONF=app.conf\nADD ${CONF} /etc/app/\n',
      errors: [{ line: 3, column: 1, message: /"app.conf"/, fix: 'COPY ${CONF} /etc/app/' }],
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM debian:12\nONBUILD ADD . /app/\n',
      errors: [{ line: 2, column: 9, endColumn: 12, fix: 'ONBUILD COPY . /app/' }],
    },
    {
      name: 'heredoc source',
      code: 'FROM debian:12\nADD <<EOF /etc/motd\nhello\nEOF\n',
      errors: [{ line: 2, column: 1, message: /for the local source <<EOF:/, fix: 'COPY <<EOF /etc/motd' }],
    },
  ],
});
