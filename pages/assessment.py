"""Assessment: every conclusion with its rule ids, the ranked suggestions, assumptions, warning."""

from __future__ import annotations

import streamlit as st

from mmlogic.rules import RULES_VERSION, SOURCE
from ui import assessment_view as view
from ui import contemporary_view as cview
from ui import state
from ui import suggestions_view as suggestions
from ui.watch import confirm_text
from ui.widgets import stale_banner

t = state.translator()

TOP = 5  # suggestions shown in full; the rest in one expander

evaluation = state.evaluate()
lang = state.lang()
st.title(t("assess.title"))
stale_banner(evaluation)
a = evaluation.assessment
if a is None:
    st.stop()

st.caption(t("assess.as_of", date=a.as_of.isoformat(), version=a.rules_version))
lead = confirm_text(a, lang)  # WATCH-CONFIRM leads the page (catalog 1.1)
if lead:
    st.warning(view.e(lead), icon=":material/warning:")
c1, c2, c3 = st.columns(3)
c1.metric(t("assess.status"), t(f"status.{a.status.category.value}"))
c2.metric(t("assess.timing"), t(f"timing.{a.timing.recommendation.value}"))
c3.metric(t("assess.risk"), t(f"risk.{a.risk.overall}"))

left_blocks, right_blocks = view.sections(a, lang)
left, right = st.columns(2)
# One Markdown element per column and one for the top suggestions (cards are styled <div>s):
# a rerun after an edit stays cheap (see docs/app.md, Speed).
left.markdown(view.cards(left_blocks), unsafe_allow_html=True)
right.markdown(view.cards(right_blocks), unsafe_allow_html=True)

if a.exposure is not None:
    st.markdown(view.cards([cview.exposure_block(a.exposure, lang)]), unsafe_allow_html=True)

# Issue 15: the seed's suggestions and the contemporary pack's options, side by side or one of them.
contemporary = a.pack is not None and a.pack.id == "contemporary"
shown = st.radio(t("cp.view"), ("both", "seed", "contemporary"), key=f"assess_pack_view_{lang}", horizontal=True,
                 format_func=state.labels("cp.view.")) if contemporary else "seed"
if shown == "both":
    seed_slot, cp_slot = st.columns(2)
else:
    seed_slot = cp_slot = st.container()

if shown in ("both", "seed"):
    with seed_slot:
        st.subheader(t("cp.seed_title") if contemporary else t("assess.suggestions"))
        st.markdown(view.cards(suggestions.markdown(s, lang) for s in a.suggestions[:TOP]), unsafe_allow_html=True)
        if len(a.suggestions) > TOP:
            with st.expander(t("assess.more_suggestions", n=len(a.suggestions) - TOP)):
                st.markdown("\n\n".join(suggestions.markdown(s, lang, details=False) for s in a.suggestions[TOP:]),
                            unsafe_allow_html=True)
        if not contemporary:
            st.caption(t("cp.choose_pack"))
if shown in ("both", "contemporary"):
    with cp_slot:
        st.subheader(t("cp.title"))
        where = t(f"jur.{a.jurisdiction}") if a.jurisdiction else t("jur.all")
        st.caption(t("cp.jurisdiction_shown", where=where))
        st.warning(t("cp.not_comparable"), icon=":material/balance:")
        if a.high_risk_2025 is not None:
            verdict = {True: "true", False: "false", None: "none"}[a.high_risk_2025.high_risk]
            st.markdown(f"**{t('cp.high_risk')}**: {t('cp.high_risk.' + verdict)} · `CP-HIGH-RISK-2025`")
        if a.pack_notes:
            st.markdown("\n".join(f"- `{view.e(n.rule)}` {view.e(n.text.get(lang))}" for n in a.pack_notes))
        for group, title, html in cview.group_blocks(a, lang):
            if group == 4:  # collapsed by default, each with its mismatches (contract)
                with st.expander(title):
                    st.markdown(html, unsafe_allow_html=True)
            else:
                st.markdown(f"##### {title}")
                st.markdown(html, unsafe_allow_html=True)
if a.excluded:
    with st.expander(f"{t('assess.excluded')} ({len(a.excluded)})"):
        st.markdown(view.excluded_block(a, lang), unsafe_allow_html=True)
if a.cautions:
    st.markdown(f"#### {t('assess.cautions')}\n\n" + "\n".join(
        f"- {view.WARN} `{c.rule}` {view.e(c.text.get(lang))}" for c in a.cautions), unsafe_allow_html=True)
st.markdown(f"#### {t('assess.assumptions')}\n\n" + view.assumptions_block(a, lang), unsafe_allow_html=True)
if a.warnings:
    st.markdown(f"#### {t('assess.warnings')}\n\n" + "\n".join(f"- {view.e(w.get(lang))}" for w in a.warnings),
                unsafe_allow_html=True)
st.info(t("assess.disclaimer", source=SOURCE.get(lang), version=RULES_VERSION), icon=":material/info:")
