import rule from './copy-all-without-dockerignore.ts';
import { ruleTests } from './testing.ts';

const MESSAGE = 'COPY . copies the whole build context, and it has no .dockerignore: add one that excludes .git, secrets and build output, or copy only what the image needs.';
const none = { hasDockerignore: false };

ruleTests(rule, {
  valid: [
    { name: 'unknown (the default) reports nothing', code: 'FROM node:20\nWORKDIR /app\nCOPY . .\n' },
    { name: 'with a .dockerignore', code: 'FROM node:20\nWORKDIR /app\nCOPY . .\n', options: { hasDockerignore: true } },
    { name: 'named files', code: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY src/ ./src/\n', options: none },
    { name: 'from another stage', code: 'FROM node:20 AS build\nRUN true\nFROM node:20\nCOPY --from=build . /app/\n', options: none },
    { name: 'a dot-directory is not the context', code: 'FROM node:20\nCOPY .config /app/.config\n', options: none },
  ],
  invalid: [
    {
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\n',
      options: none,
      errors: [{ line: 3, column: 6, endColumn: 7, severity: 'info', message: MESSAGE }],
    },
    {
      name: 'ADD ./ and JSON form, on a continuation line',
      code: 'FROM node:20\nADD ./ /app/\nCOPY --chown=node \\\n   ["package.json", ".", "/app/"]\n',
      options: none,
      errors: [
        { line: 2, column: 5, endColumn: 7, message: /^ADD \.\/ copies the whole build context/ },
        { line: 4, column: 21, endColumn: 24, message: MESSAGE },
      ],
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM node:20\nONBUILD COPY . /app/\n',
      options: none,
      errors: [{ line: 2, column: 14 }],
    },
  ],
});
