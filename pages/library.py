"""Case library: find, open, save, duplicate, archive, history/restore, import/export.

Thin: every rule lives in ``casestore`` (store, files, privacy) and ``ui.library_session``
(the session's link to a stored case). Widget keys start with ``library_``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from casestore import (
    CaseExists,
    CaseNotFound,
    PermissionDenied,
    Principal,
    RevisionConflict,
    StoreError,
    UnsafeInput,
    encrypted_archive,
    escape_cell,
    export_folder,
    identifier_warnings,
    labs_csv,
    labs_from_csv,
    new_case_id,
    new_export_key,
    parse_upload,
)
from ui import library_session as lib
from ui import import_view, safe, state
from ui.auth import current_principal, require_access

PAGE_SIZE = 25
UPLOAD_MB = 1



def t(key: str, **values: object) -> str:
    return state.t(f"lib.{key}", **values)


def _warn_identifying(text: str | None) -> None:
    for warning in identifier_warnings(text):
        st.warning(t("looks_identifying", what=warning.kind.replace("_", " "), excerpt=safe.text(warning.excerpt)))


def _status() -> str | None:
    """The assessment status of the current case, for the list; None while the case is invalid."""
    try:
        evaluation = state.evaluate()
        if evaluation.assessment is None or evaluation.stale:
            return None
        return str(evaluation.assessment.status.category.value)
    except Exception:  # the list column is a convenience; never block a save on it
        return None


# -- conflict ------------------------------------------------------------------------------

@st.dialog("Conflict / 冲突", width="large", dismissible=False)
def _conflict_dialog(user: Principal) -> None:
    conflict: RevisionConflict = st.session_state["library_conflict"]
    head = conflict.head
    store = lib.get_store()
    theirs = store.load(conflict.case_id, who=user).case_json
    from casestore import summarize_changes

    st.subheader(t("conflict_title"))
    st.write(t("conflict_body", n=head.number, user=head.user, at=head.created_at[:19].replace("T", " "),
               summary=head.summary, mine=conflict.expected, diff=summarize_changes(theirs, state.case())))
    if st.button(t("conflict_reload"), key="library_conflict_reload"):
        lib.keep_as_draft(conflict.case_id, state.case(), user, conflict.expected)  # mine stays, apart
        lib.open_stored(store.load(conflict.case_id, who=user))
        del st.session_state["library_conflict"]
        st.rerun()
    if st.button(t("conflict_force", n=head.number + 1), key="library_conflict_force"):
        try:
            rev = lib.save_current(user, status=_status(), force_on_head=head.number)
            st.session_state["library_flash"] = t("saved", n=rev.number)
            del st.session_state["library_conflict"]
        except RevisionConflict as again:
            st.session_state["library_conflict"] = again
        st.rerun()
    if st.button(t("conflict_copy"), key="library_conflict_copy"):
        data = dict(state.case())
        data["case_id"] = new_case_id()
        record = store.create(data, user, team=_team(user))
        lib.open_stored(store.load(record.case_id, who=user))
        del st.session_state["library_conflict"]
        st.rerun()


# -- sections ------------------------------------------------------------------------------

def _team(user: Principal) -> str | None:
    """The team a new case goes to: the one chosen on this page, else the user's first team."""
    chosen = st.session_state.get("library_team")
    return chosen if chosen in user.teams else user.home_team


def _history_by(rev) -> str:
    """Who made a revision; an imported one shows the importer and, apart, what the file claimed (#13)."""
    if not rev.imported:
        return rev.user
    at = (rev.imported_at or "")[:19].replace("T", " ")
    if rev.claimed_by is None:
        return t("hist_imported_plain", by=rev.user, at=at)
    return t("hist_imported", by=rev.user, at=at, claimed_by=rev.claimed_by,
             claimed_at=(rev.claimed_at or "")[:19].replace("T", " "))


