"""The Import panel on the Labs page: file drop → preview → replace case / merge labs; hostile files
give a clear problem and leave the case unchanged; untrusted names and values are escaped."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

from .helpers import start

FIX = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "intake"


def _labs_page(example: str = "ex-01"):
    at = start(example)
    at.switch_page("pages/labs.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _drop(at, files):
    at.file_uploader(key="intake_files").set_value(files).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_fhir_bundle_replaces_the_case_after_a_preview():
    at = _labs_page()
    before = copy.deepcopy(at.session_state["case"])
    _drop(at, [("ehr.json", (FIX / "ehr_bundle.json").read_bytes(), "application/json")])
    info = " ".join(i.value for i in at.info)
    assert "labs" in info and "therapy lines" in info
    assert at.session_state["case"] == before  # the preview changes nothing
    at.button(key="intake_replace").click().run()
    assert not at.exception, [e.value for e in at.exception]
    case = at.session_state["case"]
    today = date.today()  # the panel reads the clock; the patient was born on 1961-04-20
    assert case["case_id"].startswith("import-")
    assert case["patient"]["age"] == today.year - 1961 - ((today.month, today.day) < (4, 20))
    assert len(case["therapy_lines"]) == 2


def test_wide_export_merges_its_labs_and_cannot_replace():
    at = _labs_page()
    n = len(at.session_state["case"]["labs"])
    _drop(at, [("wide.csv", (FIX / "wide_export.csv").read_bytes(), "text/csv")])
    assert at.button(key="intake_replace").disabled
    at.button(key="intake_merge").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.session_state["case"]["labs"]) > n


def test_hostile_file_gives_a_problem_and_changes_nothing():
    at = _labs_page()
    before = copy.deepcopy(at.session_state["case"])
    _drop(at, [("deep.json", b"[" * 985 + b"]" * 985, "application/json")])
    assert any("nested too deeply" in e.value for e in at.error)
    _drop(at, [("x<script>.csv", "日期\n".encode("gbk") + b"\xb0\xa1", "text/csv")])
    text = " ".join(e.value for e in at.error)
    assert "not UTF-8" in text and "<script>" not in text
    assert at.session_state["case"] == before
