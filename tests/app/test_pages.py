"""Every page renders every example; edits change the live assessment; state survives navigation."""

from __future__ import annotations

import json

import pytest

from .helpers import EXAMPLES, PAGES, ROOT, edit_grid, edit_lab, editor_key, lab_editor_key, show_lab_values, start, summary_text, top3


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_page_renders_every_example(example):
    at = start(example)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title, page
    # the assessment page shows the disclaimer naming the source and the rules version
    from mmlogic.rules import RULES_VERSION

    assert any(RULES_VERSION in i.value for i in at.info)


def test_app_starts_with_ex01_and_a_live_summary(app):
    assert app.session_state["case"]["case_id"] == "ex-01"
    text = summary_text(app)
    assert "Relapsed" in text and "Treat now" in text
    assert len(top3(app)) == 3


def test_lab_edit_changes_assessment_and_suggestions():
    at = start("ex-02").switch_page("pages/labs.py").run()
    before_top, before = top3(at), summary_text(at)
    assert at.session_state["case"]["labs"][7]["value"] == 11.5
    edit_lab(at, 7, "value", "1.15")
    assert not at.exception
    assert at.session_state["case"]["labs"][7]["value"] == 1.15
    assert top3(at) != before_top
    assert "No relapse" in summary_text(at) and summary_text(at) != before
    at.switch_page("pages/assessment.py").run()
    assert any("No relapse" in m.value for m in at.metric)


def test_comorbidity_changes_suggestions():
    at = start("ex-01")
    before = top3(at)
    at.checkbox(key="patient_recent_thrombosis").check().run()
    assert at.session_state["case"]["comorbidities"]["recent_thrombosis"] is True
    after = top3(at)
    assert after != before
    at.switch_page("pages/assessment.py").run()
    assert any("COMORB-VTE" in m.value for m in at.markdown)


def test_school_changes_sequence_and_suggestions():
    at = start("ex-02")
    before = top3(at)
    at.radio(key="side_case_school_en").set_value("european").run()
    assert at.session_state["case"]["settings"]["school"] == "european"
    assert top3(at) != before
    at.switch_page("pages/assessment.py").run()
    assert any("European" in m.value for m in at.markdown)
    assert any("SEQ-EU" in m.value for m in at.markdown)


def test_grid_edit_survives_a_round_trip_to_another_page():
    at = start("ex-02").switch_page("pages/labs.py").run()
    edit_lab(at, 2, "value", "33.3")
    for page in ("pages/trends.py", "pages/assessment.py", "pages/labs.py"):
        at.switch_page(page).run()
        assert not at.exception
    frame = at.data_editor(key=lab_editor_key(at)).value
    assert frame["value"].iloc[2] == "33.3"
    assert at.session_state["case"]["labs"][2]["value"] == 33.3


def test_therapy_line_grid_edit_survives_navigation():
    at = start("ex-01")
    edit_grid(at, "patient_lines", {0: {"stop_reason": "toxicity"}})
    at.switch_page("pages/labs.py").run()
    at.switch_page("pages/patient.py").run()
    frame = at.data_editor(key=editor_key(at, "patient_lines")).value
    assert frame["stop_reason"].iloc[0] == "toxicity"


def test_switching_to_chinese_changes_the_texts():
    at = start("ex-01").switch_page("pages/assessment.py").run()
    assert at.title[0].value == "Assessment"
    at.radio(key="side_lang").set_value("zh").run()
    assert at.title[0].value == "评估"
    assert "复发" in summary_text(at)
    assert any("决策支持" in i.value for i in at.info)
    at.switch_page("pages/labs.py").run()
    assert at.title[0].value == "化验"


def test_bad_value_shows_its_message_and_keeps_the_other_rows():
    at = start("ex-02").switch_page("pages/labs.py").run()
    rows = len(at.session_state["case"]["labs"])
    before = top3(at)
    edit_lab(at, 3, "value", "abc")
    assert not at.exception
    assert len(at.session_state["case"]["labs"]) == rows
    assert at.session_state["case"]["labs"][3]["value"] == "abc"  # what the user typed is kept
    errors = "\n".join(e.value for e in at.error)
    assert "Row 4, value: expected a number" in errors
    frame = at.data_editor(key=lab_editor_key(at)).value  # the editor keeps its frame (and focus) ...
    assert len(frame) == rows
    assert at.session_state[lab_editor_key(at)]["edited_rows"][3]["value"] == "abc"  # ... and what was typed
    # the last valid assessment stays visible, marked out of date
    assert any("Out of date" in w.value for w in at.warning)
    assert "out of date" in summary_text(at)
    assert top3(at) == before
    edit_lab(at, 3, "value", "12")
    assert not any("Out of date" in w.value for w in at.warning)


