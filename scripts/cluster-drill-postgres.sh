#!/usr/bin/env bash
# The aggregator kill drill (scripts/cluster-drill.sh aggregator) with the journal on PostgreSQL from
# Debian's package (apt-get install postgresql) instead of the embedded H2 file. Starts a private
# database cluster in $PG_DIR on port $PG_PORT (never the system's cluster), makes a user and a
# database, runs the drill against it and stops the cluster. Needs root (PostgreSQL runs as postgres).
#
# Usage: scripts/cluster-drill-postgres.sh [clients|aggregator] [PRESET] [--set KEY=VALUE]...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
[ -x "$pg_bin/initdb" ] || { echo "cluster-drill-postgres: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 2; }
mode="aggregator"
if [ $# -gt 0 ] && { [ "$1" = clients ] || [ "$1" = aggregator ]; }; then mode="$1"; shift; fi
dir="${PG_DIR:-/tmp/cluster-drill-pg}"
port="${PG_PORT:-55433}"
as_pg() { runuser -u postgres -- "$@"; }

rm -rf "$dir"
mkdir -p "$dir"
chown postgres "$dir"
echo postgres > "$dir/pw" && chown postgres "$dir/pw"
as_pg "$pg_bin/initdb" -D "$dir/data" -A md5 --username=postgres --pwfile="$dir/pw" >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -l "$dir/log" -w start >/dev/null
trap 'as_pg "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true' EXIT
PGPASSWORD=postgres psql -q -h 127.0.0.1 -p "$port" -U postgres -c "CREATE USER fedprune PASSWORD 'drill'" \
  -c "CREATE DATABASE fedprune OWNER fedprune"
echo "$("$pg_bin/postgres" --version) on 127.0.0.1:$port"

export FEDPRUNE_JOURNAL_PASSWORD=drill
export DRILL_DIR="${DRILL_DIR:-/tmp/cluster-drill-$mode-postgres}"
rc=0
"$here/scripts/cluster-drill.sh" "$mode" "$@" --set journal.store=postgresql \
  --set "journal.url=\"jdbc:postgresql://127.0.0.1:$port/fedprune\"" --set journal.user=fedprune || rc=$?
echo "journal rows in PostgreSQL: $(PGPASSWORD=drill psql -At -h 127.0.0.1 -p "$port" -U fedprune fedprune \
  -c 'SELECT persistence_id, count(*), pg_size_pretty(sum(octet_length(event_payload))) FROM event_journal GROUP BY 1' \
  | tr '\n' ' ')"
exit $rc
