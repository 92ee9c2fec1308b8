"""AppTest helpers: the app from its real entry point, examples loaded through the sidebar."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
PAGES = ("pages/patient.py", "pages/labs.py", "pages/trends.py", "pages/assessment.py")
EXAMPLES = tuple(sorted(p.stem for p in (ROOT / "cases").glob("ex-*.json") if ".expected" not in p.name))


def start(example: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    if example:
        at.selectbox(key="side_example").set_value(example)
        at.button(key="side_load").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.session_state["case"]["case_id"] == example
    return at


def top3(at: AppTest) -> list[str]:
    """The regimen ids of the live summary's top suggestions (sidebar)."""
    items = [m.value for m in at.sidebar.markdown if m.value.startswith("1. **")]
    assert items, [m.value for m in at.sidebar.markdown]
    return [line.split("**")[1] for line in items[0].splitlines()]


def summary_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.sidebar.markdown)


def lab_editor_key(at: AppTest) -> str:
    return f"labs_editor_{at.session_state['case_rev']}"


def edit_lab(at: AppTest, row: int, column: str, value: object) -> AppTest:
    """Simulate a data-editor edit (AppTest cannot type into the grid; see streamlit-notes)."""
    at.session_state[lab_editor_key(at)] = {"edited_rows": {row: {column: value}}, "added_rows": [], "deleted_rows": []}
    return at.run()
