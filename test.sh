#!/usr/bin/env bash
# Install everything (Python packages, Chromium and a CJK font for the browser tests) and run the
# WHOLE test suite (pytest, all of tests/). Idempotent; fast when everything is installed.
#   ./test.sh                 all tests
#   ./test.sh tests/app -x    any pytest arguments
set -euo pipefail
cd "$(dirname "$0")"

as_root() {
  if [ "$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive "$@"; else sudo DEBIAN_FRONTEND=noninteractive "$@"; fi
}

apt_install() {  # apt-get update only when the package lists are missing or stale
  as_root apt-get install -y --no-install-recommends "$@" </dev/null \
    || { as_root apt-get update </dev/null && as_root apt-get install -y --no-install-recommends "$@" </dev/null; }
}

# 1. Python: the venv and the pinned requirements (runtime + test tools).
scripts/install-python.sh

# 2. System packages for the browser tests: Debian's chromium (Playwright cannot download its
#    own browsers here) and a CJK font (otherwise Chinese renders as boxes in screenshots).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
# pdfinfo/pdftoppm: page count and page images of the printed board report (tests/e2e/test_board_e2e.py).
command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
# A Java 17 runtime for the Spark tests (tests/cohort, @pytest.mark.spark: PySpark in local[2]).
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}" >&2
  apt_install "${missing[@]}"
fi
# axe-core for the accessibility browser tests (tests/e2e/test_a11y_e2e.py): pinned in
# tests/e2e/axe/package-lock.json, installed with npm ci when missing (node_modules is not committed).
if [ ! -f tests/e2e/axe/node_modules/axe-core/axe.min.js ]; then
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  (cd tests/e2e/axe && npm ci --no-audit --no-fund --loglevel=error)
fi
# PostgreSQL server binaries for tests/store (throwaway cluster per run; owned by the case library).
scripts/install-postgres.sh
# The deployment tests (tests/deploy): nginx as the TLS proxy, Node for the development OpenID
# provider deploy/oidc-dev (oidc-provider, from its committed package-lock.json).
deploy_missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || deploy_missing+=(nginx)
command -v node >/dev/null 2>&1 || deploy_missing+=(nodejs)
command -v npm >/dev/null 2>&1 || deploy_missing+=(npm)
command -v openssl >/dev/null 2>&1 || deploy_missing+=(openssl)
if [ ${#deploy_missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${deploy_missing[*]}" >&2
  apt_install "${deploy_missing[@]}"
fi
if [ ! -d deploy/oidc-dev/node_modules/oidc-provider ]; then
  (cd deploy/oidc-dev && npm ci --no-audit --no-fund --loglevel=error)
fi

# 3. The whole suite (testpaths = tests in pyproject.toml).
exec .venv/bin/python -m pytest "$@"
