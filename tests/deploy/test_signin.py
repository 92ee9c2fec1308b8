"""Sign-in through nginx (https) with the real OpenID provider of deploy/oidc-dev, in Chromium."""

from __future__ import annotations

import base64
import json

import pytest

from .conftest import sign_in

pytestmark = [pytest.mark.deploy, pytest.mark.e2e]


def _signed_cookie(context, name: str, secret: str) -> dict:
    """The app's signed auth cookie (chunks joined), checked with the app's secret, as JSON."""
    from streamlit.auth_util import get_cookie_with_chunks
    from streamlit.web.server.starlette.starlette_app_utils import decode_signed_value

    jar = {c["name"]: c["value"] for c in context.cookies()}

    def single(cookie_name: str) -> bytes | None:
        value = jar.get(cookie_name)
        return None if value is None else decode_signed_value(secret, cookie_name, value.strip('"').encode("latin-1"))

    raw = get_cookie_with_chunks(single, name)
    assert raw is not None, f"no valid {name} cookie"
    return json.loads(raw)


def _jwt_claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_signed_out_browser_sees_only_the_sign_in_button(trial, context):
    page = context.new_page()
    page.goto(trial.url)
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    body = page.locator("body").inner_text()
    assert "Signed in as" not in body
    assert "ex-01" not in body and "Patient & history" not in page.locator("h1").all_inner_texts()


def test_sign_in_round_trip_through_nginx(trial, context):
    page = context.new_page()
    csp_violations = []
    page.on("console", lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, trial, "alice")
    page.get_by_text("Signed in as alice@team-a.example").wait_for(timeout=30_000)
    assert page.url.startswith(trial.url)  # back at the app, through nginx, over https
    page.get_by_role("heading", name="Patient & history", level=1).wait_for(timeout=30_000)
    assert csp_violations == []  # the CSP of the nginx site does not break the app


def test_wrong_password_is_refused_by_the_provider(trial, context):
    page = context.new_page()
    sign_in(page, trial, "alice", password="not-her-password")
    page.locator("#problem").wait_for(timeout=10_000)
    assert "wrong password" in page.locator("#problem").inner_text()
    assert not page.url.startswith(trial.url)


def test_role_and_team_claims_arrive_at_the_app(trial, context, cookie_secret):
    page = context.new_page()
    sign_in(page, trial, "rita")
    page.get_by_text("Signed in as rita@team-a.example").wait_for(timeout=30_000)
    user = _signed_cookie(context, "_streamlit_user", cookie_secret)  # what st.user is built from
    assert user["mmrn_role"] == "reviewer" and user["mmrn_teams"] == ["A"]
    assert user["is_logged_in"] is True
    tokens = _signed_cookie(context, "_streamlit_user_tokens", cookie_secret)
    claims = _jwt_claims(tokens["id_token"])  # the contract: the ID token carries the claims
    assert claims["mmrn_role"] == "reviewer" and claims["mmrn_teams"] == ["A"]
    assert claims["iss"] == trial.oidc_issuer and claims["aud"] == "mmnav"
