"""Files in and out: hostile uploads, CSV injection, path traversal, folder export/import."""

from __future__ import annotations

import copy
import json
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casestore import (
    MAX_UPLOAD_BYTES,
    CaseStore,
    LabsCsvInvalid,
    UnsafeName,
    UploadRejected,
    check_case_id,
    escape_cell,
    export_folder,
    file_in,
    import_folder,
    labs_csv,
    labs_from_csv,
    parse_upload,
)

from store_helpers import EXAMPLES, example_cases


@pytest.fixture
def sqlite_store(tmp_path):
    store = CaseStore.open(f"sqlite:///{tmp_path / 's.sqlite3'}")
    yield store
    store.close()


# ---- uploads ---------------------------------------------------------------------------------

def _try_upload_into(store: CaseStore, data: bytes) -> None:
    """What the library page does with an uploaded file: parse, then (only if valid) create."""
    try:
        uploaded = parse_upload(data)
    except UploadRejected as rejected:
        assert rejected.problems and all(isinstance(p, str) and p for p in rejected.problems)
        return
    store.create(uploaded.case_json, "alice")


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.binary(max_size=4000))
def test_random_bytes_never_crash_and_never_write(sqlite_store, data):
    _try_upload_into(sqlite_store, data)
    assert sqlite_store.count_cases(include_archived=True) == 0


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=25,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(mutation=st.dictionaries(st.sampled_from(
    ["case_id", "label", "patient", "labs", "events", "therapy_lines", "as_of", "settings", "disease", "extra"]),
    _json_values, max_size=4))
def test_mangled_cases_are_rejected_with_messages_not_tracebacks(sqlite_store, mutation):
    case = {**example_cases()[0], **mutation}
    try:
        text = json.dumps(case, allow_nan=True)
    except (TypeError, ValueError):
        return
    try:
        parse_upload(text.encode())
    except UploadRejected as rejected:
        assert rejected.problems
    # a mutation may happen to be valid (e.g. another label); nothing is written either way
    assert sqlite_store.count_cases(include_archived=True) == 0


def test_random_byte_files_from_a_seeded_generator_are_refused():
    rng = random.Random(20261125)
    for _ in range(200):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
        with pytest.raises(UploadRejected):
            parse_upload(blob)


@pytest.mark.parametrize("blob, fragment", [
    (b"", "empty"),
    (b"\xff\xfe\x00{", "not UTF-8"),
    (b"[1, 2]", "not a case object"),
    (b'{"case_id": "a", "case_id": "b"}', "appears twice"),
    # Since the one intake (issue #16) NaN is read so that validation names the field that holds it.
    (b'{"case_id": "x", "labs": [{"date": "2024-01-01", "analyte": "calcium", "value": NaN, "unit": "mmol/L"}]}',
     "NaN"),
    (b'{"case_id": "x", "v": 1e999}', "too large"),
    (b"[" * 100000, "nested too deeply"),
    (b'{"case_id": "../../etc/passwd"}', "case_id"),
    (b'{"case_id": "ok-1"', "not valid JSON"),
])
def test_hostile_uploads_get_a_clear_message(blob, fragment):
    with pytest.raises(UploadRejected) as caught:
        parse_upload(blob)
    assert fragment in str(caught.value)


def test_oversized_upload_is_refused_before_parsing():
    case = example_cases()[0]
    case["label"] = "x" * 150
    big = json.dumps({**case, "padding": " " * MAX_UPLOAD_BYTES}).encode()
    with pytest.raises(UploadRejected, match="at most"):
        parse_upload(big)


def test_an_invalid_case_lists_its_field_problems():
    case = example_cases()[0]
    case["labs"][0]["unit"] = "mg"
    case["patient"]["ecog"] = 9
    with pytest.raises(UploadRejected) as caught:
        parse_upload(json.dumps(case).encode())
    text = "\n".join(caught.value.problems)
    assert "labs[0].unit" in text and "patient.ecog" in text


def test_every_example_uploads_unchanged():
    for path in EXAMPLES:
        uploaded = parse_upload(path.read_bytes())
        assert uploaded.case_json == json.loads(path.read_text("utf-8"))


