/** A comparison or membership operator; `not in` is one operator. */
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';

/** An arithmetic operator. */
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

/** A node of a parsed expression. `pos` is the 0-based offset of the node's operator or first token. */
export type Node =
  | { type: 'literal'; value: number | string | boolean | null; pos: number }
  | { type: 'name'; name: string; pos: number }
  | { type: 'member'; object: Node; property: string; pos: number }
  | { type: 'index'; object: Node; index: Node; pos: number }
  | { type: 'list'; items: Node[]; pos: number }
  | { type: 'not'; operand: Node; pos: number }
  | { type: 'negate'; op: '-' | '+'; operand: Node; pos: number }
  | { type: 'arithmetic'; op: ArithmeticOp; left: Node; right: Node; pos: number }
  | { type: 'logical'; op: 'and' | 'or'; left: Node; right: Node; pos: number }
  /** A (possibly chained, Python-style) comparison: `a < b <= c` is `a < b and b <= c`. */
  | { type: 'compare'; first: Node; rest: Array<{ op: CompareOp; operand: Node; pos: number }>; pos: number };
