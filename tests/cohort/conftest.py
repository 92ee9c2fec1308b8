"""A tiny registry on disk (CSV and Parquet) with one bad patient and one hostile one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from registry.synth import synthetic_registry

BAD = "P000002"  # a lab in furlongs: skipped and listed
HOSTILE = "<b>bold</b>"  # text from data must reach the report escaped
SCRIPT = "<script>alert(1)</script>"


def write_registry(folder: Path) -> dict[str, Path]:
    reg = synthetic_registry(6, visits=14, seed=3)
    labs = reg["labs"]
    bad = labs.index[labs["patient_id"] == BAD][2]
    labs.loc[bad, "unit"] = "furlongs"
    copy = labs[labs["patient_id"] == "P000001"].copy()
    copy["patient_id"] = HOSTILE
    orphan = pd.DataFrame([{"patient_id": None, "date": "2020-01-01", "analyte": "calcium", "value": "2.4",
                            "unit": "mmol/L"}])
    reg["labs"] = pd.concat([labs, copy, orphan], ignore_index=True)
    line = reg["lines"][reg["lines"]["patient_id"] == "P000001"].head(1).copy()
    line["patient_id"], line["regimen"], line["drugs"] = HOSTILE, SCRIPT, "bortezomib;dexamethasone"
    reg["lines"] = pd.concat([reg["lines"], line], ignore_index=True)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, frame in reg.items():
        path = folder / (f"{name}.parquet" if name == "lines" else f"{name}.csv")
        frame.to_parquet(path) if path.suffix == ".parquet" else frame.to_csv(path, index=False)
        paths[name] = path
    return paths


@pytest.fixture(scope="session")
def tiny_registry(tmp_path_factory) -> dict[str, Path]:
    return write_registry(tmp_path_factory.mktemp("registry"))


def cli_args(paths: dict[str, Path], out: Path, *extra: str) -> list[str]:
    args = []
    for name in ("labs", "lines", "patients", "events", "transplants"):
        args += [f"--{name}", str(paths[name])]
    return args + ["--out", str(out), *extra]
