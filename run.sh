#!/usr/bin/env bash
# Install what the app needs (once; fast when already installed) and start it with ex-01 loaded.
#   ./run.sh                  -> http://127.0.0.1:8501
#   ./run.sh --server.port 8600
set -euo pipefail
cd "$(dirname "$0")"

ensure_venv() {
  if [ ! -x .venv/bin/python ]; then
    if ! python3 -m venv .venv 2>/dev/null; then
      echo "run.sh: python3-venv is missing; installing it" >&2
      as_root apt-get install -y python3-venv || { as_root apt-get update && as_root apt-get install -y python3-venv; }
      python3 -m venv .venv
    fi
  fi
  local stamp=.venv/.requirements.sha256
  local want
  want=$(sha256sum requirements.txt | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    .venv/bin/python -m pip install --disable-pip-version-check -q -r requirements.txt
    echo "$want" > "$stamp"
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive "$@"; else sudo DEBIAN_FRONTEND=noninteractive "$@"; fi
}

ensure_venv
exec .venv/bin/python serve.py run app.py "$@"  # = streamlit run app.py, with the app imported while the server starts
