import { TimeUnit } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { CollapseWindow } from '../../../connectors/redis/collapse-window.js';
import { keySlot } from '../../../connectors/redis/key-slot.js';
import { MsgpackWriter } from '../../../connectors/redis/msgpack-writer.js';
import { encodeTimestamp } from '../../../connectors/redis/value-encoding.js';

describe('redis write helpers', () => {
  it('MsgpackWriter writes short ASCII and other strings as str8/str16 with their UTF-8 bytes', () => {
    const w = new MsgpackWriter(8);
    for (const s of ['', 'abc', 'x'.repeat(31), 'é', 'ascii then ü', 'y'.repeat(100)]) w.str(s);
    const body = w.finish();
    const expected = Buffer.concat([
      Buffer.from([0xdd, 0, 0, 0, 6]),
      ...['', 'abc', 'x'.repeat(31)].map((s) => Buffer.concat([Buffer.from([0xd9, s.length]), Buffer.from(s)])),
      Buffer.from([0xd9, 2]), Buffer.from('é'),
      Buffer.from([0xd9, 13]), Buffer.from('ascii then ü'),
      Buffer.from([0xda, 0, 100]), Buffer.from('y'.repeat(100)), // str16: chosen by the 3-bytes-per-char bound
    ]);
    expect(body.equals(expected)).toBe(true);
  });

  it('encodeTimestamp keeps exact decimals and drops trailing zeros', () => {
    expect(encodeTimestamp(1_700_000_000_123_456, TimeUnit.MICROSECOND)).toBe('_dt:1700000000.123456');
    expect(encodeTimestamp(1_700_000_000_120_000, TimeUnit.MICROSECOND)).toBe('_dt:1700000000.12');
    expect(encodeTimestamp(1_700_000_000_000_100, TimeUnit.MICROSECOND)).toBe('_dt:1700000000.0001');
    expect(encodeTimestamp(1_700_000_000_000_000, TimeUnit.MICROSECOND)).toBe('_dt:1700000000');
    expect(encodeTimestamp(-1_500_000, TimeUnit.MICROSECOND)).toBe('_dt:-1.5');
    expect(encodeTimestamp(1_704_067_200_005, TimeUnit.MILLISECOND)).toBe('_dt:1704067200.005');
  });

  it('keySlot is Redis Cluster’s CRC16 slot and honours hash tags', () => {
    expect(keySlot('123456789')).toBe(0x31c3 % 16384);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{sluice:t/:u1}:static')).toBe(keySlot('sluice:t/:u1'));
    expect(keySlot('{}x')).toBe(keySlot('{}x')); // an empty tag hashes the whole key
  });

  it('CollapseWindow keeps the guard’s winner, hands out the oldest entities, and refuses mixed timed/untimed rows', () => {
    const w = new CollapseWindow(2, ['v'], [Buffer.from('v')]);
    const col = (v: string | null) => [[v]];
    expect(w.add('a', 10, col('a10'), 0)).toBe(true);
    expect(w.add('a', 5, col('a5'), 0)).toBe(true); // older: dropped
    expect(w.add('a', 10, col(null), 0)).toBe(true); // tie: the later row wins, with its null
    expect(w.add('b', NaN, col('b'), 0)).toBe(true);
    expect(w.add('c', 1, col('c'), 0)).toBe(false); // full
    expect(w.add('b', 3, col('b3'), 0)).toBe(false); // untimed held, timed row
    expect(w.collapsed).toBe(2);
    const out = w.take(1);
    expect(out.entities).toEqual(['a']);
    expect([...out.micros]).toEqual([10]);
    expect(out.values).toEqual([null]);
    expect(w.add('c', 1, col('c'), 0)).toBe(true);
    expect(w.take(5).entities).toEqual(['b', 'c']);
    expect(w.size).toBe(0);
  });
});
