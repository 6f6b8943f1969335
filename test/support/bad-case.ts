import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/** One row of fixtures/bad/cases.yaml (the comment at the top of that file explains each key). */
export interface BadCase {
  id: string;
  spec?: string;
  set?: Record<string, unknown>;
  input?: string;
  args?: string[];
  outcome: 'error' | 'empty' | 'ok';
  stderr?: string;
  results?: Record<string, unknown>;
  query?: { sql: string; rows: Array<Record<string, unknown>> };
  pending?: string;
}

const KEYS = ['id', 'spec', 'set', 'input', 'args', 'outcome', 'stderr', 'results', 'query', 'pending'];
export const DEFAULT_SPEC = 'specs/good.yaml';

/** Reads the corpus table. */
export function loadBadCases(corpus: string): BadCase[] {
  return (parseYaml(readFileSync(join(corpus, 'cases.yaml'), 'utf8')) as { cases: BadCase[] }).cases;
}

/** What is wrong with a case's shape or files (empty when it can run). */
export function badCaseProblems(c: BadCase, corpus: string): string[] {
  const p: string[] = [];
  for (const k of Object.keys(c)) if (!KEYS.includes(k)) p.push(`unknown key "${k}"; keys: ${KEYS.join(', ')}`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(String(c.id))) p.push(`id ${JSON.stringify(c.id)} is not kebab-case`);
  if (!['error', 'empty', 'ok'].includes(c.outcome)) p.push(`outcome ${JSON.stringify(c.outcome)} is not error, empty or ok`);
  for (const f of [c.spec ?? DEFAULT_SPEC, c.input]) if (f !== undefined && !existsSync(join(corpus, f))) p.push(`file ${f} does not exist`);
  if (c.outcome === 'error' && c.stderr === undefined) p.push('an error case needs a stderr regex');
  if (c.stderr !== undefined) {
    try {
      new RegExp(c.stderr);
    } catch (err) {
      p.push(`stderr: ${(err as Error).message}`);
    }
  }
  if (c.outcome === 'ok' && !c.args?.includes('--no-overwrite')) p.push('an ok case needs --no-overwrite so the good run stays');
  if (c.query && (typeof c.query.sql !== 'string' || !Array.isArray(c.query.rows))) p.push('query needs sql and rows');
  if (c.pending !== undefined && !/^#8\.\d+$/.test(c.pending)) p.push(`pending ${JSON.stringify(c.pending)} is not "#8.N"`);
  return p;
}

/**
 * The spec a case runs: its spec file, or, with `set`, a copy written to `cases/<id>.yaml` in `dir` with each
 * dotted path set (numeric parts index lists; null removes the key). Returns the path relative to `dir`.
 */
export function caseSpec(c: BadCase, dir: string): string {
  const spec = c.spec ?? DEFAULT_SPEC;
  if (!c.set) return spec;
  const doc = parseYaml(readFileSync(join(dir, spec), 'utf8')) as Record<string, unknown>;
  for (const [path, value] of Object.entries(c.set)) {
    const parts = path.split('.');
    const last = parts.pop() as string;
    let node = doc as Record<string, unknown>;
    for (const part of parts) node = (node[part] ??= {}) as Record<string, unknown>;
    if (value === null) delete node[last];
    else node[last] = value;
  }
  const out = `cases/${c.id}.yaml`;
  mkdirSync(dirname(join(dir, out)), { recursive: true });
  writeFileSync(join(dir, out), stringifyYaml(doc));
  return out;
}
