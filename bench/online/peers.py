"""The online benchmark's data, Python writers and checks (run by bench/online/run.mjs inside bench/.venv).

  peers.py generate <rows> <out.parquet>                        fixed-seed data: <rows> distinct entities
  peers.py plain <src.parquet> <port> <prefix> <table>          redis-py: pipelined HSET, as Feast / MLRun write
  peers.py lua   <src.parquet> <port> <prefix> <table> <lua>    redis-py: Sluice's guard script via EVALSHA
  peers.py verify <src.parquet> <port> <prefix> <table> <mode>  SCAN count = rows, spot-check 1,000 entities
  peers.py verify-benchmark <port> <requests>                   redis-benchmark's keys: count and one value

Keys are storey's layout, `{<prefix><table>:<entity>}:static`, as Sluice writes them (connectors/redis/FORMAT.md).
Each writer prints one JSON line with its in-process seconds (reading the Parquet file included).
"""
import json
import random
import sys
import time

SEED = 20240102
START_US = 1_704_067_200_000_000  # 2024-01-01T00:00:00Z
SPAN_US = 31 * 86_400 * 1_000_000
HIDDEN = "\x01_sluice_ts_"
PIPELINE = 1000  # commands (plain) or rows (lua) per pipeline execute, Sluice's default batch_size
ROWS_PER_CALL = 50  # rows per EVALSHA, Sluice's default rows_per_call


def generate(rows, dst):
    import pyarrow as pa
    import pyarrow.parquet as pq
    rnd = random.Random(SEED)
    ids = list(range(rows))
    rnd.shuffle(ids)
    width = len(str(rows - 1))
    table = pa.table({
        "entity_id": pa.array([f"ent_{i:0{width}d}" for i in ids], pa.string()),
        "score": pa.array([round(rnd.random() * 1000, 4) for _ in ids], pa.float64()),
        "count": pa.array([rnd.randrange(1_000_000) for _ in ids], pa.int64()),
        "label": pa.array([f"lbl_{rnd.randrange(1000):03d}" for _ in ids], pa.string()),
        "ts": pa.array([START_US + rnd.randrange(SPAN_US) for _ in ids], pa.timestamp("us", tz="UTC")),
    })
    pq.write_table(table, dst, row_group_size=122_880, compression="snappy")
    print(json.dumps({"rows": table.num_rows}))


def fmt_float(x):
    """Sluice's float64 form: shortest round-trip, whole values without `.0` (as storey writes whole floats)."""
    return str(int(x)) if x.is_integer() else repr(x)


def fmt_dt(us):
    """`_dt:<epoch seconds>`, exact decimal, trailing zeros dropped (storey's and Sluice's timestamp form)."""
    s, f = divmod(us, 1_000_000)
    return f"_dt:{s}.{f:06d}".rstrip("0").rstrip(".") if f else f"_dt:{s}"


def batches(src):
    import pyarrow as pa
    import pyarrow.parquet as pq
    for b in pq.ParquetFile(src).iter_batches(batch_size=65_536):
        yield (b.column("entity_id").to_pylist(), b.column("score").to_pylist(), b.column("count").to_pylist(),
               b.column("label").to_pylist(), b.column("ts").cast(pa.int64()).to_pylist())


def write_plain(src, port, prefix, table):
    """HSET of the three features and the event time per entity; transaction=False, 1,000 commands per execute."""
    import redis
    t0 = time.perf_counter()
    r = redis.Redis(host="127.0.0.1", port=port)
    pipe = r.pipeline(transaction=False)
    n = 0
    for ents, scores, counts, labels, tss in batches(src):
        for e, s, c, lb, ts in zip(ents, scores, counts, labels, tss):
            pipe.hset(f"{{{prefix}{table}:{e}}}:static", mapping={"score": s, "count": c, "label": lb, "ts": fmt_dt(ts)})
            n += 1
            if n % PIPELINE == 0:
                pipe.execute()
    pipe.execute()
    print(json.dumps({"seconds": time.perf_counter() - t0, "rows": n, "mode": "HSET x4 fields, 1000/pipeline"}))


