"""The store's contract, run on SQLite and PostgreSQL alike."""

from __future__ import annotations

import copy
import json
import threading

import pytest

from casestore import (
    CaseExists,
    CaseNotFound,
    CaseStore,
    RevisionConflict,
    RevisionNotFound,
    UnsafeName,
    UploadRejected,
)


def test_every_example_case_round_trips_losslessly(store, examples):
    assert examples, "no example cases found"
    for case in examples:
        store.create(copy.deepcopy(case), "alice")
    for case in examples:
        loaded = store.load(case["case_id"])
        assert loaded.case_json == case
        assert json.dumps(loaded.case_json, sort_keys=True) == json.dumps(case, sort_keys=True)
        assert loaded.revision.number == 1 and loaded.is_head


def test_revisions_accumulate_with_who_and_what(store, examples):
    case = examples[0]
    record = store.create(case, "alice")
    assert record.head_revision == 1
    second = copy.deepcopy(case)
    second["patient"]["ecog"] = 2
    second["labs"].append({"date": "2024-08-01", "analyte": "serum_m_protein", "value": 14.0, "unit": "g/L"})
    rev2 = store.save(case["case_id"], second, "bob", expected_revision=1)
    third = copy.deepcopy(second)
    third["label"] = "relabelled"
    rev3 = store.save(case["case_id"], third, "carol", expected_revision=2)
    assert (rev2.number, rev3.number) == (2, 3)
    history = store.history(case["case_id"])
    assert [r.number for r in history] == [3, 2, 1]
    assert [r.user for r in history] == ["carol", "bob", "alice"]
    assert history[1].summary == "patient.ecog, labs +1"
    assert history[0].summary == "label"
    assert history[2].summary == "new case"
    assert store.load(case["case_id"], revision=1).case_json == case
    assert store.load(case["case_id"], revision=2).case_json == second
    assert store.load(case["case_id"]).case_json == third
    assert store.get(case["case_id"]).label == "relabelled"
    with pytest.raises(RevisionNotFound):
        store.load(case["case_id"], revision=9)


def test_a_stale_save_is_a_conflict_and_changes_nothing(store, examples):
    case = examples[0]
    store.create(case, "alice")
    mine, theirs = copy.deepcopy(case), copy.deepcopy(case)
    theirs["label"] = "saved first in another tab"
    mine["label"] = "saved second"
    store.save(case["case_id"], theirs, "bob", expected_revision=1)
    with pytest.raises(RevisionConflict) as caught:
        store.save(case["case_id"], mine, "alice", expected_revision=1)
    conflict = caught.value
    assert conflict.expected == 1 and conflict.head.number == 2 and conflict.head.user == "bob"
    assert "revision 2 by bob" in str(conflict)
    assert store.load(case["case_id"]).case_json == theirs
    assert [r.number for r in store.history(case["case_id"])] == [2, 1]
    # after seeing theirs, saving on top of the head is allowed and keeps both
    rev = store.save(case["case_id"], mine, "alice", expected_revision=conflict.head.number)
    assert rev.number == 3


def test_concurrent_saves_from_one_revision_let_exactly_one_win(store, examples):
    case = examples[0]
    store.create(case, "alice")
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def writer(n: int) -> None:
        data = copy.deepcopy(case)
        data["label"] = f"writer {n}"
        barrier.wait()
        try:
            store.save(case["case_id"], data, f"user{n}", expected_revision=1)
            outcomes.append("saved")
        except RevisionConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "saved"]
    assert store.get(case["case_id"]).head_revision == 2


def test_restore_is_a_new_revision(store, examples):
    case = examples[0]
    store.create(case, "alice")
    changed = copy.deepcopy(case)
    changed["labs"] = []
    store.save(case["case_id"], changed, "bob", expected_revision=1)
    rev = store.restore(case["case_id"], 1, "alice", expected_revision=2)
    assert rev.number == 3 and rev.action == "restore"
    assert rev.summary.startswith("restored revision 1")
    assert store.load(case["case_id"]).case_json == case
    assert store.load(case["case_id"], revision=2).case_json == changed  # history kept
    with pytest.raises(RevisionConflict):
        store.restore(case["case_id"], 1, "carol", expected_revision=2)


def test_archive_hides_and_keeps_everything(store, examples):
    for case in examples[:3]:
        store.create(case, "alice")
    gone = examples[1]["case_id"]
    store.archive(gone, "alice")
    assert gone not in [c.case_id for c in store.list_cases()]
    assert gone in [c.case_id for c in store.list_cases(include_archived=True)]
    assert store.load(gone).case_json == examples[1]
    assert store.get(gone).archived
    assert [e.action for e in store.events(gone)] == ["create", "archive"]
    store.unarchive(gone, "bob")
    assert gone in [c.case_id for c in store.list_cases()]
    assert [(e.action, e.user) for e in store.events(gone)][1:] == [("archive", "alice"), ("unarchive", "bob")]


def test_list_search_paging_and_status(store, examples):
    for case in examples:
        store.create(case, "alice")
    everything = store.list_cases(limit=100)
    assert len(everything) == len(examples) == store.count_cases()
    assert [c.case_id for c in everything] == [c["case_id"] for c in reversed(examples)]  # last change first
    first = examples[0]
    word = first["label"].split()[0].upper()
    assert first["case_id"] in [c.case_id for c in store.list_cases(word)]
    assert [c.case_id for c in store.list_cases(first["case_id"])] == [first["case_id"]]
    assert store.list_cases("%") == [] and store.list_cases("_") == []  # wildcards are literal
    page = store.list_cases(limit=2, offset=2)
    assert [c.case_id for c in page] == [c.case_id for c in everything[2:4]]
    store.set_status(first["case_id"], "relapsed")
    assert store.get(first["case_id"]).status == "relapsed"
    assert store.history(first["case_id"])[0].status == "relapsed"


