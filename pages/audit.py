"""Audit trail (administrators): the chain's status and the most recent rows.

Administrators are listed in the configuration (``[audit] admins`` in .streamlit/secrets.toml or
``MMNAV_AUDIT_ADMINS``); in single-user mode the local user is the administrator. The rows hold
user names, actions and case ids — never a patient label. Widget keys start with ``audit_``.
"""

from __future__ import annotations

import json

import streamlit as st

from casestore import escape_cell
from ui import library_session as lib
from ui import state
from ui.auth import current_principal, is_admin, require_access

RECENT = 200


def main() -> None:
    who = current_principal()
    if who is None:
        require_access()
        who = current_principal()
    st.title(state.t("audit.title"))
    if not is_admin(who):
        st.info(state.t("audit.not_admin"))
        st.stop()
    st.caption(state.t("audit.intro"))
    store = lib.get_store()
    status = store.verify_chain()
    if status.ok:
        st.success(state.t("audit.ok", n=status.rows, hash=status.head_hash))
    else:
        st.error(state.t("audit.broken", seq=status.first_bad_seq, problem=status.problem))
    rows = store.audit_rows(limit=RECENT, newest_first=True)
    st.subheader(state.t("audit.recent", n=len(rows)))
    # A dataframe shows cells as plain text; the CSV download of the table quotes formula cells.
    st.dataframe(
        [{"seq": r.seq, "at (UTC)": r.at[:19].replace("T", " "), "who": escape_cell(r.who), "action": r.action,
          "case id": escape_cell(r.case_id or ""), "revision": r.revision, "detail": escape_cell(r.detail),
          "hash": r.hash[:16]} for r in rows],
        hide_index=True, key="audit_table",
    )
    lines = "".join(json.dumps(r.as_dict(), ensure_ascii=False, sort_keys=True) + "\n" for r in store.audit_rows())
    st.download_button(state.t("audit.download"), lines.encode("utf-8"), file_name="mmnav-audit.jsonl",
                       mime="application/x-ndjson", key="audit_download", on_click="ignore")


main()
