"""Shared test set-up: no test writes into the working tree's data folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    # The app autosaves drafts into the case library; each test gets a library of its own.
    monkeypatch.setenv("MMNAV_DATA_DIR", str(tmp_path_factory.mktemp("mmnav-data")))
    monkeypatch.delenv("MMNAV_DATABASE_URL", raising=False)
    _forget_store()
    yield
    _forget_store()


def _forget_store() -> None:
    """Drop the app's cached store so the next test opens its own data folder."""
    from ui.library_session import get_store

    get_store.clear()
