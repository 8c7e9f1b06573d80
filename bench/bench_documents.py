"""Benchmark: the embedded document store with 20,000 documents (prints figures).

.venv/bin/python bench/bench_documents.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from synthora.adapters.sqlite_documents import SqliteDocumentStore
from synthora.ports.documents import DESCENDING


def main() -> int:
    n = 20_000
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteDocumentStore(path=Path(tmp) / "bench.sqlite3")
        started = time.perf_counter()
        for chunk in range(0, n, 500):
            batch = store.batch()
            for i in range(chunk, chunk + 500):
                batch.set(
                    store.document(f"videos/v{i:05d}"),
                    {"owner_id": f"u{i % 100}", "n": i, "status": "done" if i % 3 else "failed"},
                )
            batch.commit()
        write_s = time.perf_counter() - started
        timings = {}
        for name, query in {
            "equality (200 hits)": store.collection("videos").where("owner_id", "==", "u7"),
            "order_by + limit 20": store.collection("videos").order_by("n", DESCENDING).limit(20),
        }.items():
            started = time.perf_counter()
            query.get()
            timings[name] = time.perf_counter() - started
        started = time.perf_counter()
        store.collection("videos").count()
        timings["count()"] = time.perf_counter() - started
        print(f"{n} documents written in 40 batches: {write_s:.2f} s ({n / write_s:.0f} docs/s)")
        for name, seconds in timings.items():
            print(f"  {name:22s} {seconds * 1000:8.1f} ms")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
