"""Teaching helpers (pure, no Streamlit): the case gallery, which case shows which rule,
the replay timeline figure, and the predict-then-reveal quiz.

The gallery is ``cases/teaching/index.toml``: every example case (ex-*) and teaching case
(tc-*) with a bilingual learning objective. Which rules a case demonstrates is read from its
assessment (``Assessment.cited_rules()``), never written by hand; the CLASS-* family rules
are cited through the family of each suggested regimen.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from mmlogic import Assessment, Case, Text, assess, parse_case
from mmlogic.replay import Milestone

from .i18n import tr

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / "cases"
INDEX = CASES_DIR / "teaching" / "index.toml"


@dataclass(frozen=True)
class GalleryCase:
    id: str
    path: Path
    objective: Text

    def data(self) -> dict[str, Any]:
        return json.loads(self.path.read_text("utf-8"))

    def case(self) -> Case:
        return parse_case(self.data())

    @property
    def label(self) -> str:
        return self.data().get("label") or self.id


@cache
def gallery() -> tuple[GalleryCase, ...]:
    """The gallery in index order."""
    raw = tomllib.loads(INDEX.read_text("utf-8"))
    return tuple(GalleryCase(id=e["id"], path=CASES_DIR / e["path"], objective=Text(en=e["en"], zh=e["zh"]))
                 for e in raw["case"])


def gallery_case(case_id: str) -> GalleryCase | None:
    return next((g for g in gallery() if g.id == case_id), None)


@cache
def _assessment(case_id: str) -> Assessment:
    g = gallery_case(case_id)
    assert g is not None, case_id
    return assess(g.case())


def rules_shown(case_id: str) -> set[str]:
    """Rule ids a gallery case demonstrates (its assessment's cited rules)."""
    return _assessment(case_id).cited_rules()


@cache
def rule_cases() -> dict[str, tuple[str, ...]]:
    """rule id -> the gallery cases that show it (teaching cases first: they were written for it)."""
    out: dict[str, list[str]] = {}
    ordered = sorted(gallery(), key=lambda g: (not g.id.startswith("tc-"), g.id))
    for g in ordered:
        for rule_id in rules_shown(g.id):
            out.setdefault(rule_id, []).append(g.id)
    return {k: tuple(v) for k, v in out.items()}


# -- replay timeline -----------------------------------------------------------------------

MILESTONE_STYLE: dict[str, tuple[str, str]] = {  # kind -> (colour, symbol); Okabe-Ito
    "response": ("#009E73", "circle"),
    "progression_unconfirmed": ("#E69F00", "triangle-up-open"),
    "progression_confirmed": ("#D55E00", "triangle-up"),
    "clinical_relapse": ("#CC79A7", "x"),
    "rapid_rise": ("#0072B2", "diamond"),
    "status": ("#000000", "square"),
}


def timeline_figure(milestones: list[Milestone], current: date, start: date, end: date, lang: str) -> go.Figure:
    """Milestones on one row per kind, with the replay date as a vertical line."""
    fig = go.Figure()
    kinds = [k for k in MILESTONE_STYLE if any(m.kind == k for m in milestones)]
    for kind in kinds:
        ms = [m for m in milestones if m.kind == kind]
        colour, symbol = MILESTONE_STYLE[kind]
        label = tr(f"replay.kind.{kind}", lang)
        reached = [m.date <= current for m in ms]
        fig.add_trace(go.Scatter(
            x=[m.date.isoformat() for m in ms], y=[label] * len(ms), mode="markers", name=label,
            marker={"symbol": symbol, "size": 16, "color": colour, "line": {"width": 2, "color": colour},
                    "opacity": [1.0 if r else 0.3 for r in reached]},
            text=[f"{', '.join(m.rules)} — {m.text.get(lang)}" for m in ms],
            hovertemplate="%{x|%Y-%m-%d}<br>%{text}<extra></extra>", meta={"role": "milestone", "kind": kind},
        ))
    fig.add_shape(type="line", xref="x", yref="paper", x0=current.isoformat(), x1=current.isoformat(), y0=0, y1=1,
                  line={"color": "#1F2A36", "width": 2}, name="replay-now")
    fig.update_layout(
        template="plotly_white", height=90 + 42 * max(len(kinds), 1), margin={"l": 10, "r": 10, "t": 30, "b": 30},
        showlegend=False, title={"text": tr("replay.timeline", lang), "x": 0},
        font={"family": "Source Sans Pro, 'Noto Sans CJK SC', sans-serif", "size": 14},
        xaxis={"type": "date", "range": [start.isoformat(), end.isoformat()]},
    )
    return fig


# -- predict, then reveal ----------------------------------------------------------------------

STATUS_CHOICES = ("untreated", "no_relapse", "relapsed", "relapsed_refractory", "primary_refractory")
TIMING_CHOICES = ("treat_now", "monitor", "confirm", "not_applicable")
FIRST_REGIMEN_TOP = 3  # a first regimen counts as right when it is among the app's top 3


def grade(a: Assessment, status: str, timing: str, regimen: str) -> dict[str, bool]:
    """Which of the learner's three predictions agree with the assessment."""
    top = [s.regimen for s in a.suggestions[:FIRST_REGIMEN_TOP]]
    return {
        "status": status == a.status.category.value,
        "timing": timing == a.timing.recommendation.value,
        "regimen": regimen in top,
    }
