import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { parseSh, type Node } from './sh-syntax.ts';

/** The tree as an S-expression of named nodes (fields as `field:`), for exact shape checks. */
function sexp(n: Node): string {
  const kids = n.namedChildren.map((c) => `${c.fieldName ? `${c.fieldName}:` : ''}${sexp(c)}`);
  return kids.length === 0 ? `(${n.type} ${JSON.stringify(n.text)})` : `(${n.type} ${kids.join(' ')})`;
}
const tree = (text: string) => {
  const r = parseSh(text);
  assert.deepEqual(r.errors, [], `unexpected errors in ${JSON.stringify(text)}`);
  return r.root.namedChildren.map(sexp).join(' ');
};
/** Error positions as [start, end) text slices, so a test shows what each error points at. */
const errorsAt = (text: string) => parseSh(text).errors.map((e) => [e.start, text.slice(e.start, e.end)]);

describe('the tree', () => {
  test('and-or lists nest to the left, pipelines are flat, `!` negates a pipeline', () => {
    assert.equal(
      tree('a && b || c'),
      '(list (list (command name:(command_name (word "a"))) (command name:(command_name (word "b")))) (command name:(command_name (word "c"))))',
    );
    assert.equal(
      tree('! x | y |& z'),
      '(negated_command (pipeline (command name:(command_name (word "x"))) (command name:(command_name (word "y"))) (command name:(command_name (word "z")))))',
    );
  });

  test('words: quotes, expansions, concatenations, substitutions', () => {
    assert.equal(
      tree(`echo a'b'"c $d \${e:-$(f)}" \`g\` $'h' <(i)`),
      '(command name:(command_name (word "echo")) argument:(concatenation (word "a") (raw_string "\'b\'") (string (string_content "c ") ' +
        '(simple_expansion (variable_name "d")) (string_content " ") (expansion (variable_name "e") (word (command_substitution (command name:(command_name (word "f")))))))) ' +
        'argument:(command_substitution (command name:(command_name (word "g")))) argument:(ansi_c_string "$\'h\'") ' +
        'argument:(process_substitution (command name:(command_name (word "i")))))',
    );
    assert.equal(tree('echo $1$@ \\$x a\\ b'), '(command name:(command_name (word "echo")) argument:(concatenation (simple_expansion (special_variable_name "1")) (simple_expansion (special_variable_name "@"))) argument:(word "\\\\$x") argument:(word "a\\\\ b"))');
  });

  test('assignments, redirects and declaration builtins', () => {
    assert.equal(
      tree('A=1 B+=x C=(p q) cmd 2>&1 >>log <in arg &>/dev/null'),
      '(command (variable_assignment name:(variable_name "A") value:(word "1")) (variable_assignment name:(variable_name "B") value:(word "x")) ' +
        '(variable_assignment name:(variable_name "C") value:(array (word "p") (word "q"))) name:(command_name (word "cmd")) ' +
        'redirect:(file_redirect descriptor:(file_descriptor "2") destination:(word "1")) redirect:(file_redirect destination:(word "log")) ' +
        'redirect:(file_redirect destination:(word "in")) argument:(word "arg") redirect:(file_redirect destination:(word "/dev/null")))',
    );
    const r = parseSh('cmd a > out');
    const cmd = r.root.namedChildren[0];
    // Redirects after the last word are not part of the command's text.
    assert.equal(cmd.text, 'cmd a');
    assert.equal(cmd.children.find((c) => c.type === 'file_redirect')?.children.find((c) => !c.isNamed)?.type, '>');
    assert.equal(tree('export A=1 && unset B'), '(list (declaration_command name:(command_name (word "export")) argument:(word "A=1")) (unset_command name:(command_name (word "unset")) argument:(word "B")))');
  });

  test('compound commands', () => {
    assert.equal(
      tree('if a; then b; elif c; then d; else e; fi'),
      '(if_statement condition:(command name:(command_name (word "a"))) (command name:(command_name (word "b"))) ' +
        '(elif_clause condition:(command name:(command_name (word "c"))) (command name:(command_name (word "d")))) (else_clause (command name:(command_name (word "e")))))',
    );
    assert.equal(
      tree('for x in 1 2; do y; done; while p; do q; done'),
      '(for_statement variable:(variable_name "x") value:(word "1") value:(word "2") body:(do_group (command name:(command_name (word "y"))))) ' +
        '(while_statement condition:(command name:(command_name (word "p"))) body:(do_group (command name:(command_name (word "q")))))',
    );
    assert.equal(
      tree('case "$a" in x|y) b;; (*) c;& esac'),
      '(case_statement value:(string (simple_expansion (variable_name "a"))) (case_item value:(word "x") value:(word "y") (command name:(command_name (word "b")))) ' +
        '(case_item value:(word "*") (command name:(command_name (word "c")))))',
    );
    assert.equal(
      tree('f() { g; } ; function h { (i) ; }'),
      '(function_definition name:(word "f") body:(compound_statement (command name:(command_name (word "g"))))) ' +
        '(function_definition name:(word "h") body:(compound_statement (subshell (command name:(command_name (word "i"))))))',
    );
    // `[[ … ]]` and `(( … ))` are read whole: `&&`, `<` and `(` inside belong to the test.
    assert.equal(tree('[[ -f a && $b =~ ^(x|y)$ ]] && (( i < 3 )) || [ -d c ]'), '(list (list (test_command "[[ -f a && $b =~ ^(x|y)$ ]]") (test_command "(( i < 3 ))")) (test_command name:(command_name (word "[")) argument:(word "-d") argument:(word "c") argument:(word "]")))');
    // The list inside a compound command may end without a separator before the closing word.
    assert.equal(tree('if a; then for b in c; do d; done fi').startsWith('(if_statement'), true);
    assert.equal(tree('{ a; } > f').startsWith('(redirected_statement body:(compound_statement'), true);
  });

  test('here-documents: the body is read after the line, and the line goes on', () => {
    const text = 'cat <<EOF | sh && echo after\nrm -rf /x\nEOF\ncat <<-"END" >f\n\t$not expanded\n\tEND\necho last';
    const r = parseSh(text);
    assert.deepEqual(r.errors, []);
    const bodies: string[] = [];
    const visit = (n: Node) => {
      if (n.type === 'heredoc_body') bodies.push(n.text);
      n.children.forEach(visit);
    };
    visit(r.root);
    assert.deepEqual(bodies, ['rm -rf /x\n', '\t$not expanded\n']);
    assert.deepEqual(
      r.root.namedChildren.map((n) => n.type),
      ['list', 'command', 'command'],
    );
    assert.equal(r.root.namedChildren[2].text, 'echo last');
  });

  test('comments, continuations and backquotes with a comment inside', () => {
    assert.equal(tree('a \\\n  b # c && d\ne'), '(command name:(command_name (word "a")) argument:(word "b")) (command name:(command_name (word "e")))');
    assert.equal(tree('echo `# note` ok'), '(command name:(command_name (word "echo")) argument:(command_substitution "`# note`") argument:(word "ok"))');
  });
});

