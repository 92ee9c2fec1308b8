"""Every page renders a hostile case as text: no element, image or link from case text (issue #13).

AppTest sees what the server sends: every Markdown/HTML body, caption, title and alert. Streamlit
renders those as Markdown (HTML too where a page allows it), so a raw tag or Markdown link from the
case in any of them would be live in the browser. The browser test (tests/e2e) checks the DOM.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import start
from ui import safe

from .corpus import ACTIVE, PAYLOADS, hostile, hostile_invalid

PAGES = ("pages/patient.py", "pages/labs.py", "pages/trends.py", "pages/assessment.py", "pages/board.py",
         "pages/library.py")
KINDS = ("markdown", "caption", "title", "header", "subheader", "success", "info", "warning", "error", "expander")


def rendered(at: AppTest) -> list[str]:
    out: list[str] = []
    for kind in KINDS:
        for element in at.get(kind):
            value = getattr(element, "value", None) or getattr(element, "label", None) or getattr(element, "body", "")
            out.append(str(value))
    return out


def load(at: AppTest, data: dict) -> AppTest:
    at.session_state["case"] = data
    at.session_state["case_rev"] = at.session_state["case_rev"] + 1
    return at.run()


def assert_inert(at: AppTest, where: str) -> None:
    assert not at.exception, (where, [e.value for e in at.exception])
    for body in rendered(at):
        for active in ACTIVE:
            assert active not in body, (where, active, body[:300])


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_every_page_renders_case_text_inert(payload: str, lang: str) -> None:
    at = start()
    at.session_state["side_lang"] = lang
    load(at, hostile(payload))
    before = dict(at.session_state["case"])
    for page in PAGES:
        at.switch_page(page).run()
        assert_inert(at, page)
    assert at.session_state["case"] == before  # rendering changed nothing


@pytest.mark.parametrize("payload", PAYLOADS[:6], ids=range(6))
def test_problems_quote_refused_values_inert(payload: str) -> None:
    at = start()
    load(at, hostile_invalid(payload))
    for page in ("pages/patient.py", "pages/assessment.py"):
        at.switch_page(page).run()
        assert_inert(at, page)


def test_safe_text_keeps_what_was_typed_readable() -> None:
    assert safe.text("t(4;14) del(17p) 58-year-old: ok") == "t(4;14) del(17p) 58-year-old: ok"
    assert safe.text("- list") .startswith("&#45;")
    assert "&lt;script&gt;" in safe.text("<script>")
    assert "\u200b" not in safe.text("a\u200bb") and "\u202e" not in safe.text("\u202eab")
