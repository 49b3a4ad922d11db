/**
 * A parser for the shell language of RUN scripts (POSIX sh with the bash extensions Dockerfiles use), written for this
 * project. It builds a concrete syntax tree whose node types follow tree-sitter-bash's names (`command`,
 * `command_name`, `word`, `string`, `raw_string`, `concatenation`, `simple_expansion`, `expansion`,
 * `command_substitution`, `list`, `pipeline`, `subshell`, `if_statement`, …) and records syntax errors with their
 * place, recovering so that the rest of the script is still read.
 *
 * What it reads: simple commands with assignments, words and redirects; pipelines (`|`, `|&`), `!`, and-or lists;
 * `;`, `&` and newlines; subshells, brace groups, if/elif/else, while/until, for (both forms), select, case, function
 * definitions, `[[ … ]]` and `(( … ))`; quoting (`'…'`, `"…"`, `$'…'`, backslashes, line continuations); expansions
 * (`$x`, `${…}`, `$(…)`, backquotes, `$((…))`, `<(…)`, `>(…)`); comments; here-documents (`<<`, `<<-`, quoted
 * delimiters) and here-strings. Reserved words are recognised only where the shell recognises them.
 */

import { isNameChar, isNameStart } from './chars.ts';

/** A node of the syntax tree. Offsets are into the parsed text (UTF-16 code units). */
export class Node {
  type: string;
  isNamed: boolean;
  startIndex: number;
  endIndex: number;
  fieldName: string | null = null;
  parent: Node | null = null;
  children: Node[] = [];
  private readonly source: string;

  constructor(type: string, isNamed: boolean, start: number, end: number, source: string) {
    this.type = type;
    this.isNamed = isNamed;
    this.startIndex = start;
    this.endIndex = end;
    this.source = source;
  }

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }
  private named: Node[] | null = null;
  get namedChildren(): Node[] {
    if (this.named) return this.named;
    let all = true;
    for (const c of this.children) if (!c.isNamed) all = false;
    return (this.named = all ? this.children : this.children.filter((c) => c.isNamed));
  }
  get childCount(): number {
    return this.children.length;
  }
  childForFieldName(name: string): Node | null {
    for (const c of this.children) if (c.fieldName === name) return c;
    return null;
  }
  childrenForFieldName(name: string): Node[] {
    return this.children.filter((c) => c.fieldName === name);
  }
  add(child: Node, field: string | null = null): Node {
    child.parent = this;
    child.fieldName = field;
    this.children.push(child);
    return child;
  }
}

export interface ShParse {
  root: Node;
  /** Syntax errors as [start, end) offsets, in the order found. */
  errors: Array<{ start: number; end: number }>;
}

/** Parse a whole script. Never throws: what cannot be read is recorded in `errors`. */
export function parseSh(text: string): ShParse {
  const p = new ShParser(text);
  const root = new Node('program', true, 0, text.length, text);
  p.statements(root, NO_STOPS);
  if (p.pos < text.length) p.error(p.pos, text.length);
  return { root, errors: p.errors };
}

// Character codes.
const TAB = 9;
const NL = 10;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const AMP = 38;
const SQUOTE = 39;
const LPAREN = 40;
const RPAREN = 41;
const SEMI = 59;
const LT = 60;
const EQ = 61;
const GT = 62;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const BACKTICK = 96;
const LBRACE = 123;
const PIPE = 124;
const RBRACE = 125;
const PLUS = 43;

/** Characters that end an unquoted word. */
const META = new Uint8Array(128);
for (const c of [TAB, NL, CR, SPACE, SEMI, AMP, PIPE, LT, GT, LPAREN, RPAREN]) META[c] = 1;

const RESERVED_TERMINATORS = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}']);
const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);
const UNSETS = new Set(['unset', 'unsetenv']);

/** What ends a list of statements: reserved words, and `)` / `;;`-style case terminators. */
interface Stops {
  words: ReadonlySet<string>;
  paren: boolean;
  caseItem: boolean;
}
const NO_STOPS: Stops = { words: new Set(), paren: false, caseItem: false };
const stops = (words: string[], paren = false, caseItem = false): Stops => ({ words: new Set(words), paren, caseItem });
const THEN = stops(['then']);
const IF_BODY = stops(['elif', 'else', 'fi']);
const FI = stops(['fi']);
const DO = stops(['do']);
const DONE = stops(['done']);
const BRACE = stops(['}']);
const PAREN = stops([], true);
const CASE_ITEM = stops(['esac'], false, true);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
  node: Node;
}

