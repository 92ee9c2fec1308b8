"""An acknowledged save survives the process being killed (SIGKILL) in the middle of a burst —
a clinician of a team saving, each save with its audit row in the same transaction."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from casestore import CaseNotFound, CaseStore, Principal
from store_helpers import ROOT, example_cases

WRITER = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, sys.argv[3])
    from casestore import CaseStore, Principal
    store = CaseStore.open(sys.argv[1])
    case = json.loads(open(sys.argv[2], encoding="utf-8").read())
    writer = Principal("writer", "clinician", ("ward-a",))
    record = store.create(case, writer)
    print(f"ack {record.case_id} 1", flush=True)
    head = 1
    for n in range(2, 100000):
        data = dict(case, label=f"burst {n}")
        rev = store.save(case["case_id"], data, writer, expected_revision=head)
        head = rev.number
        store.save_draft(case["case_id"], dict(data, label=f"draft {n}"), writer, base_revision=head)
        print(f"ack {rev.case_id} {rev.number}", flush=True)  # only after the commit returned
""")


def test_acknowledged_saves_survive_sigkill(tmp_path: Path):
    db = tmp_path / "burst.sqlite3"
    case_file = tmp_path / "case.json"
    case = example_cases()[0]
    case_file.write_text(json.dumps(case), encoding="utf-8")
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), f"sqlite:///{db}", str(case_file), str(ROOT)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    acknowledged: list[int] = []
    try:
        for line in proc.stdout:  # blocks until the writer acknowledges; no sleeps
            kind, case_id, number = line.split()
            assert kind == "ack" and case_id == case["case_id"]
            acknowledged.append(int(number))
            if len(acknowledged) == 60:
                os.kill(proc.pid, signal.SIGKILL)  # mid-burst: the next save is in flight
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    assert acknowledged == list(range(1, 61))

    store = CaseStore.open(f"sqlite:///{db}")
    try:
        assert store.integrity_check() == "ok"
        ward_a = Principal("reader", "reviewer", ("ward-a",))
        head = store.get(case["case_id"], who=ward_a).head_revision
        assert head >= acknowledged[-1]
        with pytest.raises(CaseNotFound):  # still the team's alone
            store.get(case["case_id"], who=Principal("other", "clinician", ("ward-b",)))
        # Every committed save has its audit row (same transaction) and the chain holds.
        chain = store.verify_chain()
        assert chain.ok, chain
        audited = [r.revision for r in store.audit_rows() if r.case_id == case["case_id"]]
        assert audited == list(range(1, head + 1))
        history = [r.number for r in store.history(case["case_id"])]
        assert history == list(range(head, 0, -1))  # no gaps, nothing half-written
        for number in acknowledged:
            expected = case if number == 1 else dict(case, label=f"burst {number}")
            assert store.load(case["case_id"], revision=number).case_json == expected
        draft = store.load_draft(case["case_id"], "writer")
        # A later (unacknowledged) save that committed removes the draft it replaced; otherwise
        # the draft written after the last acknowledged save is there.
        if draft is None:
            assert head > acknowledged[-1]
        else:
            assert draft.base_revision >= acknowledged[-1] - 1
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.close()
