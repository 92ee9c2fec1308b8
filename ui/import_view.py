"""The Import panel (file drop → preview → replace case or merge labs) and the FHIR / card export.

All reading is ``mmlogic.intake``'s; this module only shows its preview. Every text that comes
from a file (names, values, reasons quoting cells) goes through ``ui.safe.text``; tables are
dataframes (plain text).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from mmlogic.errors import CaseInvalid
from mmlogic.intake import ImportPreview, case_to_bundle, cards, preview_import
from mmlogic.limits import MAX_INPUT_MB

from . import safe, state

__all__ = ["export_panel", "import_panel", "preview_of"]

UPLOAD_TYPES = ["json", "ndjson", "csv", "txt", "tsv", "xlsx"]


def t(key: str, **values: object) -> str:
    return state.t(key, **values)


def preview_of(files: list[tuple[str, bytes]], today: date) -> tuple[ImportPreview | None, list[str]]:
    """The preview of ``files``, or the problems (in the user's language) that refused them."""
    try:
        return preview_import(files, today=today), []
    except CaseInvalid as error:
        return None, [p.text(state.lang()) for p in error.problems]


def _table(rows: list[dict[str, Any]]) -> None:
    if rows:
        st.dataframe(pd.DataFrame([{k: ("" if v is None else str(v)) for k, v in r.items()} for r in rows]),
                     hide_index=True, use_container_width=True)


def import_panel() -> None:
    """File drop → preview → "replace case" or "merge labs" (nothing changes before a button)."""
    st.subheader(t("intake.title"))
    st.caption(t("intake.help"))
    uploads = st.file_uploader(t("intake.files"), type=UPLOAD_TYPES, accept_multiple_files=True,
                               max_upload_size=MAX_INPUT_MB, key="intake_files")
    notice = st.session_state.pop("intake_notice", None)
    if notice:
        st.success(notice)
    if not uploads:
        return
    files = [(u.name, u.getvalue()) for u in uploads]
    # The UI is where the clock is read: today bounds ages and future dates (the core takes it as data).
    preview, problems = preview_of(files, date.today())
    if preview is None:
        st.error(t("intake.refused") + "\n\n" + "\n".join(f"- {safe.text(p)}" for p in problems[:30]))
        return
    lang = state.lang()
    st.info(t("intake.summary", labs=len(preview.labs), lines=len(preview.therapy_lines),
              transplants=len(preview.transplants), skipped=len(preview.skipped)))
    if preview.patient:
        st.caption(t("intake.patient") + ": " + safe.text(", ".join(f"{k} {v}" for k, v in preview.patient.items())))
    _table(preview.labs[:500])
    _table(preview.therapy_lines)
    _table(preview.transplants)
    if preview.skipped:
        with st.expander(f"{t('intake.skipped')} ({len(preview.skipped)})"):
            st.markdown("\n".join(f"- {safe.text(s.text(lang))}" for s in preview.skipped[:200]))
    if preview.problems:
        st.warning(t("intake.incomplete") + "\n\n" + "\n".join(f"- {safe.text(p.text(lang))}" for p in preview.problems[:30]))
    left, right = st.columns(2)
    if left.button(t("intake.replace"), key="intake_replace", disabled=preview.case is None):
        assert preview.case is not None
        state.load_case(preview.case, reason="import")
        st.session_state["intake_notice"] = t("intake.done_replace")
        st.rerun()
    if right.button(t("intake.merge", n=len(preview.labs)), key="intake_merge", disabled=not preview.labs):
        try:
            merged = preview.merged_labs(state.case())
        except CaseInvalid as error:
            st.error("\n".join(f"- {safe.text(p.text(lang))}" for p in error.problems[:30]))
            return
        state.commit_case(merged, reason="import labs")
        st.session_state["intake_notice"] = t("intake.done_merge", n=len(preview.labs))
        st.rerun()


def export_panel() -> None:
    """Download the case as a FHIR R4 Bundle and its assessment as a CDS Hooks card set."""
    st.subheader(t("intake.export"))
    evaluation = state.evaluate()
    if evaluation.assessment is None:
        st.caption(t("intake.export_invalid"))
        return
    from mmlogic.case import parse_case

    try:
        case = parse_case(state.case())
    except CaseInvalid:
        st.caption(t("intake.export_invalid"))
        return
    name = case.case_id if case.case_id.isascii() else "case"
    left, right = st.columns(2)
    left.download_button(t("intake.export_fhir"), json.dumps(case_to_bundle(case), ensure_ascii=False, indent=1),
                         file_name=f"{name}.fhir.json", mime="application/fhir+json", key="intake_export_fhir")
    right.download_button(t("intake.export_cards"),
                          json.dumps(cards(evaluation.assessment, state.lang()), ensure_ascii=False, indent=1),
                          file_name=f"{name}.cards.json", mime="application/json", key="intake_export_cards")
