"""The offline benchmark's peers and checks (run by bench/offline/run.mjs inside bench/.venv).

  peers.py convert <in.csv> <out.parquet>        the CSV as one Parquet file (row groups of 122,880 rows)
  peers.py pyarrow csv|parquet <src> <out_dir>   pyarrow.csv / pyarrow.parquet + pyarrow.dataset.write_dataset
  peers.py duckdb  csv|parquet <src> <out_dir>   DuckDB COPY ... TO <out_dir> (FORMAT PARQUET, PARTITION_BY ...)
  peers.py verify <dir> [<dir> ...]              rows, sum(qty), min/max key per partition path; all must agree

Every job writes the layout of SPEC §3: hash16_key=<b>/year=YYYY/month=MM/day=DD, b = int(sha1(key), 16) % 16,
partition columns not repeated inside the files, snappy. Each prints one JSON line with its in-process seconds.
"""
import hashlib
import json
import sys
import time

BUCKETS = 16
CSV_TYPES = {"key": "string", "qty": "int64", "price": "float64", "ts": "timestamp[us, tz=UTC]", "category": "string"}
STREAM_ABOVE_BYTES = 200 * 1024 * 1024  # pyarrow reads a CSV whole below this, streams it above


def _csv_schema(pa):
    return pa.schema([
        ("key", pa.string()), ("qty", pa.int64()), ("price", pa.float64()),
        ("ts", pa.timestamp("us", tz="UTC")), ("category", pa.string()),
    ])


def convert(src, dst):
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq
    import pyarrow as pa
    schema = _csv_schema(pa)
    table = pcsv.read_csv(src, convert_options=pcsv.ConvertOptions(column_types=schema))
    pq.write_table(table, dst, row_group_size=122_880, compression="snappy")
    print(json.dumps({"rows": table.num_rows}))


def run_pyarrow(job, src, out):
    import os
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    t0 = time.perf_counter()
    schema = _csv_schema(pa)
    memo = {}  # key -> bucket, as Sluice's KeyBucketCache: sha1 once per distinct key

    def with_partitions(batch):
        keys = batch.column("key")
        enc = pc.dictionary_encode(keys)
        uniques = enc.dictionary.to_pylist()
        buckets = []
        for k in uniques:
            b = memo.get(k)
            if b is None:
                b = int(hashlib.sha1(k.encode("utf-8")).hexdigest(), 16) % BUCKETS
                memo[k] = b
            buckets.append(str(b))
        bucket = pc.take(pa.array(buckets, pa.string()), enc.indices)
        ts = batch.column("ts")
        two = lambda a: pc.utf8_lpad(pc.cast(a, pa.string()), 2, "0")  # noqa: E731
        cols = list(batch.columns) + [bucket, pc.cast(pc.year(ts), pa.string()), two(pc.month(ts)), two(pc.day(ts))]
        return pa.RecordBatch.from_arrays(cols, names=batch.schema.names + ["hash16_key", "year", "month", "day"])

    if job == "csv":
        opts = pcsv.ConvertOptions(column_types=schema)
        if os.path.getsize(src) <= STREAM_ABOVE_BYTES:
            mode = "read_csv"
            batches = pcsv.read_csv(src, convert_options=opts).to_batches()
        else:
            mode = "open_csv"
            batches = pcsv.open_csv(src, convert_options=opts, read_options=pcsv.ReadOptions(block_size=16 << 20))
    else:
        mode = "iter_batches"
        batches = pq.ParquetFile(src).iter_batches(batch_size=65_536)
    out_schema = schema.append(pa.field("hash16_key", pa.string()))
    for name in ("year", "month", "day"):
        out_schema = out_schema.append(pa.field(name, pa.string()))
    reader = pa.RecordBatchReader.from_batches(out_schema, (with_partitions(b) for b in batches))
    part = ds.partitioning(pa.schema([(n, pa.string()) for n in ("hash16_key", "year", "month", "day")]), flavor="hive")
    ds.write_dataset(
        reader, out, format="parquet", partitioning=part, basename_template="part-{i}.parquet",
        file_options=ds.ParquetFileFormat().make_write_options(compression="snappy"),
        existing_data_behavior="overwrite_or_ignore", max_partitions=10_000,
    )
    print(json.dumps({"seconds": time.perf_counter() - t0, "mode": mode}))


def run_duckdb(job, src, out):
    import duckdb
    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    if job == "csv":
        cols = "{'key': 'VARCHAR', 'qty': 'BIGINT', 'price': 'DOUBLE', 'ts': 'TIMESTAMPTZ', 'category': 'VARCHAR'}"
        rel = f"read_csv('{src}', header = true, columns = {cols})"
    else:
        rel = f"read_parquet('{src}')"
    # For N = 16, int(hex, 16) % 16 is the value of the last hex digit, so no 160-bit arithmetic is needed.
    con.execute(f"""
        COPY (
          SELECT key, qty, price, ts, category,
                 CAST(strpos('0123456789abcdef', right(sha1(key), 1)) - 1 AS VARCHAR) AS hash16_key,
                 CAST(year(ts) AS VARCHAR) AS year,
                 lpad(CAST(month(ts) AS VARCHAR), 2, '0') AS month,
                 lpad(CAST(day(ts) AS VARCHAR), 2, '0') AS day
          FROM {rel}
        ) TO '{out}' (FORMAT PARQUET, COMPRESSION SNAPPY, PARTITION_BY (hash16_key, year, month, day), OVERWRITE_OR_IGNORE)
    """)
    print(json.dumps({"seconds": time.perf_counter() - t0, "mode": "COPY PARTITION_BY"}))


def verify(dirs):
    """Per partition path: rows, sum(qty), min/max key; plus the data columns of the files. All dirs must agree."""
    import duckdb
    con = duckdb.connect()
    summaries = []
    for d in dirs:
        rows = con.execute(f"""
            SELECT regexp_extract(filename, 'hash16_key=[^/]+/year=[^/]+/month=[^/]+/day=[^/]+') AS part,
                   count(*), sum(qty), min(key), max(key)
            FROM read_parquet('{d}/**/*.parquet', filename = true, hive_partitioning = false)
            GROUP BY part ORDER BY part
        """).fetchall()
        columns = [r[0] for r in con.execute(
            f"DESCRIBE SELECT * EXCLUDE (filename) FROM read_parquet('{d}/**/*.parquet', filename = true, hive_partitioning = false)"
        ).fetchall()]
        text = json.dumps([columns, [list(map(str, r)) for r in rows]])
        summaries.append({
            "dir": d, "partitions": len(rows), "rows": sum(r[1] for r in rows), "columns": columns,
            "checksum": hashlib.sha1(text.encode()).hexdigest()[:12], "empty_part": any(r[0] == "" for r in rows),
        })
    agree = len({s["checksum"] for s in summaries}) == 1 and not any(s["empty_part"] for s in summaries)
    print(json.dumps({"agree": agree, "outputs": summaries}))
    return 0 if agree else 1


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "convert" and len(argv) == 4:
        convert(argv[2], argv[3])
    elif cmd in ("pyarrow", "duckdb") and len(argv) == 5 and argv[2] in ("csv", "parquet"):
        (run_pyarrow if cmd == "pyarrow" else run_duckdb)(argv[2], argv[3], argv[4])
    elif cmd == "verify" and len(argv) >= 3:
        return verify(argv[2:])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
