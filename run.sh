#!/usr/bin/env bash
# Install what the app needs (once; fast when already installed) and start it with ex-01 loaded.
#   ./run.sh                  -> http://127.0.0.1:8501
#   ./run.sh --server.port 8600
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-python.sh  # the venv and the pinned packages (shared with ./test.sh)
exec .venv/bin/python serve.py run app.py "$@"  # = streamlit run app.py, with the app imported while the server starts
