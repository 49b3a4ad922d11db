import rule from './yarn-cache-clean-missing.ts';
import { ruleTests } from './testing.ts';

const msg = (cmd: string) => `"${cmd}" leaves its download cache in the image: end this RUN with "yarn cache clean".`;

ruleTests(rule, {
  valid: [
    'FROM node:20-slim\nRUN yarn install --frozen-lockfile && yarn cache clean\n',
    { name: 'cache mount at the default place', code: 'FROM node:20-slim\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile\n' },
    { name: 'cache mount where YARN_CACHE_FOLDER points', code: 'FROM node:20-slim\nENV YARN_CACHE_FOLDER=/cache/yarn\nRUN --mount=type=cache,target=/cache/yarn yarn\n' },
    { name: 'another user\'s cache mount', code: 'FROM node:20-slim\nUSER node\nRUN --mount=type=cache,target=/home/node/.cache/yarn,uid=1000 yarn install\n' },
    { name: 'cache folder removed', code: 'FROM node:20-slim\nRUN yarn global add serve@14.2.3 && rm -rf /usr/local/share/.cache/yarn\n' },
    { name: 'commands that download nothing', code: 'FROM node:20-slim\nRUN yarn build && yarn --version && yarn run test\n' },
    { name: 'a build stage', code: 'FROM node:20 AS build\nRUN yarn install\nFROM node:20-slim\nCOPY --from=build /app /app\n' },
  ],
  invalid: [
    {
      code: 'FROM node:20-slim\nRUN yarn install --frozen-lockfile\n',
      errors: [{ line: 2, column: 10, endLine: 2, endColumn: 17, hadolint: 'DL3060', severity: 'info', message: msg('yarn install') }],
    },
    {
      name: 'bare yarn installs; clean before does not help; one finding per RUN',
      code: 'FROM node:20-slim\nRUN yarn cache clean && yarn && yarn add left-pad\n',
      errors: [{ line: 2, column: 25, endColumn: 29, message: msg('yarn') }],
    },
    {
      name: 'a mount elsewhere; multi-line',
      code: 'FROM node:20-slim\nRUN --mount=type=cache,target=/root/.npm \\\n    yarn global add serve\n',
      errors: [{ line: 3, column: 17, endColumn: 20, message: msg('yarn global add') }],
    },
    {
      name: 'the stage the final image builds on; ONBUILD',
      code: 'FROM node:20-slim AS base\nONBUILD RUN yarn install\nFROM base\n',
      errors: [{ line: 2, column: 18 }],
    },
    {
      name: 'allStages',
      code: 'FROM node:20 AS build\nRUN yarn install\nFROM scratch\n',
      options: { allStages: true },
      errors: [{ line: 2, column: 10 }],
    },
  ],
});
