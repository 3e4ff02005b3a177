#!/usr/bin/env bash
# The kill drill (scripts/resume-drill.sh) with the journal on PostgreSQL from Debian's package
# (apt-get install postgresql) instead of the embedded H2 file. Starts a private database cluster
# in $PG_DIR on port $PG_PORT (never the system's cluster), makes a user and a database, runs the
# drill against it, and stops the cluster. Needs root (it runs PostgreSQL as the postgres user).
#
# Usage: scripts/resume-drill-postgres.sh [PRESET] [KILL_AT_ROWS...]   (as resume-drill.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${PG_DIR:-/tmp/resume-drill-pg}"
port="${PG_PORT:-55432}"
who=resume-drill-postgres
# shellcheck source=private-postgres.sh
source "$here/scripts/private-postgres.sh"

export DRILL_DIR="${DRILL_DIR:-/tmp/resume-drill-postgres}"
export DRILL_SETS="${DRILL_SETS:---set data.train-limit=6000 --set data.test-limit=2000 --set stop.max-rounds=60 --set eval.every=5} \
--set journal.store=postgresql --set journal.url=\"jdbc:postgresql://127.0.0.1:$port/fedprune\" --set journal.user=fedprune"
rc=0
"$here/scripts/resume-drill.sh" "$@" || rc=$?
echo "journal rows in PostgreSQL: $(pg_rows)"
exit $rc
