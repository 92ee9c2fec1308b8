"""Type-ahead over the shared drug vocabulary (issue 15), beside the therapy-line grid.

The grid's regimen column stays free text (Streamlit's grid selectbox cannot accept new values);
this look-up offers every known regimen id, shorthand, drug and synonym as the clinician types,
still accepts free text, and says what the entry resolves to — or that it will be kept as free
text with a warning.
"""

from __future__ import annotations

from functools import cache

import streamlit as st

from mmlogic.drugs import canonical_drug, drugs_of_regimen, vocabulary
from mmlogic.regimens import knowledge_base

from .i18n import tr
from .phrases import drugs_text

__all__ = ["lookup", "resolution_text", "suggestions"]


@cache
def suggestions() -> tuple[str, ...]:
    """Regimen ids (seed, then shorthands), then drug names and their synonyms, de-duplicated."""
    names: list[str] = [r.id for r in knowledge_base().regimens if r.kind != "transplant"]
    names += [r.id for r in vocabulary().regimen]
    for drug in vocabulary().drug:
        names += [drug.name, *drug.synonyms]
    return tuple(dict.fromkeys(names))


def resolution_text(entry: str, lang: str) -> str:
    """What ``entry`` resolves to, in words (plain text; the caller escapes)."""
    drugs = drugs_of_regimen(entry)
    if drugs:
        return tr("cp.lookup.regimen", lang, entry=entry, drugs=drugs_text(list(drugs), lang))
    single = canonical_drug(entry)
    if single:
        return tr("cp.lookup.drug", lang, entry=entry, drug=drugs_text([single], lang))
    return tr("cp.lookup.unknown", lang, entry=entry)


def lookup(lang: str) -> None:
    picked = st.selectbox(tr("cp.lookup", lang), suggestions(), index=None, accept_new_options=True,
                          placeholder=tr("cp.lookup.placeholder", lang), key=f"patient_vocab_lookup_{lang}")
    if picked:
        st.caption(resolution_text(str(picked), lang))
