import rule from './copy-relative-destination.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nCOPY run.sh /usr/local/bin/run.sh\n',
    'FROM debian:12\nWORKDIR /srv/app\nCOPY . .\n',
    { name: 'quoted absolute', code: 'FROM debian:12\nCOPY run.sh "/usr/local/bin/"\n' },
    { name: 'Windows absolute paths', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY app.exe c:\\app\\app.exe\nCOPY app.cfg D:/cfg/app.cfg\n' },
    { name: 'unknown variable is not judged', code: 'FROM debian:12\nARG TARGET_DIR\nCOPY run.sh ${TARGET_DIR}\n' },
    { name: 'variable with an absolute value', code: 'FROM debian:12\nENV APP_HOME=/srv/app\nCOPY run.sh "$APP_HOME"\n' },
    { name: 'WORKDIR in the stage built on', code: 'FROM debian:12 AS base\nWORKDIR /srv\nFROM debian:12 AS other\nRUN true\nFROM base\nCOPY run.sh run.sh\n' },
    { name: 'WORKDIR two stages up', code: 'FROM debian:12 AS one\nWORKDIR /srv\nFROM one AS two\nRUN true\nFROM two\nCOPY run.sh run.sh\n' },
    { name: 'ONBUILD WORKDIR then ONBUILD COPY', code: 'FROM debian:12\nONBUILD WORKDIR /srv\nONBUILD COPY . app/\n' },
    { name: 'ONBUILD COPY runs after the whole stage', code: 'FROM debian:12\nONBUILD COPY . app/\nWORKDIR /srv\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY run.sh bin/run.sh\n',
      errors: [
        {
          line: 2,
          column: 13,
          endColumn: 23,
          hadolint: 'DL3045',
          severity: 'warning',
          message:
            'COPY to the relative destination "bin/run.sh" without a WORKDIR in this stage: it lands in whatever directory the base image uses; set WORKDIR first or use an absolute path.',
        },
      ],
    },
    {
      name: 'quoted, and WORKDIR only after',
      code: 'FROM debian:12\nCOPY run.sh "run.sh"\nWORKDIR /srv\n',
      errors: [{ line: 2, column: 13, endColumn: 21, message: /"run.sh"/ }],
    },
    {
      name: 'WORKDIR of an unrelated earlier stage does not count',
      code: 'FROM debian:12 AS tools\nWORKDIR /srv\nFROM debian:12\nCOPY --from=tools /srv/x x\n',
      errors: [{ line: 4, column: 26, endColumn: 27 }],
    },
    {
      name: 'COPY . . and ADD, JSON form over a continuation line',
      code: 'FROM node:20\nCOPY . .\nADD ["a.tgz", \\\n     "vendor/"]\n',
      errors: [
        { line: 2, column: 8, message: /^COPY to the relative destination "\."/ },
        { line: 4, column: 6, endColumn: 15, message: /^ADD to the relative destination "vendor\/"/ },
      ],
    },
    {
      name: 'variable with a relative value',
      code: 'FROM debian:12\nENV DEST=app\nCOPY run.sh $DEST\n',
      errors: [{ line: 3, column: 13, message: /"app"/ }],
    },
    {
      name: 'ONBUILD COPY with no WORKDIR anywhere',
      code: 'FROM debian:12\nONBUILD COPY . app/\n',
      errors: [{ line: 2, column: 16 }],
    },
    {
      name: 'before any FROM',
      code: 'COPY a b\n',
      errors: [{ line: 1, column: 8 }],
    },
  ],
});
