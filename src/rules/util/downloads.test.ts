import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../dockerfile/parse.ts';
import { type ShellCommand } from '../../dockerfile/shell.ts';
import { downloadSubstitution, downloadsToStdout, inlineCodeWord, interpreterOf, runsStdin } from './downloads.ts';

function cmd(script: string, base?: string): ShellCommand {
  const m = parseDockerfile(`FROM x\nRUN ${script}\n`, 'Dockerfile');
  const cmds = m.all.find((i) => i.keyword === 'RUN')!.shell!.commands;
  return base ? cmds.find((c) => c.base === base)! : cmds[0];
}

describe('downloadsToStdout', () => {
  test('curl', () => {
    assert.equal(downloadsToStdout(cmd('curl -fsSL https://x')), true);
    assert.equal(downloadsToStdout(cmd('curl -fsSLo out https://x')), false);
    assert.equal(downloadsToStdout(cmd('curl -o - https://x')), true);
    assert.equal(downloadsToStdout(cmd('curl -O https://x')), false);
    assert.equal(downloadsToStdout(cmd('curl -H "A: b" --remote-name https://x')), false);
  });
  test('wget', () => {
    assert.equal(downloadsToStdout(cmd('wget https://x')), false);
    assert.equal(downloadsToStdout(cmd('wget -qO- https://x')), true);
    assert.equal(downloadsToStdout(cmd('wget -O /dev/stdout https://x')), true);
    assert.equal(downloadsToStdout(cmd('wget -O file https://x')), false);
  });
});

describe('interpreters', () => {
  test('interpreterOf', () => {
    assert.equal(interpreterOf(cmd('busybox sh')), 'sh');
    assert.equal(interpreterOf(cmd('python3.12 -')), 'python');
    assert.equal(interpreterOf(cmd('busybox wget x')), null);
    assert.equal(interpreterOf(cmd('tar -x')), null);
  });
  test('runsStdin', () => {
    assert.equal(runsStdin(cmd('sh')), true);
    assert.equal(runsStdin(cmd('bash -s -- --yes')), true);
    assert.equal(runsStdin(cmd('bash -e -o pipefail')), true);
    assert.equal(runsStdin(cmd('sh -c "cat"')), false);
    assert.equal(runsStdin(cmd('sh ./install.sh')), false);
    assert.equal(runsStdin(cmd('python3 -')), true);
    assert.equal(runsStdin(cmd('python3 -m json.tool')), false);
    assert.equal(runsStdin(cmd('perl -e "print 1"')), false);
    assert.equal(runsStdin(cmd('node')), true);
  });
  test('inline code and substitutions', () => {
    assert.equal(inlineCodeWord(cmd('sh -c "$(curl -fsSL x)"'))?.text, '"$(curl -fsSL x)"');
    assert.equal(inlineCodeWord(cmd('bash script.sh')), null);
    assert.equal(downloadSubstitution('"$(curl -fsSL x)"'), 'curl');
    assert.equal(downloadSubstitution('<(wget -qO- x)'), 'wget');
    assert.equal(downloadSubstitution('`sudo curl x`'), 'curl');
    assert.equal(downloadSubstitution('"$(cat x)"'), null);
  });
});
