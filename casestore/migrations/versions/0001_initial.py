"""Revision 1: the schema of the case library before migrations (store_meta schema_version 1).

A database written by the app before Alembic has exactly these tables; ``casestore.migrate``
stamps it as this revision and upgrades from here. Frozen: never edit, add a revision instead.

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("label", sa.String(200)),
        sa.Column("search", sa.String(300), nullable=False),
        sa.Column("head_revision", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(40)),
    )
    op.create_index("ix_cases_updated", "cases", ["archived", "updated_at"])
    op.create_table(
        "revisions",
        sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.case_id"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("summary", sa.String(300), nullable=False),
        sa.Column("status", sa.String(40)),
        sa.Column("case_json", sa.Text, nullable=False),
    )
    op.create_table(
        "drafts",
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("user_name", sa.String(200), primary_key=True),
        sa.Column("base_revision", sa.Integer),
        sa.Column("saved_at", sa.String(40), nullable=False),
        sa.Column("case_json", sa.Text, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("detail", sa.String(300), nullable=False),
    )
    op.create_index("ix_audit_case", "audit", ["case_id", "id"])
    op.execute(sa.text("INSERT INTO store_meta (key, value) VALUES ('schema_version', '1')"))


def downgrade() -> None:
    for table in ("audit", "drafts", "revisions", "cases", "store_meta"):
        op.drop_table(table)
