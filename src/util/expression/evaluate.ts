import type { ArithmeticOp, CompareOp, Node } from './ast.js';
import { ExpressionError } from './expression-error.js';
import { isNone, isNumericString, isPlainObject, looseEquals, order, ownMember, truthy, typeName } from './values.js';

/** How a name that the scope does not have is treated. */
export type MissingNames = 'error' | 'undefined';

/** Options of {@link evaluateNode}. */
export interface EvaluateOptions {
  /**
   * `'error'` (default): a top-level name missing from the scope throws an ExpressionError naming it.
   * `'undefined'`: it evaluates to `undefined`, so `accuracy > 0.9` is simply false.
   * A missing member of an existing value (`run.status.reason`) is `undefined` either way.
   */
  missing?: MissingNames;
}

interface Context {
  src: string;
  scope: Record<string, unknown>;
  missing: MissingNames;
}

function typeError(ctx: Context, pos: number, what: string): ExpressionError {
  return new ExpressionError('type', `expression ${JSON.stringify(ctx.src)}: ${what} at column ${pos + 1}`, pos);
}

function lookup(ctx: Context, name: string, pos: number): unknown {
  if (Object.hasOwn(ctx.scope, name)) return ownMember(ctx.scope, name);
  if (ctx.missing === 'undefined') return undefined;
  const known = Object.keys(ctx.scope).sort();
  const list = known.length === 0 ? 'the scope is empty' : `known names: ${known.join(', ')}`;
  throw new ExpressionError('missing', `expression ${JSON.stringify(ctx.src)}: unknown name "${name}" at column ${pos + 1}; ${list}`, pos);
}

/** A numeric view of a pair: both numbers, or a number beside a numeric string. */
function numericPair(a: unknown, b: unknown): [number, number] | undefined {
  if (typeof a === 'number' && typeof b === 'number') return [a, b];
  if (typeof a === 'number' && isNumericString(b)) return [a, Number(b)];
  if (typeof b === 'number' && isNumericString(a)) return [Number(a), b];
  return undefined;
}

function arithmetic(ctx: Context, op: ArithmeticOp, a: unknown, b: unknown, pos: number): unknown {
  if (isNone(a) || isNone(b)) return undefined;
  const nums = numericPair(a, b);
  if (nums) {
    const [x, y] = nums;
    if ((op === '/' || op === '%') && y === 0) throw typeError(ctx, pos, `division by zero in "${op}"`);
    switch (op) {
      case '+': return x + y;
      case '-': return x - y;
      case '*': return x * y;
      case '/': return x / y;
      case '%': return ((x % y) + y) % y; // Python: the result takes the divisor's sign
    }
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  throw typeError(ctx, pos, `cannot apply "${op}" to ${typeName(a)} and ${typeName(b)}`);
}

function contains(ctx: Context, item: unknown, container: unknown, pos: number): boolean {
  if (isNone(container)) return false;
  if (Array.isArray(container)) return container.some((x) => looseEquals(item, x));
  if (typeof container === 'string') {
    if (isNone(item)) return false;
    if (typeof item !== 'string') throw typeError(ctx, pos, `"in" a string needs a string on the left, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (isPlainObject(container)) return (typeof item === 'string' || typeof item === 'number') && ownMember(container, item) !== undefined;
  throw typeError(ctx, pos, `"in" needs a list, a string or an object on the right, not ${typeName(container)}`);
}

function compare(ctx: Context, op: CompareOp, a: unknown, b: unknown, pos: number): boolean {
  switch (op) {
    case '==': return looseEquals(a, b);
    case '!=': return !looseEquals(a, b);
    case 'in': return contains(ctx, a, b, pos);
    case 'not in': return !contains(ctx, a, b, pos);
  }
  const sign = order(a, b);
  if (sign === undefined) return false;
  switch (op) {
    case '<': return sign < 0;
    case '<=': return sign <= 0;
    case '>': return sign > 0;
    case '>=': return sign >= 0;
  }
}

function evalNode(ctx: Context, node: Node): unknown {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'name':
      return lookup(ctx, node.name, node.pos);
    case 'member': {
      const obj = evalNode(ctx, node.object);
      return isNone(obj) ? undefined : ownMember(obj, node.property);
    }
    case 'index': {
      const obj = evalNode(ctx, node.object);
      const idx = evalNode(ctx, node.index);
      if (typeof idx !== 'number' && typeof idx !== 'string') {
        if (isNone(idx)) return undefined;
        throw typeError(ctx, node.pos, `an index must be a number or a string, not ${typeName(idx)}`);
      }
      return isNone(obj) ? undefined : ownMember(obj, idx);
    }
    case 'list':
      return node.items.map((item) => evalNode(ctx, item));
    case 'not':
      return !truthy(evalNode(ctx, node.operand));
    case 'negate': {
      const v = evalNode(ctx, node.operand);
      if (isNone(v)) return undefined;
      if (typeof v !== 'number') throw typeError(ctx, node.pos, `cannot apply unary "${node.op}" to ${typeName(v)}`);
      return node.op === '-' ? -v : v;
    }
    case 'arithmetic':
      return arithmetic(ctx, node.op, evalNode(ctx, node.left), evalNode(ctx, node.right), node.pos);
    case 'logical': {
      const left = evalNode(ctx, node.left);
      if (node.op === 'and') return truthy(left) ? evalNode(ctx, node.right) : left;
      return truthy(left) ? left : evalNode(ctx, node.right);
    }
    case 'compare': {
      let left = evalNode(ctx, node.first);
      for (const { op, operand, pos } of node.rest) {
        const right = evalNode(ctx, operand);
        if (!compare(ctx, op, left, right, pos)) return false;
        left = right;
      }
      return true;
    }
  }
}

/** Evaluates a parsed expression of source `src` against `scope`. */
export function evaluateNode(src: string, root: Node, scope: Record<string, unknown>, options: EvaluateOptions = {}): unknown {
  return evalNode({ src, scope, missing: options.missing ?? 'error' }, root);
}