def url_case_panel(user: Principal) -> None:
    """``?case=<id>`` opens a stored case once; another team's id gets the words of a missing one."""
    wanted = st.query_params.get("case")
    if not wanted or st.session_state.get("library_url_case") == wanted:
        return
    st.session_state["library_url_case"] = wanted
    try:
        lib.open_stored(lib.get_store().load(wanted, who=user))
        st.session_state["library_flash"] = safe.text(wanted)
    except CaseNotFound:
        st.session_state["library_url_error"] = t("not_found", case_id=safe.text(wanted[:64]))
        return
    st.rerun()  # the sidebar and its summary were drawn before the case came: draw them again


def current_case_panel(user: Principal) -> None:
    readonly = not user.can_edit
    st.subheader(t("current"))
    data = state.case()
    st.text(f"{data.get('label') or '—'} · {data.get('case_id', '')}")  # plain text: labels are not markdown
    st.caption(lib.indicator_text(state.lang()))
    _warn_identifying(data.get("label"))
    _warn_identifying(data.get("case_id"))
    if len(user.teams) > 1 and user.can_edit:
        st.selectbox(t("team"), list(user.teams), key="library_team")
    if st.button(t("save"), key="library_save", type="primary", disabled=readonly):
        try:
            rev = lib.save_current(user, status=_status(), team=_team(user))
            st.session_state["library_flash"] = t("saved", n=rev.number)
            st.rerun()
        except RevisionConflict as conflict:
            st.session_state["library_conflict"] = conflict
        except CaseExists as exists:
            st.session_state["library_exists"] = exists.case_id
        except UnsafeInput as error:
            for problem in error.problems:
                st.error(safe.text(problem))
    exists_id = st.session_state.get("library_exists")
    if exists_id and exists_id == data.get("case_id"):
        st.error(t("exists", case_id=safe.text(exists_id)))
        if st.button(t("save_as_new"), key="library_save_as_new", disabled=readonly):
            fresh = {**data, "case_id": new_case_id()}
            try:
                record = lib.get_store().create(fresh, user, team=_team(user))
                lib.open_stored(lib.get_store().load(record.case_id, who=user))
                st.session_state.pop("library_exists", None)
                st.session_state["library_flash"] = t("saved", n=1) + f" ({safe.text(record.case_id)})"
                st.rerun()
            except UnsafeInput as error:
                st.error(safe.text(error))
    if "library_conflict" in st.session_state:
        _conflict_dialog(user)


def drafts_panel(user: Principal) -> None:
    store = lib.get_store()
    drafts = [d for d in store.list_drafts(user)
              if not (d.case_id == state.case().get("case_id") and not lib.is_dirty(d.case_json))]
    if not drafts:
        return
    with st.expander(t("drafts"), expanded=True):
        for draft in drafts[:20]:
            cols = st.columns([4, 1, 1])
            cols[0].write(t("draft_row", case_id=safe.text(draft.case_id), at=draft.saved_at[:19].replace("T", " ")))
            if cols[1].button(t("recover"), key=f"library_draft_open_{draft.case_id}_{draft.slot}"):
                state.load_case(draft.case_json, reason="draft")
                lib.link(draft.case_id if draft.base_revision else None, draft.base_revision, None)
                st.rerun()
            if cols[2].button(t("discard"), key=f"library_draft_discard_{draft.case_id}_{draft.slot}"):
                store.discard_draft(draft.case_id, user, slot=draft.slot)
                st.rerun()


