"""Catalog 1.1 in the views (ui/watch.py): `confirm` leads, followed markers per line, light-chain
escape labelled, case text escaped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mmlogic import assess, parse_case
from ui import assessment_view, board
from ui.report import build_report
from ui.watch import confirm_text, followed_text, lines_followed

ROOT = Path(__file__).resolve().parents[2]


def _load(case_id: str):
    case = parse_case(json.loads((ROOT / "cases" / "teaching" / f"{case_id}.json").read_text("utf-8")))
    return case, assess(case)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_confirm_names_marker_qualifying_value_and_confirming_value(lang):
    _, a = _load("tc-08")
    text = confirm_text(a, lang)
    assert text is not None
    assert "10.5 g/L" in text and "2022-05-01" in text and "9 g/L" in text
    assert ("Serum M-protein" if lang == "en" else "血清 M 蛋白") in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_confirm_leads_the_board_verdict_and_the_report(lang):
    case, a = _load("tc-08")
    rows = board.verdict(a, lang)
    assert rows[0][3] == confirm_text(a, lang) and "WATCH-CONFIRM" in rows[0][2]
    html = build_report(case, a, lang)
    assert html.index("10.5 g/L") < html.index(rows[1][0])  # before the status row


def test_no_confirm_text_without_confirm_timing():
    _, a = _load("tc-07")
    assert confirm_text(a, "en") is None
    assert [row[1] for row in board.verdict(a, "en")].count("Confirm") == 0
    assert board.verdict(a, "en")[-1][1] == "Treat now"  # timing in its usual place
    assert board.verdict(a, "en", followed=True)[-1][2][0] == "MARKER-FOLLOWED"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_light_chain_escape_is_labelled_everywhere_it_appears(lang):
    case, a = _load("tc-05")
    label = "light-chain escape — outside IMWG's measurable-M rule" if lang == "en" else "轻链逃逸——不属于IMWG可测量M蛋白标准"
    assert label.split("—")[0].strip() in followed_text(a.lines[0], lang)
    assert any(label in (detail or "") for *_, detail in board.verdict(a, lang))
    html = build_report(case, a, lang)
    assert label.replace("'", "&#x27;") in html or label in html


def test_followed_markers_per_line_on_the_assessment_page():
    _, a = _load("tc-04")
    left, _ = assessment_view.sections(a, "en")
    lines_block = next(b for b in left if "Followed markers" in b)
    assert "dFLC (light-chain myeloma)" in lines_block and "measurable at baseline" in lines_block


def test_regimen_text_in_followed_lines_is_escaped():
    case, a = _load("tc-04")
    data = case.to_json_dict()
    data["therapy_lines"][0]["regimen"] = "<img src=x onerror=alert(1)> **VRd**"
    data["therapy_lines"][0]["drugs"] = ["bortezomib", "lenalidomide", "dexamethasone"]
    case = parse_case(data)
    a = assess(case)
    left, _ = assessment_view.sections(a, "en")
    assert "<img" not in "".join(left)
    assert "<img" not in build_report(case, a, "en")
    assert "<img" in lines_followed(a, "en")[0]  # plain text: every caller escapes


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_escape_threshold_in_the_trend_figure_is_labelled(lang):
    from ui.figures import marker_figure

    _, a = _load("tc-05")
    assert a.series["dflc"].threshold_rule == "BIO-FLC-ESCAPE"
    names = [trace.name for trace in marker_figure(a, lang=lang).data if trace.meta and trace.meta.get("role") == "threshold"]
    word = "outside IMWG's measurable-M rule" if lang == "en" else "不属于IMWG可测量M蛋白标准"
    assert any("BIO-FLC-ESCAPE" in n and word in n for n in names), names


def test_events_grid_carries_the_extramedullary_flag_into_a_valid_case():
    from ui.history import EVENT_COLUMNS, store

    row = store(EVENT_COLUMNS)({"date": "2024-03-01", "kind": "new_plasmacytoma", "extramedullary": True}, None)
    assert row["extramedullary"] is True
    case, a = _load("tc-09")
    data = case.to_json_dict()
    data["events"] = [row]
    assert "extramedullary_plasmacytoma" in assess(parse_case(data)).risk.features
    blank = store(EVENT_COLUMNS)({"date": "2024-03-01", "kind": "new_bone_lesion", "extramedullary": None}, None)
    assert "extramedullary" not in blank  # the case default (false) applies
