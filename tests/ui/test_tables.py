"""The grid's source of truth: deltas applied to stored rows; units at entry and display."""

from __future__ import annotations

from ui import labs
from ui.tables import apply_delta

ROWS = [
    {"date": "2024-01-01", "analyte": "serum_m_protein", "value": 12.0, "unit": "g/L", "myeloma_related": True},
    {"date": "2024-02-01", "analyte": "calcium", "value": 2.5, "unit": "mmol/L", "myeloma_related": True},
]


def run(delta, system="si"):
    shown = [labs.shown(r, system) for r in ROWS]
    return apply_delta(ROWS, delta, shown, lambda d, old: labs.store(d, old, system))


def test_no_delta_changes_nothing():
    assert run({"edited_rows": {}, "added_rows": [], "deleted_rows": []}) is None


def test_edit_delete_add():
    out = run({"edited_rows": {"0": {"value": "14"}}, "deleted_rows": [1],
               "added_rows": [{"date": "2024-03-01", "analyte": "hemoglobin", "value": "101"}]})
    assert [r["value"] for r in out] == [14.0, 101.0]
    assert out[1]["unit"] == "g/L" and out[1]["myeloma_related"] is True


def test_us_display_and_entry_store_canonical():
    shown = labs.shown(ROWS[1], "us")
    assert shown["unit"] == "mg/dL" and shown["value"] == "10.0"  # display decimals (ui/display.py)
    out = run({"edited_rows": {1: {"value": "12"}}}, system="us")
    assert out[1]["unit"] == "mmol/L" and abs(out[1]["value"] - 12 / 4.008) < 1e-9
    # untouched rows keep their stored value exactly (no display rounding creeps in)
    assert out[0] == ROWS[0]


def test_typed_text_is_kept_for_correction():
    out = run({"edited_rows": {0: {"value": "twelve"}}})
    assert out[0]["value"] == "twelve"


def test_csv_rows_accepted_and_rejected_with_reasons():
    rows = labs.parse_csv("date,analyte,value,unit\n2024-01-05,serum_m_protein,1.4,g/dL\n"
                          "2024-13-05,serum_m_protein,14,g/L\n2024-01-06,urine_ife,Positive,\n", "si")
    assert rows[0].row == {"date": "2024-01-05", "analyte": "serum_m_protein", "value": 14.0, "unit": "g/L",
                           "myeloma_related": True}
    assert rows[1].row is None and "date" in rows[1].problems[0]
    assert rows[2].row is not None and rows[2].row["value"] == "positive"


def test_csv_without_required_columns_is_reported():
    try:
        labs.parse_csv("when,what\n1,2\n", "si")
    except labs.CsvUnreadable as error:
        assert "date" in str(error)
    else:
        raise AssertionError("accepted a CSV without the required columns")
