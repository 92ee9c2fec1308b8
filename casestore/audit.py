"""The audit trail: one append-only, hash-chained row per sign-in, case view, save, import,
export, archive and report print.

Each row's ``hash`` is sha256 over the previous row's hash and the row's canonical JSON
(``seq, at, who, action, case_id, revision, detail``), so changing, inserting or removing a row
anywhere before the newest breaks every hash after it; ``verify_chain`` finds the first broken
row. Removing rows at the very end is not visible in the chain alone: keep a copy of the newest
hash outside the database (``python -m casestore audit export`` prints it) to detect that.

Patient labels are never written here: a row names a case by its (pseudonymous) id only, and
``detail`` holds counts and revision numbers written by the store, never case text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Connection

from . import schema as t

GENESIS = "0" * 64
#: What the trail records (the ``action`` column).
ACTIONS = ("sign_in", "view", "save", "create", "restore", "duplicate", "import", "export",
           "archive", "unarchive", "report_print", "migrate")
#: Any fixed number: PostgreSQL transaction-level lock that serialises appends across processes.
PG_LOCK_KEY = 731_702_417


@dataclass(frozen=True, slots=True)
class AuditRow:
    seq: int
    at: str
    who: str
    action: str
    case_id: str | None
    revision: int | None
    detail: str
    prev_hash: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class ChainStatus:
    """The result of ``verify_chain``: ``ok`` and, when not, the first row that does not hold."""

    ok: bool
    rows: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str = ""


def row_hash(prev_hash: str, seq: int, at: str, who: str, action: str, case_id: str | None,
             revision: int | None, detail: str) -> str:
    body = json.dumps([seq, at, who, action, case_id, revision, detail], ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{body}".encode("utf-8")).hexdigest()


def append(conn: Connection, *, at: str, who: str, action: str, case_id: str | None = None,
           revision: int | None = None, detail: str = "") -> AuditRow:
    """Add one row at the end of the chain, inside the caller's transaction (call it last in a
    transaction: on PostgreSQL it takes a lock that is held until commit)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
    last = conn.execute(
        select(t.audit_trail.c.seq, t.audit_trail.c.hash).order_by(t.audit_trail.c.seq.desc()).limit(1)
    ).first()
    seq, prev = (1, GENESIS) if last is None else (last.seq + 1, last.hash)
    who, detail = who[:200], detail[:300]
    digest = row_hash(prev, seq, at, who, action, case_id, revision, detail)
    conn.execute(insert(t.audit_trail).values(
        seq=seq, at=at, who=who, action=action, case_id=case_id, revision=revision, detail=detail,
        prev_hash=prev, hash=digest,
    ))
    return AuditRow(seq, at, who, action, case_id, revision, detail, prev, digest)


def _row(r: Any) -> AuditRow:
    return AuditRow(r.seq, r.at, r.who, r.action, r.case_id, r.revision, r.detail, r.prev_hash, r.hash)


def read_rows(conn: Connection, *, case_id: str | None = None, newest_first: bool = False,
              limit: int | None = None) -> list[AuditRow]:
    stmt = select(t.audit_trail)
    if case_id is not None:
        stmt = stmt.where(t.audit_trail.c.case_id == case_id)
    stmt = stmt.order_by(t.audit_trail.c.seq.desc() if newest_first else t.audit_trail.c.seq)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_row(r) for r in conn.execute(stmt).all()]


def verify_rows(rows: list[AuditRow]) -> ChainStatus:
    """Check a whole chain, oldest first: numbering, links and every hash."""
    prev = GENESIS
    for expected_seq, row in enumerate(rows, start=1):
        if row.seq != expected_seq:
            return ChainStatus(False, len(rows), prev, row.seq, f"row {row.seq}: expected number {expected_seq} (a row is missing)")
        if row.prev_hash != prev:
            return ChainStatus(False, len(rows), prev, row.seq, f"row {row.seq}: does not link to the row before it")
        digest = row_hash(row.prev_hash, row.seq, row.at, row.who, row.action, row.case_id, row.revision, row.detail)
        if digest != row.hash:
            return ChainStatus(False, len(rows), prev, row.seq, f"row {row.seq}: its content was changed after it was written")
        prev = row.hash
    return ChainStatus(True, len(rows), prev)


def verify_chain(conn: Connection) -> ChainStatus:
    return verify_rows(read_rows(conn))


__all__ = ["ACTIONS", "AuditRow", "ChainStatus", "GENESIS", "append", "read_rows", "row_hash",
           "verify_chain", "verify_rows"]
