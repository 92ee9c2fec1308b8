"""Access: in shared mode an unauthenticated session sees no case data; single-user mode says so.
And the library page's save / conflict flow in AppTest."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from casestore import CaseStore
from ui import library_session as lib
from store_helpers import ROOT, example_cases
from tests.app.helpers import TEST_AUTH as AUTH, all_text as _all_text

APP = str(ROOT / "app.py")
LIBRARY = str(ROOT / "pages" / "library.py")



@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MMNAV_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MMNAV_DATABASE_URL", raising=False)
    monkeypatch.delenv("MMNAV_SHARED", raising=False)
    lib.get_store.clear()
    yield tmp_path / "data"
    lib.get_store.clear()


def _seed(data_dir: Path) -> dict:
    case = example_cases()[1]
    store = CaseStore.open(f"sqlite:///{data_dir / 'mmnav.sqlite3'}")
    store.create(case, "alice")
    store.close()
    return case


def _secret_values(case: dict) -> list[str]:
    lab_values = {str(lab["value"]) for lab in case["labs"] if isinstance(lab["value"], float) and lab["value"] > 10}
    return [case["label"], case["case_id"], *sorted(lab_values)[:3]]


@pytest.mark.parametrize("how", ["secrets", "env"])
@pytest.mark.parametrize("script", [APP, LIBRARY])
def test_signed_out_session_sees_no_case_data(data_dir, monkeypatch, how, script):
    data_dir.mkdir(parents=True)
    stored = _seed(data_dir)
    default = example_cases()[0]  # the app's session starts with ex-01 loaded
    at = AppTest.from_file(script, default_timeout=30)
    if how == "secrets":
        at.secrets["auth"] = AUTH
    else:
        monkeypatch.setenv("MMNAV_SHARED", "1")
    at.run()
    assert not at.exception
    shown = _all_text(at)
    for secret in _secret_values(stored) + _secret_values(default):
        assert secret not in shown, secret
    assert "Sign in" in shown
    assert not at.dataframe and not at.get("plotly_chart")
    if how == "env":
        assert any("not configured" in e.value for e in at.error)
    else:
        assert [b.label for b in at.button] == ["Sign in"]


def test_single_user_mode_is_announced(data_dir):
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert any("Single-user mode" in c.value for c in at.sidebar.caption)
    assert example_cases()[0]["label"] in _all_text(at)  # the control: case data is shown here


def test_an_edit_is_autosaved_as_a_draft(data_dir):
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/library.py").run()
    at.button(key="library_save").click().run()
    case_id = at.session_state["case"]["case_id"]
    at.radio(key="side_case_school_en").set_value("european").run()  # an edit, through ui.state
    assert not at.exception
    slot = at.session_state["lib_session"]  # drafts belong to one browser session
    draft = lib.get_store().load_draft(case_id, at.session_state["auth_user"], slot=slot)
    assert draft is not None and draft.base_revision == 1
    assert draft.case_json["settings"]["school"] == "european"
    assert any("Unsaved changes (from revision 1)" in c.value for c in at.sidebar.caption)
    at.button(key="library_save").click().run()  # saving clears the draft
    assert lib.get_store().load_draft(case_id, at.session_state["auth_user"], slot=slot) is None
    assert any("Saved: revision 2" in c.value for c in at.caption)


def test_library_save_then_conflict_asks_what_to_do(data_dir):
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/library.py").run()
    assert not at.exception
    at.button(key="library_save").click().run()
    assert any("revision 1" in s.value for s in at.success)
    case_id = at.session_state["case"]["case_id"]
    assert lib.get_store().get(case_id).status == "relapsed"  # ex-01's assessment, shown in the list

    # another user saves revision 2 meanwhile
    store = lib.get_store()
    theirs = copy.deepcopy(store.load(case_id).case_json)
    theirs["label"] = "changed in another tab"
    store.save(case_id, theirs, "bob", expected_revision=1)

    at.button(key="library_save").click().run()
    assert not at.exception
    shown = _all_text(at)
    assert "Someone saved this case first" in shown and "bob" in shown
    assert store.get(case_id).head_revision == 2  # nothing overwritten
    at.button(key="library_conflict_reload").click().run()
    assert at.session_state["case"]["label"] == "changed in another tab"
    assert at.session_state["lib_revision"] == 2
    kept = [d for d in store.list_drafts(at.session_state["auth_user"]) if d.case_id == case_id]
    assert [d.case_json["label"] for d in kept] == [store.load(case_id, revision=1).case_json["label"]]  # mine kept as a draft


def test_library_lists_and_opens_stored_cases(data_dir):
    data_dir.mkdir(parents=True)
    stored = _seed(data_dir)
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/library.py").run()
    assert not at.exception
    assert stored["case_id"] in _all_text(at)
    at.selectbox(key="library_choice").set_value(stored["case_id"]).run()
    at.button(key="library_open").click().run()
    assert not at.exception
    assert at.session_state["lib_case_id"] == stored["case_id"]
    assert at.session_state["case"]["label"] == stored["label"]
    assert any("Saved: revision 1" in c.value for c in at.caption)
    assert lib.get_store().list_drafts(at.session_state["auth_user"]) == []  # opening is not an edit


def test_an_unreachable_database_is_a_message_and_editing_goes_on(data_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("MMNAV_DATABASE_URL", f"postgresql://nobody@/mmnav?host={tmp_path / 'no-such-socket-dir'}")
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/library.py").run()
    assert not at.exception
    assert any("cannot be reached" in e.value for e in at.error)
    at.radio(key="side_case_school_en").set_value("european").run()
    assert not at.exception
    assert at.session_state["case"]["settings"]["school"] == "european"
    assert any("draft NOT autosaved" in c.value for c in at.sidebar.caption)


def test_a_signed_in_user_is_recorded_on_each_revision(data_dir):
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "dr.li@hospital.example", "name": "Dr Li",
               "mmrn_role": "clinician", "mmrn_teams": "local"}
    at.run()
    assert not at.exception
    assert any("Signed in as dr.li@hospital.example" in c.value for c in at.sidebar.caption)
    assert example_cases()[0]["label"] in _all_text(at)  # signed in: the case is shown
    at.switch_page("pages/library.py").run()
    at.button(key="library_save").click().run()
    case_id = at.session_state["case"]["case_id"]
    assert lib.get_store().history(case_id)[0].user == "dr.li@hospital.example"


@pytest.mark.parametrize("secret, problem", [
    (None, "no cookie_secret"),
    ("short-secret", "shorter than 32 bytes"),
    ("REPLACE-WITH-64-RANDOM-HEX-CHARACTERS", "example's placeholder"),  # .streamlit/secrets.example.toml
])
def test_a_forgeable_cookie_secret_refuses_shared_mode(data_dir, secret, problem):
    """Issue #13: a cookie signed with a known or weak secret must sign nobody in, not even a forged admin."""
    auth = {k: v for k, v in AUTH.items() if k != "cookie_secret"}
    if secret is not None:
        auth["cookie_secret"] = secret
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = auth
    at.user = {"is_logged_in": True, "email": "forged-admin@hospital.example"}  # as a forged cookie would claim
    at.run()
    assert not at.exception
    shown = _all_text(at)
    assert any(problem in e.value and "token_urlsafe" in e.value for e in at.error), [e.value for e in at.error]
    assert "forged-admin" not in shown and example_cases()[0]["label"] not in shown
    assert not at.dataframe and not at.get("plotly_chart")


