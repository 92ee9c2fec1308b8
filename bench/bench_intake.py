"""Intake timings (medians of 7 runs): the example FHIR bundle, the wide export, a 20,000-row CSV,
and how fast the refusals are (100,000 rows, 985-deep JSON, a zip bomb). Prints, never asserts.

    .venv/bin/python bench/bench_intake.py
"""

from __future__ import annotations

import io
import statistics
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mmlogic.errors import CaseInvalid  # noqa: E402
from mmlogic.intake import preview_import  # noqa: E402
from mmlogic.limits import MAX_UNPACKED_BYTES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def median_ms(files: list[tuple[str, bytes]]) -> float:
    times = []
    for _ in range(7):
        start = time.perf_counter()
        try:
            preview_import(files, today=date(2025, 3, 1))
        except CaseInvalid:
            pass
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_UNPACKED_BYTES + 1))
    cases = {
        "FHIR bundle (example)": [("b.json", (ROOT / "cases/imports/ehr-bundle.fhir.json").read_bytes())],
        "wide export (example)": [("w.csv", (ROOT / "cases/imports/wide-lab-export.csv").read_bytes())],
        "CSV 20,000 rows": [("r.csv", ("date,analyte,value,unit\n" + "2024-01-01,hemoglobin,120,g/L\n" * 20_000).encode())],
        "refuse CSV 100,000 rows": [("r.csv", ("date,analyte,value,unit\n" + "2024-01-01,hemoglobin,120,g/L\n" * 100_000).encode())],
        "refuse JSON 985 deep": [("d.json", b"[" * 985 + b"]" * 985)],
        "refuse xlsx zip bomb": [("b.xlsx", bomb.getvalue())],
    }
    for name, files in cases.items():
        print(f"{name:<28} median {median_ms(files):8.1f} ms")


if __name__ == "__main__":
    main()
