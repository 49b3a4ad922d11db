import rule from './shell-via-symlink.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN echo hi\n',
    { name: 'unrelated link', code: 'FROM debian:12\nRUN ln -sf /bin/true /usr/sbin/policy-rc.d\n' },
    { name: 'a link that points at /bin/sh replaces nothing', code: 'FROM debian:12\nRUN ln -s /bin/sh /usr/local/bin/posix-sh\n' },
    { name: '/bin/sh elsewhere in the RUN', code: 'FROM debian:12\nRUN ln -s a b && readlink -f /bin/sh\n' },
    { name: 'one operand links into the working directory', code: 'FROM debian:12\nRUN ln -s /bin/sh\n' },
    { name: 'exec form', code: 'FROM debian:12\nRUN ["ln", "-sf", "/bin/bash", "/bin/sh"]\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\n',
      errors: [
        {
          line: 2,
          column: 22,
          endColumn: 29,
          hadolint: 'DL4005',
          severity: 'warning',
          message: 'Do not make /bin/sh a link to /bin/bash: use SHELL ["/bin/bash", "-c"] to change the shell of RUN instructions.',
        },
      ],
    },
    {
      name: 'relative link target, /usr/bin/sh, on a continuation line',
      code: 'FROM ubuntu:24.04\nRUN apt-get install -y bash \\\n && ln -sfv bash /usr/bin/sh\n',
      errors: [{ line: 3, column: 18, endColumn: 29, message: 'Do not make /usr/bin/sh a link to /usr/bin/bash: use SHELL ["/usr/bin/bash", "-c"] to change the shell of RUN instructions.' }],
    },
    {
      name: 'ln -t /bin',
      code: 'FROM alpine:3.20\nRUN ln -sf -t /bin /opt/toolbox/sh\n',
      errors: [{ line: 2, column: 20, message: /link to \/opt\/toolbox\/sh/ }],
    },
    {
      name: 'into the /bin directory',
      code: 'FROM alpine:3.20\nRUN ln -sf /opt/toolbox/sh /bin/\n',
      errors: [{ line: 2, column: 12, endColumn: 27 }],
    },
    {
      name: 'link target not known',
      code: 'FROM debian:12\nRUN ln -sf "$SHELL_BIN" /bin/sh\n',
      errors: [{ line: 2, column: 25, message: 'Do not replace /bin/sh with a link: use the SHELL instruction to change the shell of RUN instructions.' }],
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM debian:12\nONBUILD RUN ln -sf /bin/bash /bin/sh\n',
      errors: [{ line: 2, column: 30, hadolint: 'DL4005' }],
    },
  ],
});
