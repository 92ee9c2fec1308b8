"""``python -m mmlogic cohort`` end to end on a tiny registry (issue 18): tables, problems, report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from mmlogic import assess, parse_case
from mmlogic.__main__ import main as mmlogic_main
from mmlogic.cohort.replay import facts_from_assessment
from registry.io import read_output

from .conftest import BAD, HOSTILE, SCRIPT, cli_args

ROOT = Path(__file__).resolve().parents[2]
VISIT_COLUMNS = ["patient_id", "date", "line_index", "response", "progression", "progression_confirmed", "timing",
                 "rules"]


@pytest.fixture(scope="module")
def local_run(tiny_registry, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local")
    assert mmlogic_main(["cohort", *cli_args(tiny_registry, out, "--workers", "2", "--no-progress")]) == 0
    return out


def test_visits_table_has_one_row_per_patient_and_lab_date(local_run, tiny_registry):
    visits = read_output(local_run, "visits")
    assert list(visits.columns) == VISIT_COLUMNS
    labs = pd.read_csv(tiny_registry["labs"]).dropna(subset=["patient_id"])
    labs = labs[labs["patient_id"] != BAD]
    expected = labs.groupby("patient_id")["date"].nunique().sort_index()
    got = visits.groupby("patient_id")["date"].nunique().sort_index()
    assert got.to_dict() == expected.to_dict()
    assert len(visits) == int(expected.sum())
    assert set(visits["timing"]) <= {"treat_now", "monitor", "confirm", "not_applicable"}
    assert visits["progression"].any()  # the synthetic registry relapses
    # a confirmed progression is a progression; its rules name a BIO-* or CLIN-* criterion
    assert not (visits["progression_confirmed"] & ~visits["progression"]).any()
    for rules in visits.loc[visits["progression"], "rules"]:
        assert any(r.startswith(("BIO-", "CLIN-")) for r in rules)


def test_visit_rows_are_the_assessment_as_of_each_visit(local_run, tiny_registry):
    """Spot check against assess itself: the response and timing of one patient at every visit."""
    from mmlogic.cohort.tables import case_from_rows

    labs = pd.read_csv(tiny_registry["labs"], dtype=str)
    lines = pd.read_parquet(tiny_registry["lines"])
    pid = "P000004"
    rows = {"labs": [(i + 1, r) for i, r in enumerate(labs[labs.patient_id == pid].drop(columns="patient_id")
                                                       .to_dict("records"))],
            "lines": [(i + 1, r) for i, r in enumerate(lines[lines.patient_id == pid].drop(columns="patient_id")
                                                        .to_dict("records"))]}
    case = parse_case(case_from_rows(pid, rows)[0])
    visits = read_output(local_run, "visits")
    mine = visits[visits.patient_id == pid]
    for d, response, timing in zip(mine["date"], mine["response"], mine["timing"]):
        f = facts_from_assessment(assess(case, as_of=d.date()))
        assert (f.response, f.timing) == (None if pd.isna(response) else response, timing)


def test_bad_patient_is_skipped_and_listed_not_the_run(local_run):
    problems = read_output(local_run, "problems")
    listed = dict(zip(problems["patient_id"], problems["problems"]))
    assert BAD in listed and any("labs row" in p and "unit" in p and "furlongs" in p for p in listed[BAD])
    assert None in listed or problems["patient_id"].isna().any()  # the lab row without a patient_id
    for table in ("visits", "lines", "patients"):
        assert BAD not in set(read_output(local_run, table)["patient_id"])
    assert len(read_output(local_run, "patients")) == 6  # 5 good synthetic + the hostile one
    assert "furlongs" in (local_run / "problems.txt").read_text("utf-8")


def test_line_and_patient_tables(local_run):
    lines = read_output(local_run, "lines")
    assert {"best_response", "response_date", "progression_date", "ttp_days", "refractory"} <= set(lines.columns)
    progressed = lines[lines["progressed"]]
    assert (progressed["ttp_days"] == (progressed["progression_date"] - progressed["start"]).dt.days).all()
    assert lines.loc[~lines["progressed"], "ttp_days"].isna().all()
    patients = read_output(local_run, "patients")
    assert set(patients["status"]) <= {"untreated", "no_relapse", "relapsed", "relapsed_refractory",
                                       "primary_refractory"}
    assert {"relapse_kinds", "prior_lines", "exposed_drugs", "triple_class_exposed"} <= set(patients.columns)


def test_report_in_both_languages_without_raw_html_from_data(local_run):
    en = (local_run / "report.html").read_text("utf-8")
    zh = (local_run / "report.zh.html").read_text("utf-8")
    assert "Kaplan–Meier" in en and "Best response by line" in en and 'href="report.zh.html"' in en
    assert "泳道图" in zh and "至进展时间" in zh and 'href="report.html"' in zh
    for page in (en, zh):
        assert SCRIPT not in page and "<script>alert" not in page
        assert HOSTILE not in page and "<b>bold" not in page
        assert "&lt;b&gt;bold&lt;" in page  # the hostile id, shown as text (Plotly writes / as \u002f)
        assert "<script src=" not in page and "<link" not in page  # offline: plotly.js inlined


def test_labelled_visits_keep_only_rows_with_a_response_or_a_progression(tiny_registry, tmp_path):
    out = tmp_path / "labelled"
    args = cli_args(tiny_registry, out, "--workers", "1", "--no-progress", "--no-report", "--visits", "labelled")
    assert mmlogic_main(["cohort", *args]) == 0
    visits = read_output(out, "visits")
    assert len(visits) and (visits["response"].notna() | visits["progression"]).all()
    assert not (out / "report.html").exists()


def test_unreadable_table_exits_2_naming_it(tiny_registry, tmp_path):
    broken = tmp_path / "lines.csv"
    broken.write_text("patient_id,start\nP1,2020-01-01\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mmlogic", "cohort", "--labs", str(tiny_registry["labs"]),
                           "--lines", str(broken), "--out", str(tmp_path / "o")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "lines" in proc.stderr and "end" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_parquet_types(local_run):
    con = duckdb.connect()
    kinds = dict(con.sql(f"DESCRIBE SELECT * FROM read_parquet('{(local_run / 'visits.parquet').as_posix()}')")
                 .fetchall() and [(r[0], r[1]) for r in con.sql(
                     f"DESCRIBE SELECT * FROM read_parquet('{(local_run / 'visits.parquet').as_posix()}')").fetchall()])
    assert kinds == {"patient_id": "VARCHAR", "date": "DATE", "line_index": "INTEGER", "response": "VARCHAR",
                     "progression": "BOOLEAN", "progression_confirmed": "BOOLEAN", "timing": "VARCHAR",
                     "rules": "VARCHAR[]"}


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(tuple(v) if hasattr(v, "__len__") and not isinstance(v, str) else (None if pd.isna(v) else v)
                  for v in r) for r in frame.itertuples(index=False)]


@pytest.mark.spark
def test_spark_engine_gives_the_same_tables(local_run, tiny_registry, tmp_path):
    out = tmp_path / "spark"
    assert mmlogic_main(["cohort", *cli_args(tiny_registry, out, "--engine", "spark")]) == 0
    for table in ("visits", "lines", "patients", "problems"):
        assert _rows(read_output(out, table)) == _rows(read_output(local_run, table)), table
    assert "泳道图" in (out / "report.zh.html").read_text("utf-8")


def test_a_column_empty_in_its_first_thousands_of_rows_keeps_its_type(tmp_path):
    """DuckDB types a pandas column from its first rows: a late first value must still be written."""
    from registry.io import COLUMNS, write_outputs

    n = 5000
    visits = pd.DataFrame({"patient_id": [f"p{i}" for i in range(n)], "date": ["2020-01-01"] * n,
                           "line_index": [None] * (n - 1) + [0], "response": [None] * (n - 1) + ["PR"],
                           "progression": [False] * n, "progression_confirmed": [False] * n,
                           "timing": ["not_applicable"] * n, "rules": [[] for _ in range(n - 1)] + [["RESP-PR"]]})
    frames = {t: pd.DataFrame([], columns=c) for t, c in COLUMNS.items()} | {"visits": visits}
    write_outputs(frames, tmp_path)
    back = read_output(tmp_path, "visits").set_index("patient_id")
    last = back.loc[f"p{n - 1}"]
    assert last["response"] == "PR" and back["response"].isna().sum() == n - 1
    assert last["line_index"] == 0 and list(last["rules"]) == ["RESP-PR"]
