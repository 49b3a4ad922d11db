import rule from './curl-and-wget.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN wget -q https://example.org/a\nRUN wget -q https://example.org/b\n',
    { name: 'different stages', code: 'FROM debian:12 AS fetch\nRUN wget -q https://example.org/a\nFROM alpine:3.20\nRUN curl -fsSLO https://example.org/b\n' },
    { name: 'installing both is not using both', code: 'FROM debian:12\nRUN apt-get install -y curl wget\n' },
    { name: 'looking one up', code: 'FROM debian:12\nRUN command -v wget || curl -fsSLO https://example.org/a\n' },
    { name: 'ONBUILD triggers are judged apart', code: 'FROM debian:12\nRUN wget -q https://example.org/a\nONBUILD RUN curl -fsSLO https://example.org/b\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN wget -q https://example.org/a\nRUN curl -fsSLO https://example.org/b\n',
      errors: [
        {
          line: 3,
          column: 5,
          endColumn: 9,
          hadolint: 'DL4001',
          severity: 'info',
          message: 'This stage uses both curl and wget (line 2): use one of them for every download.',
        },
      ],
    },
    {
      name: 'in one RUN, on a continuation line',
      code: 'FROM debian:12\nRUN wget -q https://example.org/a \\\n  && curl -fsSLO https://example.org/b\n',
      errors: [{ line: 3, column: 6, endColumn: 10, message: 'This stage uses both curl and wget (line 2): use one of them for every download.' }],
    },
    {
      name: 'every later RUN using either, once per RUN',
      code: 'FROM debian:12\nRUN curl -fsSLO https://example.org/a\nRUN wget -q https://example.org/b\nRUN echo done\nRUN curl -fsSLO https://example.org/c && curl -fsSLO https://example.org/d\n',
      errors: [
        { line: 3, column: 5, message: /both wget and curl \(line 2\)/ },
        { line: 5, column: 5, message: /both curl and wget \(line 3\)/ },
      ],
    },
    {
      name: 'stages are judged one by one',
      code: 'FROM debian:12 AS a\nRUN curl -fsSLO https://example.org/a\nRUN wget -q https://example.org/b\nFROM debian:12\nRUN wget -q https://example.org/c\n',
      errors: [{ line: 3, column: 5 }],
    },
    {
      name: 'ONBUILD triggers among themselves',
      code: 'FROM debian:12\nONBUILD RUN curl -fsSLO https://example.org/a\nONBUILD RUN wget -q https://example.org/b\n',
      errors: [{ line: 3, column: 13, hadolint: 'DL4001' }],
    },
    {
      name: 'inside sh -c',
      code: "FROM debian:12\nRUN wget -q https://example.org/a\nRUN sh -c 'curl -fsSLO https://example.org/b'\n",
      errors: [{ line: 3, column: 12 }],
    },
  ],
});
