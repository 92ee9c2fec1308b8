"""One row per visit (issue #14): stored lab rows <-> visit rows, exactly."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from mmlogic.units import QUALITATIVE, Analyte, canonical_unit, display_unit, to_canonical
from ui import labs
from ui.visits import DATE, RELATED, VISIT_ANALYTES, apply_visits, header, visit_table

DATES = ("2024-01-10", "2024-02-07", "2024-03-06", "2023-12-31", "10/01/2024", "0025-10-31")


@st.composite
def lab_rows(draw) -> dict:
    analyte = draw(st.sampled_from(VISIT_ANALYTES))
    row = {"date": draw(st.sampled_from(DATES)), "analyte": analyte.value, "myeloma_related": draw(st.booleans())}
    if analyte in QUALITATIVE:
        row.update(value=draw(st.sampled_from(("positive", "negative"))), unit=None)
    else:
        value = draw(st.one_of(st.floats(0, 5000, allow_nan=False, allow_infinity=False),
                               st.sampled_from((0.0, 12.3456789, 1e-7, "abc"))))
        row.update(value=value, unit=canonical_unit(analyte))
    return row


ODD = {"date": "2024-01-10", "analyte": "serum_m_protein", "value": 2.0, "unit": "mmol/L", "myeloma_related": True}
labs_lists = st.lists(st.one_of(lab_rows(), st.just(ODD)), max_size=25)
systems = st.sampled_from(("si", "us"))


@settings(max_examples=200, deadline=None)
@given(labs_lists, systems)
def test_every_stored_row_is_in_exactly_one_cell_or_kept_apart(rows, system):
    table = visit_table(rows, system)
    placed = [i for cells in table.cells for i in cells.values()] + list(table.others)
    assert sorted(placed) == list(range(len(rows)))
    assert all(rows[i]["unit"] == "mmol/L" and rows[i]["analyte"] == "serum_m_protein" for i in table.others)
    for shown, cells in zip(table.rows, table.cells):
        for name, i in cells.items():
            assert rows[i]["date"] == shown[DATE] and rows[i]["analyte"] == name
            assert (rows[i]["myeloma_related"] is not False) == shown[RELATED]
        assert all(shown[a.value] is None for a in VISIT_ANALYTES if a.value not in cells)  # empty = no measurement


@settings(max_examples=200, deadline=None)
@given(labs_lists, systems)
def test_retyping_every_cell_as_shown_changes_nothing_exactly(rows, system):
    table = visit_table(rows, system)
    delta = {"edited_rows": {i: dict(shown) for i, shown in enumerate(table.rows)}, "added_rows": [], "deleted_rows": []}
    assert apply_visits(rows, table, delta, system) is None
    assert apply_visits(rows, table, {"edited_rows": {}, "added_rows": [], "deleted_rows": []}, system) is None


def same_entry(stored: dict, entered: dict, system: str) -> bool:
    """Exactly the stored value where the grid shows it unconverted; the same shown text where the
    session's units convert it (display decimals)."""
    if display_unit(Analyte(stored["analyte"]), system) == stored["unit"]:
        return abs(stored["value"] - entered["value"]) <= 1e-9 * max(1.0, abs(stored["value"]))
    return labs.shown(stored, system)["value"] == labs.shown(entered, system)["value"]


@settings(max_examples=200, deadline=None)
@given(labs_lists, systems)
def test_visits_entered_afresh_give_back_the_same_values(rows, system):
    """Typing the shown visit rows into an empty case gives the same (date, analyte, related) values:
    equal to the stored one where nothing is converted, and showing the same text where the session's
    units convert it (converted values are shown at the display decimals of ui/display.py, issue #14)."""
    table = visit_table(rows, system)
    added = [dict(shown) for shown in table.rows]
    out = apply_visits([], visit_table([], system), {"edited_rows": {}, "added_rows": added, "deleted_rows": []},
                       system) or []
    shown_rows = [rows[i] for cells in table.cells for i in cells.values()]

    def key(r: dict) -> tuple:
        return labs.cell_to_field(labs.COLUMNS[0], r["date"]), r["analyte"], r["myeloma_related"]

    assert Counter(map(key, out)) == Counter(map(key, shown_rows))
    for new in out:
        if isinstance(new["value"], float):
            assert any(isinstance(r["value"], (int, float)) and key(r) == key(new) and same_entry(r, new, system)
                       for r in shown_rows)