def write_lua(src, port, prefix, table, lua_path):
    """Like for like with Sluice: its guard script, msgpack payloads of 50 rows per EVALSHA, 1,000 rows per execute."""
    import msgpack
    import redis
    t0 = time.perf_counter()
    r = redis.Redis(host="127.0.0.1", port=port)
    with open(lua_path, encoding="utf-8") as f:
        sha = r.script_load(f.read())
    pipe = r.pipeline(transaction=False)
    head, tail = f"{{{prefix}{table}:", "}:static"
    rows, payload, n = 0, [], 0
    for ents, scores, counts, labels, tss in batches(src):
        for e, s, c, lb, ts in zip(ents, scores, counts, labels, tss):
            # Sluice's call format: the entity in the payload, the key's head and tail as arguments, no KEYS.
            payload += [e, str(ts), 5, "score", fmt_float(s), "count", str(c), "label", lb, "ts", fmt_dt(ts), HIDDEN, str(ts), 0]
            rows += 1
            n += 1
            if rows == ROWS_PER_CALL:
                pipe.evalsha(sha, 0, msgpack.packb(payload), HIDDEN, 0, head, tail)
                rows, payload = 0, []
            if n % PIPELINE == 0:
                pipe.execute()
    if rows:
        pipe.evalsha(sha, 0, msgpack.packb(payload), HIDDEN, 0, head, tail)
    pipe.execute()
    print(json.dumps({"seconds": time.perf_counter() - t0, "rows": n, "mode": "EVALSHA guard, 50 rows/call, 1000 rows/pipeline"}))


def count_keys(r, match):
    n = 0
    for k in r.scan_iter(match=match, count=10_000):
        if k.endswith(b":static"):
            n += 1
    return n


def verify(src, port, prefix, table, mode):
    """SCAN count of the entity hashes must equal the rows; 1,000 seeded random entities must hold the row's values."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import redis
    r = redis.Redis(host="127.0.0.1", port=port)
    t = pq.read_table(src)
    rows = t.num_rows
    keys = count_keys(r, f"{{{prefix}{table}:*")
    rnd = random.Random(7)
    picks = rnd.sample(range(rows), 1000)
    ts_us = t.column("ts").cast(pa.int64())
    bad = []
    for i in picks:
        e = t.column("entity_id")[i].as_py()
        h = r.hgetall(f"{{{prefix}{table}:{e}}}:static")
        want = {"score": t.column("score")[i].as_py(), "count": t.column("count")[i].as_py(),
                "label": t.column("label")[i].as_py(), "ts": fmt_dt(ts_us[i].as_py())}
        got = {k.decode(): v.decode() for k, v in h.items()}
        ok = (got.get("score") is not None and float(got["score"]) == want["score"]
              and got.get("count") == str(want["count"]) and got.get("label") == want["label"] and got.get("ts") == want["ts"])
        if mode == "guarded":
            ok = ok and got.get(HIDDEN) == str(ts_us[i].as_py())
        if not ok:
            bad.append({"entity": e, "want": want, "got": got})
    print(json.dumps({"ok": keys == rows and not bad, "keys": keys, "rows": rows, "checked": len(picks), "bad": bad[:3]}))
    return 0 if keys == rows and not bad else 1


def verify_benchmark(port, requests):
    """redis-benchmark -r draws random keys: about (1 - 1/e) of the requests hit distinct keys; each holds the 3 fields."""
    import redis
    r = redis.Redis(host="127.0.0.1", port=port)
    keys = 0
    sample = None
    for k in r.scan_iter(match="key:*", count=10_000):
        keys += 1
        sample = sample or k
    h = {a.decode(): b.decode() for a, b in r.hgetall(sample).items()} if sample else {}
    ok = h == {"f1": "1.5", "f2": "7", "f3": "abc"} and 0.6 * requests < keys <= requests
    print(json.dumps({"ok": ok, "keys": keys, "sample": h}))
    return 0 if ok else 1


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "generate" and len(argv) == 4:
        generate(int(argv[2]), argv[3])
    elif cmd == "plain" and len(argv) == 6:
        write_plain(argv[2], int(argv[3]), argv[4], argv[5])
    elif cmd == "lua" and len(argv) == 7:
        write_lua(argv[2], int(argv[3]), argv[4], argv[5], argv[6])
    elif cmd == "verify" and len(argv) == 7:
        return verify(argv[2], int(argv[3]), argv[4], argv[5], argv[6])
    elif cmd == "verify-benchmark" and len(argv) == 4:
        return verify_benchmark(int(argv[2]), int(argv[3]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
