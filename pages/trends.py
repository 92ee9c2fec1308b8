"""Trends: M-protein, light chains and ratio; calcium, haemoglobin, creatinine (Plotly)."""

from __future__ import annotations

import streamlit as st

from ui import figures, state
from ui.assessment_view import e
from ui.watch import confirm_text, lines_followed
from ui.widgets import stale_banner

t = state.translator()

st.title(t("trends.title"))
evaluation = state.evaluate()
stale_banner(evaluation, compact=True)


@st.fragment
def charts() -> None:
    assessment = state.evaluate().assessment
    if assessment is None:
        return
    st.session_state.setdefault("trends_log", False)
    log = st.toggle(t("trends.log"), key="trends_log")
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
    lead = confirm_text(assessment, state.lang())  # WATCH-CONFIRM (catalog 1.1)
    if lead:
        st.warning(e(lead), icon=":material/warning:")
    followed = lines_followed(assessment, state.lang())  # MARKER-FOLLOWED: regimen names escaped
    if followed:
        st.caption(f"**{e(t('watch.followed'))}** — " + " · ".join(e(x) for x in followed))
    markers = figures.marker_figure(assessment, lang=state.lang(), system=state.units(), log=log)
    if markers is None:
        st.info(t("trends.no_markers"))
    else:
        st.plotly_chart(markers, key="trends_markers", config=config, width="stretch")
    organ = figures.organ_figure(assessment, lang=state.lang(), system=state.units())
    if organ is None:
        st.caption(t("trends.no_organ"))
    else:
        st.plotly_chart(organ, key="trends_organ", config=config, width="stretch")


charts()