def test_the_example_secrets_file_is_refused_as_it_stands():
    import tomllib

    from ui.auth import cookie_secret_problem

    example = tomllib.loads((ROOT / ".streamlit" / "secrets.example.toml").read_text(encoding="utf-8"))
    assert cookie_secret_problem(example["auth"]) == "secret_example"
    assert cookie_secret_problem({"cookie_secret": "x" * 32}) is None


def test_library_table_never_offers_a_formula_to_a_spreadsheet(data_dir):
    """Issue #13: the list's built-in "Download as CSV" exports the cells shown, so a label such as
    =HYPERLINK(…) is shown (and exported) with the same leading quote as the labs CSV."""
    data_dir.mkdir(parents=True)
    case = copy.deepcopy(example_cases()[0])
    case["label"] = '=HYPERLINK("http://example.invalid","x")'
    store = CaseStore.open(f"sqlite:///{data_dir / 'mmnav.sqlite3'}")
    store.create(case, "alice")
    store.close()
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/library.py").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "label" in d.value.columns)
    labels = list(table["label"])
    assert labels == ["'" + case["label"]], labels


def _tab() -> AppTest:
    """A browser tab: its own Streamlit session of the same (single) user, on the library page."""
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/library.py").run()
    assert not at.exception
    return at


def _open(at: AppTest, case_id: str) -> None:
    at.selectbox(key="library_choice").set_value(case_id).run()
    at.button(key="library_open").click().run()
    assert at.session_state["lib_case_id"] == case_id


