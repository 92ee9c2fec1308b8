"""Tumor board: the case on a projector — summary, trend, verdict, top suggestions — the board's
decision recorded with the case, and the printable report (ui/report.py)."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date

import streamlit as st

from ui import assessment_view as view
from ui import board, derived, figures, safe, state
from ui import suggestions_view as suggestions
from ui.contemporary_view import pack_caption
from ui.i18n import tr
from ui.library_session import record_report_print
from ui.report import build_report, report_filename
from ui.state import t
from ui.widgets import stale_banner

# Projector type: larger text in the main area only (the sidebar keeps its size).
PROJECTOR_CSS = """<style>
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li { font-size: 1.3rem; line-height: 1.45; }
[data-testid="stMainBlockContainer"] code { font-size: 1.0rem; }
.board-oneline { font-size: 1.65rem; font-weight: 600; line-height: 1.35; margin: 0.2rem 0 0.8rem; }
.board-value { font-size: 2.0rem; font-weight: 700; line-height: 1.2; }
</style>"""

evaluation = state.evaluate()
lang = state.lang()
st.markdown(PROJECTOR_CSS, unsafe_allow_html=True)
stale_banner(evaluation, compact=True)
a = evaluation.assessment


case = derived.valid_case() if a is not None else None  # the case the assessment was made from
if a is None or case is None:
    st.title(t("board.title_plain"))
    if not evaluation.missing:  # a new patient already sees what to enter (guidance)
        st.info(t("board.no_assessment"))
else:
    st.title(t("board.title", case_id=safe.text(case.case_id), date=a.as_of.isoformat()))
    st.caption(pack_caption(a, lang))  # issue 15: which pack and version produced this
    st.markdown(f'<div class="board-oneline">{safe.text(board.patient_summary(case, a, lang))}</div>', unsafe_allow_html=True)

    # Below 1,100 px the CSS of ui/layout.py stacks this conclusions-first: verdict, top suggestions, chart.
    with st.container(key="board_body"):
        with st.container(key="board_main"):
            left, right = st.columns([3, 2], gap="large")
            with left:
                # Projector type; the builder reserves the legend's room below the plot (no crushed axes).
                fig = figures.marker_figure(a, lang=lang, system=state.units(), font_size=17)
                if fig is None:
                    st.info(t("trends.no_markers"))
                else:
                    fig.update_annotations(font_size=16)
                    st.plotly_chart(fig, key="board_markers", config={"displayModeBar": False}, width="stretch", theme=None)
            with right:
                for head, value, rules, detail in board.verdict(a, lang, followed=True):
                    with st.container(border=True):
                        st.markdown(f"**{head}**")
                        st.markdown(f'<div class="board-value">{view.e(value)}</div>', unsafe_allow_html=True)
                        if rules:
                            st.markdown(" ".join(f"`{r}`" for r in dict.fromkeys(rules)))
                        if detail:  # may name a regimen typed in the case: escaped
                            st.caption(safe.text(detail))

        with st.container(key="board_top"):
            st.subheader(t("board.top"))
            top = a.suggestions[:3]
            if not top:
                st.info(t("side.no_suggestions"))
            for col, s in zip(st.columns(max(len(top), 1)), top):
                with col, st.container(border=True):
                    st.markdown(suggestions.markdown(s, lang, details=False, heading=True))

    decisions = case.board_decisions
    if decisions:
        st.subheader(t("board.decisions"))
        for d in reversed(decisions):
            comparison = board.compare(d.regimen, a)
            text = f"**{d.date.isoformat()}** — " + board.comparison_text(replace(comparison, regimen=safe.text(comparison.regimen)), lang)
            extra = (f"{t('board.rationale')}: {safe.text(d.rationale or '–')} · "
                     f"{t('board.attendees')}: {safe.text(', '.join(d.attendees) or '–')}")
            (st.success if comparison.agrees else st.warning)(text + "  \n" + extra)

    with st.expander(t("board.record"), expanded=False):
        options = [s.regimen for s in a.suggestions] + ["__other__"]
        with st.form("board_form", clear_on_submit=True):
            st.selectbox(t("board.regimen"), options, key=f"board_regimen_{lang}",
                         format_func=lambda r, lang=lang: tr("board.other", lang) if r == "__other__" else r)
            st.text_input(t("board.other_regimen"), key="board_other", max_chars=120)
            st.text_area(t("board.rationale"), key="board_rationale", max_chars=4000)
            st.date_input(t("board.date"), key="board_date", value=date.today(), format="YYYY-MM-DD")
            st.text_input(t("board.attendees_help"), key="board_attendees")
            submitted = st.form_submit_button(t("board.save"), key="board_save")
        if submitted:
            choice = st.session_state.get(f"board_regimen_{lang}")
            regimen = (st.session_state.get("board_other") or "") if choice == "__other__" else (choice or "")
            decision = board.new_decision(st.session_state.get("board_date") or a.as_of, regimen,
                                          st.session_state.get("board_rationale") or "",
                                          st.session_state.get("board_attendees") or "")
            data = copy.deepcopy(state.case())
            data["board_decisions"] = [*(data.get("board_decisions") or []), decision]
            problems = derived.case_problems(data)
            if problems:
                st.error(t("board.invalid") + "\n\n" + "\n".join(f"- `{p.text(lang)}`" for p in problems
                                                                 if p.path.startswith("board_decisions")))
            else:
                state.commit_case(data, reason="board decision")
                st.rerun()

    st.subheader(t("board.report"))
    cols = st.columns(2)
    for col, code in zip(cols, ("en", "zh")):
        col.download_button(
            t(f"board.download_{code}"),
            data=build_report(case, a, code, printed=date.today(), out_of_date=evaluation.stale).encode("utf-8"),
            file_name=report_filename(case, a, code), mime="text/html", key=f"board_report_{code}",
            on_click=record_report_print, args=(code,), width="stretch",  # a row of the audit trail
        )
    st.caption(t("board.report_help"))
