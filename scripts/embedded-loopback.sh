#!/usr/bin/env bash
# The embedding example as separate processes on loopback: one aggregator service and N client
# services (io.fedprune.examples.service), each client reading its own data folder, all on the
# public embedding API. Prints the aggregator's per-version accuracy; logs go to OUT/*.log.
# Usage: scripts/embedded-loopback.sh [N=3] [OUT=/tmp/fedprune-embedded] [PORT=25520]
# The CLI twin: ./fedprune run embedded-fedavg (same config file, same data split, same seeds).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-3}"
out="${2:-/tmp/fedprune-embedded}"
port="${3:-25520}"
config="$here/examples/src/main/resources/presets/embedded-fedavg.conf"
data="${FEDPRUNE_DATA_DIR:-/usr/share/datasets/fashion-mnist}"

"$here/fedprune" --version >/dev/null # builds the jars if needed
cp="$here/examples/target/fedprune-examples-0.1.0-SNAPSHOT.jar:$here/examples/target/lib/*"
java_run() { OMP_NUM_THREADS=1 java -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Xmx2g -cp "$cp" "$@"; }

mkdir -p "$out"
java_run io.fedprune.examples.service.PrepareFolders --data "$data" --clients "$n" --partition iid --seed 1 \
  --out "$out/data"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

java_run io.fedprune.examples.service.AggregatorService --port "$port" --clients "$n" --config "$config" \
  --test "$data" > "$out/aggregator.log" 2>&1 &
agg=$!
for ((i = 0; i < n; i++)); do
  java_run io.fedprune.examples.service.ClientService --id "$i" --data "$out/data/client-$i" \
    --seed-node "127.0.0.1:$port" --config "$config" > "$out/client-$i.log" 2>&1 &
  pids+=($!)
done
rc=0
wait "$agg" || rc=$?
grep -E "^(version|finished|aggregator)" "$out/aggregator.log" || true
for p in "${pids[@]}"; do wait "$p" || true; done
pids=()
exit "$rc"
