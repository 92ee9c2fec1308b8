"""The deployment as deploy/up.py brings it up: a throwaway PostgreSQL cluster, the development
OpenID provider (deploy/oidc-dev, a real oidc-provider), two app processes started with the
ExecStart of deploy/systemd/mmnav-app@.service, nginx with the rendered site and TLS."""

from __future__ import annotations

import shutil
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))

import up  # noqa: E402

from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

USERS = {"alice": "alice-dev-pw", "bob": "bob-dev-pw", "rita": "rita-dev-pw", "tom": "tom-dev-pw"}


def _missing() -> str | None:
    if up.nginx_binary() is None:
        return "nginx is not installed (./test.sh installs it)"
    if not shutil.which("node"):
        return "node is not installed (./test.sh installs it)"
    if up._pg_bindir() is None:
        return "PostgreSQL is not installed (scripts/install-postgres.sh)"
    return None


@pytest.fixture(scope="session")
def trial() -> Iterator[up.Trial]:
    """Proxy + 2 app processes + PostgreSQL + sign-in, on loopback, for the whole session."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    with up.Trial(processes=2) as running:
        yield running


@pytest.fixture(scope="session")
def cookie_secret(trial: up.Trial) -> str:
    return tomllib.loads((trial.run_dir / "secrets.toml").read_text())["auth"]["cookie_secret"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (./test.sh installs it)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture
def context(browser):
    """A fresh browser profile that accepts the trial's self-signed certificate."""
    ctx = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 2200}, locale="en-GB")
    yield ctx
    ctx.close()


def sign_in(page, trial: up.Trial, user: str, password: str | None = None) -> None:
    """Open the app through nginx, press Sign in, sign in at the provider's own page."""
    page.goto(trial.url)
    page.get_by_role("button", name="Sign in").click()
    page.locator("#username").fill(user)
    page.locator("#password").fill(password or USERS[user])
    page.locator("#submit").click()
