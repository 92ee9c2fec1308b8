"""Revision 2: teams, the hash-chained audit trail, import provenance (issues #17, #13).

* ``cases.team``: every case belongs to a team; existing cases go to the default team
  (``MMNAV_DEFAULT_TEAM``, default ``local``), passed in by ``casestore.migrate``.
* ``audit_trail`` replaces ``audit``: the old rows are carried over, oldest first, into the
  hash chain, followed by one ``migrate`` row; ``audit`` is dropped.
* ``revisions.imported_by/imported_at`` and ``claimed_by/claimed_at/claimed_action``: an
  imported revision keeps the importer apart from what the file claimed.

Revision ID: 0002
Revises: 0001
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

from casestore.audit import GENESIS, row_hash

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    team = op.get_context().config.attributes.get("default_team") or "local"
    op.add_column("cases", sa.Column("team", sa.String(100), nullable=False, server_default=team))
    if bind.dialect.name != "sqlite":  # SQLite cannot drop a default without rebuilding the table
        op.alter_column("cases", "team", server_default=None)
    op.create_index("ix_cases_team", "cases", ["team", "archived", "updated_at"])
    for name, length in (("imported_by", 200), ("imported_at", 40), ("claimed_by", 200),
                         ("claimed_at", 40), ("claimed_action", 20)):
        op.add_column("revisions", sa.Column(name, sa.String(length)))

    trail = op.create_table(
        "audit_trail",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("case_id", sa.String(64)),
        sa.Column("revision", sa.Integer),
        sa.Column("detail", sa.String(300), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_trail_case", "audit_trail", ["case_id", "seq"])

    old = bind.execute(sa.text(
        "SELECT case_id, at, user_name, action, detail FROM audit ORDER BY id")).all()
    had_cases = bind.execute(sa.text("SELECT COUNT(*) FROM cases")).scalar()
    rows, prev = [], GENESIS
    events = [(r.at, r.user_name, r.action, r.case_id, None, r.detail or "") for r in old]
    if had_cases or events:
        now = datetime.now(UTC).isoformat(timespec="microseconds")
        events.append((now, "system", "migrate", None, None, f"schema 1 -> 2; cases to team {team}"[:300]))
    for seq, (at, who, action, case_id, rev, detail) in enumerate(events, start=1):
        digest = row_hash(prev, seq, at, who[:200], action, case_id, rev, detail[:300])
        rows.append(dict(seq=seq, at=at, who=who[:200], action=action, case_id=case_id, revision=rev,
                         detail=detail[:300], prev_hash=prev, hash=digest))
        prev = digest
    if rows:
        op.bulk_insert(trail, rows)
    op.drop_index("ix_audit_case", table_name="audit")
    op.drop_table("audit")
    op.execute(sa.text("UPDATE store_meta SET value = '2' WHERE key = 'schema_version'"))


def downgrade() -> None:
    raise NotImplementedError("the audit trail is append-only: restore a backup to go back")