class ShParser {
  readonly src: string;
  pos = 0;
  errors: Array<{ start: number; end: number }> = [];
  private heredocs: PendingHeredoc[] = [];
  /** The end of the text being read (a backquoted substitution is read up to its closing quote). */
  private limit: number;

  constructor(src: string) {
    this.src = src;
    this.limit = src.length;
  }

  error(start: number, end: number = start + 1): void {
    // One error per place: recovery may stop at the same token more than once.
    const last = this.errors[this.errors.length - 1];
    if (last && last.start === start) return;
    this.errors.push({ start, end });
  }

  private code(i: number): number {
    return i < this.limit ? this.src.charCodeAt(i) : -1;
  }

  private node(type: string, start: number, end: number, named = true): Node {
    return new Node(type, named, start, end, this.src);
  }

  /** Skip blanks, line continuations and a comment (up to, not including, the newline). */
  private blanks(): void {
    for (;;) {
      const c = this.code(this.pos);
      if (c === SPACE || c === TAB || c === CR) this.pos++;
      else if (c === BACKSLASH && this.code(this.pos + 1) === NL) this.pos += 2;
      else if (c === BACKSLASH && this.code(this.pos + 1) === CR && this.code(this.pos + 2) === NL) this.pos += 3;
      else if (c === HASH) {
        while (this.pos < this.limit && this.code(this.pos) !== NL) this.pos++;
      } else return;
    }
  }

  /** Skip blanks, comments and newlines (reading here-document bodies after each newline). */
  private linebreaks(): void {
    for (;;) {
      this.blanks();
      if (this.code(this.pos) === NL) this.newline();
      else return;
    }
  }

  /** Consume a newline, then the bodies of the here-documents opened on the line it ends. */
  private newline(): void {
    this.pos++;
    if (this.heredocs.length === 0) return;
    const pending = this.heredocs;
    this.heredocs = [];
    for (const h of pending) {
      const bodyStart = this.pos;
      let end = this.limit;
      let next = this.limit;
      while (this.pos < this.limit) {
        let eol = this.src.indexOf('\n', this.pos);
        if (eol < 0 || eol > this.limit) eol = this.limit;
        let line = this.src.slice(this.pos, eol);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        if (line === h.delimiter) {
          end = this.pos;
          next = Math.min(eol + 1, this.limit);
          break;
        }
        this.pos = eol + 1;
      }
      // Without its delimiter line the body runs to the end (the shell only warns).
      this.pos = Math.min(next, this.limit);
      const body = this.node('heredoc_body', bodyStart, Math.min(end, this.limit));
      h.node.add(body);
    }
  }

  /** The reserved word at `pos`, if the text there is one followed by a delimiter. */
  private reserved(): string | null {
    const start = this.pos;
    let i = start;
    while (i < this.limit) {
      const c = this.src.charCodeAt(i);
      if ((c >= 97 && c <= 122) || c === LBRACE || c === RBRACE || c === BANG || c === LBRACKET || c === RBRACKET) i++;
      else break;
    }
    if (i === start || i - start > 8) return null;
    const after = this.code(i);
    if (after !== -1 && !(after < 128 && META[after])) return null;
    const w = this.src.slice(start, i);
    switch (w) {
      case 'if': case 'then': case 'elif': case 'else': case 'fi': case 'do': case 'done': case 'case': case 'esac':
      case 'while': case 'until': case 'for': case 'select': case 'in': case 'function': case '{': case '}': case '!':
      case '[[':
        return w;
      default:
        return null;
    }
  }

