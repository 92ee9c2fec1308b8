"""Who may see cases: the access gate every page passes before any case is shown.

Two modes:

* **single-user** (default): no sign-in; the server is meant to listen on 127.0.0.1 only
  (``.streamlit/config.toml`` ``server.address``). The sidebar says so, and warns when the
  configured address is reachable from the network.
* **shared**: on when ``.streamlit/secrets.toml`` has an ``[auth]`` section (OpenID Connect,
  see docs/storage.md) or ``MMNAV_SHARED=1``. Until ``st.user.is_logged_in`` is true the page
  shows only a sign-in button and stops. Each revision records the signed-in user.

Roles and teams (issue #17; contract shared with ``deploy/``): the ID token's claims carry
``mmrn_role`` (clinician | reviewer | teacher) and ``mmrn_teams`` (a list, or one string
separated by spaces or commas). ``principal_from_claims`` turns them into a ``Principal``; a
missing or unknown role gets no access and a message in both languages. Single-user mode is one
local clinician in the default team (``MMNAV_DEFAULT_TEAM``, default ``local``). Administrators
of the audit trail are listed in the configuration: ``[audit] admins = ["a@b", …]`` in
``.streamlit/secrets.toml`` (or ``MMNAV_AUDIT_ADMINS``, comma-separated); in single-user mode the
local user is the administrator of their own machine.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from typing import Any

import streamlit as st

from casestore import ROLES, TEACHER, Principal, StoreConfig, parse_teams

from .i18n import tr

SESSION_USER_KEY = "auth_user"
SESSION_PRINCIPAL_KEY = "auth_principal"
ROLE_CLAIM, TEAMS_CLAIM = "mmrn_role", "mmrn_teams"
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


def _name_from(claims: dict[str, Any]) -> str:
    for claim in ("email", "preferred_username", "name", "sub"):
        value = claims.get(claim)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "signed-in user"


@dataclass(frozen=True, slots=True)
class AccessProblem:
    """Why a signed-in user gets no access: a message key of ``ui/texts/store.py`` and values."""

    key: str
    values: tuple[tuple[str, str], ...] = ()

    def message(self, lang: str) -> str:
        return tr(self.key, lang, **dict(self.values))

    def both(self) -> str:
        """English and Chinese together: the session's language may not be chosen yet."""
        return f"{self.message('en')}\n\n{self.message('zh')}"


def principal_from_claims(claims: dict[str, Any]) -> Principal | AccessProblem:
    """The principal of an ID token's claims (pure). ``mmrn_role`` must be one of the roles;
    ``mmrn_teams`` a list or a space/comma-separated string. A clinician or reviewer without a
    team gets no access (they would see nothing); a teacher needs no team."""
    role = claims.get(ROLE_CLAIM)
    if role is None or (isinstance(role, str) and not role.strip()):
        return AccessProblem("access.no_role")
    if not isinstance(role, str) or role.strip().lower() not in ROLES:
        return AccessProblem("access.bad_role", (("role", repr(str(role))[:60]),))
    role = role.strip().lower()
    teams = parse_teams(claims.get(TEAMS_CLAIM))
    if role != TEACHER and not teams:
        return AccessProblem("access.no_team")
    return Principal(_name_from(claims), role, teams)


def local_principal() -> Principal:
    """Single-user mode: one local clinician in the default team."""
    return Principal(local_user(), "clinician", (StoreConfig.from_env().default_team,))


def audit_admins() -> set[str]:
    admins: set[str] = set()
    try:
        if "audit" in st.secrets:
            listed = st.secrets["audit"].get("admins", [])
            admins |= {a.strip() for a in (listed if isinstance(listed, (list, tuple)) else str(listed).split(","))
                       if isinstance(a, str) and a.strip()}
    except Exception:
        pass
    admins |= {a.strip() for a in os.environ.get("MMNAV_AUDIT_ADMINS", "").split(",") if a.strip()}
    return admins


def is_admin(principal: Principal | None) -> bool:
    """May see the audit trail: listed in ``[audit] admins``; in single-user mode, the local user."""
    if principal is None:
        return False
    return not shared_mode() or principal.user in audit_admins()


def _record_sign_in(principal: Principal) -> None:
    """One ``sign_in`` row per browser session (ids only)."""
    if st.session_state.get("auth_sign_in_recorded") == principal.user:
        return
    try:
        from .library_session import get_store

        get_store().record_event(None, principal, "sign_in", detail=f"role {principal.role}")
        st.session_state["auth_sign_in_recorded"] = principal.user
    except Exception:  # the trail is written by the store; a database down is shown by the library
        pass


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
        st.session_state[SESSION_PRINCIPAL_KEY] = local_principal()
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
        st.session_state.pop(SESSION_PRINCIPAL_KEY, None)
        st.error(_t(problem, n=MIN_COOKIE_SECRET_BYTES, command=MAKE_SECRET))
        st.stop()
    if not bool(st.user.get("is_logged_in", False)):
        st.session_state.pop(SESSION_USER_KEY, None)
        st.session_state.pop(SESSION_PRINCIPAL_KEY, None)
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

    claims = {key: st.user.get(key) for key in ("email", "preferred_username", "name", "sub", ROLE_CLAIM, TEAMS_CLAIM)}
    principal = principal_from_claims(claims)
    if isinstance(principal, AccessProblem):  # signed in, but no (known) role: nothing is shown
        st.session_state.pop(SESSION_USER_KEY, None)
        st.session_state.pop(SESSION_PRINCIPAL_KEY, None)
        st.error(principal.both())
        if st.button(_t("sign_out"), key="auth_logout_refused"):
            st.logout()
        st.stop()
    user = principal.user
    st.session_state[SESSION_USER_KEY] = user
    st.session_state[SESSION_PRINCIPAL_KEY] = principal
    _record_sign_in(principal)
    st.sidebar.caption(_t("signed_in", user=user))
    st.sidebar.caption(tr("access.role_line", _lang(), role=tr(f"role.{principal.role}", _lang()),
                          teams=", ".join(principal.teams) or "—"))
    if st.sidebar.button(_t("sign_out"), key="auth_logout"):
        st.logout()
    return user


def current_principal() -> Principal | None:
    """The principal recorded by ``require_access`` in this session (None before the gate ran)."""
    return st.session_state.get(SESSION_PRINCIPAL_KEY)


def current_user() -> str | None:
    """The user recorded by ``require_access`` in this session (None before the gate ran)."""
    return st.session_state.get(SESSION_USER_KEY)
