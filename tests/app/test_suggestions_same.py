"""One renderer per thing (issue #16): the Assessment page, the tumor board and the printed report
show the same suggestion texts — the same translation, the same escaping — for one example case."""

from __future__ import annotations

import pytest

from mmlogic import parse_case
from ui import suggestions_view
from ui.report import TOP, build_report
from ui.safe import text as e

from .helpers import start

BOARD_TOP = 3


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.main.markdown)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_assessment_board_and_report_show_the_same_suggestion_texts(lang: str) -> None:
    at = start()  # ex-01: three top suggestions with reasons and cautions
    if lang != "en":
        at.radio(key="side_lang").set_value(lang).run()
    at.switch_page("pages/assessment.py").run()
    assert not at.exception, [x.value for x in at.exception]
    assessment_page = _markdown(at)
    at.switch_page("pages/board.py").run()
    assert not at.exception, [x.value for x in at.exception]
    board_page = _markdown(at)
    a = at.session_state["_evaluation"][1].assessment
    report = build_report(parse_case(at.session_state["case"]), a, lang)

    shown = a.suggestions[:min(BOARD_TOP, TOP)]
    assert len(shown) == 3 and any(s.cautions for s in shown)
    places = {"assessment page": assessment_page, "board": board_page, "report": report}
    for s in shown:
        m = suggestions_view.suggestion_text(s, lang)
        expected = [f"{m.rank}. {e(m.regimen)}", e(m.name), e(m.drugs), *(e(line.text) for line in m.lines)]
        for place, text in places.items():
            missing = [x for x in expected if x not in text]
            assert not missing, f"{place} lacks, for suggestion {m.rank} ({lang}): {missing}"
            for line in m.lines:
                assert line.rule in text
    if lang == "zh":  # the drugs are named in Chinese in all three, never as the core's ids
        drugs = suggestions_view.suggestion_text(shown[0], "zh").drugs
        assert drugs != suggestions_view.suggestion_text(shown[0], "en").drugs
        assert all(e(drugs) in text for text in places.values())
