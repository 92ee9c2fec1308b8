"""The Labs page's one-row-per-visit grid (issue #14), through the real app (AppTest)."""

from __future__ import annotations

from datetime import date, timedelta

from .helpers import edit_grid, edit_lab, editor_key, show_lab_values, start, summary_text, top3

VISITS = "labs_visits"


def labs_page(example: str = "ex-02"):
    return start(example).switch_page("pages/labs.py").run()


def test_default_grid_is_one_row_per_visit_with_units_in_the_header():
    at = labs_page("ex-01")
    frame = at.data_editor(key=editor_key(at, VISITS)).value
    labs = at.session_state["case"]["labs"]
    assert list(frame["date"]) == sorted({lab["date"] for lab in labs})
    assert {"serum_m_protein", "flc_kappa", "flc_lambda", "calcium", "serum_ife"} <= set(frame.columns)
    editor = at.data_editor(key=editor_key(at, VISITS))
    columns = editor.proto.columns  # the column config as JSON text
    assert "Serum M (g/L)" in columns and "Calcium (mmol/L)" in columns
    at.radio(key="side_units_en").set_value("us").run()
    assert "Serum M (g/dL)" in at.data_editor(key=editor_key(at, VISITS)).proto.columns


def test_a_visit_edit_reaches_the_assessment_and_keeps_the_editor():
    at = labs_page()
    before, key, rev = top3(at), editor_key(at, VISITS), at.session_state["case_rev"]
    row = [r["date"] for r in at.session_state["case"]["labs"]].index("2023-09-01")
    edit_grid(at, VISITS, {7: {"serum_m_protein": "1.15"}})
    assert not at.exception
    assert at.session_state["case"]["labs"][row]["value"] == 1.15
    assert at.session_state["case_rev"] == rev + 1
    assert "No relapse" in summary_text(at) and top3(at) != before
    # the same editor (same key, same frame): the browser keeps its focus and selection
    assert editor_key(at, VISITS) == key
    edit_grid(at, VISITS, {8: {"serum_m_protein": "1.3"}})  # a second edit, in the same editor
    assert editor_key(at, VISITS) == key
    values = {lab["date"]: lab["value"] for lab in at.session_state["case"]["labs"]}
    assert values["2023-09-01"] == 1.15 and values["2023-12-01"] == 1.3


def test_a_new_visit_typed_cell_by_cell_is_one_visit_not_partial_rows():
    """Enter then Tab split one lab into three partial rows (issue #14): the added row stays one
    row of the same editor while its cells are typed one run at a time."""
    at = labs_page()
    n = len(at.session_state["case"]["labs"])
    key = editor_key(at, VISITS)
    edit_grid(at, VISITS, added=[{"date": "2024-03-01"}])  # date typed, Enter: nothing measured yet
    assert len(at.session_state["case"]["labs"]) == n
    for cells in ({"serum_m_protein": "14"}, {"flc_kappa": "120"}, {"flc_lambda": "9.5"}, {"calcium": "2.41"}):
        current = at.session_state[key]
        added = [{**current["added_rows"][0], **cells}]
        at.session_state[key] = {**current, "added_rows": added}  # the same new row, one more cell (Tab)
        at.run()
        assert editor_key(at, VISITS) == key
    new = at.session_state["case"]["labs"][n:]
    assert [(r["date"], r["analyte"], r["value"]) for r in new] == [
        ("2024-03-01", "serum_m_protein", 14.0), ("2024-03-01", "flc_kappa", 120.0),
        ("2024-03-01", "flc_lambda", 9.5), ("2024-03-01", "calcium", 2.41)]


def test_a_value_that_is_not_a_number_is_kept_and_named_by_date_and_test():
    at = labs_page()
    edit_grid(at, VISITS, {2: {"serum_m_protein": "6,5 g"}})
    lab = next(r for r in at.session_state["case"]["labs"] if r["date"] == "2021-06-01")
    assert lab["value"] == "6,5 g"  # never silently dropped
    errors = "\n".join(e.value for e in at.error)
    assert "2021-06-01 · Serum M-protein: value: expected a number" in errors


def test_dates_typed_the_ways_people_do():
    at = labs_page()
    n = len(at.session_state["case"]["labs"])
    edit_grid(at, VISITS, added=[{"date": "5/3/2024", "serum_m_protein": "14"},  # ambiguous: kept as typed
                                 {"date": "2024年3月5日", "serum_m_protein": "15"},
                                 {"date": "0025-10-31", "serum_m_protein": "16"}])
    dates = [r["date"] for r in at.session_state["case"]["labs"][n:]]
    assert dates == ["5/3/2024", "2024-03-05", "0025-10-31"]
    errors = "\n".join(e.value for e in at.error)
    assert "5/3/2024 · Serum M-protein: date" in errors
    assert "0025-10-31 · Serum M-protein: date: expected a date from 1900 on" in errors
    assert any("2024年3月5日 → 2024-03-05" in i.value for i in at.info)  # the reading is said, never silent


def test_a_future_date_is_a_problem_and_never_moves_the_assessment():
    at = labs_page()
    as_of = at.session_state["_evaluation"][1].assessment.as_of
    future = (date.today() + timedelta(days=30)).isoformat()
    edit_grid(at, VISITS, added=[{"date": future, "serum_m_protein": "17"}])
    assert at.session_state["case"]["labs"][-1]["date"] == future
    errors = "\n".join(e.value for e in at.error)
    assert f"{future} · Serum M-protein: date: a date on or before today" in errors, errors
    assert at.session_state["_evaluation"][1].assessment.as_of == as_of  # the last valid one, out of date


def test_the_long_grid_stays_available_and_shows_the_same_rows():
    at = labs_page()
    edit_grid(at, VISITS, {0: {"serum_m_protein": "25"}})
    show_lab_values(at)
    frame = at.data_editor(key=editor_key(at, "labs")).value
    assert len(frame) == len(at.session_state["case"]["labs"]) and frame["value"].iloc[0] == "25"
    edit_lab(at, 1, "value", "12")
    at.session_state["labs_view"] = "visits"
    at.run()
    frame = at.data_editor(key=editor_key(at, VISITS)).value
    assert list(frame["serum_m_protein"][:2]) == ["25", "12"]


def test_end_date_typed_right_after_start_is_kept():
    """Therapy lines: Start, then End typed in the same new row before the first edit's rerun came
    back — both land in one line (the editor is not re-mounted between the two)."""
    at = start("ex-01")
    n = len(at.session_state["case"]["therapy_lines"])
    key = editor_key(at, "patient_lines")
    edit_grid(at, "patient_lines", added=[{"regimen": "DKd", "start": "2025-01-10"}])
    assert editor_key(at, "patient_lines") == key
    current = at.session_state[key]
    at.session_state[key] = {**current, "added_rows": [{**current["added_rows"][0], "end": "2025-06-30"}]}
    at.run()
    lines = at.session_state["case"]["therapy_lines"]
    assert len(lines) == n + 1
    assert (lines[-1]["regimen"], lines[-1]["start"], lines[-1]["end"]) == ("DKd", "2025-01-10", "2025-06-30")
