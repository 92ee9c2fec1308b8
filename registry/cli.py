"""``python -m mmlogic cohort --labs LABS --lines LINES [--patients P] [--events E] [--transplants T]
--out DIR [--engine local|spark] [--visits all|labelled]`` (issue 18; docs/cohort.md).

Writes DIR/visits.parquet, lines.parquet, patients.parquet, problems.parquet (+ problems.txt),
report.html (English) and report.zh.html (简体中文). Exit 0 when the run completes (patients with
problems are skipped and listed), 2 when an input table cannot be read at all.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd

from .engines import run_local, run_spark
from .io import InputError, frames_from_output, read_table, unified, write_outputs
from .report import write_reports

EXIT_INVALID = 2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m mmlogic cohort",
                                description="IMWG response and progression per visit, line and patient for a registry")
    p.add_argument("--labs", required=True, help="labs table (CSV or Parquet): patient_id,date,analyte,value,unit")
    p.add_argument("--lines", required=True, help="lines table: patient_id,start,end,regimen,drugs")
    p.add_argument("--patients", help="patients table: patient_id,age,sex,weight_kg,ecog,isotype")
    p.add_argument("--events", help="events table: patient_id,date,kind[,increase_pct,increase_cm,extramedullary]")
    p.add_argument("--transplants", help="transplants table: patient_id,date,type")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--engine", choices=("local", "spark"), default="local")
    p.add_argument("--visits", choices=("all", "labelled"), default="all",
                   help="all lab dates, or only those with a response or a progression")
    p.add_argument("--workers", type=int, default=None, help="local engine: worker processes (default: cores)")
    p.add_argument("--spark-master", default="local[2]", help="spark engine: the master URL (default local[2])")
    p.add_argument("--no-progress", action="store_true", help="local engine: no progress bar")
    p.add_argument("--no-report", action="store_true", help="write the tables only")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    started = time.perf_counter()
    # The caller reads the clock (the core never does): a date after today is a patient's problem.
    today = date.today()
    try:
        tables = {"labs": read_table(args.labs, "labs"), "lines": read_table(args.lines, "lines")}
        for name in ("patients", "events", "transplants"):
            if getattr(args, name):
                tables[name] = read_table(getattr(args, name), name)
    except InputError as error:
        print(f"cohort: {error}", file=sys.stderr)
        return EXIT_INVALID
    rows, orphans = unified(tables)
    if args.engine == "spark":
        out = run_spark(rows, master=args.spark_master, visits=args.visits, today=today)
    else:
        out = run_local(rows, workers=args.workers, visits=args.visits, today=today, progress=not args.no_progress)
    frames = frames_from_output(out)
    if orphans:
        frames["problems"] = pd.concat(
            [frames["problems"], pd.DataFrame([{"patient_id": None, "problems": orphans}])], ignore_index=True)
    out_dir = Path(args.out)
    write_outputs(frames, out_dir)
    if not args.no_report:
        write_reports(frames, out_dir)
    n = rows["patient_id"].nunique()
    skipped = int(frames["problems"]["patient_id"].notna().sum())
    print(f"cohort: {n} patients, {n - skipped} assessed, {skipped} skipped with problems (problems.txt), "
          f"{len(frames['visits'])} visit rows, engine {args.engine}, {time.perf_counter() - started:.1f} s -> {out_dir}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
