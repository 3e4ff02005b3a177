# Sourced by the PostgreSQL drills: starts a private database cluster of Debian's PostgreSQL
# package in $dir on port $port (never the system's cluster), with user "fedprune" (password
# "drill") owning database "fedprune"; stops it when the calling script exits. Needs root (the
# server runs as the postgres user). Defines pg_bin, as_pg and pg_rows (the journal's rows).
# Usage: dir=... port=... who=NAME; source "$here/scripts/private-postgres.sh"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || { echo "$who: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 2; }
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

pg_rows() { # the journal's rows per run: persistence id, events, payload size
  PGPASSWORD=drill psql -At -h 127.0.0.1 -p "$port" -U fedprune fedprune \
    -c 'SELECT persistence_id, count(*), pg_size_pretty(sum(octet_length(event_payload))) FROM event_journal GROUP BY 1' \
    | tr '\n' ' '
}
