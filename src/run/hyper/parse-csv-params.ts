import { BadInputError } from '../../errors.js';
import { isNumericString } from '../../util/expression/values.js';
import type { ParamSet } from './hyperparams.js';

const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, True: true, TRUE: true, false: false, False: false, FALSE: false };

/** Splits CSV text into rows of cells (RFC 4180: `"` quotes, `""` escapes, CRLF or LF). Blank lines are dropped. */
function splitCsv(text: string, path: string): Array<{ line: number; cells: string[] }> {
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line += 1;
        cell += c;
      }
    } else if (c === '"' && cell === '') {
      quoted = true;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      endRow();
      line += 1;
      rowLine = line;
    } else {
      cell += c;
    }
  }
  if (quoted) throw new BadInputError(`param file ${path}: unterminated quoted value starting on line ${rowLine}`);
  endRow();
  return rows;
}

/** A CSV cell as a value: numeric-looking → number, true/false (any of 3 casings) → boolean, empty → null. */
function cellValue(cell: string): unknown {
  if (isNumericString(cell)) return Number(cell);
  const b = BOOLEANS[cell.trim()];
  if (b !== undefined) return b;
  return cell === '' ? null : cell;
}

/**
 * Parses a CSV param file: the header names the parameters, every further row is one child's parameters.
 * Throws BadInputError naming the file and line on a bad header or a row of the wrong width.
 */
export function parseCsvParams(text: string, path: string): ParamSet[] {
  const rows = splitCsv(text.replace(/^\uFEFF/, ''), path);
  const header = rows.shift();
  if (header === undefined) throw new BadInputError(`param file ${path}: empty; expected a header line of parameter names`);
  const names = header.cells.map((n) => n.trim());
  names.forEach((name, i) => {
    if (name === '') throw new BadInputError(`param file ${path}: line ${header.line}: column ${i + 1} has no name`);
    if (names.indexOf(name) !== i) throw new BadInputError(`param file ${path}: line ${header.line}: column "${name}" appears twice`);
  });
  return rows.map(({ line, cells }) => {
    if (cells.length !== names.length) {
      throw new BadInputError(`param file ${path}: line ${line} has ${cells.length} values; the header has ${names.length} (${names.join(', ')})`);
    }
    return Object.fromEntries(names.map((name, i) => [name, cellValue(cells[i] as string)]));
  });
}