  /**
   * Statements up to a stop (a reserved word of `stop`, `)` or a case terminator), appended to `parent`. Returns how
   * many were read. `field` names each statement's field (e.g. `condition`).
   */
  statements(parent: Node, stop: Stops, field: string | null = null): number {
    let count = 0;
    for (;;) {
      this.linebreaks();
      if (this.pos >= this.limit) return count;
      const c = this.code(this.pos);
      if (c === RPAREN) {
        if (stop.paren) return count;
        this.error(this.pos);
        this.pos++;
        continue;
      }
      if (c === SEMI) {
        if (stop.caseItem && this.code(this.pos + 1) === SEMI) return count;
        if (stop.caseItem && this.code(this.pos + 1) === AMP) return count;
        // `;` with no command before it.
        this.error(this.pos, this.code(this.pos + 1) === SEMI ? this.pos + 2 : this.pos + 1);
        this.pos += this.code(this.pos + 1) === SEMI ? 2 : 1;
        continue;
      }
      if ((c === AMP && this.code(this.pos + 1) !== GT) || c === PIPE) {
        const two = this.code(this.pos + 1) === c;
        this.error(this.pos, this.pos + (two ? 2 : 1));
        this.pos += two ? 2 : 1;
        continue;
      }
      const w = this.reserved();
      if (w !== null && (stop.words.has(w) || RESERVED_TERMINATORS.has(w))) {
        if (stop.words.has(w)) return count;
        this.error(this.pos, this.pos + w.length);
        this.pos += w.length;
        continue;
      }
      const st = this.andOr();
      if (!st) {
        // Nothing could be read here: report it and skip one character, so that the parse always moves on.
        this.error(this.pos);
        this.pos++;
        continue;
      }
      parent.add(st, field);
      count++;
      this.blanks();
      const d = this.code(this.pos);
      if (d === SEMI) {
        // `;;` / `;&` end a case item; the loop decides what they mean here.
        const n = this.code(this.pos + 1);
        if (!(n === SEMI || (stop.caseItem && n === AMP))) this.pos++;
        continue;
      }
      if (d === AMP) {
        this.pos++;
        continue;
      }
      if (d === NL) {
        this.newline();
        continue;
      }
      if (d === -1 || d === RPAREN) continue;
      // After a compound command the list may end without a separator (`done fi`); anything else must not follow.
      const r = this.reserved();
      if (r !== null && (stop.words.has(r) || RESERVED_TERMINATORS.has(r))) continue;
      this.error(this.pos, this.pos + (r?.length ?? 1));
    }
  }

  /** pipeline ((`&&` | `||`) linebreak pipeline)* — left-nested `list` nodes, as the shell groups them. */
  private andOr(): Node | null {
    let left = this.pipeline();
    if (!left) return null;
    for (;;) {
      this.blanks();
      const c = this.code(this.pos);
      if (!((c === AMP || c === PIPE) && this.code(this.pos + 1) === c)) return left;
      const opStart = this.pos;
      this.pos += 2;
      this.linebreaks();
      const right = this.pipeline();
      if (!right) {
        // `a &&` with nothing after it: the shell reads on and meets the end of the text.
        this.error(this.pos);
        return left;
      }
      const list = this.node('list', left.startIndex, right.endIndex);
      list.add(left);
      list.add(this.node(c === AMP ? '&&' : '||', opStart, opStart + 2, false));
      list.add(right);
      left = list;
    }
  }

  /** [`!`] command (`|` linebreak command)* */
  private pipeline(): Node | null {
    this.blanks();
    const start = this.pos;
    let negated = false;
    if (this.reserved() === '!') {
      negated = true;
      this.pos++;
      this.blanks();
    }
    const first = this.command();
    if (!first) {
      if (negated) this.error(this.pos);
      return null;
    }
    let result = first;
    const parts = [first];
    const ops: Node[] = [];
    for (;;) {
      this.blanks();
      const c = this.code(this.pos);
      if (c !== PIPE || this.code(this.pos + 1) === PIPE) break;
      const opLen = this.code(this.pos + 1) === AMP ? 2 : 1;
      ops.push(this.node(opLen === 2 ? '|&' : '|', this.pos, this.pos + opLen, false));
      this.pos += opLen;
      this.linebreaks();
      const next = this.command();
      if (!next) {
        this.error(this.pos);
        break;
      }
      parts.push(next);
    }
    if (parts.length > 1) {
      result = this.node('pipeline', parts[0].startIndex, parts[parts.length - 1].endIndex);
      parts.forEach((p, i) => {
        result.add(p);
        if (ops[i]) result.add(ops[i]);
      });
    }
    if (negated) {
      const neg = this.node('negated_command', start, result.endIndex);
      neg.add(result);
      return neg;
    }
    return result;
  }

  /** A compound command (with its redirects), a function definition, or a simple command. */
  private command(): Node | null {
    this.blanks();
    const start = this.pos;
    const c = this.code(this.pos);
    let compound: Node | null = null;
    if (c === LPAREN && this.code(this.pos + 1) === LPAREN) compound = this.arithmeticCommand();
    else if (c === LPAREN) compound = this.group('subshell', PAREN);
    else {
      const w = this.reserved();
      // A reserved word that ends a list is not a command (`a && fi`).
      if (w !== null && RESERVED_TERMINATORS.has(w)) return null;
      switch (w) {
        case '{':
          compound = this.group('compound_statement', BRACE);
          break;
        case 'if':
          compound = this.ifStatement();
          break;
        case 'while':
        case 'until':
          compound = this.whileStatement(w);
          break;
        case 'for':
        case 'select':
          compound = this.forStatement(w);
          break;
        case 'case':
          compound = this.caseStatement();
          break;
        case '[[':
          compound = this.testCommand();
          break;
        case 'function':
          return this.functionDefinition(true);
      }
    }
    if (!compound) return this.simpleCommand();
    // Redirects after a compound command apply to all of it.
    const redirects: Node[] = [];
    for (;;) {
      this.blanks();
      const r = this.redirect();
      if (!r) break;
      redirects.push(r);
    }
    if (redirects.length === 0) return compound;
    const rs = this.node('redirected_statement', start, redirects[redirects.length - 1].endIndex);
    rs.add(compound, 'body');
    for (const r of redirects) rs.add(r, 'redirect');
    return rs;
  }