@settings(max_examples=200, deadline=None)
@given(labs_lists, systems, st.data())
def test_one_cell_edit_changes_exactly_one_stored_row(rows, system, data):
    table = visit_table(rows, system)
    if not table.rows:
        return
    i = data.draw(st.integers(0, len(table.rows) - 1))
    analyte = data.draw(st.sampled_from([a for a in VISIT_ANALYTES if a not in QUALITATIVE]))
    number = data.draw(st.integers(0, 9999)) / 10
    out = apply_visits(rows, table, {"edited_rows": {i: {analyte.value: str(number)}}}, system)
    index = table.cells[i].get(analyte.value)
    expected_value = float(f"{to_canonical(analyte, number, display_unit(analyte, system)):.12g}")
    if index is None:
        assert out is not None and out[:-1] == rows
        assert out[-1] == {"date": labs.cell_to_field(labs.COLUMNS[0], table.rows[i][DATE]), "analyte": analyte.value,
                           "value": expected_value, "unit": canonical_unit(analyte),
                           "myeloma_related": table.rows[i][RELATED]}
    else:
        new_rows = out if out is not None else rows
        assert len(new_rows) == len(rows)
        assert [k for k in range(len(rows)) if new_rows[k] != rows[k]] in ([], [index])
        new = new_rows[index]
        assert new["value"] == expected_value or new == rows[index]


@settings(max_examples=100, deadline=None)
@given(labs_lists, systems, st.data())
def test_emptied_cell_deletes_its_row_and_text_is_kept_as_typed(rows, system, data):
    table = visit_table(rows, system)
    filled = [(i, name) for i, cells in enumerate(table.cells) for name in cells]
    if not filled:
        return
    i, name = data.draw(st.sampled_from(filled))
    index = table.cells[i][name]
    out = apply_visits(rows, table, {"edited_rows": {i: {name: ""}}}, system)
    assert out == rows[:index] + rows[index + 1:]
    if Analyte(name) not in QUALITATIVE and rows[index]["value"] != "abc":
        out = apply_visits(rows, table, {"edited_rows": {i: {name: "1.2.3"}}}, system)
        assert out is not None and out[index]["value"] == "1.2.3"  # never silently dropped


def test_a_date_change_moves_the_whole_visit_and_is_read_like_any_typed_date():
    rows = [
        {"date": "2024-01-10", "analyte": "serum_m_protein", "value": 12.0, "unit": "g/L", "myeloma_related": True},
        {"date": "2024-01-10", "analyte": "flc_kappa", "value": 80.0, "unit": "mg/L", "myeloma_related": True},
        {"date": "2024-02-07", "analyte": "serum_m_protein", "value": 13.0, "unit": "g/L", "myeloma_related": True},
    ]
    table = visit_table(rows, "si")
    assert [r[DATE] for r in table.rows] == ["2024-01-10", "2024-02-07"]
    out = apply_visits(rows, table, {"edited_rows": {0: {DATE: "2024/1/11"}}}, "si")
    assert [r["date"] for r in out] == ["2024-01-11", "2024-01-11", "2024-02-07"]
    out = apply_visits(rows, table, {"deleted_rows": [0]}, "si")
    assert out == rows[2:]


def test_a_new_visit_row_adds_one_stored_row_per_filled_cell_in_the_session_units():
    out = apply_visits([], visit_table([], "us"), {"added_rows": [
        {DATE: "2025-10-31", "serum_m_protein": "1.2", "calcium": "9.8", "serum_ife": "Positive", RELATED: True}]}, "us")
    assert out == [
        {"date": "2025-10-31", "analyte": "serum_m_protein", "value": 12.0, "unit": "g/L", "myeloma_related": True},
        {"date": "2025-10-31", "analyte": "serum_ife", "value": "positive", "unit": None, "myeloma_related": True},
        {"date": "2025-10-31", "analyte": "calcium", "value": float(f"{9.8 / 4.008:.12g}"), "unit": "mmol/L",
         "myeloma_related": True},
    ]


def test_two_values_of_one_test_on_one_day_are_two_visit_rows():
    rows = [{"date": "2024-01-10", "analyte": "calcium", "value": v, "unit": "mmol/L", "myeloma_related": True}
            for v in (2.4, 2.9)]
    table = visit_table(rows, "si")
    assert [r["calcium"] for r in table.rows] == ["2.4", "2.9"]


def test_headers_carry_the_unit_of_the_session():
    assert header(Analyte.SERUM_M_PROTEIN, "si", "Serum M") == "Serum M (g/L)"
    assert header(Analyte.SERUM_M_PROTEIN, "us", "Serum M") == "Serum M (g/dL)"
    assert header(Analyte.SERUM_IFE, "us", "Serum IFE") == "Serum IFE"


def test_a_number_typed_over_a_text_value_is_in_the_column_unit():
    """Found by the property above: a stored text value kept its own unit (mg/24h) while the column
    header said g/24h (US units), so 0.1 typed under 'g/24h' was stored as 0.1 mg/24h."""
    rows = [{"date": "2024-01-10", "analyte": "urine_m_protein", "value": "abc", "unit": "mg/24h",
             "myeloma_related": True}]
    table = visit_table(rows, "us")
    out = apply_visits(rows, table, {"edited_rows": {0: {"urine_m_protein": "0.1"}}}, "us")
    unit = display_unit(Analyte.URINE_M_PROTEIN, "us")
    assert out[0]["value"] == float(f"{to_canonical(Analyte.URINE_M_PROTEIN, 0.1, unit):.12g}")
    assert out[0]["unit"] == canonical_unit(Analyte.URINE_M_PROTEIN)
