"""The patient page's "stem cells stored" choice (catalog 1.1, ASSUME-HARVEST) reaches the case
and the ranking, in both languages."""

from __future__ import annotations

from .helpers import start


def _page_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_stem_cells_stored_lifts_the_harvest_rank_down():
    at = start("ex-02")  # fit, no transplant yet, relapsed: a first ASCT is an option
    radio = at.radio(key="patient_stem_cells_en")
    assert radio.value == "unknown" and "not stored" in radio.options[0]
    at.switch_page("pages/assessment.py").run()
    assert "`ASSUME-HARVEST`" in _page_text(at)  # cited by a rank-down (explanations may name it too)
    at.switch_page("pages/patient.py").run()
    at.radio(key="patient_stem_cells_en").set_value("yes").run()
    assert not at.exception
    assert at.session_state["case"]["patient"]["stem_cells_stored"] is True
    at.switch_page("pages/assessment.py").run()
    assert "`ASSUME-HARVEST`" not in _page_text(at)


def test_stem_cells_choice_speaks_chinese():
    at = start("ex-02")
    at.radio(key="side_lang").set_value("zh").run()
    radio = at.radio(key="patient_stem_cells_zh")
    assert radio.label == "已保存自体干细胞"
    assert "未保存" in radio.options[0]
