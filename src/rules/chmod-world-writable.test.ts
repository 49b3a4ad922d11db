import rule from './chmod-world-writable.ts';
import { ruleTests } from './testing.ts';

const ADVICE = 'give write access to the owner only (e.g. 755 or 644) and chown the path to the user that needs it.';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN chmod 755 /usr/local/bin/tool && chmod 644 /etc/tool.conf\n',
    { name: 'sticky shared directory', code: 'FROM debian:12\nRUN mkdir -p /scratch && chmod 1777 /scratch\n' },
    { name: 'sticky symbolic', code: 'FROM debian:12\nRUN chmod a+rwxt /scratch\n' },
    { name: 'sticky in another clause', code: 'FROM debian:12\nRUN chmod o+w,+t /scratch\n' },
    { name: 'group write only', code: 'FROM debian:12\nRUN chmod -R g+w /srv/app\n' },
    { name: 'no "who": the umask keeps others out', code: 'FROM debian:12\nRUN chmod +w /srv/app/log\n' },
    { name: 'taking write away', code: 'FROM debian:12\nRUN chmod o-w /srv/app && chmod a-w /etc/tool.conf\n' },
    { name: 'granted then revoked', code: 'FROM debian:12\nRUN chmod a+w,o-w /srv/app\n' },
    { name: 'mode from a reference file', code: 'FROM debian:12\nRUN chmod --reference=/etc/passwd /etc/tool.conf\n' },
    { name: 'mkdir with a safe mode', code: 'FROM debian:12\nRUN mkdir -pm 750 /srv/data\n' },
    { name: 'COPY with a safe mode', code: 'FROM debian:12\nCOPY --chmod=755 run.sh /usr/local/bin/\n' },
    { name: 'unknown mode', code: 'FROM debian:12\nARG MODE\nRUN chmod "$MODE" /srv\n' },
    { name: 'exec form', code: 'FROM debian:12\nRUN ["chmod", "777", "/srv"]\n' },
  ],
  invalid: [
    {
      name: 'a path with an expansion is shown as written, quotes and all',
      code: 'FROM debian:12\nRUN dir="$(mktemp -d)" && chmod 777 "$dir"\n',
      errors: [{ line: 2, message: /^chmod 777 makes "\$dir" writable by every user: / }],
    },
    {
      code: 'FROM debian:12\nRUN chmod 777 /srv/data\n',
      errors: [
        {
          line: 2,
          column: 11,
          endColumn: 14,
          severity: 'warning',
          message: `chmod 777 makes "/srv/data" writable by every user: ${ADVICE}`,
        },
      ],
    },
    {
      name: 'recursive, on a continuation line',
      code: 'FROM debian:12\nRUN mkdir -p /srv/app \\\n && chmod -R 0666 /srv/app /srv/cache\n',
      errors: [{ line: 3, column: 14, endColumn: 18, message: `chmod -R 0666 makes "/srv/app" and 1 more path writable by every user: ${ADVICE}` }],
    },
    {
      name: 'symbolic modes',
      code: 'FROM debian:12\nRUN chmod a+w /a; chmod o=rwx /b; chmod u+x,go+w /c; chmod ugo+rw /d\n',
      errors: [
        { line: 2, column: 11, message: /^chmod a\+w makes "\/a"/ },
        { line: 2, column: 25, message: /^chmod o=rwx/ },
        { line: 2, column: 41, message: /^chmod u\+x,go\+w/ },
        { line: 2, column: 60, message: /^chmod ugo\+rw/ },
      ],
    },
    {
      name: 'mode from an ARG default, behind sudo',
      code: 'FROM debian:12\nARG MODE=777\nRUN sudo chmod $MODE /srv\n',
      errors: [{ line: 3, column: 16, endColumn: 21, message: /^chmod 777 makes "\/srv"/ }],
    },
    {
      name: 'mkdir -m and install -m',
      code: 'FROM debian:12\nRUN mkdir -m 777 /srv/drop && install -m0666 -D app.conf /etc/app/app.conf && mkdir --mode=a+w /x\n',
      errors: [
        { line: 2, column: 14, endColumn: 17, message: `mkdir with mode 777 makes "/srv/drop" writable by every user: ${ADVICE}` },
        { line: 2, column: 41, endColumn: 45, message: /^install with mode 0666 makes "app.conf" and 1 more path/ },
        { line: 2, column: 92, endColumn: 95, message: /^mkdir with mode a\+w/ },
      ],
    },
    {
      name: 'COPY and ADD --chmod',
      code: 'FROM debian:12\nCOPY --chmod=777 run.sh /usr/local/bin/\nADD --chown=app --chmod=a+rw conf/ /etc/app/\n',
      errors: [
        { line: 2, column: 14, endColumn: 17, message: `COPY --chmod=777 makes the copied files writable by every user: ${ADVICE}` },
        { line: 3, column: 25, endColumn: 29, message: /^ADD --chmod=a\+rw/ },
      ],
    },
    {
      name: 'inside sh -c',
      code: "FROM debian:12\nRUN sh -c 'chmod 777 /srv'\n",
      errors: [{ line: 2, column: 18, endColumn: 21 }],
    },
    {
      name: 'ONBUILD',
      code: 'FROM debian:12\nONBUILD RUN chmod 777 /srv\nONBUILD COPY --chmod=666 a /a\n',
      errors: [{ line: 2, column: 19 }, { line: 3, column: 22 }],
    },
  ],
});
