"""Roles and teams on the pages (issue #17), through the real entry point with AppTest: a signed-in
user's ``mmrn_role`` / ``mmrn_teams`` claims decide what the pages offer and show."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from casestore import CaseStore, Principal
from ui import library_session as lib

from .helpers import ROOT, TEST_AUTH as AUTH, all_text as _all_text

APP = str(ROOT / "app.py")
THEIRS = {**json.loads((ROOT / "cases" / "ex-02.json").read_text("utf-8")),
          "case_id": "c-wardb0001", "label": "Ward B relapse under review"}



@pytest.fixture
def stored(tmp_path, monkeypatch):
    """A library with one case of ward-b (as its clinician stored it)."""
    monkeypatch.setenv("MMNAV_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MMNAV_DATABASE_URL", raising=False)
    monkeypatch.delenv("MMNAV_SHARED", raising=False)
    monkeypatch.delenv("MMNAV_AUDIT_ADMINS", raising=False)
    lib.get_store.clear()
    (tmp_path / "data").mkdir()
    store = CaseStore.open(f"sqlite:///{tmp_path / 'data' / 'mmnav.sqlite3'}")
    store.create(THEIRS, Principal("bo@b", "clinician", ("ward-b",)))
    store.close()
    yield
    lib.get_store.clear()


def _signed_in(role: str, teams, email: str = "user@hospital.example", **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "mmrn_role": role, "mmrn_teams": teams}
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_reviewer_cannot_save_import_or_archive(stored):
    at = _signed_in("reviewer", ["ward-b"])
    at.switch_page("pages/library.py").run()
    assert not at.exception
    assert any("Read only" in i.value for i in at.info)
    assert at.button(key="library_save").disabled
    assert at.button(key="library_new").disabled
    assert at.button(key="library_archive").disabled and at.button(key="library_duplicate").disabled
    assert not at.get("file_uploader") or all(u.key != "library_import" for u in at.get("file_uploader"))
    assert not at.button(key="library_open").disabled  # the control: reading is allowed
    at.button(key="library_open").click().run()
    assert at.session_state["case"]["label"] == THEIRS["label"]
    at.radio(key="side_case_school_en").set_value("european").run()  # an edit in the session only
    assert lib.get_store().list_drafts("user@hospital.example") == []  # no draft stored for a reviewer
    assert lib.get_store().get(THEIRS["case_id"]).head_revision == 1


def test_a_teacher_sees_the_teaching_gallery_only(stored):
    at = _signed_in("teacher", "")
    shown = _all_text(at)
    assert THEIRS["label"] not in shown and THEIRS["case_id"] not in shown
    urls = [p for p in ("case-library", "patient-history", "lab-results", "audit-trail") if p in shown]
    assert urls == [], urls  # no page with a case in the navigation
    uploaders = [u.key for u in at.get("file_uploader")]
    assert "side_upload" not in uploaders, uploaders  # no way to bring a patient's case file in either
    with pytest.raises(ValueError, match="teaching.py'\\]"):  # the only page registered
        at.switch_page("pages/library.py")
    at = AppTest.from_file(str(ROOT / "pages" / "library.py"), default_timeout=60)  # the page file itself
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "t@school", "mmrn_role": "teacher", "mmrn_teams": ""}
    at.run()
    assert not at.exception
    shown = _all_text(at)
    assert any("teaching gallery" in i.value for i in at.info)
    assert THEIRS["label"] not in shown and THEIRS["case_id"] not in shown
    assert not at.dataframe


@pytest.mark.parametrize("case_id", [THEIRS["case_id"], "c-neverstored"])
def test_another_teams_case_by_url_reads_like_a_missing_one(stored, case_id):
    at = _signed_in("clinician", "ward-a", case=case_id)
    at.switch_page("pages/library.py").run()
    assert not at.exception
    shown = _all_text(at)
    assert THEIRS["label"] not in shown
    assert [e.value for e in at.error] == [f"No stored case with id {case_id}."]
    assert at.session_state["case"]["case_id"] != THEIRS["case_id"]
    assert "No stored cases match." in shown  # ward-a's list is empty: ward-b's case is not in it


def test_the_own_teams_case_opens_by_url_and_the_view_is_audited(stored):
    at = _signed_in("clinician", "ward-b, ward-c", email="bo@b", case=THEIRS["case_id"])
    at.switch_page("pages/library.py").run()
    assert not at.exception and not at.error
    assert at.session_state["case"]["label"] == THEIRS["label"]
    actions = [(r.action, r.who, r.case_id) for r in lib.get_store().audit_rows()]
    assert ("sign_in", "bo@b", None) in actions and ("view", "bo@b", THEIRS["case_id"]) in actions
    assert lib.get_store().verify_chain().ok


def test_a_signed_in_user_without_a_role_gets_nothing_and_is_told_in_both_languages(stored):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "new@hospital.example"}
    at.run()
    assert not at.exception
    assert any("mmrn_role" in e.value and "没有角色" in e.value for e in at.error)
    assert example_label() not in _all_text(at)


def example_label() -> str:
    return json.loads((ROOT / "cases" / "ex-01.json").read_text("utf-8"))["label"]


def test_the_audit_page_is_for_configured_admins(stored, monkeypatch):
    at = _signed_in("clinician", "ward-b", email="bo@b")
    with pytest.raises(ValueError):  # not in this user's navigation
        at.switch_page("pages/audit.py")
    page = AppTest.from_file(str(ROOT / "pages" / "audit.py"), default_timeout=60)  # the page file itself
    page.secrets["auth"] = AUTH
    page.user = {"is_logged_in": True, "email": "bo@b", "mmrn_role": "clinician", "mmrn_teams": "ward-b"}
    page.run()
    assert any("administrators" in i.value for i in page.info) and not page.dataframe
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["audit"] = {"admins": ["audit@hospital.example"]}
    at.user = {"is_logged_in": True, "email": "audit@hospital.example", "mmrn_role": "reviewer", "mmrn_teams": ["x"]}
    at.run()
    at.switch_page("pages/audit.py").run()
    assert not at.exception
    assert any("Chain verified" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert "create" in set(table["action"]) and THEIRS["label"] not in _all_text(at)


@pytest.mark.parametrize("claims, expected", [
    ({"email": "a@h", "mmrn_role": "clinician", "mmrn_teams": ["haem-a", "haem-b"]}, ("clinician", ("haem-a", "haem-b"))),
    ({"email": "a@h", "mmrn_role": "Reviewer", "mmrn_teams": "haem-a, haem-b haem-a"}, ("reviewer", ("haem-a", "haem-b"))),
    ({"preferred_username": "t", "mmrn_role": "teacher"}, ("teacher", ())),
    ({"email": "a@h", "mmrn_teams": ["haem-a"]}, "access.no_role"),
    ({"email": "a@h", "mmrn_role": "admin", "mmrn_teams": ["haem-a"]}, "access.bad_role"),
    ({"email": "a@h", "mmrn_role": ["clinician"], "mmrn_teams": ["haem-a"]}, "access.bad_role"),
    ({"email": "a@h", "mmrn_role": "clinician", "mmrn_teams": "  "}, "access.no_team"),
])
def test_principal_from_claims(claims, expected):
    from ui.auth import AccessProblem, principal_from_claims

    got = principal_from_claims(claims)
    if isinstance(expected, str):
        assert isinstance(got, AccessProblem) and got.key == expected
        assert got.message("en") != got.message("zh") and got.message("zh")
    else:
        assert (got.role, got.teams) == expected and got.user == (claims.get("email") or claims.get("preferred_username"))


def test_a_report_print_is_a_row_of_the_audit_trail(stored):
    at = _signed_in("clinician", "ward-b", email="bo@b")
    at.switch_page("pages/board.py").run()
    assert not at.exception
    at.download_button(key="board_report_zh").click().run()
    assert not at.exception
    rows = [r for r in lib.get_store().audit_rows() if r.action == "report_print"]
    case_id = at.session_state["case"]["case_id"]  # the session's case (an example: not stored, no revision)
    assert [(r.who, r.case_id, r.revision, r.detail) for r in rows] == [("bo@b", case_id, None, "language zh")]
    assert lib.get_store().verify_chain().ok
