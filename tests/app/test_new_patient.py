"""A new patient starts blank (issue #14): no trace of the previous case on any page, in the live
summary or in the report; guidance instead of errors until the minimum data exist."""

from __future__ import annotations

import re

import pytest

import ui.report

from .helpers import edit_grid, start

PAGES = ("pages/patient.py", "pages/labs.py", "pages/trends.py", "pages/assessment.py", "pages/board.py")
KINDS = ("title", "markdown", "caption", "info", "warning", "error", "success", "metric", "subheader", "header",
         "text", "exception")


def everything_shown(at) -> str:
    parts = []
    for kind in KINDS:
        for element in getattr(at, kind, []):
            parts.append(str(getattr(element, "value", "")) + " " + str(getattr(element, "label", "")))
    for frame_holder in at.get("arrow_data_frame"):
        parts.append(str(frame_holder.value.to_dict()))
    return "\n".join(parts)


@pytest.fixture
def reports(monkeypatch):
    """Every report the board page builds in this test: (html, out_of_date)."""
    built: list[tuple[str, bool]] = []
    original = ui.report.build_report

    def recording(case, assessment, lang="en", *, printed=None, out_of_date=False):
        html = original(case, assessment, lang, printed=printed, out_of_date=out_of_date)
        built.append((html, out_of_date))
        return html

    monkeypatch.setattr(ui.report, "build_report", recording)
    return built


def test_new_patient_shows_nothing_of_the_previous_case(reports):
    at = start("ex-01")
    previous = at.session_state["case"]
    at.switch_page("pages/board.py").run()
    assert reports and previous["label"] in reports[-1][0]  # the board's report is built for ex-01 ...
    shown = everything_shown(at)
    traces = [previous["case_id"], previous["label"], "Relapsed", "Treat now", "58-year-old"]
    top = re.compile(r"1\.\s*\**VBd")  # ex-01's top suggestion (the regimen list of a help text names VBd too)
    sidebar = "\n".join(m.value for m in at.sidebar.markdown)
    assert all(trace in shown + sidebar for trace in traces) and top.search(shown) and top.search(sidebar)

    # an unsaved edit: the New patient button asks first
    at.switch_page("pages/patient.py").run()
    at.number_input(key="patient_age").set_value(59).run()
    at.button(key="side_new").click().run()
    assert at.session_state["case"]["case_id"] == "ex-01"
    assert any("unsaved" in w.value for w in at.sidebar.warning)
    at.button(key="side_new_no").click().run()
    assert at.session_state["case"]["patient"]["age"] == 59
    at.button(key="side_new").click().run()
    at.button(key="side_new_yes").click().run()
    case = at.session_state["case"]
    assert case["case_id"] != "ex-01" and case["patient"] == {"age": None, "sex": None, "ecog": None}
    assert at.session_state["last_valid_json"] is None

    reports.clear()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        shown = everything_shown(at) + "\n".join(m.value for m in at.sidebar.markdown) + "\n".join(
            c.value for c in at.sidebar.caption)
        for trace in traces:
            assert trace not in shown, (page, trace)
        assert not top.search(shown), page
        assert not at.error, (page, [e.value for e in at.error])  # a blank form has nothing red
        assert "got None" not in shown and "ValueError" not in shown and "no dated data" not in shown
        assert any("Add a therapy line and two dated values" in i.value for i in at.info), page
        assert "Not yet entered: age, sex, ECOG" in "\n".join(i.value for i in at.info)
    assert not reports  # no assessment: no report to download
    assert any("Add a therapy line and two dated values" in c.value for c in at.sidebar.caption)


def test_a_new_patient_is_assessed_once_entered_and_its_report_marks_an_out_of_date_assessment(reports):
    at = start("ex-01")
    at.button(key="side_new").click().run()
    assert at.session_state["case"]["case_id"] != "ex-01"  # a loaded example unchanged: no question asked
    at.switch_page("pages/patient.py").run()
    at.number_input(key="patient_age").set_value(66).run()
    at.selectbox(key="patient_sex_en").set_value("male").run()
    at.selectbox(key="patient_ecog").set_value(1).run()
    edit_grid(at, "patient_lines", added=[{"regimen": "VRd", "start": "2023-01-05", "best_response": "VGPR"}])
    info = "\n".join(i.value for i in at.info)
    assert "Not yet entered: two dated values" in info and "age" not in info.split("Not yet entered")[1]
    at.switch_page("pages/labs.py").run()
    edit_grid(at, "labs_visits", added=[{"date": "2023-06-01", "serum_m_protein": "5"},
                                        {"date": "2023-12-01", "serum_m_protein": "12"}])
    assert not at.error and not at.exception
    assert at.session_state["last_valid_json"] is not None
    at.switch_page("pages/board.py").run()
    html, out_of_date = reports[-1]
    assert not out_of_date and "OUT OF DATE" not in html and "ex-01" not in html

    at.switch_page("pages/labs.py").run()
    edit_grid(at, "labs_visits", {1: {"serum_m_protein": "12 g"}})  # a typing slip: out of date
    at.switch_page("pages/board.py").run()
    (en, en_flag), (zh, zh_flag) = reports[-2:]  # the board builds the English and the Chinese report
    assert en_flag and zh_flag
    for html, banner in ((en, "OUT OF DATE"), (zh, "已过期")):
        body = html.split("<body>", 1)[1]
        assert body.startswith('<p class="out-of-date"') and banner in body.split("</p>", 1)[0]
        assert "ex-01" not in html
