"""The shared sidebar: the case (examples, upload, download), language, units, school, as-of
date, and the live summary (filled after the page ran, so it shows the latest edit)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import streamlit as st

from mmlogic import CaseInvalid
from mmlogic.io import case_from_bytes

from . import safe, state, suggestions_view
from .auth import current_principal
from .i18n import LANGUAGE_NAMES
from .assessment_view import e
from .phrases import relapse_text
from .state import t
from .watch import confirm_text
from .widgets import stale_banner


def _example_labels() -> dict[str, str]:
    labels = {}
    for path in state.example_paths():
        try:
            label = json.loads(path.read_text("utf-8")).get("label") or ""
        except (OSError, ValueError):
            label = ""
        labels[path.stem] = f"{path.stem} · {label}" if label else path.stem
    return labels


def _load_example() -> None:
    name = st.session_state.get("side_example")
    if name:
        state.load_case(state.read_example(name), reason=f"example {name}")
        st.session_state["side_notice"] = ("success", t("side.loaded", label=safe.text(name)))


def _upload() -> None:
    uploaded = st.session_state.get("side_upload")
    if uploaded is None:
        return
    name = getattr(uploaded, "name", "case.json")
    try:
        # The core's reader: any bytes give a case or problems named by field (size, encoding,
        # JSON syntax, validation), never a traceback.
        case = case_from_bytes(uploaded.getvalue(), source=name)
    except CaseInvalid as invalid:
        lines = "\n".join(f"- `{p.text(state.lang())}`" for p in invalid.problems[:20])
        st.session_state["side_notice"] = ("error", t("side.upload_invalid", name=name) + "\n\n" + lines)
        return
    state.load_case(case.to_json_dict(), reason=f"upload {name}")
    st.session_state["side_notice"] = ("success", t("side.loaded", label=safe.text(name)))


def _new_patient() -> None:
    if state.unsaved_edits():
        st.session_state["side_new_confirm"] = True  # asked first: the edits would be lost
        return
    _start_blank()


def _start_blank() -> None:
    st.session_state.pop("side_new_confirm", None)
    state.new_patient()
    st.session_state["side_notice"] = ("success", t("entry.new_started"))


def _new_cancelled() -> None:
    st.session_state.pop("side_new_confirm", None)


def _new_patient_widgets() -> None:
    """The "New patient" button (issue #14), with a confirmation when there are unsaved edits."""
    if st.session_state.get("side_new_confirm"):
        st.warning(t("entry.new_confirm"))
        yes, no = st.columns(2)
        yes.button(t("entry.new_yes"), key="side_new_yes", on_click=_start_blank, type="primary", width="stretch")
        no.button(t("entry.new_no"), key="side_new_no", on_click=_new_cancelled, width="stretch")
    else:
        st.button(t("entry.new_patient"), key="side_new", on_click=_new_patient, help=t("entry.new_patient_help"),
                  icon=":material/person_add:", width="stretch")


def _units_changed(key: str) -> None:
    st.session_state["units"] = st.session_state[key]


def _school_changed(key: str) -> None:
    state.set_field(("settings", "school"), st.session_state[key])


def _as_of_changed(key: str) -> None:
    value = st.session_state.get(key)
    state.set_field(("as_of",), value.isoformat() if isinstance(value, date) else None)


def _as_of_latest() -> None:
    state.set_field(("as_of",), None)


def render(evaluation: state.Evaluation) -> None:
    t = state.translator()
    case = state.case()
    with st.sidebar:
        st.markdown(f"### {t('app.title')}")
        st.radio(t("side.language"), ("en", "zh"), key="side_lang", horizontal=True,
                 format_func=lambda code: LANGUAGE_NAMES[code])
        # One radio per language: when its option labels change under the same key, the browser
        # shows no selection; a language-bound key renders afresh, seeded from the session's units.
        units_key = f"side_units_{state.lang()}"
        st.session_state[units_key] = state.units()
        st.radio(t("side.units"), ("si", "us"), key=units_key, horizontal=True,
                 format_func=state.labels("side.units_"), on_change=_units_changed, args=(units_key,))

        _new_patient_widgets()
        with st.expander(t("side.current", label=safe.text(case.get("case_id", "?"))), expanded=False):
            st.caption(safe.text(case.get("label") or ""))
            labels = _example_labels()
            st.session_state.setdefault("side_example", state.DEFAULT_CASE if state.DEFAULT_CASE in labels else None)
            st.selectbox(t("side.example"), list(labels), key="side_example", format_func=labels.get)
            st.button(t("side.load"), key="side_load", on_click=_load_example, width="stretch")
            who = current_principal()
            if who is None or who.can_read_cases:  # a teacher works with the gallery only (issue #17)
                st.file_uploader(t("side.upload"), type=["json"], key="side_upload", on_change=_upload)
            st.download_button(
                t("side.download"),
                data=json.dumps(case, indent=1, ensure_ascii=False, default=str),
                file_name=f"{case.get('case_id') or 'case'}.json",
                mime="application/json",
                key="side_download",
                on_click="ignore",
                width="stretch",
            )
        notice = st.session_state.pop("side_notice", None)
        if notice:
            (st.success if notice[0] == "success" else st.error)(notice[1])  # built with safe.text

        school = (case.get("settings") or {}).get("school") or "nccn"
        school_key = f"side_case_school_{state.lang()}"  # one per language: see the units radio
        if st.session_state.get(school_key) != school:
            st.session_state[school_key] = school if school in ("nccn", "european") else "nccn"
        st.radio(t("side.school"), ("nccn", "european"), key=school_key, horizontal=True,
                 format_func=state.labels("school."), on_change=_school_changed, args=(school_key,))

        _pack_widgets(case)
        _as_of_widget(case, evaluation)


def _pack_changed(key: str) -> None:
    state.set_field(("settings", "pack"), st.session_state[key])


def _jurisdiction_changed(key: str) -> None:
    value = st.session_state[key]
    state.set_field(("settings", "jurisdiction"), None if value == "all" else value)


def _pack_widgets(case: dict[str, Any]) -> None:
    """Issue 15: the knowledge pack and the jurisdiction, stored in the case's settings (an
    explicit choice: the jurisdiction is never guessed from the language)."""
    t = state.translator()
    settings = case.get("settings") or {}
    pack = settings.get("pack") if settings.get("pack") in ("seed", "contemporary") else "seed"
    pack_key = f"side_case_pack_{state.lang()}"  # one per language: see the units radio
    if st.session_state.get(pack_key) != pack:
        st.session_state[pack_key] = pack
    st.radio(t("side.pack"), ("seed", "contemporary"), key=pack_key, format_func=state.labels("pack."),
             on_change=_pack_changed, args=(pack_key,))
    where = settings.get("jurisdiction") if settings.get("jurisdiction") in ("us", "eu", "cn") else "all"
    where_key = f"side_case_jurisdiction_{state.lang()}"
    if st.session_state.get(where_key) != where:
        st.session_state[where_key] = where
    st.selectbox(t("side.jurisdiction"), ("all", "us", "eu", "cn"), key=where_key, format_func=state.labels("jur."),
                 help=t("side.jurisdiction_help"), on_change=_jurisdiction_changed, args=(where_key,))


def _as_of_widget(case: dict[str, Any], evaluation: state.Evaluation) -> None:
    t = state.translator()
    key = f"side_case_as_of_{state.rev()}"
    entered = case.get("as_of")
    seed: date | None = None
    if isinstance(entered, str):
        try:
            seed = date.fromisoformat(entered)
        except ValueError:
            seed = None
    if seed is None and evaluation.assessment is not None:
        seed = evaluation.assessment.as_of
    if key not in st.session_state:
        st.session_state[key] = seed
    st.date_input(t("side.as_of"), key=key, help=t("side.as_of_help"), on_change=_as_of_changed, args=(key,),
                  min_value=date(1990, 1, 1), max_value=date(2100, 12, 31), format="YYYY-MM-DD")
    if entered:
        st.button(t("side.as_of_latest"), key="side_case_latest", on_click=_as_of_latest)
    elif evaluation.assessment is not None:
        st.caption(t("side.as_of_is_latest", date=evaluation.assessment.as_of.isoformat()))


def summary(slot: Any, evaluation: state.Evaluation, hidden: bool = False) -> None:
    """The compact live summary: status, relapse, timing, top 3 suggestions (or a note when hidden)."""
    lang = state.lang()
    t = state.translator()
    if hidden:
        slot.caption(t("side.summary_hidden"))
        return
    with slot.container(border=True, key="side_summary"):
        st.markdown(f"**{t('side.summary')}** · {t('assess.as_of_short', date=evaluation.assessment.as_of.isoformat())}"
                    if evaluation.assessment is not None else f"**{t('side.summary')}**")
        if evaluation.missing:  # a new patient: what to enter, no error
            st.caption(t("guide.body"))
        if evaluation.stale:
            if evaluation.error:
                stale_banner(evaluation, compact=True)
            elif evaluation.assessment is None:
                st.markdown(f":orange[:material/warning:] {t('stale.none', n=len(evaluation.problems) or 1)}")
            else:
                st.markdown(f":orange[:material/warning: **{t('stale.short')}**] · "
                            + t("stale.side", n=len(evaluation.problems)))
        a = evaluation.assessment
        if a is None:
            return
        mark = f" _({t('stale.short')})_" if evaluation.stale else ""
        relapse = relapse_text(a, lang)
        lead = confirm_text(a, lang)  # WATCH-CONFIRM leads (catalog 1.1)
        if lead:
            st.markdown(f":orange[:material/warning:] **{e(lead)}**")
        lines = [
            f"**{t('status.' + a.status.category.value)}**{mark}",
            f"{t('assess.relapse')}: {relapse}",
            f"{t('assess.timing')}: **{t('timing.' + a.timing.recommendation.value)}**",
        ]
        st.markdown("  \n".join(lines))
        st.markdown(f"**{t('side.top3')}**")
        if not a.suggestions:
            st.caption(t("side.no_suggestions"))
        items = [suggestions_view.one_line(s, lang) for s in a.suggestions[:3]]  # the one renderer
        if items:
            st.markdown("\n".join(items))
