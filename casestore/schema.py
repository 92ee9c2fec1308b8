"""Tables (SQLAlchemy Core), one definition for SQLite and PostgreSQL — the schema at the newest
Alembic revision (``casestore/migrations/versions``; a test checks that the two agree).

cases        one row per case: label, team, head revision, archived flag, last status, last change
revisions    every save, never updated or deleted: the whole case JSON + who/when/what changed;
             an imported revision keeps the importer (``user_name``/``created_at`` =
             ``imported_by``/``imported_at``) apart from what the file claimed (``claimed_*``)
drafts       autosaved unsaved edits, one per (case, user and session slot)
audit_trail  append-only, hash-chained: sign-in, view, save, import, export, archive, report print

Times are ISO 8601 UTC text (``2026-11-25T21:57:00.123456+00:00``): same in both databases,
sortable as text.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

#: Kept in ``store_meta`` for tools that predate Alembic; the migration revision is the truth.
SCHEMA_VERSION = 2
metadata = MetaData()

meta = Table(
    "store_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("label", String(200)),
    Column("search", String(300), nullable=False),  # lower-case label + id, for search
    Column("head_revision", Integer, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("archived", Boolean, nullable=False, default=False),
    Column("status", String(40)),
    Column("team", String(100), nullable=False),
)
Index("ix_cases_updated", cases.c.archived, cases.c.updated_at)
Index("ix_cases_team", cases.c.team, cases.c.archived, cases.c.updated_at)

revisions = Table(
    "revisions",
    metadata,
    Column("case_id", String(64), ForeignKey("cases.case_id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("created_at", String(40), nullable=False),
    Column("user_name", String(200), nullable=False),
    Column("action", String(20), nullable=False),
    Column("summary", String(300), nullable=False),
    Column("status", String(40)),
    Column("case_json", Text, nullable=False),
    # Import provenance (issue #13): who imported it and when (this database's truth) …
    Column("imported_by", String(200)),
    Column("imported_at", String(40)),
    # … apart from what the imported file claimed (author, date, action): never trusted as ours.
    Column("claimed_by", String(200)),
    Column("claimed_at", String(40)),
    Column("claimed_action", String(20)),
)

drafts = Table(
    "drafts",
    metadata,
    # No foreign key: a draft may belong to a new case not yet saved.
    Column("case_id", String(64), primary_key=True),
    Column("user_name", String(200), primary_key=True),
    Column("base_revision", Integer),
    Column("saved_at", String(40), nullable=False),
    Column("case_json", Text, nullable=False),
)

audit_trail = Table(
    "audit_trail",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),  # 1, 2, 3… no gaps
    Column("at", String(40), nullable=False),
    Column("who", String(200), nullable=False),
    Column("action", String(20), nullable=False),
    Column("case_id", String(64)),  # ids only: never a label
    Column("revision", Integer),
    Column("detail", String(300), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
Index("ix_audit_trail_case", audit_trail.c.case_id, audit_trail.c.seq)

__all__ = ["metadata", "meta", "cases", "revisions", "drafts", "audit_trail", "SCHEMA_VERSION"]
