import { syntaxError } from './expression-error.js';

/** The kinds of token the expression language has. */
export type TokenType = 'number' | 'string' | 'name' | 'keyword' | 'op' | 'eof';

/** One token; `pos` is its 0-based offset in the source, `text` its source spelling. */
export interface Token {
  type: TokenType;
  text: string;
  pos: number;
  /** The literal value of a number or string token. */
  value?: number | string;
}

/** Reserved words. `True/False/None` are Python's spellings of `true/false/null`, `none` Jinja's. */
export const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null', 'True', 'False', 'None', 'none']);

const TWO_CHAR_OPS = new Set(['==', '!=', '<=', '>=', '&&', '||']);
const ONE_CHAR_OPS = new Set(['<', '>', '!', '+', '-', '*', '/', '%', '(', ')', '[', ']', ',', '.']);
const NUMBER_RE = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME_RE = /[A-Za-z_][A-Za-z0-9_]*/y;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0', '\\': '\\', "'": "'", '"': '"',
};

/** Whether a token ends an operand, so that a following `.` is member access rather than a number. */
function endsOperand(t: Token | undefined): boolean {
  return t !== undefined && (t.type === 'name' || t.type === 'number' || t.type === 'string' || t.text === ')' || t.text === ']');
}

/** Reads a quoted string starting at `start`; returns its value and the offset after the closing quote. */
function readString(src: string, start: number): { value: string; end: number } {
  const quote = src[start];
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === quote) return { value: out, end: i + 1 };
    if (c !== '\\') {
      out += c;
      i += 1;
      continue;
    }
    const e = src[i + 1];
    if (e === undefined) break;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i += 2;
    } else if (e === 'x' || e === 'u') {
      const len = e === 'x' ? 2 : 4;
      const hex = src.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) {
        throw syntaxError(src, i, `bad escape "\\${e}${hex}" (expected ${len} hex digits)`);
      }
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2 + len;
    } else {
      // Python keeps the backslash of an unknown escape: '\d' is two characters.
      out += `\\${e}`;
      i += 2;
    }
  }
  throw syntaxError(src, start, `unterminated string starting with ${quote}`);
}

/** Splits an expression into tokens, ending with an `eof` token. Throws ExpressionError on a bad character. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (c === '"' || c === "'") {
      const { value, end } = readString(src, i);
      tokens.push({ type: 'string', text: src.slice(i, end), pos: i, value });
      i = end;
      continue;
    }
    NUMBER_RE.lastIndex = i;
    const num = /[0-9.]/.test(c) && !(c === '.' && endsOperand(tokens.at(-1))) ? NUMBER_RE.exec(src) : null;
    if (num) {
      tokens.push({ type: 'number', text: num[0], pos: i, value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    NAME_RE.lastIndex = i;
    const name = NAME_RE.exec(src);
    if (name) {
      tokens.push({ type: KEYWORDS.has(name[0]) ? 'keyword' : 'name', text: name[0], pos: i });
      i += name[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ type: 'op', text: two, pos: i });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      tokens.push({ type: 'op', text: c, pos: i });
      i += 1;
      continue;
    }
    const hint = c === '=' ? ' (use == to compare)' : c === '&' || c === '|' ? ` (use ${c}${c} or ${c === '&' ? 'and' : 'or'})` : '';
    throw syntaxError(src, i, `unexpected character ${JSON.stringify(c)}${hint}`);
  }
  tokens.push({ type: 'eof', text: '', pos: src.length });
  return tokens;
}
