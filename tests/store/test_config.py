"""Configuration: SQLite file under MMNAV_DATA_DIR (created), PostgreSQL URL through psycopg 3."""

from __future__ import annotations

from casestore import CaseStore, StoreConfig
from casestore.config import SQLITE_FILE, normalise_url


def test_default_store_is_sqlite_in_the_configured_data_dir(tmp_path, monkeypatch):
    data = tmp_path / "nested" / "data"
    monkeypatch.setenv("MMNAV_DATA_DIR", str(data))
    monkeypatch.delenv("MMNAV_DATABASE_URL", raising=False)
    store = CaseStore.open()
    try:
        assert store.is_sqlite
        assert (data / SQLITE_FILE).exists()
        assert oct(data.stat().st_mode & 0o777) == "0o700"
    finally:
        store.close()


def test_database_url_wins_and_uses_psycopg3():
    config = StoreConfig.from_env({"MMNAV_DATABASE_URL": "postgresql://u@db/mmnav", "MMNAV_DATA_DIR": "/x"})
    assert config.url() == "postgresql+psycopg://u@db/mmnav"
    assert normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("sqlite:///a.db") == "sqlite:///a.db"
    assert StoreConfig.from_env({}).data_dir.as_posix() == "data"
