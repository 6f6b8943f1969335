import { readFile as fsReadFile } from 'node:fs/promises';
import { BadInputError, NotFoundError, SluiceError, errorMessage } from '../../errors.js';
import type { ParamSet } from './hyperparams.js';
import { parseCsvParams } from './parse-csv-params.js';

/** Reads a param file as text; injectable (e.g. to read through a FileSystem). */
export type ReadParamFile = (path: string) => Promise<string | Uint8Array>;

/** A parsed param file: CSV rows (list strategy) or a JSON hyperparams dict (grid/random). */
export type ParamFile = { kind: 'csv'; rows: ParamSet[] } | { kind: 'json'; hyperparams: unknown };

/** Whether a param file is CSV (by its `.csv` extension, as MLRun); anything else is read as JSON. */
export function isCsvParamFile(path: string): boolean {
  return /\.csv$/i.test(path);
}

async function readText(path: string, readFile: ReadParamFile): Promise<string> {
  let body: string | Uint8Array;
  try {
    body = await readFile(path);
  } catch (err) {
    if (err instanceof SluiceError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`param file ${path} does not exist`, { cause: err });
    throw new BadInputError(`param file ${path}: cannot read it: ${errorMessage(err)}`, { cause: err });
  }
  return typeof body === 'string' ? body : new TextDecoder().decode(body);
}

/** Reads and parses a param file. Throws NotFoundError for a missing file and BadInputError for bad content. */
export async function readParamFile(path: string, readFile: ReadParamFile = (p) => fsReadFile(p, 'utf8')): Promise<ParamFile> {
  const text = await readText(path, readFile);
  if (isCsvParamFile(path)) return { kind: 'csv', rows: parseCsvParams(text, path) };
  try {
    return { kind: 'json', hyperparams: JSON.parse(text) as unknown };
  } catch (err) {
    throw new BadInputError(`param file ${path}: not valid JSON (${errorMessage(err)}); expected {"param": [values, ...], ...} or a .csv file`, {
      cause: err,
    });
  }
}
