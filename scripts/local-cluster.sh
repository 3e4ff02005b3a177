#!/usr/bin/env bash
# A cluster experiment on one machine: an aggregator node and N client nodes as separate JVMs on
# loopback, all `fedprune node` (real time, Pekko Cluster over Artery TCP, discovery through the
# Receptionist). Each client trains the shard an experiment of the preset would give it.
# Usage: scripts/local-cluster.sh N PRESET|FILE.conf [--set KEY=VALUE]...
# Logs: ${FEDPRUNE_CLUSTER_LOGS:-/tmp/fedprune-cluster}/{aggregator,client-i}.log
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 2 ]; then
  echo "usage: $0 N PRESET|FILE.conf [--set KEY=VALUE]..." >&2
  exit 2
fi
n="$1"; preset="$2"; shift 2
logs="${FEDPRUNE_CLUSTER_LOGS:-/tmp/fedprune-cluster}"
port="${FEDPRUNE_PORT:-25520}"
mkdir -p "$logs"
"$here/fedprune" --version >/dev/null # builds once, before the nodes start
export FEDPRUNE_JAVA_OPTS="${FEDPRUNE_JAVA_OPTS:--Xmx2g}"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

"$here/fedprune" node "$preset" --role aggregator --port "$port" --clients "$n" "$@" > "$logs/aggregator.log" 2>&1 &
agg=$!
for ((i = 0; i < n; i++)); do
  "$here/fedprune" node "$preset" --role client --id "$i" --seed-nodes "127.0.0.1:$port" "$@" \
    > "$logs/client-$i.log" 2>&1 &
  pids+=($!)
done
rc=0
wait "$agg" || rc=$?
grep -E "^(version|fedprune)" "$logs/aggregator.log" || true
for p in "${pids[@]}"; do wait "$p" || true; done
pids=()
exit "$rc"
