import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../dockerfile/parse.ts';
import {
  effectiveShell,
  enclosingShell,
  isPosixShell,
  pipefailFromOptions,
  runScript,
  shellInvocationOptions,
  shellName,
} from './shell-commands.ts';

const model = (text: string) => parseDockerfile(text, 'Dockerfile');
const runs = (text: string) => {
  const m = model(text);
  return { m, runs: m.all.filter((i) => i.keyword === 'RUN') };
};

describe('shellName / isPosixShell', () => {
  test('base names, case and .exe', () => {
    assert.equal(shellName('/usr/local/bin/bash'), 'bash');
    assert.equal(shellName('C:\\Windows\\System32\\PowerShell.exe'), 'powershell');
    assert.equal(isPosixShell('/bin/sh'), true);
    assert.equal(isPosixShell('pwsh'), false);
    assert.equal(isPosixShell('cmd.exe'), false);
  });
});

describe('effective shell', () => {
  test('a non-POSIX pragma hides the script; a SHELL instruction wins over it', () => {
    const { m, runs: r } = runs('# hadolint shell=pwsh\nFROM x\nRUN a | b\nSHELL ["/bin/bash", "-c"]\nRUN c | d\n');
    assert.deepEqual(effectiveShell(m, r[0]), { argv: ['pwsh'], posix: false });
    assert.equal(runScript(m, r[0]), null);
    assert.deepEqual(effectiveShell(m, r[1]), { argv: ['/bin/bash', '-c'], posix: true });
    assert.notEqual(runScript(m, r[1]), null);
  });

  test('SHELL carries over to a stage built on the stage, not to others', () => {
    const { m, runs: r } = runs('FROM x AS a\nSHELL ["/bin/bash", "-c"]\nFROM a\nRUN one\nFROM x\nRUN two\n');
    assert.deepEqual(effectiveShell(m, r[0]).argv, ['/bin/bash', '-c']);
    assert.deepEqual(effectiveShell(m, r[1]).argv, ['/bin/sh', '-c']);
  });
});

describe('commands', () => {
  test('command -v is a look-up, sudo is not', () => {
    const { m, runs: r } = runs('FROM x\nRUN command -v curl && sudo wget -q y\n');
    const names = runScript(m, r[0])!.commands.map((c) => c.base);
    assert.deepEqual(names, ['command', 'sudo', 'wget']);
  });

  test('enclosingShell finds the sh -c a command sits in, through wrappers', () => {
    const { m, runs: r } = runs("FROM x\nRUN sudo bash -o pipefail -c 'a | b' && c\n");
    const cmds = runScript(m, r[0])!.commands;
    const a = cmds.find((c) => c.base === 'a')!;
    const c = cmds.find((x) => x.base === 'c')!;
    const shell = enclosingShell(a)!;
    assert.equal(shell.base, 'bash');
    assert.deepEqual(shellInvocationOptions(shell), ['-o', 'pipefail', '-c']);
    assert.equal(enclosingShell(c), null);
  });
});

describe('pipefailFromOptions', () => {
  test('forms that turn it on and off', () => {
    assert.equal(pipefailFromOptions(['-o', 'pipefail']), true);
    assert.equal(pipefailFromOptions(['-euxo', 'pipefail']), true);
    assert.equal(pipefailFromOptions(['-o', 'errexit', '-o', 'pipefail', '-c']), true);
    assert.equal(pipefailFromOptions(['-o', 'pipefail', '+o', 'pipefail']), false);
    assert.equal(pipefailFromOptions(['-e', '-c']), false);
    assert.equal(pipefailFromOptions(['pipefail']), false);
    assert.equal(pipefailFromOptions(['-o']), false);
  });
});
