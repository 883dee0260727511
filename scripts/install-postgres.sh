#!/bin/sh
# Installs the PostgreSQL server binaries the storage tests start a throwaway cluster from.
#
# Idempotent and quiet. Does nothing when the binaries are already there or a test server is
# configured ($NEWSARCHIVE_TEST_PG), and nothing but a one-line note when it cannot install
# (not root, or no apt-get): the PostgreSQL half of the storage tests then skips, saying why.
set -eu

have_postgres() {
    command -v initdb >/dev/null 2>&1 && return 0
    for initdb in /usr/lib/postgresql/*/bin/initdb; do
        [ -x "$initdb" ] && return 0
    done
    return 1
}

if [ -n "${NEWSARCHIVE_TEST_PG:-}" ] || have_postgres; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-postgres: PostgreSQL not installed (needs root and apt-get); its tests will skip" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
have_postgres