def test_identifying_label_gives_warnings_on_upload():
    case = example_cases()[0]
    case["label"] = "Mr Zhang 13800138000"
    warnings = parse_upload(json.dumps(case).encode()).warnings
    assert {w.kind for w in warnings} >= {"name", "phone"}


# ---- names and paths -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["..", "../x", "a/../../b", "/etc/passwd", "C:\\x", "a\\b", ".", "",
                                  "a\x00b", "x" * 65, ".bashrc", "-rf", "con", "ñame", "a b"])
def test_unsafe_names_are_refused(tmp_path, name):
    with pytest.raises(UnsafeName):
        check_case_id(name)
    with pytest.raises(UnsafeName):
        file_in(tmp_path, name, ".json")


def test_safe_names_stay_in_their_folder(tmp_path):
    for name in ("ex-01", "c-7kq2m9xh", "A.b_c-1"):
        assert file_in(tmp_path, name, ".json").parent == tmp_path.resolve()


# ---- labs CSV -------------------------------------------------------------------------------

def test_labs_csv_round_trips_every_example():
    for case in example_cases():
        assert labs_from_csv(labs_csv(case)) == case["labs"]


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_escaped(cell):
    assert escape_cell(cell) == "'" + cell
    case = {"labs": [{"date": "2024-01-01", "analyte": cell, "value": cell, "unit": cell}]}
    lines = labs_csv(case).splitlines()
    for field in lines[1].split(",")[:3]:
        assert not field.lstrip('"').startswith(("=", "+", "-", "@")), field


def test_plain_cells_are_not_escaped():
    assert escape_cell("2024-01-01") == "2024-01-01" and escape_cell(4.5) == "4.5" and escape_cell(None) == ""


def test_labs_csv_rows_with_problems_are_all_listed():
    text = ("date,analyte,value,unit\n2024-01-01,serum_m_protein,12,g/L\n2024-13-01,serum_m_protein,1,g/L\n"
            "2024-01-02,calcium,-1,mmol/L\n2024-01-03,serum_m_protein,=1+1,g/L\n2024-01-04,flc_kappa,3\n")
    with pytest.raises(LabsCsvInvalid) as caught:
        labs_from_csv(text)
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == ["row 3", "row 4", "row 5", "row 6"]


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2000))
def test_random_csv_bytes_never_crash(data):
    try:
        labs_from_csv(data)
    except LabsCsvInvalid as error:
        assert error.problems


def test_labs_csv_header_and_size_checked():
    with pytest.raises(LabsCsvInvalid, match="missing column"):
        labs_from_csv("when,what\n")
    with pytest.raises(LabsCsvInvalid, match="larger"):
        labs_from_csv(b"date,analyte,value,unit\n" + b"x" * 3_000_000)


# ---- the library as a folder ----------------------------------------------------------------

