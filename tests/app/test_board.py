"""Tumor board page: every gallery case in both languages, decisions saved with the case."""

from __future__ import annotations

from datetime import date

import pytest

from mmlogic import parse_case
from ui.teaching import gallery

from .helpers import start

GALLERY = tuple(g.id for g in gallery())


def open_case(case_id: str, lang: str = "en"):
    """Start the app, load a gallery case through the teaching page, open the board."""
    at = start()
    at.switch_page("pages/teaching.py").run()
    at.button(key=f"teach_load_{case_id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["case"]["case_id"] == case_id
    if lang != "en":
        at.radio(key="side_lang").set_value(lang).run()
    at.switch_page("pages/board.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _main_text(at) -> str:
    return "\n".join(m.value for m in at.main.markdown) + "\n".join(c.value for c in at.main.caption)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case_id", GALLERY)
def test_board_presents_every_gallery_case(case_id, lang):
    at = open_case(case_id, lang)
    assert case_id in at.title[0].value
    assert ("MDT" in at.title[0].value) == (lang == "zh")
    text = _main_text(at)
    # the one-line summary: age and isotype; the verdict with rule ids; three suggestions with reasons
    age = at.session_state["case"]["patient"]["age"]
    assert (f"{age}岁" if lang == "zh" else f"{age}-year-old") in text
    assert "board-value" in text and "`DEF-" in text or "`RESP-" in text
    assert len([m for m in at.main.markdown if m.value.startswith("### ")]) == 3
    assert at.get("plotly_chart"), "trend figure"
    labels = [b.label for b in at.get("download_button")]
    assert len([label for label in labels if "报告" in label or "report" in label.lower()]) == 2
    # no editing widget is on view: the decision form stays in a collapsed expander
    expander = [e for e in at.main.expander if e.label in ("Record the board's decision", "记录 MDT 决定")]
    assert len(expander) == 1 and not expander[0].proto.expanded


def test_recorded_decision_is_saved_with_the_case_and_compared_with_the_ranking():
    lang = "en"
    at = open_case("ex-01")
    suggestions = at.session_state["case"]
    rev = at.session_state["case_rev"]
    options = at.selectbox(key=f"board_regimen_{lang}").options
    chosen = options[2]  # not the app's first choice
    at.selectbox(key=f"board_regimen_{lang}").set_value(chosen)
    at.text_area(key="board_rationale").input("weekly visits suit the patient")
    at.date_input(key="board_date").set_value(date(2024, 7, 10))
    at.text_input(key="board_attendees").input("AB, CD ef")
    at.button(key="board_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    saved = at.session_state["case"]
    assert at.session_state["case_rev"] > rev and saved is not suggestions
    assert saved["board_decisions"] == [{"date": "2024-07-10", "regimen": chosen, "rationale": "weekly visits suit the patient",
                                         "attendees": ["AB", "CD", "ef"]}]
    assert parse_case(saved).board_decisions[0].regimen == chosen
    shown = "\n".join(w.value for w in at.warning)
    assert f"Board chose {chosen} (rank 3 in the app's list)" in shown and options[0] in shown
    # the saved case is what the sidebar downloads
    download = [b for b in at.sidebar.get("download_button")]
    assert download


def test_decision_agreeing_with_the_app_is_shown_as_agreement():
    lang = "zh"
    at = open_case("ex-02", lang)
    first = at.selectbox(key=f"board_regimen_{lang}").options[0]
    at.text_input(key="board_attendees").input("XY")
    at.button(key="board_save").click().run()
    assert any("与本应用首选一致" in s.value and first in s.value for s in at.success)


def test_other_regimen_outside_the_list_is_recorded_as_typed():
    lang = "en"
    at = open_case("ex-03")
    at.selectbox(key=f"board_regimen_{lang}").set_value("__other__")
    at.text_input(key="board_other").input("clinical trial XYZ-12")
    at.button(key="board_save").click().run()
    assert at.session_state["case"]["board_decisions"][-1]["regimen"] == "clinical trial XYZ-12"
    assert any("not among the app's suggestions" in w.value for w in at.warning)


def test_invalid_initials_are_refused_with_the_field_named():
    at = open_case("ex-01")
    at.text_input(key="board_attendees").input("ABCDEFGHIJKLMNOP")  # 16 characters > 12
    at.button(key="board_save").click().run()
    assert not at.exception
    assert not at.session_state["case"].get("board_decisions")
    assert any("not saved" in e.value for e in at.error)
