#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: initdb in a temporary folder, a unix
# socket only (no TCP), trust authentication, no fsync; deleted when the command ends.
# The command finds the database in CARAVANE_TEST_DATABASE_URL.
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL is not installed (scripts/system-packages.sh installs it)" >&2
  exit 1
fi
pg_dir=$(mktemp -d /tmp/caravane-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# initdb refuses to run as root: then the cluster belongs to Debian's `postgres` user.
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$pg_dir"
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi
stop_cluster() {
  as_owner "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_cluster EXIT

as_owner "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  --no-sync >/dev/null
as_owner "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
  -o "-k $pg_dir -p $pg_port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  >/dev/null
as_owner "$pg_bin/createdb" -h "$pg_dir" -p "$pg_port" -U postgres caravane_test

export CARAVANE_TEST_DATABASE_URL="postgresql://postgres@/caravane_test?host=$pg_dir&port=$pg_port"
echo "== PostgreSQL $(basename "$(dirname "$pg_bin")"): $*"
"$@"
