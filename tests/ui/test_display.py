"""Display precision per analyte (issue #14: calcium showed as '9.8196 mg/dL'); stored values intact."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mmlogic.units import Analyte, display_unit
from ui import display, labs

CALCIUM = {"date": "2024-01-01", "analyte": "calcium", "value": 2.45, "unit": "mmol/L", "myeloma_related": True}


def test_calcium_in_us_units_shows_one_decimal():
    assert labs.shown(CALCIUM, "us")["value"] == "9.8"
    assert labs.shown(CALCIUM, "si")["value"] == "2.45"


def test_every_numeric_analyte_has_display_decimals_in_both_systems():
    for analyte in Analyte:
        for system in ("si", "us"):
            unit = display_unit(analyte, system)
            if unit:
                assert display.decimals(analyte.value, unit) is not None, (analyte, unit)


def test_editing_another_cell_keeps_the_stored_value_exactly():
    shown = labs.shown(CALCIUM, "us")
    out = labs.store({**shown, "date": "2024-01-02"}, CALCIUM, "us")
    assert out["value"] == 2.45 and out["unit"] == "mmol/L" and out["date"] == "2024-01-02"


def test_a_new_value_is_converted_not_rounded():
    out = labs.store({**labs.shown(CALCIUM, "us"), "value": "10.1"}, CALCIUM, "us")
    assert out["unit"] == "mmol/L" and abs(out["value"] - 10.1 * 0.249500998003992) < 1e-9


@given(st.floats(min_value=0.0, max_value=1e5, allow_nan=False))
def test_fmt_never_shows_minus_zero_or_more_decimals_than_the_table(value):
    text = display.fmt("calcium", value, "mg/dL")
    assert not text.startswith("-") and len(text.split(".")[1]) == 1


def test_report_draws_every_followed_marker_and_prints_page_numbers():
    import json
    from datetime import date
    from pathlib import Path

    from mmlogic import assess, parse_case
    from ui.report import build_report, report_markers

    case = parse_case(json.loads((Path(__file__).resolve().parents[2] / "cases" / "ex-05.json").read_text("utf-8")))
    a = assess(case)
    keys = report_markers(a)
    assert "dflc" in keys and len(keys) >= 2  # dFLC sets the doubling time: its trend is in the report
    html = build_report(case, a, "zh", printed=date(2026, 1, 2))
    assert html.count("<svg") == len(keys)
    assert "counter(pages)" in html and "2026-01-02" in html and a.rules_version in html
