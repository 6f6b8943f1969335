import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../../src/run/run-task.js';
import { RunObject } from '../../../src/run/run-object.js';
import type { RunDB } from '../../../src/run/db/run-db.js';
import { newTask } from '../../../src/model/new-task.js';
import { tempRunDB } from '../../support/temp-run-db.js';

let dir: string;
let db: RunDB;
let done: () => Promise<void>;
beforeEach(async () => ({ dir, db, done } = await tempRunDB()));
afterEach(async () => done());

const FIXTURES = join(import.meta.dirname, '../../../fixtures/mlrun');
const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex');
type Rec = { kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown>; status: Record<string, unknown> } & Record<string, unknown>;
/** The kinds MLRun 1.7's `dict_to_artifact` knows (`mlrun/artifacts/manager.py:artifact_types`). */
const MLRUN_KINDS = ['', 'artifact', 'dir', 'link', 'plot', 'table', 'model', 'dataset', 'plotly'];

describe('artifact records in MLRun\'s shape (issue #10)', () => {
  it('a run writes kind / metadata.key,project,iter,tree,hash / spec.target_path,format,size,producer, and reads them back', async () => {
    const src = join(dir, 'weights.bin');
    await writeFile(src, Buffer.from([1, 2, 3, 4, 5]));
    const r = await run(newTask({ name: 'train', project: 'p1', artifact_path: join(dir, 'art') }), async (ctx) => {
      await ctx.logArtifact('model', { body: { weights: [1, 2] } });
      await ctx.logArtifact('weights', { localPath: src, kind: 'model', labels: { team: 'ml' } });
    }, { db, cwd: dir });
    expect(await r.state()).toBe('completed');

    const stored = RunObject.fromRecord((await db.readRun(r.uid, { project: 'p1' }))!, db);
    const recs = stored.status.artifacts as Rec[];
    expect(recs).toHaveLength(2);
    const model = recs[0] as Rec;
    const modelPath = join(dir, 'art', r.uid, '0', 'model.json');
    const modelBytes = await readFile(modelPath);
    expect(model).toEqual({
      kind: 'artifact',
      metadata: { key: 'model', project: 'p1', iter: 0, tree: r.uid, hash: sha1(modelBytes) },
      spec: { target_path: modelPath, format: 'json', size: modelBytes.length, producer: { kind: 'run', name: 'train', uri: `p1/${r.uid}` } },
      status: { state: 'created' },
    });
    const weights = recs[1] as Rec;
    expect(weights.kind).toBe('model');
    expect(weights.metadata).toMatchObject({ key: 'weights', hash: sha1(await readFile(src)), labels: { team: 'ml' } });
    expect(weights.spec).toMatchObject({ target_path: join(dir, 'art', r.uid, '0', 'weights.bin'), format: 'bin', size: 5 });
    for (const rec of recs) {
      expect(MLRUN_KINDS).toContain(rec.kind);
      expect('key' in rec || 'target_path' in rec).toBe(false); // not a legacy record for MLRun (`is_legacy_artifact`)
      expect(rec.spec.db_key).toBeUndefined(); // so MLRun's get_artifact_target answers spec.target_path
    }

    expect(await stored.output('model')).toBe(modelPath);
    const item = await stored.artifact('model');
    expect(item).toMatchObject({ key: 'model', kind: 'artifact', path: modelPath, size: modelBytes.length });
    expect(JSON.parse((await item?.asString()) ?? '')).toEqual({ weights: [1, 2] });
    expect(Buffer.from((await (await stored.artifact('weights'))?.get()) ?? [])).toEqual(Buffer.from([1, 2, 3, 4, 5]));
    let shown = '';
    stored.show((t) => (shown += t));
    expect(shown).toMatch(/artifacts\s+model, weights\n/);
  });

  it('a sweep: iteration_results is a table artifact with its header; children\'s records carry their iteration', async () => {
    const r = await run(newTask({ name: 'grid', project: 'p2', artifact_path: join(dir, 'art') }).withHyperParams({ p: [1, 2] }, 'max.score'), async (ctx) => {
      await ctx.logArtifact('note', { body: `p=${String(ctx.params.p)}` });
      return { score: Number(ctx.params.p) };
    }, { db, cwd: dir });
    expect(await r.state()).toBe('completed');
    const rec = (r.status.artifacts as Rec[]).find((a) => a.metadata.key === 'iteration_results') as Rec;
    const path = join(dir, 'art', r.uid, '0', 'iteration_results.csv');
    const csv = await readFile(path);
    expect(rec.kind).toBe('table');
    expect(rec.metadata).toMatchObject({ key: 'iteration_results', iter: 0, tree: r.uid, project: 'p2', hash: sha1(csv) });
    expect(rec.spec).toMatchObject({ target_path: path, format: 'csv', size: csv.length, header: ['state', 'iter', 'param.p', 'output.score'], viewer: 'table' });
    expect(await r.output('iteration_results')).toBe(path);
    const child = await db.readRun(r.uid, { project: 'p2', iteration: 2 });
    const childRec = (child?.status as { artifacts: Rec[] }).artifacts[0] as Rec;
    expect(childRec.metadata).toMatchObject({ key: 'note', iter: 2, tree: r.uid });
    expect(childRec.spec.target_path).toBe(join(dir, 'art', r.uid, '2', 'note.txt'));
  });

  it('artifact() and output() find MLRun-written records: 1.7 (kind/metadata/spec) and 0.9 (legacy, flat)', async () => {
    const v17 = RunObject.fromDict(parseYaml(readFileSync(join(FIXTURES, 'run-context-v1.7.yaml'), 'utf8')) as Record<string, unknown>);
    expect(await v17.artifact('model')).toMatchObject({ key: 'model', kind: 'model', path: 'v3io:///projects/demo/artifacts/train-model/0/model/' });
    // MLRun's RunObject.output: an artifact record without db_key gives its spec.target_path.
    expect(await v17.output('model')).toBe('v3io:///projects/demo/artifacts/train-model/0/model/');
    expect(await v17.outputs).toMatchObject({ accuracy: 0.93, model: 'v3io:///projects/demo/artifacts/train-model/0/model/' });

    const v09 = RunObject.fromDict(JSON.parse(readFileSync(join(FIXTURES, 'run-stored-v0.9.json'), 'utf8')) as Record<string, unknown>);
    expect(await v09.artifact('zones-dataset')).toMatchObject({ kind: 'dataset', path: 'v3io:///projects/nyc-taxi-admin/artifacts/data/zones-dataset.csv', size: 3755011 });
    expect(await v09.output('nyc-taxi-dataset')).toBe('v3io:///projects/nyc-taxi-admin/artifacts/data/nyc-taxi-dataset.csv');
    expect(await v09.artifact('nothing')).toBeUndefined();
  });

  it('the core alone (no fileSystemFor) refuses an s3:// artifact path by name instead of writing a local s3: directory', async () => {
    const r = await run(newTask({ name: 'nofs', artifact_path: 's3://bucket/runs' }), async (ctx) => {
      await ctx.logArtifact('model', { body: 'x' });
    }, { db, cwd: dir });
    expect(await r.state()).toBe('error');
    expect(r.error).toMatch(/^s3:\/\/bucket\/runs: no file system for "s3:\/\/" here; .*pass fileSystemFor/);
    expect(existsSync(join(dir, 's3:'))).toBe(false);
    expect(existsSync(join(process.cwd(), 's3:'))).toBe(false);
  });

  it('records Sluice wrote before (flat key/kind/target_path) still read', async () => {
    const path = join(dir, 'old.txt');
    await writeFile(path, 'old record');
    const old = RunObject.fromDict({
      metadata: { name: 'old', uid: 'u1', project: 'p3' },
      status: {
        state: 'completed',
        artifacts: [{ key: 'report', kind: 'file', format: 'txt', target_path: path, size: 10, iter: 0, producer_file: 'old.txt' }],
        artifact_uris: { report: path },
      },
    });
    expect(await old.artifact('report')).toMatchObject({ key: 'report', kind: 'file', path, size: 10 });
    expect(await (await old.artifact('report'))?.asString()).toBe('old record');
    expect(await old.output('report')).toBe(path);
  });
});
