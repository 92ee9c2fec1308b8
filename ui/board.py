"""Tumor-board helpers (pure, no Streamlit): the one-line patient summary, the verdict lines,
and how a recorded board decision compares with the app's own ranking.

Shared by the board page (pages/board.py) and the printable report (ui/report.py), so the
projector and the paper say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from mmlogic import Assessment, Case
from mmlogic.regimens import find_regimen

from .i18n import tr
from .phrases import relapse_text
from .watch import confirm_text, followed_names, lines_followed


def _risk_text(a: Assessment, lang: str) -> str:
    return tr("board.risk", lang, overall=tr(f"risk.{a.risk.overall}", lang),
              cyto=tr(f"risk.{a.risk.cytogenetic.value}", lang))


def lines_text(a: Assessment, lang: str) -> str:
    """'VTd → VGPR; Rd → PR (refractory)', or the no-line message."""
    if not a.lines:
        return tr("board.no_lines", lang)
    parts = []
    for line in a.lines:
        best = line.best_response.value if line.best_response else "?"
        refractory = tr("board.refractory", lang) if line.refractory else ""
        parts.append(f"{line.regimen} → {best}{refractory}")
    sep = ";" if lang == "zh" else "; "
    return tr("board.lines", lang, n=len(a.lines), lines=sep.join(parts))


def transplants_text(case: Case, as_of: date, lang: str) -> str | None:
    done = [t for t in case.transplants if t.date <= as_of]
    if not done:
        return None
    items = [tr(f"board.tx.{t.type.value}", lang, date=t.date.isoformat()) for t in done]
    return ("、" if lang == "zh" else ", ").join(items)


def patient_summary(case: Case, a: Assessment, lang: str) -> str:
    """One line: age, sex, isotype, risk, lines so far with best responses, transplants."""
    p = case.patient
    parts = [
        tr("board.age_sex", lang, age=p.age, sex=tr(f"board.sex.{p.sex.value}", lang)),
        case.disease.isotype or tr("board.isotype_unknown", lang),
        _risk_text(a, lang),
        lines_text(a, lang),
    ]
    tx = transplants_text(case, a.as_of, lang)
    if tx:
        parts.append(tx)
    return (" · ").join(parts)


def verdict(a: Assessment, lang: str, followed: bool = False) -> list[tuple[str, str, list[str], str | None]]:
    """(heading, value, rule ids, detail) for status, relapse and timing; with ``followed`` (the
    board view) also the markers each line is judged on (MARKER-FOLLOWED)."""
    relapse_rules = list(a.relapse.rules) or [c.rule for c in a.relapse.criteria]
    pending = [c for c in a.relapse.criteria if not c.confirmed]
    detail = "; ".join(f"{c.rule}: {c.detail.get(lang)}" for c in a.relapse.criteria) or None
    if pending and not a.relapse.rules:
        detail = tr("board.pending", lang) + (f" — {detail}" if detail else "")
    timing = (tr("assess.timing", lang), tr(f"timing.{a.timing.recommendation.value}", lang), list(a.timing.rules),
              a.timing.detail.get(lang) if a.timing.detail else None)
    lead = confirm_text(a, lang)
    if lead:  # WATCH-CONFIRM leads the verdict, naming the marker and the values (catalog 1.1)
        timing = (*timing[:3], lead)
    # The current line: its followed markers (MARKER-FOLLOWED) and the rules of its response.
    markers = [(tr("watch.followed", lang), followed_names(a.lines[-1], lang), ["MARKER-FOLLOWED", *a.lines[-1].rules],
                "; ".join(lines_followed(a, lang)))] if a.lines and followed else []
    rows = [
        (tr("assess.status", lang), tr(f"status.{a.status.category.value}", lang), list(a.status.rules),
         a.status.detail.get(lang) if a.status.detail else None),
        (tr("assess.relapse", lang), relapse_text(a, lang), relapse_rules, detail),
    ]
    return ([timing, *rows] if lead else [*rows, timing]) + markers


@dataclass(frozen=True)
class Comparison:
    """A board decision next to the app's ranking."""

    regimen: str  # as recorded
    regimen_id: str | None  # the knowledge-base id, when the regimen is known
    app_rank: int | None  # the decision's rank among the app's suggestions (None: not suggested)
    app_first: str | None
    agrees: bool


def compare(decision_regimen: str, a: Assessment) -> Comparison:
    known = find_regimen(decision_regimen)
    rid = known.id if known else None
    rank = next((s.rank for s in a.suggestions if rid is not None and s.regimen == rid), None)
    first = a.suggestions[0].regimen if a.suggestions else None
    return Comparison(decision_regimen, rid, rank, first, agrees=rid is not None and rid == first)


def comparison_text(c: Comparison, lang: str) -> str:
    if c.agrees:
        return tr("board.agrees", lang, regimen=c.regimen)
    if c.app_rank is not None:
        return tr("board.differs_ranked", lang, regimen=c.regimen, rank=c.app_rank, first=c.app_first or "–")
    return tr("board.differs_unranked", lang, regimen=c.regimen, first=c.app_first or "–")


def new_decision(when: date, regimen: str, rationale: str, attendees: str) -> dict[str, Any]:
    """A board decision in the case format; attendees' initials from a comma/space-separated text."""
    initials = [x.strip() for x in attendees.replace(";", ",").replace(" ", ",").split(",") if x.strip()]
    return {"date": when.isoformat(), "regimen": regimen.strip(), "rationale": rationale.strip() or None,
            "attendees": initials}