def test_duplicate_gets_a_new_pseudonymous_id(store, examples):
    case = examples[0]
    store.create(case, "alice")
    copy_record = store.duplicate(case["case_id"], "bob")
    assert copy_record.case_id != case["case_id"] and copy_record.case_id.startswith("c-")
    data = store.load(copy_record.case_id).case_json
    assert data["case_id"] == copy_record.case_id
    assert data["label"] == case["label"] + " (copy)"
    assert {k: v for k, v in data.items() if k not in ("case_id", "label")} == {
        k: v for k, v in case.items() if k not in ("case_id", "label")}
    assert store.history(copy_record.case_id)[0].summary == f"duplicated from {case['case_id']} revision 1"
    with pytest.raises(CaseExists):
        store.duplicate(case["case_id"], "bob", new_id=case["case_id"])


def test_nothing_is_replaced_or_accepted_unsafely(store, examples):
    case = examples[0]
    store.create(case, "alice")
    with pytest.raises(CaseExists):
        store.create(case, "bob")
    other = copy.deepcopy(case)
    other["case_id"] = "someone-else"
    with pytest.raises(UploadRejected):
        store.save(case["case_id"], other, "bob", expected_revision=1)
    for bad in ("../etc", "a/b", "/abs", "..", ".hidden", "a\\b", "", "x" * 65, "nul"):
        evil = copy.deepcopy(case)
        evil["case_id"] = bad
        with pytest.raises(UnsafeName):
            store.create(evil, "bob")
    nan = copy.deepcopy(case)
    nan["case_id"] = "nan-case"
    nan["labs"][0]["value"] = float("nan")
    with pytest.raises(UploadRejected):
        store.create(nan, "bob")
    with pytest.raises(ValueError):
        store.create({**case, "case_id": "anon"}, "  ")
    with pytest.raises(CaseNotFound):
        store.save("missing", {**case, "case_id": "missing"}, "bob", expected_revision=1)
    assert store.all_case_ids() == [case["case_id"]]


def test_drafts_survive_reopening_the_store(store_url, examples):
    case = examples[0]
    first = CaseStore.open(store_url)
    first.create(case, "alice")
    typing = copy.deepcopy(case)
    typing["label"] = "half-typed"
    first.save_draft(case["case_id"], typing, "alice", base_revision=1)
    first.save_draft("c-newcase1", {**case, "case_id": "c-newcase1"}, "alice")  # a case never saved
    first.save_draft(case["case_id"], {**case, "label": "bob's"}, "bob", base_revision=1)
    first.close()

    reopened = CaseStore.open(store_url)
    draft = reopened.load_draft(case["case_id"], "alice")
    assert draft is not None and draft.case_json == typing and draft.base_revision == 1
    assert reopened.load_draft(case["case_id"], "bob").case_json["label"] == "bob's"
    assert {d.case_id for d in reopened.list_drafts("alice")} == {case["case_id"], "c-newcase1"}
    reopened.save(case["case_id"], typing, "alice", expected_revision=1)  # saving clears the draft
    assert reopened.load_draft(case["case_id"], "alice") is None
    assert reopened.load_draft(case["case_id"], "bob") is not None  # not someone else's
    reopened.discard_draft(case["case_id"], "bob")
    assert reopened.load_draft(case["case_id"], "bob") is None
    reopened.close()


def test_a_case_with_its_history_is_stored_as_imported_with_its_claims_apart(store, examples):
    case = examples[0]
    entries = [
        {"revision": 1, "created_at": "2025-01-01T10:00:00.000000+00:00", "user": "alice", "action": "create",
         "summary": "new case", "status": None, "case": case},
        {"revision": 2, "created_at": "2025-01-02T10:00:00.000000+00:00", "user": "bob", "action": "save",
         "summary": "label", "status": "relapsed", "case": {**case, "label": "second"}},
    ]
    record = store.create_with_history(entries, "carol", archived=True)
    assert (record.head_revision, record.archived, record.status, record.label) == (2, True, "relapsed", "second")
    history = store.history(case["case_id"])
    # Issue #13: the file's authors and dates are claims, kept apart from who imported it, when.
    assert [(r.number, r.claimed_by, r.claimed_at[:10], r.claimed_action) for r in history] == [
        (2, "bob", "2025-01-02", "save"), (1, "alice", "2025-01-01", "create")]
    assert {(r.user, r.action, r.imported_by, r.created_at == r.imported_at) for r in history} == {
        ("carol", "import", "carol", True)}
    assert not history[0].created_at.startswith("2025-01-0")  # the time of the import, not the claim
    assert (record.created_by, record.updated_by) == ("carol", "carol")
    assert store.load(case["case_id"], revision=1).case_json == case
    with pytest.raises(CaseExists):
        store.create_with_history(entries, "carol")
    bad = [dict(entries[0], revision=1), dict(entries[1], revision=3, case={**case, "case_id": "other"})]
    with pytest.raises(UploadRejected) as caught:
        store.create_with_history([{**e, "case": {**e["case"], "case_id": "fresh-1"}} for e in bad[:1]] + bad[1:], "carol")
    assert "numbered 3" in str(caught.value)


def test_a_case_the_app_can_load_is_a_case_it_can_save():
    """One size limit (issue #16): the store keeps any case the intake accepts."""
    from casestore import MAX_CASE_BYTES
    from mmlogic.limits import MAX_INPUT_BYTES

    assert MAX_CASE_BYTES == MAX_INPUT_BYTES
