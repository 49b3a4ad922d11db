import rule from './curl-pipe-shell.ts';
import { ruleTests } from './testing.ts';

const ADVICE = 'download it to a file, verify its SHA-256 checksum, then run it.';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN curl -fsSLo /tmp/install.sh https://example.org/install.sh \\\n && echo "0123abcd  /tmp/install.sh" | sha256sum -c - \\\n && sh /tmp/install.sh\n',
    { name: 'download piped into tar', code: 'FROM debian:12\nRUN curl -fsSL https://example.org/tool.tgz | tar -xz -C /usr/local/bin\n' },
    { name: 'curl writing to a file', code: 'FROM debian:12\nRUN curl -fsSL -o /tmp/x.sh https://example.org/x.sh | sh\n' },
    { name: 'curl -O', code: 'FROM debian:12\nRUN curl -fsSLO https://example.org/x.sh | bash\n' },
    { name: 'wget without -O - writes a file', code: 'FROM debian:12\nRUN wget -q https://example.org/x.sh | sh\n' },
    { name: 'python parses JSON from the pipe', code: 'FROM python:3.12\nRUN curl -fsSL https://example.org/v.json | python3 -c "import json,sys; print(json.load(sys.stdin))"\n' },
    { name: 'shell runs a file, not stdin', code: 'FROM debian:12\nRUN curl -fsSL https://example.org/data | bash ./consume.sh\n' },
    { name: 'sh -c with a literal string', code: 'FROM debian:12\nRUN sh -c "echo hi"\n' },
    { name: 'exec form', code: 'FROM debian:12\nRUN ["sh", "-c", "curl -fsSL https://example.org/x | sh"]\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN curl -fsSL https://example.org/install.sh | sh\n',
      errors: [
        {
          line: 2,
          column: 5,
          endColumn: 51,
          severity: 'warning',
          message: `The script downloaded by curl is piped into sh and runs unverified: ${ADVICE}`,
        },
      ],
    },
    {
      name: 'wget -qO- into sudo bash, over continuation lines',
      code: 'FROM debian:12\nRUN apt-get update && wget -qO- https://example.org/setup \\\n    | sudo -E bash -\n',
      errors: [{ line: 2, column: 23, endLine: 3, endColumn: 21, message: `The script downloaded by wget is piped into sudo bash and runs unverified: ${ADVICE}` }],
    },
    {
      name: 'through another command, into bash -s with arguments',
      code: 'FROM debian:12\nRUN curl -sSf https://example.org/rustup.sh | tee /tmp/log | bash -s -- -y\n',
      errors: [{ line: 2, column: 5, message: /piped into bash/ }],
    },
    {
      name: 'into python3 -',
      code: 'FROM python:3.12\nRUN curl -sSL https://example.org/get-tool.py | python3 -\n',
      errors: [{ line: 2, column: 5, message: /piped into python3/ }],
    },
    {
      name: 'wget --output-document=-',
      code: 'FROM debian:12\nRUN wget --output-document=- https://example.org/i.sh | busybox sh\n',
      errors: [{ line: 2, column: 5, message: /by wget is piped into busybox sh/ }],
    },
    {
      name: 'bash <(curl …)',
      code: 'FROM debian:12\nRUN bash <(curl -fsSL https://example.org/install.sh)\n',
      errors: [{ line: 2, column: 5, endColumn: 54, message: `The script downloaded by curl is run by bash unverified: ${ADVICE}` }],
    },
    {
      name: 'sh -c "$(curl …)"',
      code: 'FROM debian:12\nRUN sh -c "$(curl -fsSL https://example.org/install.sh)" "" --unattended\n',
      errors: [{ line: 2, column: 5, message: /downloaded by curl is run by sh unverified/ }],
    },
    {
      name: 'eval "$(wget -qO- …)" inside a chain',
      code: 'FROM debian:12\nRUN set -e; eval "$(wget -qO- https://example.org/env.sh)"\n',
      errors: [{ line: 2, column: 13, message: /downloaded by wget is run by eval/ }],
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM debian:12\nONBUILD RUN curl -fsSL https://example.org/i.sh | bash\n',
      errors: [{ line: 2, column: 13 }],
    },
    {
      name: 'inside sh -c',
      code: "FROM debian:12\nRUN sh -c 'curl -fsSL https://example.org/i.sh | sh'\n",
      errors: [{ line: 2, column: 12, endColumn: 52 }],
    },
  ],
});
