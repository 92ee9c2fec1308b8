"""Teaching: the case gallery, case replay, predict-then-reveal, the rule explorer and
"what would change the answer". Computations come from mmlogic (replay, whatif) and
ui.teaching (gallery, timeline figure, quiz grading)."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from mmlogic import registry
from mmlogic.regimens import knowledge_base
from mmlogic.thresholds import public_thresholds
from ui import board, derived, figures, state, suggestions_view, teaching
from ui.i18n import tr
from ui.state import t
from ui.widgets import stale_banner

lang = state.lang()
evaluation = state.evaluate()
st.title(t("teach.title"))
stale_banner(evaluation, compact=True)


def _load(case_id: str) -> None:
    g = teaching.gallery_case(case_id)
    if g is not None:
        state.load_case(g.data(), reason=f"gallery {case_id}")
        st.session_state["teach_notice"] = case_id


notice = st.session_state.pop("teach_notice", None)
if notice:
    st.success(t("side.loaded", label=notice))

case = derived.current_case()
rev = state.rev()
tabs = st.tabs([t("teach.tab_gallery"), t("teach.tab_replay"), t("teach.tab_quiz"), t("teach.tab_rules"),
                t("teach.tab_whatif")])

# -- gallery ----------------------------------------------------------------------------------
with tabs[0]:
    st.caption(t("teach.gallery_help"))
    current_id = state.case().get("case_id")
    for g in teaching.gallery():
        with st.container(border=True):
            cols = st.columns([5, 1], vertical_alignment="center")
            mark = " :green[:material/check_circle:]" if g.id == current_id else ""  # icons, not emoji: no font needed
            cols[0].markdown(f"**{g.id}** — {g.label}{mark}  \n{g.objective.get(lang)}")
            shown = sorted(teaching.rules_shown(g.id))
            cols[0].caption(t("teach.rules_shown", n=len(shown), ids=", ".join(r for r in shown if not r.startswith("ASSUME-"))))
            cols[1].button(t("teach.load"), key=f"teach_load_{g.id}", on_click=_load, args=(g.id,), width="stretch")

RIGHT, WRONG = ":green[:material/check_circle:]", ":red[:material/cancel:]"

# -- replay -----------------------------------------------------------------------------------
with tabs[1]:
    if case is None:
        st.info(t("teach.invalid_case"))
    else:
        dates, moments = derived.replay()
        if not dates:
            st.info(t("teach.no_dates"))
        else:
            replay_key = f"teach_replay_{rev}"
            st.session_state.setdefault(replay_key, dates[-1])
            marked = sorted({m.date for m in moments})

            def _jump(step: int, key: str = replay_key) -> None:
                now = st.session_state[key]
                targets = [d for d in marked if (d > now if step > 0 else d < now)]
                if targets:
                    st.session_state[key] = targets[0] if step > 0 else targets[-1]

            st.select_slider(t("replay.date"), options=dates, key=replay_key, format_func=lambda d: d.isoformat())
            nav = st.columns(3)
            nav[0].button(t("replay.prev"), key="teach_replay_prev", on_click=_jump, args=(-1,), width="stretch")
            nav[1].button(t("replay.next"), key="teach_replay_next", on_click=_jump, args=(1,), width="stretch")
            nav[2].button(t("replay.latest"), key="teach_replay_last", width="stretch",
                          on_click=lambda k=replay_key, last=dates[-1]: st.session_state.__setitem__(k, last))
            when = st.session_state[replay_key]
            a_then = derived.assess_on(when)
            st.plotly_chart(teaching.timeline_figure(moments, when, dates[0], dates[-1], lang), key="teach_timeline",
                            config={"displayModeBar": False}, width="stretch")
            reached = [m for m in moments if m.date <= when]
            st.markdown(f"**{t('replay.reached', date=when.isoformat(), n=len(reached), total=len(moments))}**")
            if reached:
                st.markdown("\n".join(f"- **{m.date.isoformat()}** · {t('replay.kind.' + m.kind)} · "
                                      f"{m.text.get(lang)} `{', '.join(m.rules)}`" for m in reached))
            left, right = st.columns([3, 2])
            with left:
                fig = figures.marker_figure(a_then, lang=lang, system=state.units())
                if fig is not None:
                    st.plotly_chart(fig, key="teach_replay_fig", width="stretch", config={"displayModeBar": False})
            with right:
                for head, value, rules, detail in board.verdict(a_then, lang):
                    st.markdown(f"**{head}:** {value} " + " ".join(f"`{r}`" for r in dict.fromkeys(rules)))
                    if detail:
                        st.caption(detail)
                st.markdown(f"**{t('board.top')}**")
                st.markdown("\n".join(suggestions_view.one_line(s, lang) for s in a_then.suggestions[:3])
                            or t("side.no_suggestions"))

# -- predict, then reveal ---------------------------------------------------------------------
with tabs[2]:
    a = evaluation.assessment
    score = st.session_state.setdefault("teach_score", {"right": 0, "asked": 0, "rounds": 0})
    st.metric(t("quiz.score"), f"{score['right']} / {score['asked']}",
              help=t("quiz.score_help", rounds=score["rounds"]))
    if a is None or evaluation.stale:
        st.info(t("teach.invalid_case"))
    else:
        st.caption(t("quiz.help"))
        regimens = [r.id for r in knowledge_base().regimens if r.kind == "regimen"]
        result = st.session_state.get("teach_quiz_result")
        revealed = result is not None and result.get("rev") == rev

        def _reveal(assessment=a) -> None:
            picks = {q: st.session_state.get(f"teach_q_{q}_{rev}_{lang}") for q in ("status", "timing", "regimen")}
            if None in picks.values() or (st.session_state.get("teach_quiz_result") or {}).get("rev") == rev:
                return
            grades = teaching.grade(assessment, picks["status"], picks["timing"], picks["regimen"])
            s = st.session_state["teach_score"]
            s["right"] += sum(grades.values())
            s["asked"] += len(grades)
            s["rounds"] += 1
            st.session_state["teach_quiz_result"] = {"rev": rev, "picks": picks, "grades": grades}

        c1, c2, c3 = st.columns(3)
        c1.radio(t("quiz.status"), teaching.STATUS_CHOICES, key=f"teach_q_status_{rev}_{lang}", index=None,
                 format_func=lambda c, lang=lang: tr(f"status.{c}", lang), disabled=revealed)
        c2.radio(t("quiz.timing"), teaching.TIMING_CHOICES, key=f"teach_q_timing_{rev}_{lang}", index=None,
                 format_func=lambda c, lang=lang: tr(f"timing.{c}", lang), disabled=revealed)
        c3.selectbox(t("quiz.regimen"), regimens, key=f"teach_q_regimen_{rev}_{lang}", index=None, disabled=revealed,
                     placeholder=t("quiz.choose"))
        st.button(t("quiz.reveal"), key="teach_reveal", on_click=_reveal, type="primary", disabled=revealed)
        if revealed:
            grades = result["grades"]
            ok = {True: RIGHT, False: WRONG}
            st.markdown(f"{ok[grades['status']]} **{t('quiz.status')}:** {t('status.' + a.status.category.value)} "
                        + " ".join(f"`{r}`" for r in a.status.rules))
            if a.status.detail:
                st.caption(a.status.detail.get(lang))
            st.markdown(f"{ok[grades['timing']]} **{t('quiz.timing')}:** {t('timing.' + a.timing.recommendation.value)} "
                        + " ".join(f"`{r}`" for r in a.timing.rules))
            if a.timing.detail:
                st.caption(a.timing.detail.get(lang))
            st.markdown(f"{ok[grades['regimen']]} **{t('quiz.regimen')}:** "
                        + t("quiz.top3", picked=result["picks"]["regimen"],
                            top=", ".join(s.regimen for s in a.suggestions[:teaching.FIRST_REGIMEN_TOP])))
            if a.suggestions:
                s = a.suggestions[0]
                st.markdown("\n".join(f"- {'**+**' if r.effect == '+' else '**−**'} {r.text.get(lang)} `{r.rule}`"
                                      for r in s.reasons))
            st.success(t("quiz.round", n=sum(grades.values())))

# -- rule explorer ----------------------------------------------------------------------------
with tabs[3]:
    rules = registry()
    values = public_thresholds()
    links = teaching.rule_cases()
    sections = list(dict.fromkeys(r.section for r in rules.values()))
    section = st.selectbox(t("rules.section"), sections, key=f"teach_rule_section_{lang}",
                           format_func=lambda s, lang=lang: (tr("rules.assumptions", lang) if s == "ASSUME"
                                                             else f"§{s} — {tr('rules.sec.' + s, lang)}"))
    ids = [r.id for r in rules.values() if r.section == section]
    rule_id = st.selectbox(t("rules.rule"), ids, key=f"teach_rule_{section}_{lang}",
                           format_func=lambda i, lang=lang: f"{i} — {rules[i].title.get(lang)}")
    rule = rules[rule_id]
    other = "zh" if lang == "en" else "en"
    with st.container(border=True):
        st.markdown(f"### {rule.id} — {rule.title.get(lang)}")
        st.caption(t("rules.where", section=rule.section, source=rule.source or "–", kind=t(f"rules.kind.{rule.kind}")))
        st.markdown(rule.explanation.get(lang))
        st.caption(rule.explanation.get(other))
        if rule.thresholds:
            st.markdown(f"**{t('rules.thresholds')}**")
            st.dataframe([{t("rules.name"): name, t("rules.value"): values.get(name)} for name in rule.thresholds],
                         hide_index=True, key="teach_rule_thresholds")
        refined = [r for r in rules.values() if rule.id in r.refines]
        if refined:
            st.markdown(f"**{t('rules.refined_by')}**")
            st.markdown("\n".join(f"- `{r.id}` {r.title.get(lang)} — {r.explanation.get(lang)}" for r in refined))
        if rule.refines:
            st.markdown(f"**{t('rules.refines')}** " + ", ".join(f"`{r}`" for r in rule.refines))
        shown_in = links.get(rule.id, ())
        if shown_in:
            st.markdown(f"**{t('rules.cases')}**")
            cols = st.columns(min(len(shown_in), 4))
            for i, case_id in enumerate(shown_in[:8]):
                cols[i % len(cols)].button(t("rules.load_case", case_id=case_id), key=f"teach_rule_load_{rule.id}_{case_id}",
                                           on_click=_load, args=(case_id,), width="stretch")
        else:
            st.caption(t("rules.no_case"))

# -- what would change the answer -------------------------------------------------------------
with tabs[4]:
    a = evaluation.assessment
    if case is None or a is None or evaluation.stale:
        st.info(t("teach.invalid_case"))
    else:
        whatif_key = f"teach_whatif_on_{rev}"
        st.session_state.setdefault(whatif_key, a.as_of + timedelta(days=30))
        on = st.date_input(t("whatif.on"), key=whatif_key, min_value=a.as_of + timedelta(days=1), format="YYYY-MM-DD",
                           help=t("whatif.on_help"))
        answer = derived.what_if(on)
        if answer.marker is None:
            st.info(t("whatif.no_marker"))
        else:
            st.markdown(t("whatif.marker", marker=t(f"analyte.{answer.marker}"), date=answer.as_of.isoformat()))
            for change in (answer.progression, answer.doubling):
                if change is None:
                    continue
                with st.container(border=True):
                    st.markdown(f"**{t('whatif.q.' + change.question)}**")
                    if change.outcome == "solved":
                        st.markdown(f'<div style="font-size:1.6rem;font-weight:700">≥ {change.value:g} {change.unit}</div>',
                                    unsafe_allow_html=True)
                    st.markdown(change.text.get(lang) + " " + " ".join(f"`{r}`" for r in change.rules))
