"""Through nginx: health, TLS, security headers, redirect to https, sticky sessions."""

from __future__ import annotations

import http.client
import re
import secrets

import pytest

from .conftest import up

pytestmark = pytest.mark.deploy


def test_health_through_nginx_with_security_headers(trial):
    status, headers, body = up.https_get(f"{trial.url}/_stcore/health")
    assert (status, body) == (200, b"ok")
    lower = {k.lower(): v for k, v in headers.items()}
    assert lower["server"] == "nginx"  # server_tokens off: no version
    assert "frame-ancestors 'none'" in lower["content-security-policy"]
    assert "script-src 'self' 'sha256-" in lower["content-security-policy"]
    assert lower["x-frame-options"] == "DENY"
    assert lower["x-content-type-options"] == "nosniff"
    assert lower["referrer-policy"] == "no-referrer"
    assert "uvicorn" not in str(headers).lower()
    app_cookies = [v for k, v in headers.items() if k.lower() == "set-cookie" and v.startswith("_streamlit")]
    assert app_cookies and all("Secure" in cookie for cookie in app_cookies)


def test_security_headers_also_on_errors(trial):
    status, headers, _ = up.https_get(f"{trial.url}/no-such-file.js")
    lower = {k.lower() for k in headers}
    assert {"content-security-policy", "x-frame-options"} <= lower, (status, headers)


def test_plain_http_redirects_to_https(trial):
    connection = http.client.HTTPConnection("127.0.0.1", trial.config.http_port, timeout=5)
    connection.request("GET", "/clinical-assessment?x=1", headers={"Host": "localhost"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == f"https://localhost:{trial.config.https_port}/clinical-assessment?x=1"


def _upstreams_for(trial, cookie: str | None, n: int) -> set[str]:
    marker = secrets.token_hex(8)
    for _ in range(n):
        up.https_get_with_cookie(f"{trial.url}/_stcore/health?probe={marker}", cookie)
    log = (trial.run_dir / "nginx-access.log").read_text()
    return {m.group(1) for m in re.finditer(rf"probe={marker} .*? upstream=(\S+)", log)}


def test_sticky_route_cookie_keeps_a_browser_on_one_process(trial):
    status, headers, _ = up.https_get(f"{trial.url}/_stcore/health")
    route = [v for k, v in headers.items() if k.lower() == "set-cookie" and v.startswith("mmnav_route=")]
    assert route and "Secure" in route[0] and "HttpOnly" in route[0]
    cookie = route[0].split(";", 1)[0]
    assert len(_upstreams_for(trial, cookie, 12)) == 1
    # without the cookie each request gets a fresh random route: both processes serve
    assert len(_upstreams_for(trial, None, 24)) == 2
