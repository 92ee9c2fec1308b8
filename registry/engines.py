"""The two engines of a cohort run (issue 18): the same per-patient function, two ways to run it.

Both take the unified input frame (``patient_id, table, row, payload``; see ``registry.io``) and
return the per-patient function's output rows (``patient_id, table, payload``):

- ``run_local``: in-process, patients in chunks over worker processes (``workers=1``: no pool),
  with a progress bar on stderr;
- ``run_spark``: PySpark, ``groupBy("patient_id").applyInPandas(run_group)`` on ``master``
  (default ``local[2]``; a remote master needs this project importable on its executors).
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import date
from functools import partial
from pathlib import Path
from typing import TextIO

import pandas as pd

from mmlogic.cohort.tables import OUT_COLUMNS, run_group

ROOT = Path(__file__).resolve().parents[1]
SPARK_SCHEMA = "patient_id string, table string, payload string"


class Progress:
    """A one-line progress bar: patients done / total, rate, time left (no patient labels)."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total, self.done, self.stream, self.enabled = total, 0, stream or sys.stderr, enabled
        self.start = time.perf_counter()

    def add(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} patients "
                          f"{rate:6.1f}/s  {left:5.0f}s left")
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def _chunks(unified: pd.DataFrame, size: int) -> list[tuple[int, pd.DataFrame]]:
    """Groups of ``size`` patients each (rows of one patient never split)."""
    codes, uniques = pd.factorize(unified["patient_id"])
    chunk_of = codes // size
    return [(min(size, len(uniques) - k * size), part) for k, part in unified.groupby(chunk_of, sort=True)]


def run_local(unified: pd.DataFrame, *, workers: int | None = None, visits: str = "all", today: date | None = None,
              chunk: int = 25, progress: bool = True) -> pd.DataFrame:
    fn = partial(run_group, visits=visits, today=today)
    chunks = _chunks(unified, chunk)
    bar = Progress(sum(n for n, _ in chunks), enabled=progress)
    workers = workers or os.cpu_count() or 1
    parts = []
    if workers <= 1 or len(chunks) <= 1:
        for n, part in chunks:
            parts.append(fn(part))
            bar.add(n)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(fn, part): n for n, part in chunks}
            for future in as_completed(futures):
                parts.append(future.result())
                bar.add(futures[future])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=OUT_COLUMNS)


def spark_session(master: str = "local[2]"):
    """A Spark session on ``master``; for local masters, bound to the loopback interface, no UI."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    paths = [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))  # the executors import mmlogic
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    import warnings

    # pyspark 4.3 warns that pandas 3 is not fully supported; the one API used here (applyInPandas on
    # string columns) is checked by tests/cohort (both engines give the same tables).
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.master(master).appName("mmlogic-cohort")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.sql.shuffle.partitions", "8")
               # patients are small rows but heavy work: keep every partition (no coalescing to one task)
               .config("spark.sql.adaptive.coalescePartitions.enabled", "false")
               .config("spark.executorEnv.PYTHONPATH", os.environ["PYTHONPATH"]))
    if master.startswith("local"):
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    return builder.getOrCreate()


def run_spark(unified: pd.DataFrame, *, master: str = "local[2]", visits: str = "all", today: date | None = None,
              spark=None) -> pd.DataFrame:
    own = spark is None
    spark = spark or spark_session(master)
    try:
        sdf = spark.createDataFrame(unified[["patient_id", "table", "row", "payload"]],
                                    schema="patient_id string, table string, row long, payload string")
        def per_patient(pdf: pd.DataFrame) -> pd.DataFrame:  # shipped to the executors by cloudpickle
            return run_group(pdf, visits=visits, today=today)

        result = sdf.groupBy("patient_id").applyInPandas(per_patient, schema=SPARK_SCHEMA)
        return result.toPandas()
    finally:
        if own:
            spark.stop()
