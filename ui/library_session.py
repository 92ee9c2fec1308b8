"""Streamlit glue of the case library: the store of the server, the session's link to a stored
case, draft autosave, and the "saved revision N / unsaved changes" indicator.

It lives in ``ui/`` so that ``casestore`` stays below the UI and unaware of it (it imports neither
streamlit nor ``ui``; issue #16): ``after_commit`` here subscribes to ``ui.state.on_commit`` and hears every
change. Session keys (prefix ``lib_``):

- ``lib_case_id``      id of the stored case the session's case came from (None: not stored)
- ``lib_revision``     the revision it was loaded at or last saved as (the expected revision)
- ``lib_saved_json``   canonical JSON of that revision as held in the session
- ``lib_pending``      a committed case whose draft is not written yet (debounce)
- ``lib_draft_at``     time (epoch s) and ISO stamp of the last draft write
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import streamlit as st

from casestore import (
    CaseStore, Principal, Revision, RevisionConflict, StoredCase, StoreError, UploadRejected, check_case_id,
)

from . import state
from .i18n import tr

DRAFT_DEBOUNCE_S = 2.0  # at most one draft write per 2 s while typing; a pending one is flushed
FLUSH_EVERY_S = 3.0     # by the indicator fragment: a closed tab loses at most a few seconds
UNLINKING_REASONS = ("upload", "example", "new")  # ui.state.load_case reasons of cases not from the store


@st.cache_resource(show_spinner=False)
def get_store() -> CaseStore:
    """The server's one store (configuration from the environment)."""
    return CaseStore.open()


def _canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _user() -> str | None:
    return st.session_state.get("auth_user")


def principal() -> Principal | None:
    """The session's principal (set by ``ui.auth.require_access``); None before the gate ran."""
    return st.session_state.get("auth_principal")


def can_edit() -> bool:
    who = principal()
    return who is not None and who.can_edit


def draft_slot() -> str:
    """This browser session's draft slot: two tabs of one user never share (or delete) a draft."""
    return st.session_state.setdefault("lib_session", uuid.uuid4().hex)


def keep_as_draft(case_id: str, data: dict[str, Any], user: str, base_revision: int | None) -> None:
    """Keep ``data`` as a draft of its own, which no later autosave or save of this session touches."""
    get_store().save_draft(case_id, data, user, base_revision=base_revision, slot=f"kept-{uuid.uuid4().hex[:20]}")


def linked_case() -> tuple[str | None, int | None]:
    return st.session_state.get("lib_case_id"), st.session_state.get("lib_revision")


def link(case_id: str | None, revision: int | None, data: dict[str, Any] | None) -> None:
    st.session_state["lib_case_id"] = case_id
    st.session_state["lib_revision"] = revision
    st.session_state["lib_saved_json"] = _canonical(data) if data is not None else None
    st.session_state.pop("lib_pending", None)


def is_dirty(data: dict[str, Any]) -> bool:
    saved = st.session_state.get("lib_saved_json")
    return saved is None or saved != _canonical(data)


def _write_draft(data: dict[str, Any]) -> None:
    user = principal()
    case_id = data.get("case_id") if isinstance(data, dict) else None
    if user is None or not user.can_edit or not isinstance(case_id, str):
        st.session_state.pop("lib_pending", None)
        return  # a reviewer's or teacher's session changes are never stored
    try:
        check_case_id(case_id)
        linked, revision = linked_case()
        base = revision if linked == case_id else None
        draft = get_store().save_draft(case_id, data, user, base_revision=base, slot=draft_slot())
    except UploadRejected as error:  # too large to keep: say so — the indicator never claims this draft
        st.session_state["lib_draft_error"] = type(error).__name__
        st.session_state.pop("lib_pending", None)
        return
    except (StoreError, ValueError):
        st.session_state.pop("lib_pending", None)
        return  # an unsafe id or an unstorable value: nothing to autosave yet
    except Exception as error:  # the database is unreachable / read-only: say so, keep editing
        st.session_state["lib_draft_error"] = type(error).__name__
        return
    st.session_state.pop("lib_draft_error", None)
    st.session_state["lib_draft_at"] = (time.time(), draft.saved_at)
    st.session_state.pop("lib_pending", None)


