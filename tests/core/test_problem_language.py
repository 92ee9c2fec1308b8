"""Every problem the case validation reports reads in Simplified Chinese as well as in English."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from mmlogic import CaseInvalid, parse_case
from mmlogic.io import case_from_bytes

EX01 = json.loads((Path(__file__).resolve().parents[2] / "cases" / "ex-01.json").read_text())


def _mutations():
    yield "unit", lambda d: d["labs"][0].update(unit="mg")
    yield "string for a number", lambda d: d["labs"][1].update(value="x")
    yield "negative", lambda d: d["labs"][1].update(value=-1)
    yield "NaN", lambda d: d["labs"][1].update(value=float("nan"))
    yield "ecog", lambda d: d["patient"].update(ecog=7)
    yield "age type", lambda d: d["patient"].update(age="old")
    yield "end before start", lambda d: d["therapy_lines"][0].update(end="2020-01-01")
    yield "unknown field", lambda d: d.update(foo=1)
    yield "missing", lambda d: d["patient"].pop("sex")
    yield "bad date", lambda d: d["labs"][2].update(date="2023-02-30")
    yield "date format", lambda d: d["labs"][2].update(date="01/02/2023")
    yield "analyte", lambda d: d["labs"][2].update(analyte="ldh")
    yield "ife value", lambda d: d["labs"].append({"date": "2023-01-01", "analyte": "serum_ife", "value": 3})
    # free-text regimens and unknown drugs are kept with a warning since issue 15, not rejected
    yield "empty drug list", lambda d: d["therapy_lines"][0].update(drugs=[])
    yield "growth", lambda d: d["events"].append({"date": "2024-06-01", "kind": "lesion_growth"})
    yield "enum", lambda d: d["settings"].update(school="asian")
    yield "isotype", lambda d: d["disease"].update(isotype="IgX nu")
    yield "flag", lambda d: d["comorbidities"].update(recent_thrombosis="yes")


@pytest.mark.parametrize(("name", "mutate"), list(_mutations()), ids=[n for n, _ in _mutations()])
def test_problem_reads_in_chinese(name, mutate) -> None:
    data = copy.deepcopy(EX01)
    mutate(data)
    with pytest.raises(CaseInvalid) as caught:
        parse_case(data)
    for problem in caught.value.problems:
        zh = problem.text("zh")
        assert zh.startswith(problem.path)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), f"{name}: no Chinese in {zh!r}"
        assert problem.text("en") == problem.message


def test_file_level_problems_read_in_chinese() -> None:
    for raw in (b"\xff\xfe", b"{not json", b"[1, 2]"):
        with pytest.raises(CaseInvalid) as caught:
            case_from_bytes(raw)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.problems[0].text("zh"))
