"""Schema upgrades (Alembic), run by ``CaseStore`` when it opens a database.

* a new, empty database is built by running every revision from the first;
* a database written before migrations existed (tables, no ``alembic_version``; its
  ``store_meta`` says schema 1) is stamped as revision ``0001`` and upgraded;
* a database at the newest revision is left alone (no Alembic import: fast start);
* a database at a revision this code does not know (written by a newer version) is refused.

Everything runs in one transaction on one connection: SQLite ``BEGIN IMMEDIATE`` and a
PostgreSQL advisory lock, so several app processes starting at once upgrade exactly once and
a failed upgrade leaves the database as it was. Nothing to run by hand; the same is available
as ``python -m casestore upgrade --db URL``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection

HEAD = "0002"
KNOWN = ("0001", "0002")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
PG_MIGRATION_LOCK = 731_702_418


class NewerSchema(RuntimeError):
    def __init__(self, found: str):
        self.found = found
        super().__init__(f"the database was written by a newer version of the app (schema revision {found}); "
                         f"this version knows up to {HEAD}")


def _config(conn: Connection, default_team: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    config.attributes["default_team"] = default_team
    return config


def current_revision(conn: Connection) -> str | None:
    """The Alembic revision of the database; ``0001`` for a pre-migration one; None if empty."""
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" in tables:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if "cases" in tables:
        version = conn.execute(text("SELECT value FROM store_meta WHERE key = 'schema_version'")).scalar() \
            if "store_meta" in tables else "1"
        if version not in (None, "1"):
            raise NewerSchema(f"schema_version {version} without alembic_version")
        return "0001"
    return None


def upgrade(engine: Engine, default_team: str = "local") -> tuple[str | None, str]:
    """Bring the database to ``HEAD``; returns (revision before, revision after)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
            before = current_revision(conn)
            if before == HEAD:
                return before, HEAD
            if before is not None and before not in KNOWN:
                raise NewerSchema(before)
            from alembic import command

            config = _config(conn, default_team)
            if before is not None and "alembic_version" not in inspect(conn).get_table_names():
                command.stamp(config, before)
            command.upgrade(config, HEAD)
    return before, HEAD


__all__ = ["HEAD", "KNOWN", "NewerSchema", "current_revision", "upgrade"]