def _edit_label(at: AppTest, label: str) -> None:
    at.switch_page("pages/patient.py").run()
    at.text_input(key="patient_label").set_value(label).run()
    assert not at.exception and at.session_state["case"]["label"] == label
    at.switch_page("pages/library.py").run()


def test_two_tabs_never_share_or_delete_each_others_draft(data_dir):
    """Issue #13: one tab's save used to delete the other's unsaved work while it said "draft autosaved"."""
    data_dir.mkdir(parents=True)
    case_id = _seed(data_dir)["case_id"]
    tab1, tab2 = _tab(), _tab()
    _open(tab1, case_id)
    _open(tab2, case_id)
    _edit_label(tab1, "edits of tab one")
    _edit_label(tab2, "edits of tab two")
    store = lib.get_store()
    user = tab1.session_state["auth_user"]
    assert {d.case_json["label"] for d in store.list_drafts(user)} == {"edits of tab one", "edits of tab two"}
    tab2.button(key="library_save").click().run()
    assert not tab2.exception and store.get(case_id).head_revision == 2
    left = store.list_drafts(user)
    assert [d.case_json["label"] for d in left] == ["edits of tab one"]  # tab one's work survives tab two's save
    assert left[0].slot == tab1.session_state["lib_session"]
    tab1.run()
    assert any("Unsaved changes" in c.value for c in tab1.sidebar.caption)


def test_keep_mine_as_a_draft_survives_editing_their_version(data_dir):
    """Issue #13: "Load their version (mine stays as a draft)" kept mine only until the first edit of theirs."""
    data_dir.mkdir(parents=True)
    case_id = _seed(data_dir)["case_id"]
    mine, theirs = _tab(), _tab()
    _open(mine, case_id)
    _open(theirs, case_id)
    _edit_label(theirs, "their saved version")
    theirs.button(key="library_save").click().run()
    _edit_label(mine, "my unsaved edits")
    mine.button(key="library_save").click().run()
    assert "Someone saved this case first" in _all_text(mine)
    mine.button(key="library_conflict_reload").click().run()
    assert mine.session_state["case"]["label"] == "their saved version"
    _edit_label(mine, "their version, edited by me")  # autosaves this session's own draft
    labels = {d.case_json["label"] for d in lib.get_store().list_drafts(mine.session_state["auth_user"])}
    assert "my unsaved edits" in labels  # still there after the edit of theirs
    assert "their version, edited by me" in labels


def test_the_library_export_is_encrypted_with_a_key_shown_in_the_session(data_dir):
    data_dir.mkdir(parents=True)
    stored = _seed(data_dir)
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/library.py").run()
    at.button(key="library_export").click().run()
    assert not at.exception
    archive, key = at.session_state["library_export_zip"]
    assert any(c.value == key for c in at.code)  # the key is shown to this session only
    assert stored["label"].encode() not in archive
