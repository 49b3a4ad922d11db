import rule from './cd-instead-of-workdir.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM node:20\nWORKDIR /srv/app\nRUN npm ci\n',
    { name: 'cd as an argument', code: 'FROM debian:12\nRUN echo cd /tmp > notes.txt\n' },
    { name: 'a command merely named like cd', code: 'FROM debian:12\nRUN cdrecord --version\n' },
    { name: 'exec form', code: 'FROM debian:12\nRUN ["cd", "/tmp"]\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN cd /usr/src && make\n',
      errors: [
        {
          line: 2,
          column: 5,
          endColumn: 7,
          hadolint: 'DL3003',
          severity: 'warning',
          message: 'Use WORKDIR to switch to "/usr/src" instead of cd: cd lasts only until the end of this RUN.',
        },
      ],
    },
    {
      name: 'in a subshell, on a continuation line',
      code: 'FROM debian:12\nRUN make -C lib \\\n && (cd tools && ./build.sh)\n',
      errors: [{ line: 3, column: 6, endColumn: 8, message: 'Use WORKDIR to switch to "tools" instead of cd (in a subshell): cd lasts only until the end of this RUN.' }],
    },
    {
      name: 'inside sh -c',
      code: 'FROM debian:12\nRUN sh -c "cd /opt/tool && ./install"\n',
      errors: [{ line: 2, column: 12, endColumn: 14, message: /\(inside a shell string\)/ }],
    },
    {
      name: 'bare cd goes home',
      code: 'FROM debian:12\nRUN cd; ls\n',
      errors: [{ line: 2, column: 5, message: /switch to the home directory/ }],
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM debian:12\nONBUILD RUN cd /app && make\n',
      errors: [{ line: 2, column: 13, hadolint: 'DL3003' }],
    },
    {
      name: 'every cd',
      code: 'FROM debian:12\nRUN cd /a && make && cd /b && make\n',
      errors: [
        { line: 2, column: 5 },
        { line: 2, column: 22 },
      ],
    },
  ],
});
