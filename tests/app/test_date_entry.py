"""Dates typed into the labs grid (issue #14): stored as the one date they name, or kept as typed
with a problem that keeps them out of the assessment — never silently changed."""

from __future__ import annotations

from .helpers import edit_lab, start


def test_a_typed_date_is_stored_as_the_date_it_names():
    at = start("ex-01")
    at.switch_page("pages/labs.py").run()
    edit_lab(at, 0, "date", "2023/1/5")
    assert not at.exception
    assert at.session_state["case"]["labs"][0]["date"] == "2023-01-05"
    edit_lab(at, 0, "date", "13/01/2023")  # day first, unambiguous
    assert at.session_state["case"]["labs"][0]["date"] == "2023-01-13"


def test_an_ambiguous_or_implausible_date_is_kept_as_typed_and_is_a_problem():
    at = start("ex-01")
    at.switch_page("pages/labs.py").run()
    before = at.session_state["last_valid_json"]
    for typed in ("01/10/2023", "0025-10-31"):
        edit_lab(at, 0, "date", typed)
        assert not at.exception
        assert at.session_state["case"]["labs"][0]["date"] == typed  # nothing silently coerced
        shown = "\n".join(e.value for e in at.error)
        assert "Row 1" in shown and "date" in shown, shown
        assert at.session_state["last_valid_json"] == before  # the assessment never saw it
