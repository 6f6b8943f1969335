import type { ArithmeticOp, CompareOp, Node } from './ast.js';
import { syntaxError } from './expression-error.js';
import { tokenize } from './tokenize.js';
import type { Token } from './tokenize.js';

/** Deeper nesting than this is refused rather than risking the stack. */
export const MAX_DEPTH = 100;

const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** How a token is quoted in an error message. */
function describe(t: Token): string {
  return t.type === 'eof' ? 'end of expression' : `${t.type === 'keyword' || t.type === 'name' ? t.type : 'token'} ${JSON.stringify(t.text)}`;
}

/**
 * Recursive-descent parser. Precedence, loosest first (as Python): `or`/`||`, `and`/`&&`, `not`/`!`,
 * comparisons and `in`/`not in` (chained), `+ -`, `* / %`, unary `- +`, then postfix `.name` and `[index]`.
 */
class Parser {
  private i = 0;
  private depth = 0;
  readonly names = new Set<string>();

  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.i += 1;
    return t;
  }

  private is(text: string): boolean {
    const t = this.peek();
    return (t.type === 'op' || t.type === 'keyword') && t.text === text;
  }

  private expect(text: string, context: string): Token {
    const t = this.peek();
    if (!this.is(text)) throw syntaxError(this.src, t.pos, `expected "${text}" ${context} but found ${describe(t)}`);
    return this.next();
  }

  private nested<N>(pos: number, f: () => N): N {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) throw syntaxError(this.src, pos, `nesting deeper than ${MAX_DEPTH} levels`);
    try {
      return f();
    } finally {
      this.depth -= 1;
    }
  }

  parseAll(): Node {
    if (this.peek().type === 'eof') throw syntaxError(this.src, 0, 'empty expression');
    const node = this.parseOr();
    const t = this.peek();
    if (t.type !== 'eof') throw syntaxError(this.src, t.pos, `unexpected ${describe(t)}`);
    return node;
  }

  private parseOr(): Node {
    let left = this.parseAnd();
    while (this.is('or') || this.is('||')) {
      const pos = this.next().pos;
      left = { type: 'logical', op: 'or', left, right: this.parseAnd(), pos };
    }
    return left;
  }

  private parseAnd(): Node {
    let left = this.parseNot();
    while (this.is('and') || this.is('&&')) {
      const pos = this.next().pos;
      left = { type: 'logical', op: 'and', left, right: this.parseNot(), pos };
    }
    return left;
  }

  private parseNot(): Node {
    if (this.is('not') || this.is('!')) {
      const pos = this.next().pos;
      return this.nested(pos, () => ({ type: 'not', operand: this.parseNot(), pos }));
    }
    return this.parseComparison();
  }

  private compareOp(): CompareOp | undefined {
    const t = this.peek();
    if (t.type === 'op' && COMPARE_OPS.has(t.text)) return t.text as CompareOp;
    if (this.is('in')) return 'in';
    if (this.is('not')) {
      const after = this.tokens[this.i + 1];
      if (after?.type === 'keyword' && after.text === 'in') return 'not in';
    }
    return undefined;
  }

  private parseComparison(): Node {
    const first = this.parseAdditive();
    const rest: Array<{ op: CompareOp; operand: Node; pos: number }> = [];
    for (let op = this.compareOp(); op !== undefined; op = this.compareOp()) {
      const pos = this.next().pos;
      if (op === 'not in') this.next();
      rest.push({ op, operand: this.parseAdditive(), pos });
    }
    return rest.length === 0 ? first : { type: 'compare', first, rest, pos: (rest[0] as { pos: number }).pos };
  }

  private parseAdditive(): Node {
    let left = this.parseMultiplicative();
    while (this.is('+') || this.is('-')) {
      const t = this.next();
      left = { type: 'arithmetic', op: t.text as ArithmeticOp, left, right: this.parseMultiplicative(), pos: t.pos };
    }
    return left;
  }

  private parseMultiplicative(): Node {
    let left = this.parseUnary();
    while (this.is('*') || this.is('/') || this.is('%')) {
      const t = this.next();
      left = { type: 'arithmetic', op: t.text as ArithmeticOp, left, right: this.parseUnary(), pos: t.pos };
    }
    return left;
  }

  private parseUnary(): Node {
    if (this.is('-') || this.is('+')) {
      const t = this.next();
      return this.nested(t.pos, () => ({ type: 'negate', op: t.text as '-' | '+', operand: this.parseUnary(), pos: t.pos }));
    }
    return this.parsePostfix();
  }

  private parsePostfix(): Node {
    let node = this.parsePrimary();
    for (;;) {
      if (this.is('.')) {
        const pos = this.next().pos;
        const t = this.next();
        if (t.type !== 'name' && t.type !== 'keyword') throw syntaxError(this.src, t.pos, `expected a name after "." but found ${describe(t)}`);
        node = { type: 'member', object: node, property: t.text, pos };
      } else if (this.is('[')) {
        const pos = this.next().pos;
        const index = this.nested(pos, () => this.parseOr());
        this.expect(']', 'to close the index');
        node = { type: 'index', object: node, index, pos };
      } else {
        return node;
      }
    }
  }

  private parsePrimary(): Node {
    const t = this.next();
    switch (t.type) {
      case 'number':
      case 'string':
        return { type: 'literal', value: t.value as number | string, pos: t.pos };
      case 'name':
        this.names.add(t.text);
        return { type: 'name', name: t.text, pos: t.pos };
      case 'keyword':
        if (t.text === 'true' || t.text === 'True') return { type: 'literal', value: true, pos: t.pos };
        if (t.text === 'false' || t.text === 'False') return { type: 'literal', value: false, pos: t.pos };
        if (t.text === 'null' || t.text === 'None' || t.text === 'none') return { type: 'literal', value: null, pos: t.pos };
        break;
      case 'op':
        if (t.text === '(') {
          const inner = this.nested(t.pos, () => this.parseOr());
          this.expect(')', `to close the "(" at column ${t.pos + 1}`);
          return inner;
        }
        if (t.text === '[') return this.nested(t.pos, () => this.parseList(t.pos));
        break;
      default:
        break;
    }
    throw syntaxError(this.src, t.pos, `unexpected ${describe(t)}`);
  }

  private parseList(pos: number): Node {
    const items: Node[] = [];
    while (!this.is(']')) {
      items.push(this.parseOr());
      if (!this.is(',')) break;
      this.next();
    }
    this.expect(']', `to close the list at column ${pos + 1}`);
    return { type: 'list', items, pos };
  }
}

/** Parses `src` into a syntax tree and the top-level names it reads. Throws ExpressionError on bad syntax. */
export function parse(src: string): { root: Node; names: string[] } {
  const parser = new Parser(src, tokenize(src));
  const root = parser.parseAll();
  return { root, names: [...parser.names] };
}