  /** `( list )` or `{ list; }`. */
  private group(type: string, stop: Stops): Node {
    const start = this.pos;
    this.pos++;
    const n = this.node(type, start, start);
    const count = this.statements(n, stop);
    if (type === 'subshell' ? this.code(this.pos) === RPAREN : this.reserved() === '}') {
      if (count === 0) this.error(this.pos); // `( )` and `{ }` are not allowed
      this.pos++;
    } else this.error(this.pos);
    n.endIndex = this.pos;
    return n;
  }

  /** Expect a reserved word; report an error where it is missing. */
  private expect(word: string): boolean {
    this.linebreaks();
    if (this.reserved() === word) {
      this.pos += word.length;
      return true;
    }
    this.error(this.pos);
    return false;
  }

  /** A list that must not be empty; an error at the token that comes instead. */
  private body(parent: Node, stop: Stops, field: string | null = null): void {
    const n = this.statements(parent, stop, field);
    if (n === 0) {
      this.linebreaks();
      this.error(this.pos, this.pos + Math.max(1, this.reserved()?.length ?? 1));
    }
  }

  private ifStatement(): Node {
    const n = this.node('if_statement', this.pos, this.pos);
    this.pos += 2;
    this.body(n, THEN, 'condition');
    if (this.expect('then')) {
      this.body(n, IF_BODY);
      for (;;) {
        this.linebreaks();
        const w = this.reserved();
        if (w === 'elif') {
          const e = this.node('elif_clause', this.pos, this.pos);
          this.pos += 4;
          this.body(e, THEN, 'condition');
          if (!this.expect('then')) break;
          this.body(e, IF_BODY);
          e.endIndex = this.pos;
          n.add(e);
          continue;
        }
        if (w === 'else') {
          const e = this.node('else_clause', this.pos, this.pos);
          this.pos += 4;
          this.body(e, FI);
          e.endIndex = this.pos;
          n.add(e);
        }
        break;
      }
      this.expect('fi');
    }
    n.endIndex = this.pos;
    return n;
  }

  private whileStatement(w: string): Node {
    const n = this.node(w === 'while' ? 'while_statement' : 'until_statement', this.pos, this.pos);
    this.pos += w.length;
    this.body(n, DO, 'condition');
    n.add(this.doGroup(), 'body');
    n.endIndex = this.pos;
    return n;
  }

  private doGroup(): Node {
    this.linebreaks();
    const g = this.node('do_group', this.pos, this.pos);
    if (this.expect('do')) {
      this.body(g, DONE);
      this.expect('done');
    }
    g.endIndex = this.pos;
    return g;
  }

  private forStatement(w: string): Node {
    const start = this.pos;
    this.pos += w.length;
    this.blanks();
    if (w === 'for' && this.code(this.pos) === LPAREN && this.code(this.pos + 1) === LPAREN) {
      // for (( init; test; step )) — the arithmetic is not read further.
      const n = this.node('c_style_for_statement', start, start);
      this.parenthesized();
      this.blanks();
      if (this.code(this.pos) === SEMI) this.pos++;
      n.add(this.doGroup(), 'body');
      n.endIndex = this.pos;
      return n;
    }
    const n = this.node(w === 'for' ? 'for_statement' : 'select_statement', start, start);
    const name = this.name();
    if (!name) this.error(this.pos);
    else n.add(name, 'variable');
    this.linebreaks();
    if (this.reserved() === 'in') {
      this.pos += 2;
      for (;;) {
        this.blanks();
        const c = this.code(this.pos);
        if (c === -1 || c === NL || c === SEMI) break;
        const word = this.word();
        if (!word) {
          this.error(this.pos);
          this.pos++;
          continue;
        }
        n.add(word, 'value');
      }
    }
    this.blanks();
    if (this.code(this.pos) === SEMI && this.code(this.pos + 1) !== SEMI) this.pos++;
    n.add(this.doGroup(), 'body');
    n.endIndex = this.pos;
    return n;
  }

