import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Dictionary, Field, Int32, Int64, makeData, RecordBatch, Schema, Struct, Table, tableFromArrays, tableToIPC, TimeUnit, Timestamp, Utf8, vectorFromArray } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connector } from '../../../connectors/arrow-ipc/index.js';
import type { ArrowIpcSource } from '../../../connectors/arrow-ipc/index.js';
import { loadConnector } from '../../../connectors/registry.js';
import { AbortedError, BadInputError, DataSource, NotFoundError } from '../../../src/index.js';
import type { OpenRead } from '../../../src/index.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { readAll } from '../../support/read-all.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tmpDir('sluice-arrow-')));
afterEach(async () => cleanup());

function table(n: number, from = 0): Table {
  const ts = new Timestamp(TimeUnit.NANOSECOND, 'Asia/Tokyo');
  const fields = [new Field('id', new Int64(), true), new Field('ts', ts, true), new Field('tag', new Dictionary(new Utf8(), new Int32()), true)];
  const children: Data[] = [
    makeData({ type: new Int64(), length: n, data: BigInt64Array.from({ length: n }, (_, i) => BigInt(from + i)) }),
    makeData({ type: ts, length: n, data: BigInt64Array.from({ length: n }, (_, i) => 1_704_448_800_000_000_000n + BigInt(i)) }),
    vectorFromArray(Array.from({ length: n }, (_, i) => ['a', 'b', 'c'][i % 3]!), new Dictionary(new Utf8(), new Int32())).data[0]!,
  ];
  return new Table(new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, nullCount: 0, children })));
}

function source(path: string, openRead?: OpenRead): ArrowIpcSource {
  return connector.createSource!(new DataSource({ kind: 'arrow', path }), { cwd: dir, ...(openRead ? { openRead } : {}) }) as ArrowIpcSource;
}

const streamOpen: OpenRead = async (p) => createReadStream(p, { highWaterMark: 64 });

describe('arrow source', () => {
  for (const format of ['file', 'stream'] as const) {
    for (const via of ['local', 'openRead'] as const) {
      it(`reads an IPC ${format} (${via}), slicing batches to batchSize and keeping types`, async () => {
        const whole = table(1500).batches[0]!;
        const t = new Table([whole.slice(0, 1000), whole.slice(1000)]);
        await writeFile(join(dir, `t.${format}`), tableToIPC(t, format));
        const src = source(`t.${format}`, via === 'openRead' ? streamOpen : undefined);
        expect(String((await src.schema()).fields.map((f) => `${f.name}:${String(f.type)}`))).toBe('id:Int64,ts:Timestamp<NANOSECOND, Asia/Tokyo>,tag:Dictionary<Int32, Utf8>');
        const { batches, rows } = await readAll(src, { batchSize: 400 });
        expect(batches.map((b) => b.numRows)).toEqual([400, 400, 200, 400, 100]);
        expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 1500 }, (_, i) => BigInt(i)));
        expect(rows[4]!.tag).toBe('b');
        expect(src.stats.rowsRead).toBe(1500);
      });
    }
  }

  it('streams an IPC file written with the schema in its body (pyarrow layout) through openRead', async () => {
    // An IPC file is magic + stream + footer; build one the way pyarrow does, from a stream.
    const stream = tableToIPC(tableFromArrays({ x: Int32Array.from([1, 2, 3]) }), 'stream');
    const file = tableToIPC(tableFromArrays({ x: Int32Array.from([1, 2, 3]) }), 'file');
    const footerStart = file.length - 10 - new DataView(file.buffer, file.byteOffset + file.length - 10, 4).getInt32(0, true);
    const pyarrowLike = Buffer.concat([file.subarray(0, 8), stream, file.subarray(footerStart)]);
    await writeFile(join(dir, 'p.arrow'), pyarrowLike);
    let opened = 0;
    const src = source('p.arrow', async (p) => { opened++; return createReadStream(p, { highWaterMark: 5 }); });
    expect((await readAll(src)).rows).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
    expect(opened).toBe(1);
  });

  it('reads a stream of many batches arriving in odd chunks', async () => {
    const whole = table(50).batches[0]!;
    const bytes = tableToIPC(new Table(Array.from({ length: 5 }, (_, k) => whole.slice(k * 10, k * 10 + 10))), 'stream');
    const src = source('mem.arrows', async () => Readable.from([bytes.subarray(0, 3), bytes.subarray(3)]));
    expect((await readAll(src, { batchSize: 100 })).rows).toHaveLength(50);
  });

  it('names a missing file and bytes that are not Arrow', async () => {
    await expect(readAll(source('none.arrow'))).rejects.toThrow(NotFoundError);
    await writeFile(join(dir, 'x.arrow'), 'this is not arrow data at all, just text');
    await expect(readAll(source('x.arrow'))).rejects.toThrow(BadInputError);
    await expect(readAll(source('x.arrow'))).rejects.toThrow(/x.arrow: not a readable Arrow IPC file or stream/);
    await writeFile(join(dir, 'empty.arrow'), '');
    await expect(readAll(source('empty.arrow'))).rejects.toThrow(/empty.arrow: the file is empty/);
  });

  it('stops with an AbortedError and is loaded by the registry', async () => {
    await writeFile(join(dir, 't.arrow'), tableToIPC(table(1000), 'file'));
    const ac = new AbortController();
    await expect((async () => {
      for await (const _ of source('t.arrow').read({ batchSize: 10, signal: ac.signal })) ac.abort();
    })()).rejects.toThrow(AbortedError);
    expect((await loadConnector('arrow')).kind).toBe('arrow');
  });
});
