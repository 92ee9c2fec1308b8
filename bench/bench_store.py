"""Case store latency on SQLite (WAL, synchronous=FULL) in a temp dir. A benchmark, not a test.

    .venv/bin/python bench/bench_store.py [--saves 300] [--cases 10000]

Targets (issue #7): save ≤ 20 ms, load ≤ 10 ms, first page of a 10,000-case list ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from casestore import CaseStore  # noqa: E402
from casestore import schema as t  # noqa: E402


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _seed(store: CaseStore, case: dict, n: int) -> None:
    """n stored cases in one transaction (seeding is not what is measured)."""
    body = json.dumps(case)
    now = "2026-01-01T00:00:00.000000+00:00"
    rows, revs = [], []
    for i in range(n):
        cid = f"bench-{i:05d}"
        label = f"bench case {i} relapse after VRd"
        stamp = f"2026-01-01T00:{(i // 60) % 60:02d}:{i % 60:02d}.{i:06d}+00:00"
        rows.append(dict(case_id=cid, label=label, search=f"{label} {cid}", head_revision=1, created_at=now,
                         created_by="bench", updated_at=stamp, updated_by="bench", archived=i % 10 == 0,
                         status="relapsed", team="local"))
        revs.append(dict(case_id=cid, number=1, created_at=now, user_name="bench", action="create",
                         summary="new case", status="relapsed", case_json=body.replace('"ex-01"', f'"{cid}"')))
    with store._write() as conn:
        conn.execute(insert(t.cases), rows)
        conn.execute(insert(t.revisions), revs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    case = json.loads((ROOT / "cases" / "ex-01.json").read_text("utf-8"))
    size = len(json.dumps(case))
    with tempfile.TemporaryDirectory() as tmp:
        store = CaseStore.open(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        store.create(case, "bench")
        saves, loads = [], []
        head = 1
        for n in range(args.saves):
            data = copy.deepcopy(case)
            data["label"] = f"revision {n}"
            data["labs"][-1]["value"] = 11.0 + n / 10
            start = time.perf_counter()
            head = store.save("ex-01", data, "bench", expected_revision=head).number
            saves.append(time.perf_counter() - start)
        for _ in range(args.saves):
            start = time.perf_counter()
            store.load("ex-01")
            loads.append(time.perf_counter() - start)
        drafts = []
        for n in range(args.saves):
            start = time.perf_counter()
            store.save_draft("ex-01", case, "bench", base_revision=head)
            drafts.append(time.perf_counter() - start)

        _seed(store, case, args.cases)
        pages, searches = [], []
        for _ in range(50):
            start = time.perf_counter()
            rows = store.list_cases(limit=50)
            pages.append(time.perf_counter() - start)
        for i in range(50):
            start = time.perf_counter()
            store.list_cases(f"case {i * 37}", limit=50)
            searches.append(time.perf_counter() - start)
        assert len(rows) == 50
        total = store.count_cases(include_archived=True)
        store.close()

    print(f"SQLite (WAL, synchronous=FULL), temp dir; typical case ex-01 ({size} bytes JSON), "
          f"{args.saves} operations each; list over {total} stored cases")
    for name, samples, target in (
        ("save (new revision)", saves, 20), ("load (head revision)", loads, 10),
        ("save draft", drafts, 20), ("list first page (50)", pages, 200), ("search + first page", searches, 200),
    ):
        median, p95 = _stats(samples)
        verdict = "ok" if p95 <= target else "OVER TARGET"
        print(f"  {name:<24} median {median:7.2f} ms   p95 {p95:7.2f} ms   target ≤ {target} ms  {verdict}")


if __name__ == "__main__":
    main()