  private caseStatement(): Node {
    const n = this.node('case_statement', this.pos, this.pos);
    this.pos += 4;
    this.blanks();
    const subject = this.word();
    if (subject) n.add(subject, 'value');
    else this.error(this.pos);
    this.linebreaks();
    if (this.reserved() !== 'in') {
      this.error(this.pos);
      n.endIndex = this.pos;
      return n;
    }
    this.pos += 2;
    for (;;) {
      this.linebreaks();
      if (this.pos >= this.limit) {
        this.error(this.pos);
        break;
      }
      if (this.reserved() === 'esac') {
        this.pos += 4;
        break;
      }
      const item = this.node('case_item', this.pos, this.pos);
      if (this.code(this.pos) === LPAREN) this.pos++;
      // pattern (| pattern)* )
      let ok = false;
      for (;;) {
        this.blanks();
        const p = this.word();
        if (!p) break;
        item.add(p, 'value');
        this.blanks();
        if (this.code(this.pos) === PIPE) {
          this.pos++;
          continue;
        }
        if (this.code(this.pos) === RPAREN) {
          this.pos++;
          ok = true;
        }
        break;
      }
      if (!ok) {
        this.error(this.pos);
        // Skip to the end of the line to recover.
        while (this.pos < this.limit && this.code(this.pos) !== NL) this.pos++;
        continue;
      }
      this.statements(item, CASE_ITEM);
      this.blanks();
      if (this.code(this.pos) === SEMI) {
        // ;;  ;&  ;;&
        this.pos += this.code(this.pos + 1) === SEMI ? (this.code(this.pos + 2) === AMP ? 3 : 2) : 2;
      }
      item.endIndex = this.pos;
      n.add(item);
    }
    n.endIndex = this.pos;
    return n;
  }

  /** `name() body` or `function name [()] body`. */
  private functionDefinition(keyword: boolean): Node {
    const start = this.pos;
    if (keyword) {
      this.pos += 8;
      this.blanks();
    }
    const n = this.node('function_definition', start, start);
    const nameStart = this.pos;
    while (this.pos < this.limit && !(this.code(this.pos) < 128 && META[this.code(this.pos)])) this.pos++;
    if (this.pos === nameStart) this.error(this.pos);
    else n.add(this.node('word', nameStart, this.pos), 'name');
    this.blanks();
    if (this.code(this.pos) === LPAREN) {
      this.pos++;
      this.blanks();
      if (this.code(this.pos) === RPAREN) this.pos++;
      else this.error(this.pos);
    }
    this.linebreaks();
    const body = this.command();
    if (body) n.add(body, 'body');
    else this.error(this.pos);
    n.endIndex = this.pos;
    return n;
  }

  /** `(( expression ))`, not read further. */
  private arithmeticCommand(): Node {
    const start = this.pos;
    this.parenthesized();
    return this.node('test_command', start, this.pos);
  }

  /** `[[ expression ]]`: read up to the closing `]]` (operators inside are the test's, not the shell's). */
  private testCommand(): Node {
    const start = this.pos;
    this.pos += 2;
    for (;;) {
      this.blanks();
      if (this.pos >= this.limit) {
        this.error(start, start + 2);
        break;
      }
      const c = this.code(this.pos);
      if (c === RBRACKET && this.code(this.pos + 1) === RBRACKET) {
        const after = this.code(this.pos + 2);
        if (after === -1 || (after < 128 && META[after])) {
          this.pos += 2;
          break;
        }
      }
      if (c === NL) {
        this.newline();
        continue;
      }
      if (c < 128 && META[c]) {
        this.pos++;
        continue;
      }
      if (!this.word()) this.pos++;
    }
    return this.node('test_command', start, this.pos);
  }

