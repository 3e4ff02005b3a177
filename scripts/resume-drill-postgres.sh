#!/usr/bin/env bash
# The kill drill (scripts/resume-drill.sh) with the journal on PostgreSQL from Debian's package
# (apt-get install postgresql) instead of the embedded H2 file. Starts a private database cluster
# in $PG_DIR on port $PG_PORT (never the system's cluster), makes a user and a database, runs the
# drill against it, and stops the cluster. Needs root (it runs PostgreSQL as the postgres user).
#
# Usage: scripts/resume-drill-postgres.sh [PRESET] [KILL_AT_ROWS...]   (as resume-drill.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
[ -x "$pg_bin/initdb" ] || { echo "resume-drill-postgres: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 2; }
dir="${PG_DIR:-/tmp/resume-drill-pg}"
port="${PG_PORT:-55432}"
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
export DRILL_DIR="${DRILL_DIR:-/tmp/resume-drill-postgres}"
export DRILL_SETS="${DRILL_SETS:---set data.train-limit=6000 --set data.test-limit=2000 --set stop.max-rounds=60 --set eval.every=5} \
--set journal.store=postgresql --set journal.url=\"jdbc:postgresql://127.0.0.1:$port/fedprune\" --set journal.user=fedprune"
rc=0
"$here/scripts/resume-drill.sh" "$@" || rc=$?
echo "journal rows in PostgreSQL: $(PGPASSWORD=drill psql -At -h 127.0.0.1 -p "$port" -U fedprune fedprune \
  -c 'SELECT persistence_id, count(*), pg_size_pretty(sum(octet_length(event_payload))) FROM event_journal GROUP BY 1' \
  | tr '\n' ' ')"
exit $rc
