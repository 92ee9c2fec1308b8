#!/usr/bin/env bash
# The venv and the pinned Python packages, shared by ./run.sh and ./test.sh (one way to install).
# Idempotent: pip runs only when requirements*.txt changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive "$@"; else sudo DEBIAN_FRONTEND=noninteractive "$@"; fi
}

if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    echo "install-python.sh: python3-venv is missing; installing it" >&2
    as_root apt-get install -y python3-venv </dev/null || { as_root apt-get update </dev/null && as_root apt-get install -y python3-venv </dev/null; }
    python3 -m venv .venv
  fi
fi

install_if_changed() {  # $1 requirements file, $2 stamp, rest: extra pip flags
  local file=$1 stamp=$2 want
  shift 2
  want=$(sha256sum "$file" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    .venv/bin/python -m pip install --disable-pip-version-check -q "$@" -r "$file"
    echo "$want" > "$stamp"
  fi
}

install_if_changed requirements.txt .venv/.requirements.sha256
# Packages whose declared pins conflict with ours although they work with them (lifelines: pandas<3).
install_if_changed requirements-nodeps.txt .venv/.requirements-nodeps.sha256 --no-deps
