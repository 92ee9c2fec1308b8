"""AppTest helpers: the app from its real entry point, examples loaded through the sidebar."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
PAGES = ("pages/patient.py", "pages/labs.py", "pages/trends.py", "pages/assessment.py")
EXAMPLES = tuple(sorted(p.stem for p in (ROOT / "cases").glob("ex-*.json") if ".expected" not in p.name))


#: ``[auth]`` secrets for shared-mode AppTests (never a real provider: AppTest sets ``at.user`` itself).
TEST_AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-only-9f2c4e7a1b8d3f6e0a5c2b9d4e7f1a3c-long-enough",
    "client_id": "mmnav",
    "client_secret": "test-only",
    "server_metadata_url": "https://idp.example.org/realms/hospital/.well-known/openid-configuration",
}


def all_text(at: AppTest) -> str:
    """Every element's protobuf as text: anything shown anywhere on the page."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


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


def editor_key(at: AppTest, prefix: str) -> str:
    """The key of a grid's current editor (stable while edits come from it; ui/tables.py)."""
    gen_key = f"{prefix}_editor_gen"
    return f"{prefix}_editor_{at.session_state[gen_key] if gen_key in at.session_state else 0}"


def edit_grid(at: AppTest, prefix: str, edited: dict | None = None, added: list | None = None,
              deleted: list | None = None) -> AppTest:
    """Simulate data-editor edits (AppTest cannot type into the grid; see streamlit-notes). The
    browser keeps the editor's whole delta while the grid stays mounted: new edits are merged in."""
    key = editor_key(at, prefix)
    current = at.session_state[key] if key in at.session_state else {}
    rows = {int(k): dict(v) for k, v in (current.get("edited_rows") or {}).items()}
    for row, changes in (edited or {}).items():
        rows.setdefault(int(row), {}).update(changes)
    at.session_state[key] = {"edited_rows": rows, "added_rows": [*(current.get("added_rows") or []), *(added or [])],
                             "deleted_rows": [*(current.get("deleted_rows") or []), *(deleted or [])]}
    return at.run()


def lab_editor_key(at: AppTest) -> str:
    return editor_key(at, "labs")


def show_lab_values(at: AppTest) -> AppTest:
    """Switch the Labs page to its one-row-per-value grid (the long grid)."""
    if "labs_view" not in at.session_state or at.session_state["labs_view"] != "values":
        at.session_state["labs_view"] = "values"
        at.run()
    return at


def edit_lab(at: AppTest, row: int, column: str, value: object) -> AppTest:
    """Edit a cell of the one-row-per-value lab grid."""
    show_lab_values(at)
    return edit_grid(at, "labs", {row: {column: value}})


def edit_visit(at: AppTest, row: int, column: str, value: object) -> AppTest:
    """Edit a cell of the one-row-per-visit lab grid (the default)."""
    return edit_grid(at, "labs_visits", {row: {column: value}})