  /** Skip a parenthesised run starting at `pos` (which holds `(`) up to its matching `)`, minding quotes. */
  private parenthesized(): void {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.limit) {
      const c = this.code(this.pos);
      if (c === SQUOTE || c === DQUOTE || c === BACKTICK) {
        this.wordPart();
        continue;
      }
      if (c === BACKSLASH) this.pos++;
      else if (c === LPAREN) depth++;
      else if (c === RPAREN && --depth === 0) {
        this.pos++;
        return;
      }
      this.pos++;
    }
    this.error(start, start + 1);
  }

  /** A variable name at `pos`, as a `variable_name` node. */
  private name(): Node | null {
    const start = this.pos;
    if (!isNameStart(this.code(this.pos))) return null;
    while (isNameChar(this.code(this.pos))) this.pos++;
    return this.node('variable_name', start, this.pos);
  }

  /**
   * assignments and redirects, the command name, then words and redirects. Declaration builtins (`export`, `local`, …)
   * are `declaration_command`s and `unset` an `unset_command`, as in tree-sitter-bash.
   */
  private simpleCommand(): Node | null {
    const start = this.pos;
    const cmd = this.node('command', start, start);
    let named = false;
    let nameText: string | null = null;
    for (;;) {
      this.blanks();
      const c = this.code(this.pos);
      if (c === -1 || c === NL || c === SEMI || c === PIPE || c === RPAREN) break;
      if (c === AMP && this.code(this.pos + 1) !== GT) break;
      const r = this.redirect();
      if (r) {
        cmd.add(r, 'redirect');
        continue;
      }
      if (c === LPAREN) {
        // `name() { … }`: a function definition.
        if (named && cmd.children.length === 1 && nameText !== null && this.isFunctionParens()) {
          this.pos = start;
          return this.functionDefinition(false);
        }
        break;
      }
      if (!named) {
        const a = this.assignment();
        if (a) {
          cmd.add(a);
          continue;
        }
      }
      const w = this.word();
      if (!w) break;
      if (!named) {
        const cn = this.node('command_name', w.startIndex, w.endIndex);
        cn.add(w);
        cmd.add(cn, 'name');
        named = true;
        nameText = w.type === 'word' ? w.text : null;
      } else cmd.add(w, 'argument');
    }
    const kids = cmd.children;
    if (kids.length === 0) return null;
    // The command's span ends with its last word: redirects written after it are not part of its text.
    let last = kids.length - 1;
    while (last > 0 && kids[last].fieldName === 'redirect' && named) last--;
    cmd.endIndex = kids[last].endIndex;
    if (nameText !== null) {
      if (DECLARATIONS.has(nameText)) cmd.type = 'declaration_command';
      else if (UNSETS.has(nameText)) cmd.type = 'unset_command';
      else if (nameText === '[') cmd.type = 'test_command';
    }
    return cmd;
  }

  private isFunctionParens(): boolean {
    let i = this.pos + 1;
    while (this.code(i) === SPACE || this.code(i) === TAB) i++;
    return this.code(i) === RPAREN;
  }

  /** `NAME=value`, `NAME+=value`, `NAME[i]=value`, `NAME=(a b)`. */
  private assignment(): Node | null {
    const start = this.pos;
    if (!isNameStart(this.code(start))) return null;
    let i = start + 1;
    while (isNameChar(this.code(i))) i++;
    const nameEnd = i;
    if (this.code(i) === LBRACKET) {
      while (i < this.limit && this.code(i) !== RBRACKET && this.code(i) !== NL) i++;
      if (this.code(i) !== RBRACKET) return null;
      i++;
    }
    if (this.code(i) === PLUS) i++;
    if (this.code(i) !== EQ) return null;
    const a = this.node('variable_assignment', start, i + 1);
    a.add(this.node('variable_name', start, nameEnd), 'name');
    this.pos = i + 1;
    if (this.code(this.pos) === LPAREN) {
      const arr = this.node('array', this.pos, this.pos);
      this.pos++;
      for (;;) {
        this.linebreaks();
        const c = this.code(this.pos);
        if (c === RPAREN) {
          this.pos++;
          break;
        }
        if (c === -1) {
          this.error(arr.startIndex);
          break;
        }
        const w = this.word();
        if (!w) {
          this.error(this.pos);
          this.pos++;
          continue;
        }
        arr.add(w);
      }
      arr.endIndex = this.pos;
      a.add(arr, 'value');
    } else {
      const v = this.word();
      if (v) a.add(v, 'value');
    }
    a.endIndex = this.pos;
    return a;
  }

  /** A redirect at `pos`: `[n]>file`, `>>`, `<`, `<>`, `>|`, `>&n`, `<&n`, `&>`, `&>>`, `<<<word`, `<<[-]delim`. */
  private redirect(): Node | null {
    const start = this.pos;
    let i = start;
    while (isDigit(this.code(i))) i++;
    const c = this.code(i);
    let op: string;
    if (c === AMP && i === start && this.code(i + 1) === GT) op = this.code(i + 2) === GT ? '&>>' : '&>';
    else if (c === GT) {
      const n1 = this.code(i + 1);
      op = n1 === GT ? '>>' : n1 === AMP ? '>&' : n1 === PIPE ? '>|' : n1 === LPAREN ? '' : '>';
    } else if (c === LT) {
      const n1 = this.code(i + 1);
      if (n1 === LT) op = this.code(i + 2) === LT ? '<<<' : this.code(i + 2) === 45 ? '<<-' : '<<';
      else op = n1 === AMP ? '<&' : n1 === GT ? '<>' : n1 === LPAREN ? '' : '<';
    } else return null;
    if (op === '') return null; // `<(…)` / `>(…)`: a process substitution, read as a word
    const fd = i > start ? this.node('file_descriptor', start, i) : null;
    const opNode = this.node(op, i, i + op.length, false);
    this.pos = i + op.length;
    this.blanks();
    if (op === '<<' || op === '<<-') {
      const r = this.node('heredoc_redirect', start, start);
      if (fd) r.add(fd, 'descriptor');
      r.add(opNode);
      const delim = this.word();
      if (!delim) {
        this.error(this.pos);
        r.endIndex = this.pos;
        return r;
      }
      const startNode = this.node('heredoc_start', delim.startIndex, delim.endIndex);
      r.add(startNode);
      r.endIndex = this.pos;
      this.heredocs.push({ delimiter: unquoteDelimiter(delim.text), stripTabs: op === '<<-', node: r });
      return r;
    }
    const r = this.node(op === '<<<' ? 'herestring_redirect' : 'file_redirect', start, start);
    if (fd) r.add(fd, 'descriptor');
    r.add(opNode);
    const target = this.word();
    if (target) r.add(target, 'destination');
    else this.error(this.pos);
    r.endIndex = this.pos;
    return r;
  }

  /** One shell word at `pos` (after blanks), or null when a delimiter is there. */
  word(): Node | null {
    const start = this.pos;
    const first = this.wordPart();
    if (!first) return null;
    const second = this.wordPart();
    if (!second) return first;
    const cat = this.node('concatenation', start, start);
    cat.add(first);
    cat.add(second);
    for (;;) {
      const p = this.wordPart();
      if (!p) break;
      cat.add(p);
    }
    cat.endIndex = this.pos;
    return cat;
  }

  /** One piece of a word: a literal run, a quoted string, an expansion or a substitution. */
  private wordPart(): Node | null {
    const start = this.pos;
    const c = this.code(start);
    if (c === -1) return null;
    switch (c) {
      case SQUOTE: {
        const end = this.src.indexOf("'", start + 1);
        if (end < 0 || end >= this.limit) {
          this.error(start, this.limit);
          this.pos = this.limit;
        } else this.pos = end + 1;
        return this.node('raw_string', start, this.pos);
      }
      case DQUOTE:
        return this.doubleQuoted(start);
      case DOLLAR:
        return this.dollar(start, false) ?? this.literal(start);
      case BACKTICK:
        return this.backquoted(start);
      case LT:
      case GT:
        if (this.code(start + 1) === LPAREN) {
          const n = this.node('process_substitution', start, start);
          this.pos += 2;
          this.statements(n, PAREN);
          if (this.code(this.pos) === RPAREN) this.pos++;
          else this.error(start, start + 2);
          n.endIndex = this.pos;
          return n;
        }
        return null;
      default:
        if (c < 128 && META[c]) return null;
        return this.literal(start);
    }
  }

  /** A run of unquoted literal characters (backslash escapes and line continuations included). */
  private literal(start: number): Node | null {
    let i = start;
    for (;;) {
      const c = this.code(i);
      if (c === -1) break;
      if (c === BACKSLASH) {
        if (i + 1 >= this.limit) {
          i++;
          break;
        }
        i += 2;
        continue;
      }
      if (c < 128 && META[c]) break;
      if (c === SQUOTE || c === DQUOTE || c === BACKTICK) break;
      if (c === DOLLAR && i > start) break;
      i++;
    }
    if (i === start) return null;
    this.pos = i;
    return this.node('word', start, i);
  }

  /** `"…"`: string_content runs and the expansions inside. */
  private doubleQuoted(start: number): Node {
    const n = this.node('string', start, start);
    let i = start + 1;
    let run = i;
    const flush = (end: number) => {
      if (end > run) n.add(this.node('string_content', run, end));
    };
    for (;;) {
      const c = this.code(i);
      if (c === -1) {
        flush(i);
        this.error(start, this.limit);
        this.pos = this.limit;
        n.endIndex = this.pos;
        return n;
      }
      if (c === DQUOTE) {
        flush(i);
        this.pos = i + 1;
        n.endIndex = this.pos;
        return n;
      }
      if (c === BACKSLASH) {
        i += 2;
        continue;
      }
      if (c === DOLLAR || c === BACKTICK) {
        this.pos = i;
        const part = c === DOLLAR ? this.dollar(i, true) : this.backquoted(i);
        if (part) {
          flush(i);
          n.add(part);
          i = this.pos;
          run = i;
          continue;
        }
      }
      i++;
    }
  }

  /** `$name`, `${…}`, `$(…)`, `$((…))`, `$'…'`, `$"…"`, or null for a lone `$`. */
  private dollar(start: number, quoted: boolean): Node | null {
    const c = this.code(start + 1);
    if (c === LPAREN) {
      if (this.code(start + 2) === LPAREN) {
        this.pos = start + 1;
        this.parenthesized();
        return this.node('arithmetic_expansion', start, this.pos);
      }
      const n = this.node('command_substitution', start, start);
      this.pos = start + 2;
      this.statements(n, PAREN);
      if (this.code(this.pos) === RPAREN) this.pos++;
      else this.error(start, start + 2);
      n.endIndex = this.pos;
      return n;
    }
    if (c === LBRACE) return this.braceExpansion(start);
    if (!quoted && c === SQUOTE) {
      let i = start + 2;
      while (i < this.limit && this.code(i) !== SQUOTE) i += this.code(i) === BACKSLASH ? 2 : 1;
      if (i >= this.limit) {
        this.error(start, this.limit);
        this.pos = this.limit;
      } else this.pos = i + 1;
      return this.node('ansi_c_string', start, this.pos);
    }
    if (!quoted && c === DQUOTE) {
      const s = this.doubleQuoted(start + 1);
      const t = this.node('translated_string', start, s.endIndex);
      t.add(s);
      return t;
    }
    if (isNameStart(c)) {
      let i = start + 2;
      while (isNameChar(this.code(i))) i++;
      const n = this.node('simple_expansion', start, i);
      n.add(this.node('variable_name', start + 1, i));
      this.pos = i;
      return n;
    }
    if (isDigit(c) || c === 64 /* @ */ || c === 42 /* * */ || c === HASH || c === 63 /* ? */ || c === 45 /* - */ || c === DOLLAR || c === BANG) {
      const n = this.node('simple_expansion', start, start + 2);
      n.add(this.node('special_variable_name', start + 1, start + 2));
      this.pos = start + 2;
      return n;
    }
    return null;
  }

  /** `${…}`: the variable's name, then (as one more node) whatever operator and word follow it. */
  private braceExpansion(start: number): Node {
    const n = this.node('expansion', start, start);
    let i = start + 2;
    const nameStart = i;
    if (isNameStart(this.code(i))) {
      while (isNameChar(this.code(i))) i++;
      n.add(this.node('variable_name', nameStart, i));
    } else if (isDigit(this.code(i))) {
      while (isDigit(this.code(i))) i++;
      n.add(this.node('special_variable_name', nameStart, i));
    }
    // The rest up to the matching `}`, minding quotes, nested expansions and substitutions (kept as children of
    // the rest, so that the commands of `${X:-$(cmd)}` are found).
    const restStart = i;
    const inner: Node[] = [];
    this.pos = i;
    let depth = 1;
    while (this.pos < this.limit) {
      const c = this.code(this.pos);
      if (c === RBRACE) {
        depth--;
        if (depth === 0) break;
        this.pos++;
      } else if (c === LBRACE) {
        depth++;
        this.pos++;
      } else if (c === BACKSLASH) this.pos += 2;
      else if (c === DOLLAR) {
        const d = this.dollar(this.pos, true);
        if (d) inner.push(d);
        else this.pos++;
      } else if (c === SQUOTE || c === DQUOTE || c === BACKTICK) {
        const q = this.wordPart();
        if (q && q.type !== 'raw_string') inner.push(q);
      } else this.pos++;
    }
    if (this.pos > restStart) {
      const rest = n.add(this.node('word', restStart, Math.min(this.pos, this.limit)));
      for (const x of inner) rest.add(x);
    }
    if (this.code(this.pos) === RBRACE) this.pos++;
    else this.error(start, start + 2);
    n.endIndex = this.pos;
    return n;
  }

  /** `` `…` ``: a command substitution whose text is read as a script of its own, up to the closing backquote. */
  private backquoted(start: number): Node {
    let i = start + 1;
    while (i < this.limit && this.code(i) !== BACKTICK) i += this.code(i) === BACKSLASH ? 2 : 1;
    const n = this.node('command_substitution', start, start);
    const saved = this.limit;
    const savedHeredocs = this.heredocs;
    this.heredocs = [];
    this.limit = Math.min(i, saved);
    this.pos = start + 1;
    this.statements(n, NO_STOPS);
    this.limit = saved;
    this.heredocs = savedHeredocs;
    if (i >= saved) {
      this.error(start, saved);
      this.pos = saved;
    } else this.pos = i + 1;
    n.endIndex = this.pos;
    return n;
  }
}

/** A here-document delimiter as written (`'EOF'`, `"EOF"`, `\EOF`, `E"O"F`) → the line that ends the body. */
function unquoteDelimiter(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") continue;
    if (c === '\\' && i + 1 < text.length) {
      out += text[++i];
      continue;
    }
    out += c;
  }
  return out;
}
