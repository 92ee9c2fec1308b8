"""Teams, roles and the audit trail of the store (issue #17), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import text

from casestore import (
    CaseNotFound,
    PermissionDenied,
    Principal,
    export_folder,
    import_folder,
)
from store_helpers import ROOT

A = Principal("ana@ward-a", "clinician", ("ward-a",))
B = Principal("ben@ward-b", "clinician", ("ward-b",))
REVIEWER_A = Principal("rita@ward-a", "reviewer", ("ward-a",))
TEACHER = Principal("tom@school", "teacher", ())


def _not_found_text(store, case_id: str) -> str:
    with pytest.raises(CaseNotFound) as caught:
        store.load(case_id, who=A)
    return str(caught.value)


def test_another_teams_case_is_not_found_everywhere(store, examples, tmp_path):
    mine, theirs = examples[0], examples[1]
    store.create(mine, A)
    store.create(theirs, B)
    hidden = theirs["case_id"]
    missing = "c-neverstored"
    # The words for another team's id are exactly those for an id never stored (no leak).
    assert _not_found_text(store, hidden) == _not_found_text(store, missing).replace(missing, hidden)
    for call in (
        lambda: store.get(hidden, who=A),
        lambda: store.history(hidden, who=A),
        lambda: store.revisions_with_content(hidden, who=A),
        lambda: store.events(hidden, who=A),
        lambda: store.save(hidden, theirs, A, expected_revision=1),
        lambda: store.archive(hidden, A),
        lambda: store.duplicate(hidden, A),
        lambda: store.restore(hidden, 1, A, expected_revision=1),
        lambda: export_folder(store, tmp_path / "one", user=A, case_ids=[hidden]),
    ):
        with pytest.raises(CaseNotFound):
            call()
    assert not (tmp_path / "one").exists()  # refused before anything was written
    assert not store.exists(hidden, who=A) and store.exists(hidden, who=B)
    assert [c.case_id for c in store.list_cases(who=A, include_archived=True)] == [mine["case_id"]]
    assert store.count_cases(who=A) == 1 and store.all_case_ids(who=A) == [mine["case_id"]]
    assert export_folder(store, tmp_path / "all", user=A) == [mine["case_id"]]
    assert sorted(p.name for p in (tmp_path / "all").glob("*.json")) == ["_library.json", f"{mine['case_id']}.json"]
    assert store.get(hidden, who=B).team == "ward-b"  # the control: B sees it
    assert store.get(hidden, who=B).head_revision == 1  # and A's attempts changed nothing


def test_a_user_of_two_teams_sees_both_and_chooses_where_a_case_goes(store, examples):
    both = Principal("dora@both", "clinician", ("ward-a", "ward-b"))
    store.create(examples[0], A)
    store.create(examples[1], both, team="ward-b")
    assert store.get(examples[1]["case_id"], who=B).team == "ward-b"
    assert {c.case_id for c in store.list_cases(who=both)} == {examples[0]["case_id"], examples[1]["case_id"]}
    with pytest.raises(PermissionDenied):
        store.create(examples[2], A, team="ward-b")  # not A's team


def test_a_reviewer_reads_and_changes_nothing(store, examples, tmp_path):
    case = examples[0]
    store.create(case, A)
    assert store.load(case["case_id"], who=REVIEWER_A).case_json == case
    assert export_folder(store, tmp_path / "out", user=REVIEWER_A) == [case["case_id"]]
    for call in (
        lambda: store.save(case["case_id"], {**case, "label": "x"}, REVIEWER_A, expected_revision=1),
        lambda: store.create(examples[1], REVIEWER_A),
        lambda: store.archive(case["case_id"], REVIEWER_A),
        lambda: store.restore(case["case_id"], 1, REVIEWER_A, expected_revision=1),
        lambda: store.duplicate(case["case_id"], REVIEWER_A),
        lambda: store.save_draft(case["case_id"], case, REVIEWER_A),
    ):
        with pytest.raises(PermissionDenied):
            call()
    report = import_folder(store, tmp_path / "out", REVIEWER_A, on_existing="new_revision")
    assert not report.created and not report.revised
    assert store.get(case["case_id"]).head_revision == 1 and not store.get(case["case_id"]).archived


def test_a_teacher_gets_no_patient_case(store, examples):
    store.create(examples[0], A)
    for call in (
        lambda: store.list_cases(who=TEACHER),
        lambda: store.count_cases(who=TEACHER),
        lambda: store.load(examples[0]["case_id"], who=TEACHER),
        lambda: store.create(examples[1], TEACHER),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_a_plain_name_is_the_trusted_local_caller_in_the_default_team(store, examples):
    record = store.create(examples[0], "maintenance")
    assert record.team == store.default_team == "local"
    assert store.load(examples[0]["case_id"], who=Principal("l", "clinician", ("local",))).case_json == examples[0]


# ---- the audit trail --------------------------------------------------------------------------

def _fill(store, examples, tmp_path):
    case = examples[0]
    store.record_event(None, A, "sign_in")
    store.create(case, A)
    store.save(case["case_id"], {**case, "label": "second"}, A, expected_revision=1)
    store.record_event(case["case_id"], A, "view", revision=2)
    store.archive(case["case_id"], A)
    export_folder(store, tmp_path / "out", user=A)
    store.record_event(case["case_id"], A, "report_print", detail="language en", revision=2)
    return case


def test_the_audit_chain_records_every_action_and_verifies(store, examples, tmp_path):
    case = _fill(store, examples, tmp_path)
    rows = store.audit_rows()
    assert [(r.action, r.case_id, r.revision) for r in rows] == [
        ("sign_in", None, None), ("create", case["case_id"], 1), ("save", case["case_id"], 2),
        ("view", case["case_id"], 2), ("archive", case["case_id"], 2), ("export", case["case_id"], 2),
        ("report_print", case["case_id"], 2)]
    assert {r.who for r in rows} == {A.user}
    assert [r.seq for r in rows] == list(range(1, 8))
    assert all(r.prev_hash == p.hash for p, r in zip(rows, rows[1:]))
    status = store.verify_chain()
    assert status.ok and status.rows == 7 and status.head_hash == rows[-1].hash
    # Patient labels are never written: ids only.
    dump = json.dumps([r.as_dict() for r in rows])
    assert case["label"] not in dump and "second" not in dump


@pytest.mark.parametrize("tamper, column", [
    ("UPDATE audit_trail SET who = 'someone-else' WHERE seq = 3", 3),
    ("UPDATE audit_trail SET case_id = 'c-other' WHERE seq = 2", 2),
    ("DELETE FROM audit_trail WHERE seq = 4", 5),
    ("UPDATE audit_trail SET at = '2020-01-01T00:00:00.000000+00:00' WHERE seq = 7", 7),
])
def test_an_edited_or_removed_row_breaks_the_chain(store, examples, tmp_path, tamper, column):
    _fill(store, examples, tmp_path)
    assert store.verify_chain().ok
    with store.engine.begin() as conn:
        conn.execute(text(tamper))
    status = store.verify_chain()
    assert not status.ok and status.first_bad_seq == column, status


def test_rehashing_an_edited_row_still_breaks_the_next_link(store, examples, tmp_path):
    """Editing a row and recomputing its own hash is caught by the row after it."""
    from casestore.audit import row_hash

    _fill(store, examples, tmp_path)
    row = store.audit_rows()[2]
    forged = row_hash(row.prev_hash, row.seq, row.at, "someone-else", row.action, row.case_id, row.revision, row.detail)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_trail SET who = 'someone-else', hash = :h WHERE seq = 3"), {"h": forged})
    status = store.verify_chain()
    assert not status.ok and status.first_bad_seq == 4


def test_cli_exports_and_verifies_the_trail(store, store_url, examples, tmp_path):
    _fill(store, examples, tmp_path)
    out = tmp_path / "audit.jsonl"
    run = lambda *args: subprocess.run([sys.executable, "-m", "casestore", "audit", *args, "--db", store_url],  # noqa: E731
                                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    exported = run("export", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [line["seq"] for line in lines] == list(range(1, 8)) and "hash" in lines[0]
    assert "audit chain: ok; 7 rows" in exported.stdout
    assert run("verify").returncode == 0
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_trail SET action = 'view' WHERE seq = 3"))
    broken = run("verify")
    assert broken.returncode == 1 and "BROKEN at row 3" in broken.stdout


def test_concurrent_writers_keep_one_unbroken_chain(store, examples):
    """Four threads saving at once: every save has its audit row, the chain has no fork."""
    import threading

    for case in examples[:4]:
        store.create(case, A)
    errors: list[BaseException] = []

    def work(case):
        try:
            head = 1
            for n in range(5):
                head = store.save(case["case_id"], {**case, "label": f"n{n}"}, A, expected_revision=head).number
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(case,)) for case in examples[:4]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    status = store.verify_chain()
    assert status.ok and status.rows == 4 + 4 * 5
