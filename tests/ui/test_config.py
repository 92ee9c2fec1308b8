"""The Streamlit configuration a clinician's server needs."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))


def test_binds_to_localhost_with_xsrf_protection():
    assert CONFIG["server"]["address"] == "127.0.0.1"
    assert CONFIG["server"]["enableXsrfProtection"] is True


def test_no_usage_statistics_and_no_error_details():
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_upload_limit_fits_case_files():
    assert 1 <= CONFIG["server"]["maxUploadSize"] <= 10


def test_calm_light_theme():
    theme = CONFIG["theme"]
    assert theme["base"] == "light" and theme["backgroundColor"].upper() == "#FFFFFF"


def test_streamlit_reads_it():
    from streamlit import config

    config.get_config_options(force_reparse=True, options_from_flags={})
    assert config.get_option("client.showErrorDetails") == "none" or config.get_option("client.showErrorDetails") is False
