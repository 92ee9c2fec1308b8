"""The assessment as a CDS Hooks–style card set: one card per conclusion a clinician acts on.

Each card: ``summary`` (at most 140 characters), ``indicator`` (info | warning | critical),
``source`` (label with the knowledge pack and the rules version), ``detail`` (Markdown-free text
naming the rule ids). Pure: an Assessment in, JSON-ready data out.
"""

from __future__ import annotations

import uuid
from typing import Any

from ..assessment import Assessment

__all__ = ["SUMMARY_MAX", "cards"]

SUMMARY_MAX = 140
_NS = uuid.UUID("6f1c5a52-9d1e-4b8e-9a43-3c1d2f7b8e10")


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


def cards(assessment: Assessment, lang: str = "en") -> dict[str, Any]:
    """``{"cards": [...]}`` for ``assessment`` in ``lang``."""
    zh = lang == "zh"
    pack = f"{assessment.pack.id} {assessment.pack.version}" if assessment.pack is not None else "seed"
    label = f"Myeloma Relapse Navigator — pack {pack}, rules {assessment.rules_version}"
    source = {"label": label, "topic": {"code": "myeloma-relapse", "display": "Myeloma relapse"}}
    out: list[dict[str, Any]] = []

    def card(key: str, summary: str, indicator: str, detail: str, rules: list[str]) -> None:
        ids = ", ".join(dict.fromkeys(rules)) or "—"
        out.append({"uuid": str(uuid.uuid5(_NS, f"{assessment.case_id}/{assessment.as_of}/{key}")),
                    "summary": _cut(summary), "indicator": indicator, "source": source,
                    "detail": f"{detail}\n\n{'规则' if zh else 'Rules'}: {ids}".strip()})

    status = assessment.status
    category = status.category.value.replace("_", " ")
    relapse = assessment.relapse
    if relapse.biochemical or relapse.clinical:
        kind = ("clinical" if relapse.clinical else "biochemical")
        when = relapse.date.isoformat() if relapse.date else "?"
        summary = (f"{'临床' if relapse.clinical else '生化'}复发({when})" if zh else f"{kind.capitalize()} relapse ({when})")
        detail = "; ".join(c.detail.zh if zh else c.detail.en for c in relapse.criteria[:5])
        card("relapse", summary, "critical" if relapse.clinical else "warning", detail,
             relapse.rules + [c.rule for c in relapse.criteria])
    card("status", (f"病情分类:{category}" if zh else f"Status: {category}"), "info",
         (status.detail.zh if zh else status.detail.en) if status.detail else "", status.rules)
    timing = assessment.timing
    rec = timing.recommendation.value.replace("_", " ")
    card("timing", (f"治疗时机:{rec}" if zh else f"Timing: {rec}"),
         "critical" if timing.recommendation.value == "treat_now" else
         "warning" if timing.recommendation.value == "confirm" else "info",
         (timing.detail.zh if zh else timing.detail.en) if timing.detail else "", timing.rules)
    for s in assessment.suggestions[:3]:
        name = s.name.zh if zh else s.name.en
        reasons = "; ".join((r.text.zh if zh else r.text.en) for r in s.reasons[:4])
        card(f"suggestion-{s.rank}", (f"第{s.rank}位方案:{name}" if zh else f"Option {s.rank}: {name}"), "info",
             reasons, [r.rule for r in s.reasons] + [c.rule for c in s.cautions])
    for i, c in enumerate(assessment.cautions[:5]):
        card(f"caution-{i}", c.text.zh if zh else c.text.en, "warning", c.text.zh if zh else c.text.en, [c.rule])
    return {"cards": out}
