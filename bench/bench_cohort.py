"""Benchmark of registry scale (issue 18): prints figures, asserts nothing.

    .venv/bin/python bench/bench_cohort.py [--quick] [--sizes 500,1000,2000] [--no-spark]

1. Batch assessment: typical cases (60 labs, 3 lines; bench/cases.py) validated and assessed over
   the machine's cores, cases/s (median of 3 runs).
2. Per-visit replay of one patient: ``visit_facts`` (mmlogic.cohort.replay) against the baseline in
   the same run, ``assess(case, as_of=d)`` at every visit — median and p95 per patient, and the ratio.
3. Registry run in-process (``run_local``, one worker per core) of synthetic registries of 60 visits
   per patient (registry/synth.py) at 2–3 sizes: wall time (engine; and end to end with DuckDB
   writes), the least-squares slope per patient, and the 10k / 100k figures extrapolated linearly
   from that slope — not measured (the full 10,000-patient run does not fit a 10-minute bench on a
   machine shared with other jobs).
4. The same registries through Spark ``local[2]`` (session start-up reported apart), and the ratio
   to the in-process run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_core import _batch_chunk  # noqa: E402
from mmlogic import assess, parse_case  # noqa: E402
from mmlogic.cohort.replay import facts_from_assessment, visit_dates, visit_facts  # noqa: E402
from mmlogic.cohort.tables import case_from_rows  # noqa: E402
from registry.engines import run_local, run_spark, spark_session  # noqa: E402
from registry.io import frames_from_output, unified, write_outputs  # noqa: E402
from registry.synth import _patient, synthetic_registry  # noqa: E402

VISITS = 60


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def batch(n: int) -> None:
    workers = os.cpu_count() or 1
    rates = []
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_batch_chunk, [10] * workers))  # warm the workers
        for _ in range(3):
            start = time.perf_counter()
            parts = list(pool.map(_batch_chunk, [n // workers] * workers))
            rates.append(sum(p[0] for p in parts) / (time.perf_counter() - start))
    print(f"{f'batch of {n:,} typical cases, {workers} processes':<52} median {statistics.median(rates):7.0f} cases/s"
          f"   (runs: {', '.join(f'{r:.0f}' for r in rates)}; target ≥ 1,000)")


def replay_vs_assess(n_patients: int) -> None:
    ours, base = [], []
    for i in range(n_patients):
        p = _patient(i, VISITS, 7)
        rows = {t: [(k + 1, {c: v for c, v in r.items() if c != "patient_id"}) for k, r in enumerate(items)]
                for t, items in p.items()}
        case = parse_case(case_from_rows(f"p{i}", rows)[0])
        dates = visit_dates(case)
        t0 = time.perf_counter()
        got = visit_facts(case, dates)
        t1 = time.perf_counter()
        ref = [facts_from_assessment(assess(case, as_of=d)) for d in dates]
        t2 = time.perf_counter()
        assert got == ref
        ours.append(t1 - t0)
        base.append(t2 - t1)
    print(f"{f'per-visit replay, {VISITS} visits, {n_patients} patients':<52} median {statistics.median(ours) * 1e3:7.1f} ms"
          f"   p95 {pct(ours, .95) * 1e3:7.1f} ms per patient")
    print(f"{'  baseline: assess at every visit':<52} median {statistics.median(base) * 1e3:7.1f} ms"
          f"   p95 {pct(base, .95) * 1e3:7.1f} ms per patient")
    print(f"{'  ratio baseline / replay':<52} median ×{statistics.median([b / o for b, o in zip(base, ours)]):.1f}")


def slope(points: list[tuple[int, float]]) -> tuple[float, float]:
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else my / mx
    return b, my - b * mx


def report_growth(name: str, points: list[tuple[int, float]]) -> None:
    b, a = slope(points)
    print(f"  {name}: slope {b * 1e3:.2f} ms/patient, intercept {a:.1f} s;"
          f" extrapolated (linear, not measured): 10k patients {a + b * 1e4:.0f} s = {(a + b * 1e4) / 60:.1f} min,"
          f" 100k {a + b * 1e5:.0f} s = {(a + b * 1e5) / 60:.1f} min")


def registries(sizes: list[int], spark: bool) -> None:
    workers = os.cpu_count() or 1
    local_pts, e2e_pts, spark_pts = [], [], []
    session = None
    if spark:
        t0 = time.perf_counter()
        session = spark_session("local[2]")
        run_spark(unified(synthetic_registry(4, VISITS, 99))[0], spark=session)  # warm the Python workers
        print(f"{'spark local[2] session start + warm-up':<52} {time.perf_counter() - t0:7.1f} s")
    for n in sizes:
        reg = synthetic_registry(n, VISITS, seed=11)
        rows, _ = unified(reg)
        t0 = time.perf_counter()
        out = run_local(rows, workers=workers, progress=False)
        t1 = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            write_outputs(frames_from_output(out), Path(tmp))
        t2 = time.perf_counter()
        local_pts.append((n, t1 - t0))
        e2e_pts.append((n, t2 - t0))
        line = (f"{f'registry {n:,} patients × {VISITS} visits, in-process ({workers} workers)':<52} "
                f"{t1 - t0:7.1f} s  ({n / (t1 - t0):.0f} patients/s; with Parquet writes {t2 - t0:.1f} s)")
        if session is not None:
            t3 = time.perf_counter()
            sp = run_spark(rows, spark=session)
            t4 = time.perf_counter()
            assert len(sp) == len(out)
            spark_pts.append((n, t4 - t3))
            line += f"\n{'  same, spark local[2]':<52} {t4 - t3:7.1f} s  (ratio spark / in-process ×{(t4 - t3) / (t1 - t0):.2f})"
        print(line)
    report_growth("in-process engine", local_pts)
    report_growth("in-process with Parquet writes", e2e_pts)
    if spark_pts:
        report_growth("spark local[2]", spark_pts)
        session.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--sizes", default=None, help="registry sizes, comma-separated (default 500,1000,2000)")
    parser.add_argument("--no-spark", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in (args.sizes or ("50,100" if args.quick else "500,1000,2000")).split(",")]
    print(f"# registry-scale benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} cores "
          f"(shared machine: figures are indicative)")
    batch(1000 if args.quick else 4000)
    replay_vs_assess(10 if args.quick else 40)
    registries(sizes, spark=not args.no_spark)


if __name__ == "__main__":
    main()