@state.on_commit
def after_commit(data: dict[str, Any], reason: str) -> None:
    """Heard from ``ui.state.commit_case`` for every change: autosave a draft, debounced.

    Never raises and never creates widgets."""
    try:
        if reason.startswith(UNLINKING_REASONS):
            # An uploaded file, an example or a new patient is not the stored case, even with the same id:
            # saving it creates a case (refused when the id is taken) — never a silent revision.
            link(None, None, None)
        if not is_dirty(data):
            st.session_state.pop("lib_pending", None)
            return
        last = st.session_state.get("lib_draft_at", (0.0, ""))[0]
        if time.time() - last >= DRAFT_DEBOUNCE_S:
            _write_draft(data)
        else:
            st.session_state["lib_pending"] = True
    except Exception:  # autosave must never break editing
        st.session_state["lib_pending"] = True


def flush_pending() -> None:
    if st.session_state.get("lib_pending") and "case" in st.session_state:
        _write_draft(st.session_state["case"])


def open_stored(stored: StoredCase) -> None:
    """Put a stored case into the session (through the one state function) and link it; the view
    is a row of the audit trail."""
    who = principal()
    if who is not None:
        get_store().record_event(stored.record.case_id, who, "view", revision=stored.revision.number)
    # Linked first, so the commit of the load is "not dirty" and writes no draft.
    link(stored.record.case_id, stored.revision.number, state.to_canonical_units(stored.case_json))
    state.load_case(stored.case_json, reason=f"library:{stored.record.case_id}")
    link(stored.record.case_id, stored.revision.number, state.case())


def save_current(user: "str | Principal", *, status: str | None = None, force_on_head: int | None = None,
                 team: str | None = None) -> Revision:
    """Save the session's case as a new revision (or create it). Raises ``RevisionConflict``
    when someone saved first; ``force_on_head`` saves on top of a head the user has seen."""
    data = state.case()
    store = get_store()
    linked, revision = linked_case()
    case_id = data.get("case_id")
    if linked is None or linked != case_id:
        record = store.create(data, user, status=status, team=team)
        rev = store.history(record.case_id, who=user)[0]
    else:
        rev = store.save(case_id, data, user, expected_revision=force_on_head or revision, status=status)
    link(rev.case_id, rev.number, data)
    # Saved: this session's draft of the case is done with — only this session's (issue #13).
    store.discard_draft(rev.case_id, user, slot=draft_slot())
    st.session_state.pop("lib_draft_at", None)
    return rev


def record_report_print(code: str) -> None:
    """``on_click`` of the report downloads: one ``report_print`` row (case id and revision only)."""
    who = principal()
    data = st.session_state.get("case") or {}
    case_id = data.get("case_id") if isinstance(data.get("case_id"), str) else None
    linked, revision = linked_case()
    try:
        get_store().record_event(case_id[:64] if case_id else None, who or (_user() or "unknown"), "report_print",
                                 detail=f"language {code}", revision=revision if linked == case_id else None)
    except Exception:  # the download itself must not fail; the library page shows a database down
        pass


def indicator_text(lang: str = "en") -> str:
    case_id, revision = linked_case()
    data = st.session_state.get("case")
    stamp = st.session_state.get("lib_draft_at", (0.0, ""))[1]
    if case_id is None:
        base = tr("store.not_stored", lang)
    elif data is not None and not is_dirty(data):
        return tr("store.saved", lang, n=revision)
    else:
        base = tr("store.unsaved", lang, n=revision)
    failed = st.session_state.get("lib_draft_error")
    if failed:
        return base + tr("store.draft_failed", lang, error=failed)
    if stamp and (data is None or is_dirty(data)):
        base += tr("store.draft_saved", lang, time=stamp[11:19])
    return base


def status_indicator(lang: str = "en") -> None:
    """Sidebar line "Saved: revision N" / "Unsaved changes"; flushes a pending draft every few
    seconds while one is pending."""

    @st.fragment(run_every=FLUSH_EVERY_S if st.session_state.get("lib_pending") else None)
    def _indicator() -> None:
        flush_pending()
        st.caption(indicator_text(lang))

    with st.sidebar:
        _indicator()


__all__ = [
    "DRAFT_DEBOUNCE_S", "RevisionConflict", "after_commit", "flush_pending", "get_store",
    "can_edit", "draft_slot", "indicator_text", "principal", "record_report_print", "is_dirty", "keep_as_draft", "link", "linked_case", "open_stored", "save_current",
    "status_indicator",
]
