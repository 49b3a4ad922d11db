import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs, parseShell } from './shell.ts';
import { MappedText, SourceFile } from './source.ts';

function script(text: string, vars: Record<string, string> = {}) {
  const src = new SourceFile(text);
  const m = new MappedText(src);
  m.appendSource(0, text.length);
  return parseShell(m, (n) => vars[n]);
}

test('simple commands in order, with names, bases and exact spans', () => {
  const s = script('apt-get update && /usr/bin/apt-get install -y curl; echo ok');
  assert.deepEqual(
    s.commands.map((c) => [c.name, c.base, c.span.column, c.span.endColumn]),
    [['apt-get', 'apt-get', 1, 15], ['/usr/bin/apt-get', 'apt-get', 19, 51], ['echo', 'echo', 53, 60]],
  );
  assert.deepEqual(s.errors, []);
});

test('quotes are removed from literal values; expansions are not literal but expand with known variables', () => {
  const s = script(`echo "a b" 'c' d\\ e x"y"z $PKGS "$PKGS" \${MISSING} $(date)`, { PKGS: 'curl  jq' });
  const w = s.commands[0].args;
  assert.deepEqual(w.map((x) => x.value), ['a b', 'c', 'd e', 'xyz', null, null, null, null]);
  assert.deepEqual(w.map((x) => x.fields), [['a b'], ['c'], ['d e'], ['xyz'], ['curl', 'jq'], ['curl  jq'], null, null]);
});

test('pipelines, subshells and conditions', () => {
  const s = script('curl -fsSL https://x | sh; (cd /src && make) || true; if grep -q x f; then rm f; fi; ! false');
  assert.equal(s.pipelines.length, 1);
  assert.deepEqual(s.pipelines[0].commands.map((c) => c?.base), ['curl', 'sh']);
  const by = (b: string) => s.commands.find((c) => c.base === b)!;
  assert.equal(by('cd').inSubshell, true);
  assert.equal(by('make').inSubshell, true);
  assert.equal(by('grep').conditional, true);
  assert.equal(by('rm').conditional, false);
  assert.equal(by('false').conditional, true);
  assert.equal(by('curl').pipelineIndex, 0);
  assert.equal(by('sh').pipelineIndex, 1);
});

test('wrapped commands (sudo, env) are unwrapped', () => {
  const s = script('sudo -u root -E apt-get install -y x && env DEBIAN_FRONTEND=noninteractive apt-get upgrade');
  const inner = s.commands.filter((c) => c.via === 'wrapper');
  assert.deepEqual(inner.map((c) => [c.parent?.base, c.base, c.args.map((a) => a.value).join(' '), c.span.column]), [
    ['sudo', 'apt-get', 'install -y x', 17],
    ['env', 'apt-get', 'upgrade', 76],
  ]);
});

test('sh -c strings are parsed in place', () => {
  const s = script(`RUN_ME=1 sh -c 'apt-get update && apt-get install -y vim' && bash -ec "cd /x"`);
  const nested = s.commands.filter((c) => c.via === 'shell-c');
  assert.deepEqual(nested.map((c) => [c.base, c.parent?.base, c.span.column]), [
    ['apt-get', 'sh', 17],
    ['apt-get', 'sh', 35],
    ['cd', 'bash', 72],
  ]);
});

test('syntax errors are located', () => {
  const s = script('echo ok && if then fi');
  assert.ok(s.errors.length > 0);
  assert.equal(s.errors[0].line, 1);
});

test('parseArgs splits options and operands', () => {
  const s = script('apt-get -o Dpkg::Options::=--force-confnew install -yq --no-install-recommends curl=7.* wget -- -odd');
  const a = parseArgs(s.commands[0].args, new Set(['-o']));
  assert.deepEqual([...a.flags.keys()], ['-o', '-y', '-q', '--no-install-recommends']);
  assert.equal(a.values.get('-o'), 'Dpkg::Options::=--force-confnew');
  assert.deepEqual(a.operands.map((w) => w.value), ['install', 'curl=7.*', 'wget', '-odd']);
  const b = parseArgs(script('pip install --index-url=https://x -r req.txt').commands[0].args, new Set(['-r']));
  assert.equal(b.values.get('--index-url'), 'https://x');
  assert.equal(b.values.get('-r'), 'req.txt');
  assert.deepEqual(b.operands.map((w) => w.value), ['install']);
});

test('commands in substitutions are found; command -v is a lookup; pipelines keep their parts', () => {
  const s = script('echo "$(wget -qO- https://x)" && bash <(curl -s https://y) && command -v wget && (echo a; echo b) | sort && curl z | sudo sh');
  assert.deepEqual(
    s.commands.map((c) => `${c.base}${c.via ? `(${c.via})` : ''}`),
    ['echo', 'wget', 'bash', 'curl', 'command', 'echo', 'echo', 'sort', 'curl', 'sudo', 'sh(wrapper)'],
  );
  const [compound, piped] = s.pipelines;
  assert.deepEqual(compound.commands.map((c) => c?.base ?? null), [null, 'sort']);
  assert.deepEqual(piped.commands.map((c) => c?.base ?? null), ['curl', 'sudo']);
  const inner = s.commands.find((c) => c.via === 'wrapper')!;
  assert.equal(inner.pipeline, piped);
  assert.equal(inner.pipelineIndex, 1);
});

test('a shell reading a here-document runs its commands; a shell given a script file does not', () => {
  const s = script('sudo bash -e <<EOF && sh run.sh <<X\napt-get install -y curl\nEOF\nrm -rf /\nX\n');
  const inner = s.commands.filter((c) => c.via === 'shell-c');
  assert.deepEqual(inner.map((c) => [c.base, c.parent?.base, c.parent?.via, c.span.line, c.span.column]), [['apt-get', 'bash', 'wrapper', 2, 1]]);
  const tabs = script('bash <<-EOF\n\t\tmake install\n\tEOF\n').commands.find((c) => c.base === 'make')!;
  assert.deepEqual([tabs.span.line, tabs.span.column], [2, 3]);
});

test('commands inside ${X:-$(…)}, inside [ … ] tests and in elif conditions are found', () => {
  const s = script('make -j${N:-$(nproc)} && [ "$(id -u)" = 0 ] && if a; then :; elif grep -q x f; then rm f; fi');
  const by = (b: string) => s.commands.find((c) => c.base === b);
  assert.ok(by('nproc'));
  assert.ok(by('id'));
  assert.equal(by('grep')?.conditional, true);
  assert.equal(by('rm')?.conditional, false);
});
