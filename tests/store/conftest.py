"""Fixtures: the same store tests run on SQLite and on a real, throwaway PostgreSQL server.

The PostgreSQL cluster is created with initdb in a temporary folder and listens only on a unix
socket in that folder (no TCP port). As root it runs as the ``postgres`` OS user through
``runuser``. The PostgreSQL parametrisation is skipped only when the server binaries are not
installed (``apt-get install -y postgresql``, or scripts/install-postgres.sh); a cluster that
is installed but fails to start is an error, not a skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from sqlalchemy import create_engine

from casestore import CaseStore
from store_helpers import example_cases



def _pg_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _as_postgres(argv: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


@pytest.fixture(scope="session")
def postgres_url():
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed: "
                    "run scripts/install-postgres.sh (apt-get install -y postgresql)")
    base = Path(tempfile.mkdtemp(prefix="mmnav-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        for path in (base, sock):
            os.chown(path, postgres.pw_uid, postgres.pw_gid)
    run = lambda argv: subprocess.run(_as_postgres(argv), check=True, capture_output=True, text=True)  # noqa: E731
    run([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
    port = "54329"
    options = f"-c listen_addresses='' -c unix_socket_directories='{sock}' -c port={port} -c fsync=off"
    run([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"])
    try:
        run([str(bindir / "createdb"), "-h", str(sock), "-p", port, "-U", "postgres", "mmnav_test"])
        yield f"postgresql+psycopg://postgres@/mmnav_test?host={sock}&port={port}"
    finally:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """A URL of an empty store: a SQLite file in a temp dir, or the throwaway PostgreSQL db."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
        return
    url = request.getfixturevalue("postgres_url")
    empty_postgres(url)
    yield url


def empty_postgres(url: str) -> None:
    """Every table gone (the store's, Alembic's version table, any older schema's)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


@pytest.fixture
def store(store_url):
    opened = CaseStore.open(store_url)
    yield opened
    opened.close()


@pytest.fixture
def examples():
    return example_cases()
