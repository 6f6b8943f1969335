import { BadInputError } from '../../errors.js';

/** Expands `$NAME` and `${NAME}` from `env`; unknown names are left as written (Python's `os.path.expandvars`). */
export function expandEnvVars(value: string, env: Readonly<Record<string, string | undefined>>): string {
  return value.replace(/\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const v = env[(braced ?? bare) as string];
    return v === undefined ? whole : v;
  });
}

/**
 * Parses a secrets file of `key=value` lines: the first `=` splits, key and value are trimmed, blank lines and
 * lines starting with `#` are skipped, `$VAR`/`${VAR}` in values are expanded from `env`. Quotes are kept as
 * written (as MLRun). A line without `=` or with an empty key is a BadInputError naming the file and the line
 * number, never the line's content.
 */
export function parseSecretsFile(text: string, path: string, env: Readonly<Record<string, string | undefined>>): Map<string, string> {
  const out = new Map<string, string>();
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const eq = line.indexOf('=');
      if (eq < 0) throw new BadInputError(`secrets file ${path}: line ${i + 1} has no "="; expected key=value`);
      const key = line.slice(0, eq).trim();
      if (key === '') throw new BadInputError(`secrets file ${path}: line ${i + 1} has an empty key; expected key=value`);
      out.set(key, expandEnvVars(line.slice(eq + 1).trim(), env));
    });
  return out;
}
