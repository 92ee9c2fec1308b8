"""Where the library lives, read from the environment once.

* ``MMNAV_DATABASE_URL`` — a SQLAlchemy URL; ``postgresql://…`` uses psycopg 3. When unset,
  an embedded SQLite file is used.
* ``MMNAV_DATA_DIR`` — folder of the SQLite file (default ``./data``), created on first run.
* ``MMNAV_DEFAULT_TEAM`` — the team of single-user mode, and of the cases of a database written
  before teams existed (default ``local``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SQLITE_FILE = "mmnav.sqlite3"
DEFAULT_DATA_DIR = "./data"
DEFAULT_TEAM = "local"


@dataclass(frozen=True, slots=True)
class StoreConfig:
    data_dir: Path
    database_url: str | None
    default_team: str = DEFAULT_TEAM

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "StoreConfig":
        env = os.environ if environ is None else environ
        url = (env.get("MMNAV_DATABASE_URL") or "").strip() or None
        team = (env.get("MMNAV_DEFAULT_TEAM") or "").strip()[:100] or DEFAULT_TEAM
        return cls(Path(env.get("MMNAV_DATA_DIR") or DEFAULT_DATA_DIR), url, team)

    def url(self) -> str:
        """The SQLAlchemy URL: the configured one (driver made explicit), or the SQLite file."""
        if self.database_url:
            return normalise_url(self.database_url)
        return sqlite_url(self.data_dir)


def normalise_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` mean psycopg 3 (the binary driver we ship)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def sqlite_url(data_dir: Path | str) -> str:
    """The SQLite file inside ``data_dir`` (created with 0700 when missing)."""
    directory = Path(data_dir).expanduser()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return "sqlite:///" + str((directory / SQLITE_FILE).resolve())
