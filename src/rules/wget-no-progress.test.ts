import rule from './wget-no-progress.ts';
import { ruleTests } from './testing.ts';

const MESSAGE = 'wget without --progress=dot:giga, -q or -nv prints thousands of progress lines into the build log: add one of them.';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN wget --progress=dot:giga https://example.org/big.iso\n',
    'FROM debian:12\nRUN wget --progress bar:force https://example.org/big.iso\n',
    'FROM alpine:3.20\nRUN wget -q https://example.org/a.tgz\n',
    'FROM alpine:3.20\nRUN wget -qO- https://example.org/a.tgz | tar -xz\n',
    'FROM debian:12\nRUN wget --quiet https://example.org/a.tgz\n',
    'FROM debian:12\nRUN wget -nv https://example.org/a.tgz\n',
    'FROM debian:12\nRUN wget --no-verbose https://example.org/a.tgz\n',
    'FROM debian:12\nRUN wget -o /var/log/wget.log https://example.org/a.tgz\n',
    'FROM debian:12\nRUN wget --output-file=/var/log/wget.log https://example.org/a.tgz\n',
    'FROM debian:12\nRUN wget -a /var/log/wget.log https://example.org/a.tgz\n',
    'FROM debian:12\nRUN wget --append-output /var/log/wget.log https://example.org/a.tgz\n',
    { name: 'version check', code: 'FROM debian:12\nRUN wget --version\n' },
    { name: 'spider', code: 'FROM debian:12\nRUN wget --spider https://example.org/\n' },
    { name: 'looked up only', code: 'FROM debian:12\nRUN command -v wget\n' },
    { name: 'installing wget', code: 'FROM debian:12\nRUN apt-get install -y wget\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN wget https://example.org/a.tgz\n',
      errors: [{ line: 2, column: 5, endColumn: 9, hadolint: 'DL3047', severity: 'info', message: MESSAGE }],
    },
    {
      name: '-O is the output document, not the log file',
      code: 'FROM debian:12\nRUN wget -O /tmp/a.tgz https://example.org/a.tgz\n',
      errors: [{ line: 2, column: 5 }],
    },
    {
      name: '-nc is not -nv',
      code: 'FROM debian:12\nRUN wget -nc https://example.org/a.tgz\n',
      errors: [{ line: 2, column: 5 }],
    },
    {
      name: 'on a continuation line, behind sudo',
      code: 'FROM debian:12\nRUN mkdir -p /opt/x \\\n && sudo wget -P /opt/x https://example.org/a.tgz\n',
      errors: [{ line: 3, column: 10, endColumn: 14, message: MESSAGE }],
    },
    {
      name: 'inside sh -c',
      code: "FROM debian:12\nRUN sh -c 'wget https://example.org/a.tgz'\n",
      errors: [{ line: 2, column: 12 }],
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM debian:12\nONBUILD RUN wget https://example.org/a.tgz\n',
      errors: [{ line: 2, column: 13, hadolint: 'DL3047' }],
    },
    {
      name: 'each wget',
      code: 'FROM debian:12\nRUN wget https://example.org/a && wget -q https://example.org/b && wget https://example.org/c\n',
      errors: [{ line: 2, column: 5 }, { line: 2, column: 68 }],
    },
  ],
});
