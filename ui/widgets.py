"""Small shared widgets: the stale-assessment banner, the problem list, rule-id chips."""

from __future__ import annotations

import streamlit as st

from mmlogic.rules import registry

from . import safe, state
from .state import t


def guidance(evaluation: state.Evaluation) -> None:
    """No assessment yet: what to enter (guidance in blue, never a red error; issue #14)."""
    if not evaluation.missing:
        return
    fields = ", ".join(t(f"guide.field.{m}") for m in evaluation.missing)
    st.info(f"**{t('guide.title')}** — {t('guide.body')}  \n{t('guide.missing', fields=fields)}",
            icon=":material/edit_note:")


def stale_banner(evaluation: state.Evaluation, compact: bool = False) -> None:
    """Say that the assessment is out of date, and why (every problem names its field); with no
    assessment yet, say what to enter."""
    guidance(evaluation)
    if not evaluation.stale:
        return
    n = len(evaluation.problems) or 1
    if evaluation.error:
        st.error(t("error.internal", error=safe.text(evaluation.error)))
        return
    key = "stale.banner" if evaluation.assessment is not None else "stale.none"
    st.warning(t(key, n=n), icon="⚠️")
    if not compact:
        problem_list(evaluation)


def problem_list(evaluation: state.Evaluation) -> None:
    if evaluation.problems:
        st.markdown(f"**{t('problems.title')}**")
        st.markdown("\n".join(f"- {safe.text(path)} — {safe.text(message.split(': ', 1)[-1])}" for path, message in evaluation.problems))


def rule_chips(rule_ids: list[str] | tuple[str, ...], key: str) -> None:
    """Rule ids, each expanding to its explanation from the registry."""
    ids = [r for r in dict.fromkeys(rule_ids) if r]
    if not ids:
        return
    lang = state.lang()
    try:
        rules = registry()
    except Exception:  # registry unavailable: still show the ids
        rules = {}
    with st.expander(f"{t('assess.rules')}: {', '.join(ids)}"):
        for rule_id in ids:
            rule = rules.get(rule_id)
            if rule is None:
                st.markdown(f"**{rule_id}** {t('assess.rule_unknown')}")
            else:
                st.markdown(f"**{rule_id}** — {rule.title.get(lang)} (§{rule.section})  \n{rule.explanation.get(lang)}")
