import rule from './gem-pin-versions.ts';
import { ruleTests } from './testing.ts';

const msg = (pkg: string, name = pkg) =>
  `Package "${pkg}" is not pinned to a version: install "${name}:<version>" (or add -v <version>) so that rebuilds install the same version.`;

ruleTests(rule, {
  valid: [
    'FROM ruby:3.3-slim\nRUN gem install bundler:2.5.11\n',
    { name: '-v pins the command', code: 'FROM ruby:3.3-slim\nRUN gem install rails -v 7.1.3 --no-document\n' },
    { name: '--version= form', code: 'FROM ruby:3.3-slim\nRUN gem i rake --version=13.2.1\n' },
    { name: 'build flags after --', code: 'FROM ruby:3.3-slim\nRUN gem install nokogiri:1.16.5 -- --use-system-libraries\n' },
    { name: 'an unknown flag with a boolean value', code: 'FROM ruby:3.3-slim\nRUN gem install pg:1.5.6 --with-pg-config true\n' },
    { name: 'local .gem file', code: 'FROM ruby:3.3-slim\nRUN gem install ./pkg/tool-0.1.0.gem\n' },
    { name: 'other gem commands', code: 'FROM ruby:3.3-slim\nRUN gem update --system && gem list\n' },
  ],
  invalid: [
    {
      code: 'FROM ruby:3.3-slim\nRUN gem install bundler\n',
      errors: [{ line: 2, column: 17, endLine: 2, endColumn: 24, hadolint: 'DL3028', severity: 'warning', message: msg('bundler') }],
    },
    {
      name: 'one of several, multi-line, alias i',
      code: 'FROM ruby:3.3-slim\nRUN gem i --no-document \\\n      bundler:2.5.11 \\\n      foreman\n',
      errors: [{ line: 4, column: 7, endColumn: 14, message: msg('foreman') }],
    },
    {
      name: 'ONBUILD',
      code: 'FROM ruby:3.3-slim\nONBUILD RUN gem install rubocop\n',
      errors: [{ line: 2, column: 25 }],
    },
  ],
});