def test_export_then_import_keeps_everything(tmp_path, sqlite_store):
    examples = example_cases()
    for case in examples:
        sqlite_store.create(case, "alice")
    changed = copy.deepcopy(examples[0])
    changed["label"] = "second revision"
    sqlite_store.save(changed["case_id"], changed, "bob", expected_revision=1)
    sqlite_store.archive(examples[1]["case_id"], "alice")
    out = tmp_path / "export"
    ids = export_folder(sqlite_store, out)
    assert sorted(ids) == sorted(c["case_id"] for c in examples)
    assert json.loads((out / f"{changed['case_id']}.json").read_text("utf-8")) == changed
    history = json.loads((out / "_history" / f"{changed['case_id']}.json").read_text("utf-8"))
    assert [h["revision"] for h in history] == [1, 2] and history[0]["case"] == examples[0]
    manifest = json.loads((out / "_library.json").read_text("utf-8"))
    assert {c["case_id"]: c["archived"] for c in manifest["cases"]}[examples[1]["case_id"]] is True

    fresh = CaseStore.open(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    report = import_folder(fresh, out, "carol")
    assert sorted(report.created) == sorted(ids) and not report.rejected
    for case_id in ids:
        assert fresh.load(case_id).case_json == sqlite_store.load(case_id).case_json
        imported, original = fresh.history(case_id), sqlite_store.history(case_id)
        # Issue #13: the importer and the file's claims are kept apart, every claim kept.
        assert [(r.number, r.summary, r.status) for r in imported] == [(r.number, r.summary, r.status) for r in original]
        assert [(r.claimed_by, r.claimed_at, r.claimed_action) for r in imported] == \
            [(r.user, r.created_at, r.action) for r in original]
        assert {(r.user, r.action, r.imported_by) for r in imported} == {("carol", "import", "carol")}
        assert fresh.get(case_id).created_by == fresh.get(case_id).updated_by == "carol"
        assert fresh.get(case_id).archived == sqlite_store.get(case_id).archived
    assert [e.action for e in fresh.events(changed["case_id"])] == ["import"]

    again = import_folder(fresh, out, "carol")  # nothing is replaced on a second import
    assert sorted(again.skipped_existing) == sorted(ids) and not again.created
    assert fresh.get(changed["case_id"]).head_revision == 2
    fresh.close()


def test_a_history_that_contradicts_its_case_file_is_not_used(tmp_path, sqlite_store):
    case = example_cases()[0]
    sqlite_store.create(case, "alice")
    out = tmp_path / "export"
    export_folder(sqlite_store, out)
    edited = {**case, "label": "edited after export"}
    (out / f"{case['case_id']}.json").write_text(json.dumps(edited), encoding="utf-8")
    fresh = CaseStore.open(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    assert import_folder(fresh, out, "carol").created == [case["case_id"]]
    [revision] = fresh.history(case["case_id"])
    assert revision.user == "carol" and revision.action == "import"
    assert fresh.load(case["case_id"]).case_json == edited
    fresh.close()


def test_import_rejects_bad_files_and_writes_nothing_for_them(tmp_path, sqlite_store):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "garbage.json").write_bytes(os.urandom(500))
    (folder / "evil.json").write_text(json.dumps({**example_cases()[0], "case_id": "../evil"}))
    (folder / "big.json").write_bytes(b" " * (MAX_UPLOAD_BYTES + 1))
    (folder / "ok.json").write_text(json.dumps(example_cases()[2]))
    (folder / "link.json").symlink_to(folder / "ok.json")
    report = import_folder(sqlite_store, folder, "alice")
    assert report.created == [example_cases()[2]["case_id"]]
    assert set(report.rejected) == {"garbage.json", "evil.json", "big.json", "link.json"}
    assert not (tmp_path / "evil").exists()


def test_import_as_new_revision_only_when_asked(tmp_path, sqlite_store):
    case = example_cases()[0]
    sqlite_store.create(case, "alice")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps({**case, "label": "updated elsewhere"}))
    assert import_folder(sqlite_store, folder, "bob").skipped_existing == [case["case_id"]]
    assert sqlite_store.get(case["case_id"]).head_revision == 1
    report = import_folder(sqlite_store, folder, "bob", on_existing="new_revision")
    assert report.revised == [case["case_id"]]
    assert sqlite_store.load(case["case_id"]).case_json["label"] == "updated elsewhere"
    assert sqlite_store.load(case["case_id"], revision=1).case_json == case


def test_a_library_export_is_unreadable_without_its_key(tmp_path):
    """Issue #13: the archive served at /media/<id> is encrypted with a key shown only in the session."""
    import io
    import zipfile

    import pyzipper

    from casestore import encrypted_archive, new_export_key

    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "ex-01.json").write_text('{"case_id": "ex-01", "label": "secret label"}', encoding="utf-8")
    key = new_export_key()
    data = encrypted_archive(tmp_path, key)
    assert b"secret label" not in data and len(key) >= 24
    with zipfile.ZipFile(io.BytesIO(data)) as plain, pytest.raises((RuntimeError, NotImplementedError)):
        plain.read("cases/ex-01.json")  # no key: nothing to read
    with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
        archive.setpassword(b"wrong key")
        with pytest.raises(RuntimeError):
            archive.read("cases/ex-01.json")
        archive.setpassword(key.encode())
        assert b"secret label" in archive.read("cases/ex-01.json")
    assert new_export_key() != key
