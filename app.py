"""Myeloma Relapse Navigator — the Streamlit entry point (a router).

State is initialised once (``ui.state.init``), the shared sidebar is drawn, the chosen page runs,
with the live summary at its top (pending grid edits are applied to the case before it is drawn).
Run with ``./run.sh`` (or ``streamlit run app.py``).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.library_session import status_indicator
from ui import grids, layout, sidebar, state
from ui.auth import current_principal, is_admin, require_access
from ui.contemporary_view import pack_caption

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="Myeloma Relapse Navigator", page_icon="🩺", layout="wide")
state.init()
t = state.t
layout.inject(state.lang())  # bedside layout: touch targets, contrast, narrow-screen rules (ui/layout.py)
require_access()  # shared mode: sign-in before any case is shown (ui/auth.py)

# URL paths differ from the file names on purpose: with a ``pages/`` folder beside the entry point,
# Streamlit 1.67 first runs a session in its legacy multipage mode, which would run a file of
# pages/ whose name matches the requested URL directly — without this router, its state or its
# sidebar (seen on AppTest reruns and on a first request to /labs after a server start).
who = current_principal()  # role and teams (issue #17): a teacher gets the teaching gallery only
teacher_only = who is not None and not who.can_read_cases
teaching = st.Page(str(HERE / "pages" / "teaching.py"), title=t("nav.teaching"), icon=":material/school:",
                   url_path="rule-teaching", default=teacher_only)
pages = [teaching] if teacher_only else [
    st.Page(str(HERE / "pages" / "patient.py"), title=t("nav.patient"), icon=":material/person:", url_path="patient-history", default=True),
    st.Page(str(HERE / "pages" / "labs.py"), title=t("nav.labs"), icon=":material/science:", url_path="lab-results"),
    st.Page(str(HERE / "pages" / "trends.py"), title=t("nav.trends"), icon=":material/show_chart:", url_path="trend-charts"),
    st.Page(str(HERE / "pages" / "assessment.py"), title=t("nav.assessment"), icon=":material/fact_check:", url_path="clinical-assessment"),
    st.Page(str(HERE / "pages" / "board.py"), title=t("nav.board"), icon=":material/groups:", url_path="tumor-board"),
    teaching,
]
if (HERE / "pages" / "library.py").exists() and not teacher_only:  # owned by the case-library work
    pages.append(st.Page(str(HERE / "pages" / "library.py"), title=t("nav.library"), icon=":material/folder_open:", url_path="case-library"))
if is_admin(who):  # administrators: the hash-chained audit trail (pages/audit.py)
    pages.append(st.Page(str(HERE / "pages" / "audit.py"), title=t("nav.audit"), icon=":material/policy:", url_path="audit-trail"))

page = st.navigation(pages)
state.note_page(page.url_path)  # a new visit of a page rebuilds its grids (ui/tables.py)
grids.sync_all()  # a pending grid edit lands in the case first: the summary below is current
# Live summary at the top of the sidebar, sent early; hidden on the teaching page, where it would
# give away the answers of the predict-then-reveal quiz.
sidebar.summary(st.sidebar, state.evaluate(), hidden=page.url_path == "rule-teaching")
sidebar.render(state.evaluate())
# Case library: saved revision N / unsaved changes, draft autosave (ui/library_session.py).
if not teacher_only:
    status_indicator(state.lang())
# On a narrow screen the sidebar is folded away: a compact copy of the summary heads the page
# (shown by CSS below 768 px only; hidden on the teaching page like the sidebar summary).
layout.pinned_summary(state.evaluate(), state.lang(), hidden=page.url_path == "rule-teaching")
page.run()
# Footer on every page (issue 15): which knowledge pack answers, its version and evidence date.
if state.evaluate().assessment is not None:
    st.caption(pack_caption(state.evaluate().assessment, state.lang()))
