"""Benchmark: transparency-log appends, and proofs at 1,000,000 leaves.

Everything runs in-process against a fresh database (no HTTP): the cost measured is the
service's — locking the log head, hashing, writing the leaf and completed nodes, and reading
the O(log n) nodes a proof needs.

1. Append throughput on an empty log: ``--appends`` records, each in its own transaction
   (as a publishing service does), through ``app.transparency.services.append_record``.
2. A log of ``--leaves`` leaves (default 1,000,000) is bulk-loaded: leaf rows and every
   completed perfect node computed in memory and inserted in batches (``append_record`` one by
   one would take far longer and measures nothing new), then checked: its root must equal the
   root the head row reports.
3. On that log: inclusion proofs for random leaves at the full tree size (each verified),
   consistency proofs between random sizes, the current root, signing a checkpoint, and
   appends on top of the big log.

SQLite (a temporary file) by default; ``--database-url postgresql://…`` runs the same on an
empty PostgreSQL database (its tables are dropped and recreated).

    .venv/bin/python bench/transparency_bench.py [--leaves 1000000] [--database-url …]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import common, dbtools  # noqa: E402

BATCH = 2000


def _prepare(url: str):
    from app.db import database
    from app.regions.services import create_region

    db = dbtools.open_database(url, "bench-secret-key-that-is-long-enough-0123456789", reset=True)
    database.connect(reuse_if_open=True)
    district = create_region(code="bench-d", name="压测区", level="district")
    town_a = create_region(code="bench-ta", name="压测街道", level="town", parent=district)
    town_b = create_region(code="bench-tb", name="大日志街道", level="town", parent=district)
    return db, town_a.id, town_b.id


def _body(n: int) -> dict:
    return {"kind": "finance", "title": f"2026年第{n % 12 + 1}月财务公开 #{n}",
            "village": "压测社区", "amount_fen": n * 37 % 1_000_000, "voucher_no": f"V{n:08d}"}


def _ms(values: list[float]) -> dict:
    values = sorted(values)
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))] * 1000  # noqa: E731
    return {"count": len(values), "p50_ms": round(pick(0.50), 3),
            "p95_ms": round(pick(0.95), 3), "p99_ms": round(pick(0.99), 3),
            "max_ms": round(values[-1] * 1000, 3),
            "mean_ms": round(statistics.fmean(values) * 1000, 3)}


def bench_appends(log_id: int, count: int, start: int = 0) -> dict:
    from app.db import database
    from app.transparency import services

    times = []
    began = time.perf_counter()
    for n in range(start, start + count):
        t = time.perf_counter()
        with database.atomic():
            services.append_record(log_id, "disclosure", n, _body(n))
        times.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - began
    return {"appends_per_second": round(count / elapsed, 1), **_ms(times)}


def bulk_load(log_id: int, size: int) -> float:
    """Insert ``size`` leaves and every completed perfect node; set the head. Returns seconds."""
    from app.db import database
    from app.transparency import merkle, rules
    from app.transparency.models import LogHead, LogLeaf, LogNode

    began = time.perf_counter()
    now = dt.datetime(2026, 11, 23)
    level: list[bytes] = []
    for first in range(0, size, BATCH):
        rows = []
        for n in range(first, min(size, first + BATCH)):
            data = rules.leaf_bytes("disclosure", n, _body(n))
            leaf = merkle.leaf_hash(data)
            level.append(leaf)
            rows.append((log_id, n, leaf.hex(), "disclosure", str(n), data.decode(), now))
        with database.atomic():
            LogLeaf.insert_many(rows, fields=[
                LogLeaf.log_id, LogLeaf.leaf_index, LogLeaf.leaf_hash, LogLeaf.record_type,
                LogLeaf.record_id, LogLeaf.body, LogLeaf.created_at]).execute()
    levels = [level]
    height = 0
    while len(level) > 1:
        height += 1
        level = [merkle.node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        levels.append(level)
        for first in range(0, len(level), BATCH):
            rows = [(log_id, height, i, level[i].hex())
                    for i in range(first, min(len(level), first + BATCH))]
            with database.atomic():
                LogNode.insert_many(rows, fields=[LogNode.log_id, LogNode.level,
                                                  LogNode.node_index, LogNode.hash]).execute()
    frontier = [levels[lv][ix] for lv, ix in merkle.perfect_nodes(0, size)]
    LogHead.insert(log_id=log_id, tree_size=size, frontier=" ".join(h.hex() for h in frontier),
                   updated_at=now).execute()
    return time.perf_counter() - began


def bench_big_log(log_id: int, size: int, proofs: int, seed: int = 6962) -> dict:
    from app.transparency import keys, merkle, services

    rng = random.Random(seed)
    t = time.perf_counter()
    head = services.current_root(log_id)
    root_time = time.perf_counter() - t
    assert head.tree_size == size
    assert services.consistency_proof(log_id, size, size).second_root == head.root_hash

    inclusion, path_lengths = [], []
    for _ in range(proofs):
        index = rng.randrange(size)
        t = time.perf_counter()
        proof = services.inclusion_proof(log_id, index, size)
        inclusion.append(time.perf_counter() - t)
        path_lengths.append(len(proof.path))
        assert merkle.verify_inclusion(index, size, proof.leaf_hash, proof.path, head.root_hash)

    consistency = []
    for _ in range(proofs):
        first = rng.randrange(1, size)
        t = time.perf_counter()
        proof = services.consistency_proof(log_id, first, size)
        consistency.append(time.perf_counter() - t)
        assert merkle.verify_consistency(first, size, proof.path, proof.first_root,
                                         head.root_hash)

    signer = keys.signer_from_seed(b"\x42" * 32)
    t = time.perf_counter()
    services.sign_checkpoint(log_id, signer=signer)
    first_sign = time.perf_counter() - t
    appends = bench_appends(log_id, 500, start=size)
    t = time.perf_counter()
    services.sign_checkpoint(log_id, signer=signer)  # with a consistency check from `size`
    second_sign = time.perf_counter() - t
    return {
        "current_root_ms": round(root_time * 1000, 3),
        "inclusion_proof": {**_ms(inclusion), "path_length": max(path_lengths)},
        "consistency_proof": _ms(consistency),
        "sign_checkpoint_ms": round(first_sign * 1000, 3),
        "sign_checkpoint_after_500_more_ms": round(second_sign * 1000, 3),
        "appends_on_big_log": appends,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="transparency log: appends and proofs")
    parser.add_argument("--database-url", help="postgresql://… (default: a temporary SQLite)")
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--proofs", type=int, default=1000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{scratch}/bench.db"
        db, small_log, big_log = _prepare(url)
        engine = "postgresql" if url.startswith("postgres") else "sqlite"
        print(f"[{engine}] appending {args.appends} records one transaction each …", flush=True)
        appends = bench_appends(small_log, args.appends)
        print(f"[{engine}] bulk-loading {args.leaves} leaves …", flush=True)
        load_seconds = bulk_load(big_log, args.leaves)
        print(f"[{engine}] proofs on the big log …", flush=True)
        big = bench_big_log(big_log, args.leaves, args.proofs)
        db.close()

    result = {
        "engine": engine, "leaves": args.leaves, "appends_on_empty_log": appends,
        "bulk_load_seconds": round(load_seconds, 1), **big,
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    common.save_results(f"transparency_bench-{engine}",
                        json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                        stamp=dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
