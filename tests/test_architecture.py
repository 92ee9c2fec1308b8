"""Dependencies point one way (issue #16), checked on the AST of every module of the app.

(a) no import cycle between modules — every import counts, at module level, inside functions and
    under ``TYPE_CHECKING`` (``scripts/import_graph.py`` reads them; the failure prints the cycle
    with the line of each import); ``mmlogic/__main__.py`` is a composition root nothing imports;
(b) the layer contract: pages -> ui -> mmlogic, casestore below the UI;
(c) pages are thin: they read only their own session keys and never parse a case themselves.

The picture of the structure: ``docs/architecture.svg`` (``scripts/import_graph.py`` draws it).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scripts.import_graph import ROOT, Graph, build, cycles, describe, svg

GRAPH: Graph = build()

# layer -> top-level names (project packages or third-party) its modules must never import
FORBIDDEN = {
    "mmlogic": {"streamlit", "plotly", "ui", "pages", "casestore", "app"},
    "casestore": {"streamlit", "ui", "pages", "app"},
    "ui": {"pages", "app"},
}
# A page's own session keys start with its prefix (widget keys too: streamlit-notes, style.md).
PAGE_PREFIX = {"teaching": "teach_", "assessment": "assess_"}
PRIVATE = ("_", "lib_")  # private keys of another module, and the case library's own
PARSERS = {"model_validate", "model_validate_json", "parse_case", "parse_obj"}  # any receiver
JSON_READERS = {"loads", "load"}  # of the json module


def test_the_graph_covers_the_app() -> None:
    tops = {m.split(".")[0] for m in GRAPH.modules}
    assert {"app", "pages", "ui", "mmlogic", "casestore"} <= tops
    assert not tops & {"tests", "bench", "scripts"}
    # a sanity check that edges are read at all: the router imports ui.state, ui.state the core
    edges = GRAPH.edges()
    assert "ui.state" in edges["app"] and "mmlogic" in edges["ui.state"]


def test_no_import_cycle() -> None:
    found = cycles(GRAPH)
    assert not found, "import cycle(s):\n" + "\n".join("  " + describe(GRAPH, c) for c in found)


def test_the_cycle_check_finds_a_cycle(tmp_path: Path) -> None:
    """The check itself can fail: two modules importing each other — one inside a function,
    one under TYPE_CHECKING — make a cycle that is reported with both lines."""
    pkg = tmp_path / "pkgx"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", "utf-8")
    (pkg / "a.py").write_text("def f():\n    from . import b\n    return b\n", "utf-8")
    (pkg / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkgx.a import f\n", "utf-8")
    graph = build(tmp_path)
    found = cycles(graph)
    assert found == [["pkgx.a", "pkgx.b", "pkgx.a"]]
    assert [i.line for i in graph.imports if i.internal] == [2, 3]


def test_main_is_a_composition_root() -> None:
    importers = sorted(i.source for i in GRAPH.imports if i.internal and i.target == "mmlogic.__main__")
    assert not importers, f"mmlogic/__main__.py is imported by {importers}"


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_contract(layer: str) -> None:
    broken = [
        f"{GRAPH.modules[i.source].relative_to(ROOT)}:{i.line} imports {i.target}"
        for i in GRAPH.imports
        if i.source.split(".")[0] == layer and i.target.split(".")[0] in FORBIDDEN[layer]
    ]
    assert not broken, f"{layer} must not import {sorted(FORBIDDEN[layer])}:\n" + "\n".join(broken)


def test_nothing_imports_a_page() -> None:
    importers = [f"{i.source} -> {i.target}" for i in GRAPH.imports if i.internal and i.target.split(".")[0] in ("pages", "app")]
    assert not importers, importers


def test_the_picture_draws_and_the_committed_one_shows_no_cycle() -> None:
    """The drawing works on today's code; the committed picture (not compared byte for byte, so
    that a new module elsewhere does not fail this test: redraw it with
    ``.venv/bin/python scripts/import_graph.py``) shows the layers and no cycle."""
    today = svg(GRAPH)
    assert "no import cycle" in today and all(m in today for m in ("ui.state", "mmlogic.rules", "pages.board"))
    drawn = (ROOT / "docs" / "architecture.svg").read_text("utf-8")
    assert drawn.startswith("<svg") and "no import cycle" in drawn
    assert "architecture.svg" in (ROOT / "docs" / "architecture.md").read_text("utf-8")


# -- (c) thin pages ---------------------------------------------------------------------------


def _is_session_state(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "session_state"


def _key_text(node: ast.AST) -> str | None:
    """The literal key, or the literal head of an f-string key; None when it is computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value)
    return None


def session_keys(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, key) of every session-state key a module names: ``st.session_state[k]``,
    ``.get/.pop/.setdefault/.__getitem__/.__setitem__(k, …)``, ``k in st.session_state``."""
    keys = []
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Subscript) and _is_session_state(node.value):
            key = node.slice
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is_session_state(node.func.value)
              and node.args):
            key = node.args[0]
        elif isinstance(node, ast.Compare) and any(_is_session_state(c) for c in node.comparators):
            key = node.left
        text = _key_text(key) if key is not None else None
        if text is not None:
            keys.append((node.lineno, text))
    return keys


def parsing_calls(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            of_json = isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "json"
            if name in PARSERS or (of_json and name in JSON_READERS):
                found.append((node.lineno, name))
        elif isinstance(node, ast.ImportFrom):
            found += [(node.lineno, f"import {a.name}") for a in node.names if a.name in PARSERS]
    return found


PAGES = sorted((ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_pages_read_only_their_own_session_keys(page: Path) -> None:
    prefix = PAGE_PREFIX.get(page.stem, f"{page.stem}_")
    keys = session_keys(ast.parse(page.read_text("utf-8")))
    foreign = [f"line {line}: {key!r}" for line, key in keys if key.startswith(PRIVATE) or not key.startswith(prefix)]
    assert not foreign, (f"pages/{page.name} reads session keys that are not its own (prefix {prefix!r}); "
                         f"ask ui.state / ui.derived instead:\n" + "\n".join(foreign))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_pages_never_parse_a_case(page: Path) -> None:
    calls = parsing_calls(ast.parse(page.read_text("utf-8")))
    assert not calls, f"pages/{page.name} parses a case itself (use ui.derived): {calls}"


def test_the_page_checks_can_fail() -> None:
    tree = ast.parse(
        "import json\nimport streamlit as st\nfrom mmlogic import parse_case\n"
        "x = st.session_state.get('_evaluation')\ny = st.session_state['lib_case_id']\n"
        "z = 'last_valid_json' in st.session_state\nw = st.session_state.get(f'board_{n}')\n"
        "c = parse_case(json.loads(y))\nd = Case.model_validate(store.load(y))\n")
    assert [k for _, k in session_keys(tree)] == ["_evaluation", "lib_case_id", "last_valid_json", "board_"]
    assert sorted(n for _, n in parsing_calls(tree)) == ["import parse_case", "loads", "model_validate", "parse_case"]
