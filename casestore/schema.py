"""Tables (SQLAlchemy Core), one definition for SQLite and PostgreSQL.

cases       one row per case: label, head revision, archived flag, last status, last change
revisions   every save, never updated or deleted: the whole case JSON + who/when/what changed
drafts      autosaved unsaved edits, one per (case, user); replaced as the user types
audit       archive / unarchive / import / export events (things that are not revisions)

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

SCHEMA_VERSION = 1
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
)
Index("ix_cases_updated", cases.c.archived, cases.c.updated_at)

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

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(64), nullable=False),
    Column("at", String(40), nullable=False),
    Column("user_name", String(200), nullable=False),
    Column("action", String(20), nullable=False),
    Column("detail", String(300), nullable=False, default=""),
)
Index("ix_audit_case", audit.c.case_id, audit.c.id)

__all__ = ["metadata", "meta", "cases", "revisions", "drafts", "audit", "SCHEMA_VERSION"]
