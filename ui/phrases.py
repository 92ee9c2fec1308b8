"""Phrasing of assessment conclusions shared by the sidebar, the board and the report (pure).

One wording per conclusion, so the live summary, the projector and the paper say the same.
"""

from __future__ import annotations

from mmlogic import Assessment
from mmlogic.drugs import vocabulary
from mmlogic.regimens import knowledge_base
from mmlogic.summary import label

from .i18n import tr


def relapse_text(a: Assessment, lang: str) -> str:
    """'Clinical relapse 2024-06-20 (biochemical 2024-06-01)', each kind with its own first date."""
    r = a.relapse
    if r.clinical and r.biochemical and r.clinical_date and r.biochemical_date:
        return tr("relapse.both", lang, clinical=r.clinical_date.isoformat(), biochemical=r.biochemical_date.isoformat())
    if r.clinical and r.clinical_date:
        return tr("relapse.clinical", lang, date=r.clinical_date.isoformat())
    if r.biochemical and r.biochemical_date:
        return tr("relapse.biochemical", lang, date=r.biochemical_date.isoformat())
    if r.date:
        return tr("relapse.entered", lang, date=r.date.isoformat())
    return tr("relapse.none", lang)


def features_text(features: list[str], lang: str) -> str:
    """Risk features ('adverse_cytogenetics', …) in words."""
    return ", ".join(label(f, lang) for f in features) if lang == "en" else "、".join(label(f, lang) for f in features)


def drugs_text(drugs: list[str], lang: str) -> str:
    """Canonical drug names, or their Chinese names from the knowledge base."""
    if lang != "zh":
        return ", ".join(drugs)
    table = knowledge_base().drugs
    vocab = vocabulary().by_name  # contemporary drugs (issue 15): the shared vocabulary
    return "、".join(table[d].zh if d in table else (vocab[d].zh if d in vocab else d) for d in drugs)