def list_panel(user: Principal) -> None:
    readonly = not user.can_edit
    store = lib.get_store()
    query = st.text_input(t("search"), key="library_query")
    archived = st.checkbox(t("show_archived"), key="library_show_archived")
    total = store.count_cases(query, include_archived=archived, who=user)
    pages = max(1, -(-total // PAGE_SIZE))
    page = st.number_input(t("page"), 1, pages, key="library_page") if pages > 1 else 1
    rows = store.list_cases(query, include_archived=archived, limit=PAGE_SIZE, offset=(int(page) - 1) * PAGE_SIZE,
                            who=user)
    if st.button(t("new"), key="library_new", disabled=readonly):
        state.load_case(state.blank_case(new_case_id()), reason="new")  # the sidebar's New patient too
        lib.link(None, None, None)
        st.rerun()
    if not rows:
        st.info(t("none"))
        return
    st.dataframe(
        # The table's own "Download as CSV" exports cells as they are: formula triggers are neutralised.
        [{"case id": escape_cell(r.case_id), "label": escape_cell(r.label or ""), "status": r.status or "",
          "revision": r.head_revision, "last change": r.updated_at[:16].replace("T", " "), "by": escape_cell(r.updated_by),
          "archived": r.archived} for r in rows],
        hide_index=True, key="library_table",
    )
    ids = [r.case_id for r in rows]
    by_id = {r.case_id: r for r in rows}
    chosen = st.selectbox(t("choose"), ids, key="library_choice",
                          format_func=lambda i: f"{i} — {by_id[i].label or ''}")
    record = by_id[chosen]
    cols = st.columns(4)
    if cols[0].button(t("open"), key="library_open"):
        lib.open_stored(store.load(chosen, who=user))
        st.rerun()
    if cols[3].button(t("export_one"), key="library_export_one"):
        _prepare_export(user, [chosen])
    if cols[1].button(t("duplicate"), key="library_duplicate", disabled=readonly):
        copy_record = store.duplicate(chosen, user)
        st.session_state["library_flash"] = safe.text(copy_record.case_id)
        st.rerun()
    if record.archived:
        if cols[2].button(t("unarchive"), key="library_unarchive", disabled=readonly):
            store.unarchive(chosen, user)
            st.rerun()
    elif cols[2].button(t("archive"), key="library_archive", disabled=readonly):
        store.archive(chosen, user)
        st.rerun()
    with st.expander(t("history")):
        history = store.history(chosen, who=user)
        st.dataframe(
            [{"revision": r.number, "when": r.created_at[:19].replace("T", " "), "by": escape_cell(_history_by(r)),
              "action": r.action, "changes": escape_cell(r.summary)} for r in history],
            hide_index=True, key="library_history",
        )
        older = [r.number for r in history[1:]]
        if older:
            number = st.selectbox(t("revision"), older, key="library_restore_choice")
            if st.button(t("restore", n=number), key="library_restore", disabled=readonly):
                try:
                    store.restore(chosen, number, user, expected_revision=record.head_revision)
                    if lib.linked_case()[0] == chosen:
                        lib.open_stored(store.load(chosen, who=user))
                except RevisionConflict as conflict:
                    st.error(safe.text(conflict))
                st.rerun()


def import_panel(user: Principal) -> None:
    if not user.can_edit:
        return  # a reviewer imports nothing (the store refuses it too)
    store = lib.get_store()
    files = st.file_uploader(t("import"), type=["json"], accept_multiple_files=True,
                             max_upload_size=UPLOAD_MB, key="library_import")
    for file in files or []:
        try:
            uploaded = parse_upload(file.getvalue(), name=safe.text(file.name))
        except UnsafeInput as error:
            st.error(t("import_rejected", name=safe.text(file.name)) + "\n\n" + "\n".join(f"- {safe.text(p)}" for p in error.problems[:20]))
            continue
        for warning in uploaded.warnings:
            st.warning(t("looks_identifying", what=warning.kind.replace("_", " "), excerpt=safe.text(warning.excerpt)))
        case_id = uploaded.case_json["case_id"]
        done_key = f"library_import_done_{file.file_id}"
        if st.session_state.get(done_key):
            st.success(st.session_state[done_key])
            continue
        if not store.exists(case_id, who=user):
            store.create(uploaded.case_json, user, action="import", team=_team(user))
            st.session_state[done_key] = t("import_new", case_id=safe.text(case_id))
            st.success(st.session_state[done_key])
            continue
        st.warning(t("import_exists", name=safe.text(file.name), case_id=safe.text(case_id)))
        cols = st.columns(2)
        if cols[0].button(t("import_as_revision", name=safe.text(file.name), case_id=safe.text(case_id)), key=f"library_imp_rev_{file.file_id}"):
            head = store.get(case_id, who=user).head_revision
            try:
                rev = store.save(case_id, uploaded.case_json, user, expected_revision=head, action="import")
                st.session_state[done_key] = t("saved", n=rev.number)
            except RevisionConflict as conflict:
                st.error(safe.text(conflict))
            st.rerun()
        if cols[1].button(t("import_as_copy", name=safe.text(file.name)), key=f"library_imp_copy_{file.file_id}"):
            data = dict(uploaded.case_json, case_id=new_case_id())
            store.create(data, user, action="import", team=_team(user))
            st.session_state[done_key] = t("import_new", case_id=safe.text(data["case_id"]))
            st.rerun()


def _prepare_export(user: Principal, case_ids: list[str] | None) -> None:
    """The user's teams' cases (or ``case_ids``), AES-encrypted; each case exported is audited."""
    key = new_export_key()
    with tempfile.TemporaryDirectory() as tmp:
        export_folder(lib.get_store(), tmp, user=user, case_ids=case_ids)
        archive = encrypted_archive(Path(tmp), key)
    st.session_state["library_export_zip"] = (archive, key)


def export_panel(user: Principal) -> None:
    st.write(t("export"))
    if st.button(t("prepare_export"), key="library_export"):
        _prepare_export(user, None)
    if st.session_state.get("library_export_zip"):
        archive, key = st.session_state["library_export_zip"]
        st.caption(t("export_key"))
        st.code(key, language=None)  # shown only in this signed-in session; the file alone is unreadable
        st.download_button("mmnav-library.zip", archive,
                           file_name="mmnav-library.zip", mime="application/zip", key="library_export_download")


def labs_panel() -> None:
    data = state.case()
    case_id = str(data.get("case_id") or "case")
    st.download_button(t("labs_csv"), labs_csv(data), file_name=f"{case_id if case_id.isascii() else 'case'}-labs.csv",
                       mime="text/csv", key="library_labs_download")
    upload = st.file_uploader(t("labs_upload"), type=["csv"], max_upload_size=UPLOAD_MB, key="library_labs_upload")
    if upload is None:
        return
    try:
        labs = labs_from_csv(upload.getvalue())
    except UnsafeInput as error:
        st.error(t("labs_bad") + "\n\n" + "\n".join(f"- {safe.text(p)}" for p in error.problems[:30]))
        return
    if st.button(t("labs_confirm", n=len(data.get("labs") or []), m=len(labs)), key="library_labs_apply"):
        state.commit_case({**data, "labs": labs}, reason="labs_csv")
        st.rerun()


def main() -> None:
    user = current_principal()
    if user is None:
        require_access()
        user = current_principal()
    st.title(t("title"))
    if user is None or not user.can_read_cases:  # a teacher: no patient case, not even a list
        st.info(state.t("access.teacher_only"))
        st.stop()
    st.caption(t("pseudonym"))
    if not user.can_edit:
        st.info(t("readonly"))
    try:
        url_case_panel(user)
    except StoreError as error:
        st.error(safe.text(error))
    flash = st.session_state.pop("library_flash", None)
    if flash:
        st.success(flash)
    url_error = st.session_state.pop("library_url_error", None)
    if url_error:
        st.error(url_error)
    try:
        current_case_panel(user)
        drafts_panel(user)
        st.divider()
        list_panel(user)
        st.divider()
        import_panel(user)
        export_panel(user)
        st.divider()
        labs_panel()
        st.divider()
        import_view.export_panel()
    except CaseNotFound as error:  # another team's id reads exactly like a missing one
        st.error(t("not_found", case_id=safe.text(error.case_id[:64])))
    except PermissionDenied as error:
        st.error(t("refused", what=safe.text(error.operation)))
    except StoreError as error:  # a store refusal is a message, never a traceback
        st.error(safe.text(error))
    except (SQLAlchemyError, OSError) as error:
        st.error(t("db_down", error=type(error).__name__))


main()
