import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteRunDB, newTask, run } from '../../../connectors/index.js';
import type { RunDB } from '../../../connectors/index.js';
import { fileSystemFor } from '../../../connectors/registry.js';
import { services } from '../../support/services.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { allKeys, createBucket, rawClient, removeBucket, uniqueBucket } from './s3-fixture.js';

let client: S3Client;
let bucket: string;
let dir: string;
let cleanup: () => Promise<void>;
let db: RunDB;
/** The S3 endpoint and credentials as a run's secrets (the run's file systems take them from its secrets). */
const s3Secrets = () => ({ S3_ENDPOINT_URL: services.s3Endpoint(), AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });

async function objectText(key: string): Promise<string> {
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await res.Body?.transformToString('utf8')) ?? '';
}

beforeAll(async () => {
  client = rawClient();
  bucket = uniqueBucket('artifacts');
  await createBucket(client, bucket);
  ({ dir, cleanup } = await tmpDir());
  db = new SqliteRunDB({ path: join(dir, 'runs.db') });
});
afterAll(async () => {
  await db.close();
  await removeBucket(client, bucket);
  await cleanup();
});

describe('run artifacts on S3 (issue #10)', () => {
  it('artifact_path s3://bucket/prefix: artifacts are written to S3 under <prefix>/<uid>/<iteration>/ and read back', async () => {
    const task = newTask({ name: 'train', project: 'art', artifact_path: `s3://${bucket}/runs/art` }).withSecrets('inline', s3Secrets());
    const r = await run(task, async (ctx) => {
      await ctx.logArtifact('model', { body: { weights: [1, 2] } });
      return { accuracy: 0.5 };
    }, { db, cwd: dir });
    expect(r.error).toBe('');
    expect(await r.state()).toBe('completed');
    const key = `runs/art/${r.uid}/0/model.json`;
    expect(await allKeys(client, bucket, 'runs/art/')).toEqual([key]);
    const body = await objectText(key);
    expect(JSON.parse(body)).toEqual({ weights: [1, 2] });
    const item = await r.artifact('model');
    expect(item?.path).toBe(`s3://${bucket}/${key}`);
    expect(await r.output('model')).toBe(`s3://${bucket}/${key}`);
    expect(await item?.asString()).toBe(body);
    const rec = r.status.artifacts?.[0] as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
    expect(rec.spec.size).toBe(Buffer.byteLength(body));
    expect(rec.metadata.hash).toBe(createHash('sha1').update(body).digest('hex'));
    // Nothing went to a local directory named after the URL (`s3:/bucket/...`).
    expect(existsSync(join(process.cwd(), 's3:'))).toBe(false);
    expect(existsSync(join(dir, 's3:'))).toBe(false);
  });

  it('out_path s3://bucket/prefix: a sweep writes its children\'s artifacts and iteration_results to S3', async () => {
    const task = newTask({ name: 'sweep', project: 'art', out_path: `s3://${bucket}/sweeps/` })
      .withHyperParams({ p: [1, 2] }, 'max.score')
      .withSecrets('inline', s3Secrets());
    const r = await run(task, async (ctx) => {
      await ctx.logArtifact('note', { body: `p=${String(ctx.params.p)}` });
      return { score: Number(ctx.params.p) };
    }, { db, cwd: dir });
    expect(await r.state()).toBe('completed');
    const keys = await allKeys(client, bucket, 'sweeps/');
    expect(keys).toEqual([`sweeps/${r.uid}/0/iteration_results.csv`, `sweeps/${r.uid}/1/note.txt`, `sweeps/${r.uid}/2/note.txt`]);
    expect(await objectText(`sweeps/${r.uid}/2/note.txt`)).toBe('p=2');
    const csv = await (await r.artifact('iteration_results'))?.asString();
    expect(csv?.split('\n')[0]).toBe('state,iter,param.p,output.score');
    expect(await r.output('iteration_results')).toBe(`s3://${bucket}/sweeps/${r.uid}/0/iteration_results.csv`);
  });

  it('in_path s3://bucket/prefix: relative inputs are joined as URLs and readable through the file system', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/data/x.csv', Body: 'a,b\n1,2\n' }));
    const task = newTask({ name: 'reader', project: 'art', in_path: `s3://${bucket}/in`, inputs: { data: 'data/x.csv', abs: '/tmp/y.csv' } })
      .withSecrets('inline', s3Secrets());
    let seen: Record<string, string> = {};
    let text = '';
    const r = await run(task, async (ctx) => {
      seen = { ...ctx.inputs };
      const fs = await fileSystemFor(ctx.inputs.data ?? '', { secrets: { get: (k) => ctx.getSecret(k) } });
      text = Buffer.from(await fs.read(ctx.inputs.data ?? '')).toString('utf8');
    }, { db, cwd: dir });
    expect(r.error).toBe('');
    expect(seen).toEqual({ data: `s3://${bucket}/in/data/x.csv`, abs: '/tmp/y.csv' });
    expect(text).toBe('a,b\n1,2\n');
  });
});
