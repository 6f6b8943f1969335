import { writeFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretsStore, parseSecretSpec, parseSecretsFile } from '../../../src/run/secrets.js';
import { BadInputError, NotFoundError, NotSupportedError, SpecError } from '../../../src/errors.js';
import { tmpDir } from '../../support/tmp-dir.js';

describe('SecretsStore', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  beforeEach(async () => {
    ({ dir, cleanup } = await tmpDir());
  });
  afterEach(() => cleanup());

  it('reads inline maps with values stringified', () => {
    const s = new SecretsStore({ env: {} }).addSource('inline', { a: 'x', n: 5, b: true, o: { k: 1 }, skip: null });
    expect(s.keys()).toEqual(['a', 'n', 'b', 'o']);
    expect(s.get('n')).toBe('5');
    expect(s.get('b')).toBe('true');
    expect(s.get('o')).toBe('{"k":1}');
    expect(s.get('skip')).toBeUndefined();
    expect(s.get('missing', 'dflt')).toBe('dflt');
    expect(new SecretsStore({ env: {} }).addSource('inline', '{"j": "v"}').get('j')).toBe('v');
  });

  it('refuses bad inline sources without quoting them', () => {
    const s = new SecretsStore({ env: {} });
    expect(() => s.addSource('inline', 'hunter2')).toThrow(SpecError);
    expect(() => s.addSource('inline', 'hunter2')).not.toThrow(/hunter2/);
    expect(() => s.addSource('inline', ['hunter2'])).toThrow('secrets inline: expected a map of key to value, got a list');
  });

  it('reads env names, skipping unset variables', () => {
    const s = new SecretsStore({ env: { A: '1', B: 'two' } }).addSource('env', ' A, C ,B,');
    expect(s.keys()).toEqual(['A', 'B']);
    expect(s.get('B')).toBe('two');
    expect(s.has('C')).toBe(false);
    expect(new SecretsStore({ env: { A: '1' } }).addSource('env', ['A']).get('A')).toBe('1');
    expect(() => s.addSource('env', 5)).toThrow(/secrets env: expected comma-separated variable names/);
  });

  it('lists env names that no source has, and keys with short values', () => {
    const s = new SecretsStore({ env: { A: '1', B: 'two-long' } }).addSource('env', 'A,B,C,D').addSource('inline', { D: 'set', E: 'TRUE' });
    expect(s.missingEnv()).toEqual(['C']);
    expect(s.shortKeys()).toEqual(['A', 'D', 'E']);
  });

  it('reads process.env by default', () => {
    const name = `SLUICE_TEST_SECRET_${process.pid}`;
    process.env[name] = 'from-env';
    try {
      expect(new SecretsStore().addSource('env', name).get(name)).toBe('from-env');
    } finally {
      delete process.env[name];
    }
  });

  it('reads key=value files: first = splits, trims, skips comments and blanks, expands $VAR', async () => {
    const path = join(dir, 'secrets.env');
    await writeFile(path, '# comment\n\n  user = admin \npassword=a=b=c\r\nurl=redis://$HOST:${PORT}/0\nkeep=$NOPE and ${NOPE}\n');
    const s = new SecretsStore({ env: { HOST: 'h', PORT: '6379' } }).addSource('file', path);
    expect(Object.fromEntries(s.keys().map((k) => [k, s.get(k)]))).toEqual({
      user: 'admin',
      password: 'a=b=c',
      url: 'redis://h:6379/0',
      keep: '$NOPE and ${NOPE}',
    });
  });

  it('names the file and line of a bad secrets file, never its content', async () => {
    const missing = join(dir, 'missing.env');
    expect(() => new SecretsStore().addSource('file', missing)).toThrow(NotFoundError);
    expect(() => new SecretsStore().addSource('file', missing)).toThrow(`secrets file ${missing} does not exist`);
    const bad = join(dir, 'bad.env');
    await writeFile(bad, 'a=1\nhunter2\n');
    expect(() => new SecretsStore().addSource('file', bad)).toThrow(BadInputError);
    expect(() => new SecretsStore().addSource('file', bad)).toThrow(`secrets file ${bad}: line 2 has no "="; expected key=value`);
    expect(() => parseSecretsFile(' = v', 'f', {})).toThrow('secrets file f: line 1 has an empty key; expected key=value');
  });

  it('lets a later source override an earlier one', () => {
    const s = new SecretsStore({ env: { K: 'env' } }).addSource('inline', { K: 'inline' }).addSource('env', 'K');
    expect(s.get('K')).toBe('env');
    expect(s.values()).toEqual(['env']);
  });

  it('refuses MLRun kinds Sluice does not support, and unknown kinds', () => {
    for (const kind of ['vault', 'kubernetes', 'azure_vault']) {
      expect(() => new SecretsStore().addSource(kind, ['x'])).toThrow(NotSupportedError);
      expect(() => new SecretsStore().addSource(kind, ['x'])).toThrow(`secrets kind "${kind}" is not supported; Sluice supports inline, env, file`);
    }
    expect(() => new SecretsStore().addSource('ssm', 'x')).toThrow(SpecError);
    expect(() => new SecretsStore().addSource('ssm', 'x')).toThrow('secrets kind "ssm" is unknown; expected one of inline, env, file');
  });

  it('serialises sources without values and never shows values', async () => {
    const path = join(dir, 's.env');
    await writeFile(path, 'f=file-secret\n');
    const s = new SecretsStore({ env: { E: 'env-secret' } })
      .addSource('inline', { token: 'inline-secret' })
      .addSource('env', 'E')
      .addSource('file', path);
    expect(s.toSerial()).toEqual([
      { kind: 'inline', source: { token: '***' } },
      { kind: 'env', source: 'E' },
      { kind: 'file', source: path },
    ]);
    const shown = [JSON.stringify(s), JSON.stringify(s.toSerial()), inspect(s, { depth: 10, showHidden: true }), String(s)].join('\n');
    for (const v of ['inline-secret', 'env-secret', 'file-secret']) expect(shown).not.toContain(v);
    expect(s.redact('t=inline-secret e=env-secret f=file-secret')).toBe('t=*** e=*** f=***');
    expect(s.redactDeep({ msg: ['env-secret'] })).toEqual({ msg: ['***'] });
  });
});

describe('parseSecretSpec', () => {
  it('splits kind=source at the first =', () => {
    expect(parseSecretSpec('file=/etc/a=b.env')).toEqual({ kind: 'file', source: '/etc/a=b.env' });
    expect(parseSecretSpec('env=A,B')).toEqual({ kind: 'env', source: 'A,B' });
    expect(parseSecretSpec('inline={"a":"b"}')).toEqual({ kind: 'inline', source: '{"a":"b"}' });
  });

  it('refuses a missing =, an empty source and unsupported kinds', () => {
    expect(() => parseSecretSpec('secrets.env')).toThrow('secrets "secrets.env": expected kind=source, e.g. file=secrets.env or env=A,B');
    expect(() => parseSecretSpec('env=')).toThrow('secrets env=: the source is empty; expected names like A,B');
    expect(() => parseSecretSpec('vault=x')).toThrow(NotSupportedError);
    expect(() => parseSecretSpec('nope=x')).toThrow(SpecError);
  });
});
