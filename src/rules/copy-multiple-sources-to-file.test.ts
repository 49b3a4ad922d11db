import rule from './copy-multiple-sources-to-file.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nCOPY app.conf /etc/app.conf\n',
    'FROM debian:12\nCOPY a.conf b.conf /etc/app/\n',
    { name: 'quoted with slash', code: 'FROM debian:12\nCOPY a.conf b.conf "/etc/app/"\n' },
    { name: 'JSON form with slash', code: 'FROM debian:12\nCOPY ["a b.conf", "c.conf", "/etc/app/"]\n' },
    { name: 'unknown variable is not judged', code: 'FROM debian:12\nARG DEST\nCOPY a.conf b.conf $DEST\n' },
    { name: 'variable ending in a slash', code: 'FROM debian:12\nENV CONF_DIR=/etc/app/\nCOPY a.conf b.conf ${CONF_DIR}\n' },
    { name: 'Windows separator', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY a.dll b.dll C:/app\\\\\n' },
    { name: 'one source', code: 'FROM debian:12\nADD https://example.org/a.txt /srv/a.txt\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY a.conf b.conf /etc/app\n',
      errors: [
        {
          line: 2,
          column: 20,
          endColumn: 28,
          hadolint: 'DL3021',
          severity: 'error',
          message: 'COPY has 2 sources, so the destination "/etc/app" is a directory: end it with "/" ("/etc/app/").',
          fix: 'COPY a.conf b.conf /etc/app/',
          fixLines: [2, 2],
        },
      ],
    },
    {
      name: 'quoted destination: the slash goes inside the quotes',
      code: 'FROM debian:12\nCOPY --chown=app a b c "/srv/my app"\n',
      errors: [{ line: 2, column: 24, endColumn: 37, message: /COPY has 3 sources/, fix: 'COPY --chown=app a b c "/srv/my app/"' }],
    },
    {
      name: 'the current directory',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json .\n',
      errors: [{ line: 3, column: 37, message: /destination "\." is a directory/, fix: 'COPY package.json package-lock.json ./' }],
    },
    {
      name: 'JSON form on a continuation line, ADD',
      code: 'FROM debian:12\nADD ["a.txt", \\\n     "b.txt", "/srv/data"]\n',
      errors: [{ line: 3, column: 15, endColumn: 26, message: /^ADD has 2 sources/, fix: '     "b.txt", "/srv/data/"]', fixLines: [3, 3] }],
    },
    {
      name: 'destination from a variable: no fix',
      code: 'FROM debian:12\nENV CONF_DIR=/etc/app\nCOPY a.conf b.conf $CONF_DIR\n',
      errors: [{ line: 3, column: 20, message: 'COPY has 2 sources, so the destination "/etc/app" is a directory: end it with "/" ("/etc/app/").' }],
    },
    {
      name: 'COPY --from and ONBUILD',
      code: 'FROM debian:12\nONBUILD COPY --from=build /out/a /out/b /opt\n',
      errors: [{ line: 2, column: 41, fix: 'ONBUILD COPY --from=build /out/a /out/b /opt/' }],
    },
  ],
});
