"""Assessment: every conclusion with its rule ids, the ranked suggestions, assumptions, warning."""

from __future__ import annotations

import streamlit as st

from mmlogic.rules import RULES_VERSION, SOURCE, registry
from ui import state
from ui.i18n import has
from ui.state import t
from ui.widgets import rule_chips, stale_banner

evaluation = state.evaluate()
lang = state.lang()
st.title(t("assess.title"))
stale_banner(evaluation)
a = evaluation.assessment
if a is None:
    st.stop()


def yes_no(value: bool | None) -> str:
    return t("assess.unknown") if value is None else t("assess.yes" if value else "assess.no")


def marker_name(name: str) -> str:
    key = f"analyte.{name}"
    return t(key) if has(key) else name


def num(value: float | None, fmt: str = "{:.1f}") -> str:
    return t("assess.unknown") if value is None else fmt.format(value)


st.caption(t("assess.as_of", date=a.as_of.isoformat(), version=a.rules_version))
c1, c2, c3 = st.columns(3)
c1.metric(t("assess.status"), t(f"status.{a.status.category.value}"))
c2.metric(t("assess.timing"), t(f"timing.{a.timing.recommendation.value}"))
c3.metric(t("assess.risk"), t(f"risk.{a.risk.overall}"))

left, right = st.columns(2)
with left:
    with st.container(border=True):
        st.subheader(t("assess.status"))
        st.markdown(t(f"status.{a.status.category.value}") + (f" — {a.status.detail.get(lang)}" if a.status.detail else ""))
        rule_chips(a.status.rules, "status")
    with st.container(border=True):
        st.subheader(t("assess.lines"))
        if not a.lines:
            st.caption(t("assess.no_lines"))
        for line in a.lines:
            response = line.best_response.value if line.best_response else "–"
            text = t("assess.line_row", n=line.index + 1, regimen=line.regimen, start=line.start.isoformat(),
                     end=line.end.isoformat() if line.end else t("assess.ongoing"), response=response,
                     source=t(f"source.{line.best_response_source.value}"),
                     refractory=t("assess.refractory") if line.refractory else "")
            if line.progression_date:
                text += " · " + t("assess.progression", date=line.progression_date.isoformat(),
                                  source=t(f"source.{line.progression_source or 'computed'}"))
            st.markdown(text)
            rule_chips(line.rules, f"line{line.index}")
    with st.container(border=True):
        st.subheader(t("assess.relapse"))
        flags = f"{t('assess.biochemical')}: {yes_no(a.relapse.biochemical)} · {t('assess.clinical')}: {yes_no(a.relapse.clinical)}"
        st.markdown(flags)
        if a.relapse.date:
            st.markdown(t("assess.relapse_date", date=a.relapse.date.isoformat()))
        if not a.relapse.criteria:
            st.caption(t("assess.no_criteria"))
        for c in a.relapse.criteria:
            state_text = t("assess.confirmed") if c.confirmed else t("assess.unconfirmed")
            st.markdown(f"- **{c.rule}** · {c.date.isoformat()} · {state_text} — {c.detail.get(lang)}")
        rule_chips([*a.relapse.rules, *(c.rule for c in a.relapse.criteria)], "relapse")
    with st.container(border=True):
        st.subheader(t("assess.timing"))
        st.markdown(t(f"timing.{a.timing.recommendation.value}") + (f" — {a.timing.detail.get(lang)}" if a.timing.detail else ""))
        rule_chips(a.timing.rules, "timing")
    with st.container(border=True):
        st.subheader(t("assess.kinetics"))
        if a.kinetics.rapid_rise:
            st.warning(t("assess.rapid_rise"))
        if not a.kinetics.markers:
            st.caption(t("assess.no_kinetics"))
        measured = {n: k for n, k in a.kinetics.markers.items() if k.points > 0}
        for name, k in measured.items():
            st.markdown("- " + t("assess.dt_row", marker=marker_name(name),
                months=num(k.doubling_time_months), days=num(k.doubling_time_days, "{:.0f}"),
                r2=num(k.r2, "{:.2f}"), points=k.points, status=t(f"kin.{k.status.value}")))
            for note in k.notes:
                st.caption(note.get(lang))
        unmeasured = [marker_name(n) for n in a.kinetics.markers if n not in measured]
        if unmeasured:
            st.caption(t("assess.not_measured", markers=", ".join(unmeasured)))
        rule_chips(a.kinetics.rules, "kinetics")