describe('syntax errors', () => {
  test('each error points at what the shell stops at', () => {
    assert.deepEqual(errorsAt(`echo "open`), [[5, '"open']]);
    assert.deepEqual(errorsAt(`echo 'x`), [[5, "'x"]]);
    assert.deepEqual(errorsAt('for f in a; do echo; ; done'), [[21, ';']]);
    // An empty condition, then an empty body.
    assert.deepEqual(errorsAt('if then fi'), [[3, 'then'], [8, 'fi']]);
    assert.deepEqual(errorsAt('apk add x &&'), [[12, '']]);
    assert.deepEqual(errorsAt('(a) b'), [[4, 'b']]);
    assert.deepEqual(errorsAt('echo a ) b'), [[7, ')']]);
    assert.deepEqual(errorsAt('fi'), [[0, 'fi']]);
    assert.deepEqual(errorsAt('{ a }'), [[5, '']]);
    assert.deepEqual(errorsAt('echo $(ls'), [[5, '$(']]);
    assert.deepEqual(errorsAt('case x in a) b;; esac; esac'), [[23, 'esac']]);
  });

  test('what bash accepts parses, what bash rejects does not', (t) => {
    if (spawnSync('bash', ['--version']).error) return t.skip('bash is not installed');
    const scripts = [
      'a && b || c', 'a |& b', 'x=$(( 1 + 2 ))', 'echo ${a:-${b:-c}}', 'echo ${a//x/y}', 'echo "${a[@]}"', 'arr=( a "b c" )',
      'if a; then b; fi', 'if a\nthen b\nfi', 'while read -r l; do echo "$l"; done < f', 'until a; do b; done',
      'for ((i=0;i<3;i++)); do echo $i; done', 'case $x in a) ;; *) b ;; esac', 'f() ( a )', 'a &', 'a & b',
      'cat <<EOF\n$(x)\nEOF', 'cat <<- EOF\n\tx\n\tEOF', 'echo `a \\`b\\``', '! a', 'time a | b', '[[ a < b ]]',
      'echo a#b', 'echo #c', '{ a; }', 'a;b;', 'echo } {', 'a=(1 2) b=3', 'echo \'a"b\' "a\'b"', 'echo $\'a\\\'b\'',
      'if a; then b; fi', 'select x in a b; do c; done', 'a <<< "x"', 'exec 3>&-', 'echo >(cat) <(ls)',
      // rejected by bash:
      'a &&', '| a', 'a | | b', 'if a; then fi', 'if a; b; fi', 'for x in a; done', 'echo "a', "echo 'a", '(a', 'a)',
      '{ a', 'do', 'done', 'case x in a) b', 'a ;; b', 'f() ', 'echo $(a', 'echo `a', '{ }', '( )', 'while a; done',
      'a && && b', '&& a', 'a; ; b',
    ];
    const disagree: string[] = [];
    for (const s of scripts) {
      const bash = spawnSync('bash', ['-n'], { input: s, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' } });
      const ours = parseSh(s).errors.length === 0;
      if ((bash.status === 0) !== ours) disagree.push(`${JSON.stringify(s)}: bash ${bash.status === 0 ? 'accepts' : 'rejects'}, Defang ${ours ? 'accepts' : 'rejects'}`);
    }
    assert.deepEqual(disagree, []);
  });

  test('never throws and always ends, whatever the text', () => {
    const alphabet = ['a', ' ', '\n', ';', '&', '|', '(', ')', '{', '}', '$', '"', "'", '`', '\\', '<', '>', '#', 'if', 'then', 'fi', 'do', 'done', 'case', 'in', 'esac', '=', '[[', ']]', '((', '))', '<<E', 'E', '\t', '-', '!'];
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const len = rand(40);
      for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
      const r = parseSh(s);
      for (const e of r.errors) assert.ok(e.start >= 0 && e.start <= s.length && e.end >= e.start, `error out of bounds in ${JSON.stringify(s)}`);
      const check = (n: Node) => {
        assert.ok(n.startIndex >= 0 && n.endIndex <= s.length && n.startIndex <= n.endIndex, `node ${n.type} out of bounds in ${JSON.stringify(s)}`);
        n.children.forEach(check);
      };
      check(r.root);
    }
  });
});
