#!/usr/bin/env bash
# The aggregator kill drill (scripts/cluster-drill.sh aggregator) with the journal on PostgreSQL from
# Debian's package (apt-get install postgresql) instead of the embedded H2 file. Starts a private
# database cluster in $PG_DIR on port $PG_PORT (never the system's cluster), makes a user and a
# database, runs the drill against it and stops the cluster. Needs root (PostgreSQL runs as postgres).
#
# Usage: scripts/cluster-drill-postgres.sh [clients|aggregator] [PRESET] [--set KEY=VALUE]...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="aggregator"
if [ $# -gt 0 ] && { [ "$1" = clients ] || [ "$1" = aggregator ]; }; then mode="$1"; shift; fi
dir="${PG_DIR:-/tmp/cluster-drill-pg}"
port="${PG_PORT:-55433}"
who=cluster-drill-postgres
# shellcheck source=private-postgres.sh
source "$here/scripts/private-postgres.sh"

export DRILL_DIR="${DRILL_DIR:-/tmp/cluster-drill-$mode-postgres}"
rc=0
"$here/scripts/cluster-drill.sh" "$mode" "$@" --set journal.store=postgresql \
  --set "journal.url=\"jdbc:postgresql://127.0.0.1:$port/fedprune\"" --set journal.user=fedprune || rc=$?
echo "journal rows in PostgreSQL: $(pg_rows)"
exit $rc