def test_bad_unit_names_the_field_and_the_accepted_units():
    at = start("ex-02").switch_page("pages/labs.py").run()
    edit_lab(at, 0, "unit", "mmol/L")
    errors = "\n".join(e.value for e in at.error)
    assert "expected one of g/L, g/dL for serum_m_protein" in errors


def test_us_units_display_and_entry_store_canonical():
    at = start("ex-02").switch_page("pages/labs.py").run()
    at.radio(key="side_units_en").set_value("us").run()
    show_lab_values(at)
    frame = at.data_editor(key=lab_editor_key(at)).value
    assert frame["unit"].iloc[0] == "g/dL"
    edit_lab(at, 0, "value", "2.5")  # g/dL
    lab = at.session_state["case"]["labs"][0]
    assert lab["unit"] == "g/L" and lab["value"] == 25.0


def test_csv_paste_reports_rejected_rows_and_adds_the_good_ones():
    at = start("ex-02").switch_page("pages/labs.py").run()
    rows = len(at.session_state["case"]["labs"])
    at.text_area(key="labs_csv_text").input(
        "date,analyte,value,unit\n2024-01-05,serum_m_protein,14,g/L\n2024-02-05,serum_m_protein,lots,g/L\n"
        "2024-03-05,calcium,2.4,mg\n").run()
    assert not at.exception
    report = at.dataframe[-1].value
    statuses = list(report.iloc[:, -1])
    assert statuses[0] == "accepted"
    assert "expected a number" in statuses[1] and "expected one of mmol/L, mg/dL" in statuses[2]
    at.button(key="labs_csv_add").click().run()
    assert len(at.session_state["case"]["labs"]) == rows + 1


def test_uploading_an_invalid_case_names_the_field_and_keeps_the_current_case(app):
    bad = json.loads((ROOT / "cases" / "ex-03.json").read_text())
    bad["labs"][0]["unit"] = "mg"
    app.file_uploader(key="side_upload").upload("bad.json", json.dumps(bad).encode(), "application/json").run()
    assert not app.exception
    errors = "\n".join(e.value for e in app.sidebar.error)
    assert "labs[0].unit" in errors and "not loaded" in errors
    assert app.session_state["case"]["case_id"] == "ex-01"


def test_uploading_any_bytes_gives_a_message_in_the_chosen_language(app):
    app.radio(key="side_lang").set_value("zh").run()
    for raw in (b"\xff\xfe\x00garbage", b"{not json", b"[1, 2, 3]", b'{"case_id": "x", "labs": [{"value": NaN}]}'):
        app.file_uploader(key="side_upload").upload("odd.json", raw, "application/json").run()
        assert not app.exception
        errors = "\n".join(e.value for e in app.sidebar.error)
        assert "odd.json" in errors and any("\u4e00" <= ch <= "\u9fff" for ch in errors)
        assert app.session_state["case"]["case_id"] == "ex-01"


def test_uploading_a_case_in_us_units_stores_canonical_units(app):
    data = json.loads((ROOT / "cases" / "ex-05.json").read_text())
    app.file_uploader(key="side_upload").upload("ex-05.json", json.dumps(data).encode(), "application/json").run()
    assert not app.exception
    case = app.session_state["case"]
    assert case["case_id"] == "ex-05"
    assert {lab["unit"] for lab in case["labs"] if lab["analyte"].startswith("flc")} == {"mg/L"}


def test_fitness_tri_state_shows_the_default_as_a_default():
    at = start("ex-01")
    radio = at.radio(key="patient_fit_en")
    assert radio.value == "default"
    assert "Default" in radio.options[0]
    radio.set_value("no").run()
    assert at.session_state["case"]["patient"]["fit_for_intensive_therapy"] is False
    at.switch_page("pages/assessment.py").run()
    assert any("entered" in m.value for m in at.markdown)


def test_as_of_replays_the_case():
    at = start("ex-01")
    key = f"side_case_as_of_{at.session_state['case_rev']}"
    import datetime as dt

    at.date_input(key=key).set_value(dt.date(2023, 6, 1)).run()
    assert at.session_state["case"]["as_of"] == "2023-06-01"
    assert "No relapse" in summary_text(at)
