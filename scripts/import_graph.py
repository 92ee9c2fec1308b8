"""The project's import graph, read from the AST of every module (nothing is imported or run).

Used by ``tests/test_architecture.py`` (no cycles, the layer contract) and, run as a script, to
draw ``docs/architecture.svg``:

    .venv/bin/python scripts/import_graph.py            # writes docs/architecture.svg
    .venv/bin/python scripts/import_graph.py --cycles   # prints the cycles (none: exit 0)

Modules are named by their path (``pages/board.py`` -> ``pages.board``, ``mmlogic/__init__.py`` ->
``mmlogic``). Every import counts wherever it stands: at module level, inside a function, under
``if TYPE_CHECKING:``, and ``importlib.import_module("…")`` / ``__import__("…")`` with a literal
name. ``from P import name`` is an import of ``P.name`` when that is a module, else of ``P``
(importing a submodule does not count as importing its parent package, as in import-linter).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The application's own code: the entry point, the pages, and every top-level package present.
NOT_SCANNED = {"tests", "bench", "scripts", "docs", "cases", "node_modules", "artifacts"}


@dataclass(frozen=True)
class Import:
    """``source`` imports ``target`` (external: the top-level name, e.g. ``streamlit``) at ``line``."""

    source: str
    target: str
    line: int
    internal: bool


@dataclass
class Graph:
    modules: dict[str, Path] = field(default_factory=dict)
    imports: list[Import] = field(default_factory=list)

    def edges(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {m: set() for m in self.modules}
        for imp in self.imports:
            if imp.internal:
                out[imp.source].add(imp.target)
        return out

    def where(self, source: str, target: str) -> Import:
        return next(i for i in self.imports if i.source == source and i.target == target)


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Module name -> file: app.py, pages/, and every top-level folder with an ``__init__.py``."""
    files: dict[str, Path] = {}
    if (root / "app.py").exists():
        files["app"] = root / "app.py"
    tops = [root / "pages"] + sorted(p.parent for p in root.glob("*/__init__.py"))
    for top in tops:
        if not top.is_dir() or top.name in NOT_SCANNED or top.name.startswith("."):
            continue
        for path in sorted(top.rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            files[".".join(parts)] = path
    return files


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The longest known module that ``name`` is or lies in (``ui.state.t`` -> ``ui.state``)."""
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in known:
            return candidate
    return None


def _targets(node: ast.AST, module: str, path: Path, known: dict[str, Path]) -> list[str]:
    """Absolute names that ``node`` imports (empty for any other node)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = _package_of(module, path).split(".")
            base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
            prefix = ".".join([*base, node.module] if node.module else base)
        else:
            prefix = node.module or ""
        out = []
        for alias in node.names:
            full = f"{prefix}.{alias.name}"
            out.append(full if full in known else prefix)
        return out
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
            return [node.args[0].value] if not node.args[0].value.startswith(".") else []
    return []


def build(root: Path = ROOT) -> Graph:
    graph = Graph(modules=module_files(root))
    for module, path in graph.modules.items():
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        seen: set[tuple[str, bool]] = set()
        for node in ast.walk(tree):
            for name in _targets(node, module, path, graph.modules):
                target = _resolve(name, graph.modules)
                internal = target is not None
                target = target if internal else name.split(".")[0]
                if target == module or (target, internal) in seen:
                    continue
                seen.add((target, internal))
                graph.imports.append(Import(module, target, getattr(node, "lineno", 0), internal))
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """One shortest cycle per strongly connected component of more than one module."""
    edges = graph.edges()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return [_shortest_cycle(start=c[0], members=set(c), edges=edges) for c in components]


def _shortest_cycle(start: str, members: set[str], edges: dict[str, set[str]]) -> list[str]:
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for v in frontier:
            for w in sorted(edges[v] & members):
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if w not in previous:
                    previous[w] = v
                    following.append(w)
        frontier = following
    return [start]


def describe(graph: Graph, cycle: list[str]) -> str:
    """``a -> b (a.py:12) -> a (b.py:40)``: each step with the line of the import that makes it."""
    steps = [cycle[0]]
    for source, target in zip(cycle, cycle[1:]):
        imp = graph.where(source, target)
        steps.append(f"{target} ({graph.modules[source].relative_to(ROOT)}:{imp.line})")
    return " -> ".join(steps)


# -- the picture ------------------------------------------------------------------------------

LAYERS = (  # top to bottom: who may import whom runs downwards only
    ("entry and pages", ("app", "pages"), "#E8E4F3"),
    ("ui", ("ui",), "#F6E3E6"),
    ("casestore", ("casestore",), "#E2F1E4"),
    ("mmlogic (pure core)", ("mmlogic",), "#E1EAF3"),
)


def _layer(module: str) -> int | None:
    top = module.split(".")[0]
    for i, (_, tops, _) in enumerate(LAYERS):
        if top in tops:
            return i
    return None


def _depth(graph: Graph) -> dict[str, int]:
    """0 for a module that imports nothing of the project; else one more than its deepest import."""
    edges = graph.edges()
    depth: dict[str, int] = {}

    def walk(v: str, trail: frozenset[str]) -> int:
        if v not in depth:
            inner = [walk(w, trail | {v}) for w in edges[v] if w not in trail]
            depth[v] = 1 + max(inner) if inner else 0
        return depth[v]

    for v in edges:
        walk(v, frozenset())
    return depth


def svg(graph: Graph) -> str:
    """The layers as bands, each module a box (sub-rows: how deep it stands), the imports between
    layers as arrows with their counts, and what the architecture test checks."""
    depth = _depth(graph)
    width, box_w, box_h, gap, pad = 1180, 132, 22, 6, 14
    per_row = (width - 2 * pad + gap) // (box_w + gap)
    bands: list[tuple[int, int, str]] = []
    body: list[str] = []
    y = 58
    centres: dict[int, tuple[float, float, float]] = {}
    for i, (title, _, fill) in enumerate(LAYERS):
        members = sorted((m for m in graph.modules if _layer(m) == i), key=lambda m: (-depth[m], m))
        if not members:
            continue
        rows: list[list[str]] = []
        for level in sorted({depth[m] for m in members}, reverse=True):
            same = [m for m in members if depth[m] == level]
            rows += [same[k:k + per_row] for k in range(0, len(same), per_row)]
        height = 30 + len(rows) * (box_h + gap) + pad
        top = y
        body.append(f'<rect x="{pad}" y="{top}" width="{width - 2 * pad}" height="{height}" rx="8" fill="{fill}" stroke="#7F8C99"/>')
        body.append(f'<text x="{pad + 10}" y="{top + 20}" class="band">{escape(title)} · {len(members)} modules</text>')
        for r, row in enumerate(rows):
            for c, m in enumerate(row):
                bx = pad + 10 + c * (box_w + gap)
                by = top + 30 + r * (box_h + gap)
                short = m if len(m) <= 22 else "…" + m[-21:]
                body.append(f'<rect x="{bx}" y="{by}" width="{box_w}" height="{box_h}" rx="3" fill="#FFFFFF" stroke="#A7B3BF"/>'
                            f'<text x="{bx + 5}" y="{by + 15}" class="mod">{escape(short)}</text>')
        centres[i] = (top, top + height, height)
        bands.append((i, top, title))
        y = top + height + 44
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for imp in graph.imports:
        a, b = _layer(imp.source), _layer(imp.target) if imp.internal else None
        if imp.internal and a is not None and b is not None and a != b:
            counts[(a, b)] += 1
    arrows = []
    for k, ((a, b), n) in enumerate(sorted(counts.items())):
        x = 120 + k * 150
        y1, y2 = (centres[a][1], centres[b][0]) if a < b else (centres[a][0], centres[b][1])
        colour = "#34495E" if a < b else "#C0392B"
        arrows.append(f'<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2 - 4 if a < b else y2 + 4}" stroke="{colour}" '
                      f'stroke-width="2" marker-end="url(#head)"/>'
                      f'<text x="{x + 6}" y="{y1 + 16 if a < b else y1 - 8}" class="count">{escape(LAYERS[a][0].split()[0])} → '
                      f'{escape(LAYERS[b][0].split()[0])}: {n}</text>')
    found = cycles(graph)
    status = "no import cycle" if not found else f"{len(found)} import cycle(s): " + "; ".join(" → ".join(c) for c in found)
    total = sum(1 for i in graph.imports if i.internal)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" viewBox="0 0 {width} {y}" '
        'font-family="DejaVu Sans, Arial, sans-serif">'
        '<defs><marker id="head" markerWidth="8" markerHeight="8" refX="6" refY="4" orient="auto">'
        '<path d="M0,0 L8,4 L0,8 z" fill="#34495E"/></marker></defs>'
        '<style>.band{font-size:14px;font-weight:bold;fill:#1F2A36}.mod{font-size:10.5px;fill:#1F2A36}'
        '.count{font-size:11px;fill:#34495E}.title{font-size:17px;font-weight:bold}.sub{font-size:11.5px;fill:#5D6D7E}</style>'
        '<rect width="100%" height="100%" fill="#FFFFFF"/>'
        '<text x="14" y="24" class="title">Myeloma Relapse Navigator — import structure</text>'
        f'<text x="14" y="44" class="sub">{len(graph.modules)} modules, {total} imports between them; {escape(status)}. '
        'Imports run downwards only; in a band, a module stands above those it imports. '
        'Drawn by scripts/import_graph.py from the code.</text>'
        + "".join(body) + "".join(arrows) + "</svg>\n"
    )


def main(argv: list[str]) -> int:
    graph = build()
    found = cycles(graph)
    if "--cycles" in argv:
        for cycle in found:
            print(describe(graph, cycle))
        return 1 if found else 0
    out = ROOT / "docs" / "architecture.svg"
    out.write_text(svg(graph), "utf-8")
    print(f"{out.relative_to(ROOT)}: {len(graph.modules)} modules, {len(found)} cycle(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
