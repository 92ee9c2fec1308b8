"""Labs: the editable lab grid — one row per visit (default) or one row per value — in SI or US units,
and CSV paste/upload with a per-row report."""

from __future__ import annotations

import copy

import pandas as pd
import streamlit as st

from ui import grids, import_view, labs, safe, state, tables, visits
from ui.widgets import stale_banner

t = state.translator()

system = state.units()
grids.sync_all()  # idempotent: app.py already applied a pending edit before the sidebar
evaluation = state.evaluate()

st.title(t("labs.title"))
st.caption(t("labs.help", system=t(f"side.units_{system}")))
stale_banner(evaluation, compact=True)


def _view_changed(key: str) -> None:
    st.session_state[grids.LAB_VIEW] = st.session_state[key]


view_key = f"labs_view_{state.lang()}"  # one per language: option labels change with it (see the sidebar)
st.session_state[view_key] = grids.lab_view()
st.radio(t("entry.view"), ("visits", "values"), key=view_key, horizontal=True,
         format_func=state.labels("entry.view_"), on_change=_view_changed, args=(view_key,))
row_problems = evaluation.row_problems("labs")
if grids.lab_view() == "visits":
    st.caption(t("entry.visits_help"))
    config: dict = {visits.DATE: st.column_config.TextColumn(t("col.date"), help=t("col.date_help"), width=110)}
    # Not pinned: Streamlit 1.67 draws a pinned column's text grey, like a read-only index.
    for analyte in visits.VISIT_ANALYTES:
        label = visits.header(analyte, system, t(f"visit.{analyte.value}"))
        config[analyte.value] = st.column_config.TextColumn(
            label, help=t(f"analyte.{analyte.value}") + (f" — {t('visit.ife_help')}" if "ife" in analyte.value else ""))
    config[visits.RELATED] = st.column_config.CheckboxColumn(t("entry.related"), default=True)
    read = tables.show_model(grids.visit_model(system), config)
    tables.dates_read_note(read)
    stored = list(state.case().get("labs") or [])
    others = visits.visit_table(stored, system).others
    if others:
        st.warning(t("entry.others", n=len(others)))
    if row_problems:
        lines = []
        for i, msgs in sorted(row_problems.items()):
            day, code = visits.where(stored, i)
            name = t(f"analyte.{code}") if code in labs.ANALYTES else code
            lines.append("- " + t("entry.visit_problem", date=safe.text(day), analyte=safe.text(name),
                                  message=safe.text("; ".join(tables.field_message(m) for m in msgs))))
        st.error(t("labs.rows_bad", n=len(row_problems)) + "\n\n" + "\n".join(lines))
else:
    config = {
        "date": st.column_config.TextColumn(t("col.date"), required=True, help=t("col.date_help")),  # text (#14)
        "analyte": st.column_config.SelectboxColumn(t("col.analyte"), options=labs.ANALYTES, required=True,
                                                    format_func=state.labels("analyte."), width="medium"),
        "value": st.column_config.TextColumn(t("col.value"), required=True),
        "unit": st.column_config.SelectboxColumn(t("col.unit"), options=labs.ALL_UNITS),
        "myeloma_related": st.column_config.CheckboxColumn(t("col.myeloma_related"), default=True),
    }
    read = tables.show_model(grids.long_lab_model(system), config)
    tables.dates_read_note(read)
    if row_problems:
        st.error(t("labs.rows_bad", n=len(row_problems)) + "\n\n" + "\n".join(
            "- " + t("labs.row_problem", row=i + 1, message=safe.text("; ".join(tables.field_message(m) for m in msgs)))
            for i, msgs in sorted(row_problems.items())))
other = [(p, m) for p, m in evaluation.problems if not p.startswith("labs[")]
if other:
    st.warning("\n".join(f"- {safe.text(m)}" for _, m in other))


def _add_rows(rows: list[dict]) -> None:
    data = copy.deepcopy(state.case())
    data["labs"] = list(data.get("labs") or []) + rows
    state.commit_case(data, reason="labs csv")
    st.session_state["labs_notice"] = t("labs.added", n=len(rows))


with st.expander(t("labs.import"), expanded=bool(st.session_state.get("labs_csv_text"))):
    st.caption(t("labs.import_help"))
    text = st.text_area(t("labs.paste"), key="labs_csv_text", height=120)
    uploaded = st.file_uploader(t("labs.csv_file"), type=["csv", "txt"], key="labs_csv_file")
    source = ""
    if uploaded is not None:
        source = uploaded.getvalue()  # bytes: the intake names a wrong encoding instead of guessing
    elif text:
        source = text
    if source.strip():
        try:
            parsed = labs.parse_csv(source, system, state.lang())
        except labs.CsvUnreadable as error:
            message = str(error)
            if message.startswith("missing:"):
                st.error(t("labs.csv_missing_cols", cols=message.removeprefix("missing:")))
            else:
                st.error(t("labs.csv_unreadable", error=message))
            parsed = []
        if parsed:
            ok = [r for r in parsed if r.row is not None]
            bad = [r for r in parsed if r.row is None]
            st.markdown(t("labs.preview", ok=len(ok), bad=len(bad)))
            report = pd.DataFrame([
                {t("col.row"): r.line, t("col.date"): r.raw.get("date", ""), t("col.analyte"): r.raw.get("analyte", ""),
                 t("col.value"): r.raw.get("value", ""), t("col.unit"): r.raw.get("unit", ""),
                 t("col.status"): t("labs.accepted") if r.row is not None else t("labs.rejected", why="; ".join(r.problems))}
                for r in parsed
            ])
            st.dataframe(report, hide_index=True, width="stretch")
            if ok:
                st.button(t("labs.add_rows", n=len(ok)), key="labs_csv_add", on_click=_add_rows,
                          args=([r.row for r in ok],), type="primary")
    notice = st.session_state.pop("labs_notice", None)
    if notice:
        st.success(notice)

st.divider()
import_view.import_panel()
