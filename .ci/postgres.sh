#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster.
#
#   .ci/postgres.sh COMMAND [ARG...]
#
# Creates a cluster in a temporary directory, listening only on 127.0.0.1 at a free
# port with trust authentication (test use only), creates the database `juara_test`,
# runs COMMAND with TEST_DATABASE_URL pointing at it, then stops the cluster and deletes
# the directory, whatever happens. Exits with COMMAND's status.
#
# If TEST_DATABASE_URL is already set, that server is used and nothing is started.
# If PostgreSQL is missing or does not start, the pass is skipped with a message
# (exit 0), except under CI=true, where that is an error.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

skip() {
    echo "postgres: PostgreSQL pass SKIPPED: $1" >&2
    if [[ "${CI:-}" == "true" ]]; then
        echo "postgres: CI=true, the PostgreSQL pass is required: failing." >&2
        exit 1
    fi
    exit 0
}

if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
    echo "postgres: using the given TEST_DATABASE_URL, no cluster started."
    exec "$@"
fi

# Debian keeps the server binaries out of PATH; take the newest installed version.
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bindir" ]] && command -v pg_ctl >/dev/null; then
    bindir=$(dirname "$(command -v pg_ctl)")
fi
[[ -n "$bindir" && -x "$bindir/initdb" ]] \
    || skip "initdb not found (install the Debian package postgresql)."

# The server refuses to run as root: run it as the postgres system user instead.
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || skip "running as root and there is no postgres user."
    command -v runuser >/dev/null || skip "running as root and runuser is not available."
    as_owner=(runuser -u postgres --)
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [[ ${#as_owner[@]} -eq 0 ]]; then
    workdir=$(mktemp -d "${TMPDIR:-/tmp}/juara-pg.XXXXXX")
else
    # /tmp rather than $TMPDIR: the postgres user must be able to reach the directory.
    workdir=$(mktemp -d /tmp/juara-pg.XXXXXX)
    chown postgres: "$workdir"
fi

pg() {
    # In the work directory, so the postgres user never needs access to the caller's cwd.
    (cd "$workdir" && "${as_owner[@]}" "$bindir/$1" "${@:2}")
}

started=
cleanup() {
    local status=$?
    if [[ -n "$started" ]]; then
        pg pg_ctl -D "$workdir/data" -m immediate -w stop >/dev/null || true
    fi
    rm -rf "$workdir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_log() {
    [[ -f "$workdir/server.log" ]] && tail -n 20 "$workdir/server.log" >&2 || true
}

pg initdb -D "$workdir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
    --no-sync >"$workdir/initdb.log" 2>&1 \
    || { cat "$workdir/initdb.log" >&2; skip "initdb failed (output above)."; }

# Durability is pointless for a throwaway cluster; turning it off makes tests faster.
server_options="-c listen_addresses=127.0.0.1 -p $port -k $workdir"
server_options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
started=yes
pg pg_ctl -D "$workdir/data" -l "$workdir/server.log" -o "$server_options" -w -t 30 start \
    >/dev/null || { show_log; skip "the server did not start (log above)."; }

pg createdb -h 127.0.0.1 -p "$port" -U postgres juara_test \
    || { show_log; skip "could not create the database juara_test."; }

export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/juara_test"
echo "postgres: $("$bindir/postgres" --version) on 127.0.0.1:$port, TEST_DATABASE_URL=$TEST_DATABASE_URL"
"$@"
