"""Who may see cases: the access gate every page passes before any case is shown.

Two modes:

* **single-user** (default): no sign-in; the server is meant to listen on 127.0.0.1 only
  (``.streamlit/config.toml`` ``server.address``). The sidebar says so, and warns when the
  configured address is reachable from the network.
* **shared**: on when ``.streamlit/secrets.toml`` has an ``[auth]`` section (OpenID Connect,
  see docs/storage.md) or ``MMNAV_SHARED=1``. Until ``st.user.is_logged_in`` is true the page
  shows only a sign-in button and stops. Each revision records the signed-in user.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

import streamlit as st

from .i18n import tr

SESSION_USER_KEY = "auth_user"
LOCAL_ADDRESSES = ("127.0.0.1", "localhost", "::1")
#: The login cookie is signed with ``cookie_secret``: anyone who knows it can forge a sign-in (#13).
MIN_COOKIE_SECRET_BYTES = 32
EXAMPLE_SECRET_MARKERS = ("REPLACE", "CHANGE-ME", "CHANGEME", "EXAMPLE")
MAKE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


def _lang() -> str:
    return "zh" if st.session_state.get("side_lang") == "zh" else "en"


def _t(key: str, **values: Any) -> str:
    return tr(f"auth.{key}", _lang(), **values)


def auth_section() -> dict[str, Any] | None:
    """The ``[auth]`` section of the secrets, or None (no secrets file is not an error)."""
    try:
        if "auth" in st.secrets:
            return dict(st.secrets["auth"])
    except Exception:  # no secrets.toml at all, or an unreadable one: treat as not configured
        return None
    return None


def cookie_secret_problem(section: dict[str, Any]) -> str | None:
    """Why ``[auth] cookie_secret`` cannot be trusted (a message key), or None when it can.

    When the secret is missing, shorter than 32 bytes, or still the example's placeholder, then the
    app refuses shared mode: a cookie signed with a known secret would sign anyone in as anyone.
    """
    secret = section.get("cookie_secret")
    if not isinstance(secret, str) or not secret.strip():
        return "secret_missing"
    if any(marker in secret.upper() for marker in EXAMPLE_SECRET_MARKERS):
        return "secret_example"
    if len(secret.encode("utf-8")) < MIN_COOKIE_SECRET_BYTES:
        return "secret_short"
    return None


def shared_mode() -> bool:
    return auth_section() is not None or os.environ.get("MMNAV_SHARED", "").strip() == "1"


def _providers(section: dict[str, Any]) -> list[str]:
    """Named providers (``[auth.keycloak]``…); empty when the provider keys are in [auth] itself."""
    return [name for name, value in section.items() if isinstance(value, dict)]


def _signed_in_name() -> str:
    user = st.user
    for claim in ("email", "preferred_username", "name", "sub"):
        value = user.get(claim)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "signed-in user"


def local_user() -> str:
    try:
        name = getpass.getuser()
    except Exception:
        name = "user"
    return f"local:{os.environ.get('MMNAV_LOCAL_USER') or name}"


def require_access() -> str:
    """Return the user's name; in shared mode stop the page (``st.stop``) until signed in."""
    if not shared_mode():
        user = local_user()
        st.session_state[SESSION_USER_KEY] = user
        address = str(st.get_option("server.address") or "")
        if address and address not in LOCAL_ADDRESSES:
            st.sidebar.warning(_t("exposed", address=address))
        else:
            st.sidebar.caption(_t("single"))
        return user

    section = auth_section()
    problem = cookie_secret_problem(section) if section is not None else None
    if problem is not None:  # before anything else: a forgeable cookie must not sign anyone in
        st.session_state.pop(SESSION_USER_KEY, None)
        st.error(_t(problem, n=MIN_COOKIE_SECRET_BYTES, command=MAKE_SECRET))
        st.stop()
    if not bool(st.user.get("is_logged_in", False)):
        st.session_state.pop(SESSION_USER_KEY, None)
        st.header(_t("title"))
        if section is None:
            st.error(_t("not_configured"))
            st.stop()
        st.write(_t("why"))
        providers = _providers(section)
        if len(providers) > 1:
            for provider in providers:
                if st.button(f"{_t('button')}: {provider}", key=f"auth_login_{provider}"):
                    st.login(provider)
        elif st.button(_t("button"), key="auth_login", type="primary"):
            st.login(providers[0]) if providers else st.login()
        st.stop()

    user = _signed_in_name()
    st.session_state[SESSION_USER_KEY] = user
    st.sidebar.caption(_t("signed_in", user=user))
    if st.sidebar.button(_t("sign_out"), key="auth_logout"):
        st.logout()
    return user


def current_user() -> str | None:
    """The user recorded by ``require_access`` in this session (None before the gate ran)."""
    return st.session_state.get(SESSION_USER_KEY)