with right:
    with st.container(border=True):
        st.subheader(t("assess.risk"))
        st.markdown(t("assess.cyto_risk", value=t(f"risk.{a.risk.cytogenetic.value}")) + "  \n"
                    + t("assess.overall_risk", value=t(f"risk.{a.risk.overall}")))
        if a.risk.features:
            st.markdown(t("assess.features", value=", ".join(a.risk.features)))
        rule_chips(a.risk.rules, "risk")
    with st.container(border=True):
        st.subheader(t("assess.goal"))
        st.markdown(t(f"aim.{a.goal.aim}") + "  \n" + t("assess.fit", value=yes_no(a.goal.fit),
                                                        source=t(f"source.{a.goal.fit_source}")))
        rule_chips(a.goal.rules, "goal")
    with st.container(border=True):
        st.subheader(t("assess.sequence"))
        s = a.sequence
        st.markdown(f"{t('side.school')}: **{t('school.' + s.school.value)}**  \n"
                    + t("assess.remission", months=num(s.remission_months),
                        source=t(f"source.{s.remission_from}") if s.remission_from else "–") + "  \n"
                    + t("assess.sensitive", value=yes_no(s.sensitive)) + "  \n"
                    + t("assess.may_repeat", regimen=s.previous_regimen or "–", value=yes_no(s.may_repeat_previous)))
        rule_chips(s.rules, "sequence")
    with st.container(border=True):
        st.subheader(t("assess.transplant"))
        tx = a.transplant
        st.markdown(t("assess.first_asct", value=t(f"tx.{tx.first_asct.value}")) + "  \n"
                    + t("assess.second_asct", value=t(f"tx.{tx.second_asct.value}")) + "  \n"
                    + t("assess.allo", value=t(f"tx.{tx.allogeneic}"))
                    + ("  \n" + t("assess.ttp", months=num(tx.ttp_after_asct_months)) if tx.ttp_after_asct_months is not None else ""))
        for note in tx.notes:
            st.caption(note.get(lang))
        rule_chips(tx.rules, "transplant")
    with st.container(border=True):
        st.subheader(t("assess.renal"))
        r = a.renal
        st.markdown(t("assess.crcl", value=num(r.creatinine_clearance_ml_min, "{:.0f}"),
                      source=t(f"source.{r.source}"), impaired=yes_no(r.impaired)))

st.subheader(t("assess.suggestions"))
for s in a.suggestions:
    with st.container(border=True):
        st.markdown(f"**{s.rank}. {s.regimen}** — {s.name.get(lang)} · "
                    + t("assess.drugs", n=s.n_drugs, drugs=", ".join(s.drugs)))
        for reason in s.reasons:
            sign = ":green[:material/add_circle:]" if reason.effect == "+" else ":red[:material/remove_circle:]"
            st.markdown(f"{sign} `{reason.rule}` {reason.text.get(lang)}")
        for caution in s.cautions:
            st.markdown(f":orange[:material/warning:] `{caution.rule}` {caution.text.get(lang)}")
        rule_chips([*(r.rule for r in s.reasons), *(c.rule for c in s.cautions)], f"sugg{s.rank}")

if a.excluded:
    with st.expander(f"{t('assess.excluded')} ({len(a.excluded)})"):
        for e in a.excluded:
            st.markdown(f"- **{e.regimen}** " + t("assess.why_excluded", name=e.name.get(lang), why=e.why.get(lang))
                        + f" ({', '.join(e.rules)})")
if a.cautions:
    st.subheader(t("assess.cautions"))
    for c in a.cautions:
        st.markdown(f":orange[:material/warning:] `{c.rule}` {c.text.get(lang)}")

st.subheader(t("assess.assumptions"))
if not a.assumptions:
    st.caption(t("assess.none"))
rules = registry()
for rule_id in a.assumptions:
    rule = rules.get(rule_id)
    st.markdown(f"- **{rule_id}** — " + (rule.explanation.get(lang) if rule else t("assess.rule_unknown")))
if a.warnings:
    st.subheader(t("assess.warnings"))
    for w in a.warnings:
        st.markdown(f"- {w.get(lang)}")

st.info(t("assess.disclaimer", source=SOURCE.get(lang), version=RULES_VERSION), icon="ℹ️")
