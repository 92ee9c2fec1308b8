#!/usr/bin/env bash
# Install the PostgreSQL server binaries used by tests/store (a throwaway cluster per test run).
# Debian/Ubuntu, as root. Without them the PostgreSQL half of tests/store is skipped with a reason.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || command -v initdb > /dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-postgres.sh: not root; install PostgreSQL yourself (apt-get install -y postgresql)" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get install -y -qq --no-install-recommends postgresql > /dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql > /dev/null; }; } </dev/null; then
    echo "install-postgres.sh: could not install postgresql; the PostgreSQL store tests will be skipped" >&2
    exit 0
fi
# Debian may start its own cluster (15/main); the tests use their own, so stop it to save memory.
pg_ctlcluster --help > /dev/null 2>&1 && pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | \
    while read -r version name; do pg_ctlcluster "$version" "$name" stop 2>/dev/null || true; done
exit 0
