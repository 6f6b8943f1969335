/**
 * Issue #11: kinds and their settings are typed from the same key lists the ingestion plan checks. The
 * `@ts-expect-error` lines are the compile-time half (`npm run typecheck` fails if any of them compiles); the test
 * body is the run-time half: the same mistakes from YAML are refused by the plan.
 */
import { describe, expect, it } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet } from '../../connectors/index.js';
import { builtinConnectors } from '../../connectors/registry.js';
import { planIngestion } from '../../src/index.js';

const good = [
  new DataTargetBase({ name: 'lake', kind: 'parquet', path: 'lake/', attributes: { compression: 'zstd', max_file_bytes: 1 << 20 } }),
  new DataTargetBase({ name: 'online', kind: 'redisnosql', attributes: { key_prefix: 'x:', ttl_seconds: 60 } }),
  new DataSource({ kind: 'csv', path: 'a.csv', attributes: { on_bad_row: 'skip', additional_filters: [['a', '>', 1]] } }),
];

// @ts-expect-error a misspelled target kind
const badKind = () => new DataTargetBase({ name: 'x', kind: 'parquett' });
// @ts-expect-error a misspelled setting of the kind
const badKey = () => new DataTargetBase({ name: 'x', kind: 'parquet', attributes: { compresion: 'zstd' } });
// @ts-expect-error a source setting of another kind (max_line_chars is jsonl's)
const otherKind = () => new DataSource({ kind: 'csv', path: 'a.csv', attributes: { max_line_chars: 10 } });
// @ts-expect-error a plain target option object with a misspelled kind inside a feature set
const inFeatureSet = () => new FeatureSet({ name: 'x', targets: [{ name: 't', kind: 'csvv' }] });

describe('typed kinds and settings', () => {
  it('the typed classes are the core classes', () => {
    expect(good[0]).toBeInstanceOf(DataTargetBase);
    expect(DataTargetBase.fromDict({ kind: 'csv', name: 'c' }).kind).toBe('csv');
    expect([badKind, badKey, otherKind, inFeatureSet].every((f) => typeof f === 'function')).toBe(true);
  });

  it('the same mistakes from YAML are refused by the plan', async () => {
    const yaml = (target: string) => FeatureSet.fromYaml(`kind: FeatureSet\nmetadata: {name: t}\nspec:\n  entities: [{name: id}]\n  timestamp_key: ts\n  source: {kind: csv, path: a.csv}\n  targets: [${target}]\n`);
    await expect(planIngestion(yaml('{name: x, kind: parquett}'), {}, builtinConnectors())).rejects.toThrow(/target kind "parquett" is not known/);
    await expect(planIngestion(yaml('{name: x, kind: parquet, attributes: {compresion: zstd}}'), {}, builtinConnectors())).rejects.toThrow(/attributes.compresion is not a known setting \(did you mean compression\?\)/);
  });
});
