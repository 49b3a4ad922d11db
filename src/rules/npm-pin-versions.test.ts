import rule from './npm-pin-versions.ts';
import { ruleTests } from './testing.ts';

const msg = (pkg: string, name = pkg) =>
  `Package "${pkg}" is not pinned to a version: install "${name}@<version>" so that rebuilds install the same version.`;
const git = (pkg: string) =>
  `Package "${pkg}" is not pinned to a version: add "#<tag or commit>" to the repository URL so that rebuilds install the same version.`;

ruleTests(rule, {
  valid: [
    'FROM node:20-slim\nRUN npm install\n',
    'FROM node:20-slim\nRUN npm ci --omit=dev\n',
    { name: 'pinned, scoped, ranges', code: 'FROM node:20-slim\nRUN npm install -g typescript@5.4.5 @angular/cli@"^17.3.0" "left-pad@>=1.0.0 <2"\n' },
    { name: 'options with values', code: 'FROM node:20-slim\nRUN npm --prefix /opt/app install --registry https://npm.example.org --loglevel warn pm2@5.4.0\n' },
    { name: 'tarballs and folders', code: 'FROM node:20-slim\nRUN npm install ./vendor/lib ../shared /opt/pkg.tgz app-1.0.0.tar.gz ~/local\n' },
    { name: 'git with a ref', code: 'FROM node:20-slim\nRUN npm install git+https://github.com/example/lib.git#v2.0.0 example/other#1a2b3c4\n' },
    { name: 'npm run install is a script', code: 'FROM node:20-slim\nRUN npm run --silent install\n' },
    { name: 'version from an ARG', code: 'FROM node:20-slim\nARG PNPM_VERSION=9.1.0\nRUN npm install -g pnpm@${PNPM_VERSION}\n' },
  ],
  invalid: [
    {
      code: 'FROM node:20-slim\nRUN npm install -g pm2\n',
      errors: [{ line: 2, column: 20, endLine: 2, endColumn: 23, hadolint: 'DL3016', severity: 'warning', message: msg('pm2') }],
    },
    {
      name: '@latest is not a pin; scoped without version; alias i',
      code: 'FROM node:20-slim\nRUN npm i --global \\\n    typescript@latest \\\n    @nestjs/cli\n',
      errors: [
        { line: 3, column: 5, endColumn: 22, message: msg('typescript@latest', 'typescript') },
        { line: 4, column: 5, endColumn: 16, message: msg('@nestjs/cli') },
      ],
    },
    {
      name: 'git URL and GitHub shorthand without a ref',
      code: 'FROM node:20-slim\nRUN npm install git+ssh://git@github.com/example/lib.git example/other\n',
      errors: [
        { line: 2, column: 17, message: git('git+ssh://git@github.com/example/lib.git') },
        { line: 2, column: 58, message: git('example/other') },
      ],
    },
    {
      name: 'a value option in = form; ONBUILD',
      code: 'FROM node:20-slim\nONBUILD RUN npm install --registry=https://npm.example.org serve\n',
      errors: [{ line: 2, column: 60, message: msg('serve') }],
    },
  ],
});
