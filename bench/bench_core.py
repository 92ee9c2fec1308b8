"""Benchmark of the pure core (issue #3): prints figures, asserts nothing.

    .venv/bin/python bench/bench_core.py [--quick]

- ``assess`` on a typical case (≈60 labs, 3 lines) and a stress case (2,000 labs, 12 lines):
  median and p95, and the ratio to pydantic validation alone of the same case (same process);
- growth with the number of labs (500 → 2,000 → 8,000), which must be near-linear;
- throughput of a batch of 10,000 typical cases (validate + assess), in one process and
  spread over the machine's cores.
Targets on a 2-core machine: typical ≤ 2 ms median, stress ≤ 50 ms median, batch ≥ 1,000/s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cases import synthetic_case  # noqa: E402
from mmlogic import assess, parse_case  # noqa: E402


def timings(fn, repeat: int) -> list[float]:
    fn()  # warm caches (knowledge base, registry, text caches)
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def describe(name: str, values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    median = statistics.median(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    print(f"{name:<44} median {median * 1e3:8.3f} ms   p95 {p95 * 1e3:8.3f} ms   (n={len(values)})")
    return median, p95


def _batch_chunk(n: int) -> tuple[int, float, float]:
    """Assess ``n`` typical cases; (n, seconds validating + assessing, seconds assessing only)."""
    data = synthetic_case(60, 3)
    start = time.perf_counter()
    cases = []
    for i in range(n):
        data["case_id"] = f"batch-{i}"
        cases.append(parse_case(data))
    validated = time.perf_counter()
    for case in cases:
        assess(case)
    done = time.perf_counter()
    return n, done - start, done - validated


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (smoke run)")
    args = parser.parse_args()
    repeat = 30 if args.quick else 200
    batch = 1000 if args.quick else 10_000

    print(f"# mmlogic core benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    for label, n_labs, n_lines in (("typical (60 labs, 3 lines)", 60, 3), ("stress (2,000 labs, 12 lines)", 2000, 12)):
        data = synthetic_case(n_labs, n_lines)
        case = parse_case(data)
        a_med, _ = describe(f"assess, {label}", timings(lambda: assess(case), repeat))
        v_med, _ = describe(f"validation only, {label}", timings(lambda: parse_case(data), repeat))
        print(f"{'':<44} ratio assess / validation: {a_med / v_med:.1f}")

    print("# growth with the number of labs (3 lines)")
    previous = None
    for n_labs in (500, 2000, 8000):
        case = parse_case(synthetic_case(n_labs, 3))
        med, _ = describe(f"assess, {n_labs} labs", timings(lambda: assess(case), max(10, repeat // 10)))
        if previous is not None:
            print(f"{'':<44} ×{med / previous[1]:.2f} time for ×{n_labs / previous[0]:.0f} labs")
        previous = (n_labs, med)

    print(f"# batch of {batch:,} typical cases")
    n, both, only = _batch_chunk(batch)
    print(f"{'one process, validate + assess':<44} {n / both:8.0f} cases/s")
    print(f"{'one process, assess only':<44} {n / only:8.0f} cases/s")
    workers = os.cpu_count() or 1
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_batch_chunk, [10] * workers))  # start the workers and warm their caches
        start = time.perf_counter()
        parts = list(pool.map(_batch_chunk, [batch // workers] * workers))
        wall = time.perf_counter() - start
    done = sum(p[0] for p in parts)
    print(f"{f'{workers} processes, validate + assess (wall)':<44} {done / wall:8.0f} cases/s")
    print(f"{f'{workers} processes, assess only':<44} {done / max(p[2] for p in parts):8.0f} cases/s")


if __name__ == "__main__":
    main()
