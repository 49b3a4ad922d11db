import rule from './pip-no-cache-dir.ts';
import { ruleTests } from './testing.ts';

const msg = (cmd: string) => `"${cmd}" keeps its download cache in the image: add --no-cache-dir.`;

ruleTests(rule, {
  valid: [
    'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n',
    'FROM python:3.12-slim\nRUN pip3 install flask --no-cache-dir\n',
    { name: 'ENV in the stage', code: 'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n' },
    { name: 'ENV inherited from the stage built on', code: 'FROM python:3.12-slim AS base\nENV PIP_NO_CACHE_DIR=on\nFROM base\nRUN pip install flask\n' },
    {
      name: 'pip turns the cache off for every boolean value, "false" included',
      code: 'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=false\nRUN pip install flask\n',
    },
    { name: 'assignment before the command', code: 'FROM python:3.12-slim\nRUN PIP_NO_CACHE_DIR=true pip install flask\n' },
    { name: 'env wrapper', code: 'FROM python:3.12-slim\nRUN env PIP_NO_CACHE_DIR=yes pip install flask\n' },
    { name: 'export earlier in the RUN', code: 'FROM python:3.12-slim\nRUN export PIP_NO_CACHE_DIR=1 && pip install flask\n' },
    { name: 'cache mount', code: 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n' },
    {
      name: 'cache mount where PIP_CACHE_DIR points',
      code: 'FROM python:3.12-slim\nENV PIP_CACHE_DIR=/cache/pip\nRUN --mount=type=cache,target=/cache/pip pip install flask\n',
    },
    { name: 'pip cache purge afterwards', code: 'FROM python:3.12-slim\nRUN pip install flask && pip cache purge\n' },
    { name: 'pipx and pipenv are other tools', code: 'FROM python:3.12-slim\nRUN pipx install black && pipenv install\n' },
    { name: 'a builder stage', code: 'FROM python:3.12 AS build\nRUN pip wheel -w /wheels flask && pip install flask\nFROM python:3.12-slim\nCOPY --from=build /wheels /wheels\n' },
  ],
  invalid: [
    {
      code: 'FROM python:3.12-slim\nRUN pip install flask\n',
      errors: [
        {
          line: 2,
          column: 9,
          endLine: 2,
          endColumn: 16,
          hadolint: 'DL3042',
          severity: 'info',
          message: msg('pip install'),
          fix: 'RUN pip install --no-cache-dir flask',
          fixLines: [2, 2],
        },
      ],
    },
    {
      name: 'python -m pip with a requirements file, multi-line',
      code: 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN python3 -m pip \\\n      install -r requirements.txt\n',
      errors: [{ line: 4, column: 7, endColumn: 14, message: msg('python3 -m pip install'), fix: '      install --no-cache-dir -r requirements.txt' }],
    },
    {
      name: 'ENV in a stage this one does not build on',
      code: 'FROM python:3.12-slim AS other\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12-slim\nRUN pip install flask\n',
      errors: [{ line: 4, column: 9 }],
    },
    {
      name: 'export after the install',
      code: 'FROM python:3.12-slim\nRUN pip install flask; export PIP_NO_CACHE_DIR=1\n',
      errors: [{ line: 2, column: 9 }],
    },
    {
      name: 'a mount that is not the pip cache',
      code: 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/var/cache/apt pip install flask\n',
      errors: [{ line: 2, column: 50 }],
    },
    {
      name: 'ONBUILD in a stage that is not shipped',
      code: 'FROM python:3.12-slim AS template\nONBUILD RUN pip install -U pip\nFROM scratch\n',
      errors: [{ line: 2, column: 17, fix: 'ONBUILD RUN pip install --no-cache-dir -U pip' }],
    },
    {
      name: 'allStages',
      code: 'FROM python:3.12 AS build\nRUN pip install flask\nFROM scratch\n',
      options: { allStages: true },
      errors: [{ line: 2, column: 9 }],
    },
  ],
});
