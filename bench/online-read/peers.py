"""redis-py reading the same keys as bench/online-read (run by run.mjs inside bench/.venv).

  peers.py <config.json>    prints one JSON line: a list of {tool, size, callers, lookups, p50, p99, perSec}

redis.asyncio with a pipeline (transaction=False) of HMGET per lookup; callers are asyncio tasks sharing one
client (a connection pool), so 16 concurrent callers are 16 tasks. Same seeded entity picks as readers.mjs.
"""
import asyncio
import json
import sys
import time


def picker(seed, rows, width):
    a = seed & 0xFFFFFFFF

    def imul(x, y):
        return ((x & 0xFFFFFFFF) * (y & 0xFFFFFFFF)) & 0xFFFFFFFF

    def rnd():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = imul(a ^ (a >> 15), 1 | a)
        t = ((t + imul(t ^ (t >> 7), 61 | t)) & 0xFFFFFFFF) ^ t
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return lambda n: [f"ent_{int(rnd() * rows):0{width}d}" for _ in range(n)]


async def main(cfg):
    import redis.asyncio as redis
    r = redis.Redis(host="127.0.0.1", port=cfg["port"], max_connections=32)
    head, features = "{" + cfg["prefix"] + cfg["table"] + ":", cfg["features"]

    async def lookup(ids):
        p = r.pipeline(transaction=False)
        for e in ids:
            p.hmget(f"{head}{e}}}:static", features)
        return await p.execute()

    out = []
    for size in cfg["sizes"]:
        for callers in cfg["callers"]:
            per = max(1, round(cfg["lookups"] / callers))
            warm = picker(size * 7 + callers, cfg["rows"], cfg["width"])
            for _ in range(cfg["warmup"]):
                await lookup(warm(size))
            lat = []

            async def caller(c):
                pick = picker(1000 * size + c, cfg["rows"], cfg["width"])
                for _ in range(per):
                    ids = pick(size)
                    s = time.perf_counter()
                    rows = await lookup(ids)
                    lat.append((time.perf_counter() - s) * 1000)
                    assert len(rows) == size

            t0 = time.perf_counter()
            await asyncio.gather(*(caller(c) for c in range(callers)))
            wall = time.perf_counter() - t0
            lat.sort()
            pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))]
            out.append({"tool": "redis-py", "size": size, "callers": callers, "lookups": len(lat), "p50": pct(50), "p99": pct(99), "perSec": len(lat) / wall})
    await r.aclose()
    print(json.dumps(out))


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        asyncio.run(main(json.load(f)))
