import rule from './onbuild-forbidden-trigger.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM node:20-alpine\nONBUILD COPY . /app\nONBUILD RUN npm ci\nONBUILD LABEL a=b\nONBUILD HEALTHCHECK NONE\n',
    { name: 'FROM and MAINTAINER outside ONBUILD', code: 'FROM node:20-alpine\nMAINTAINER someone\n' },
  ],
  invalid: [
    {
      code: 'FROM node:20-alpine\nONBUILD ONBUILD RUN npm ci\n',
      errors: [
        {
          line: 2,
          column: 9,
          endColumn: 16,
          hadolint: 'DL3043',
          severity: 'error',
          message: 'ONBUILD is not allowed as an ONBUILD trigger: the build fails; remove the inner ONBUILD (triggers do not chain).',
        },
      ],
    },
    {
      name: 'FROM and lower-case MAINTAINER, extra spaces',
      code: 'FROM node:20-alpine\nONBUILD FROM debian:12\nonbuild   maintainer "x"\n',
      errors: [
        { line: 2, column: 9, endColumn: 13, message: 'FROM is not allowed as an ONBUILD trigger: the build fails; a trigger cannot start a stage; remove it.' },
        { line: 3, column: 11, endColumn: 21, message: /^MAINTAINER is not allowed as an ONBUILD trigger: the build fails; set LABEL maintainer=/ },
      ],
    },
    {
      name: 'trigger on a continuation line',
      code: 'FROM node:20-alpine\nONBUILD \\\n  FROM x\n',
      errors: [{ line: 3, column: 3, endColumn: 7 }],
    },
  ],
});
