#!/usr/bin/env bash
# The live page's cost: `./fedprune demo` without and with --ui, alternating, TRIALS pairs
# (default 3). With --ui a headless chromium keeps the page open for the whole run (a watched
# page is the realistic case: it streams a snapshot every 250 ms). Prints one line per run and
# the ratio per pair; the run's own wall time (summary.json wall_time_s) excludes JVM start-up.
set -euo pipefail
cd "$(dirname "$0")/../.."
trials=${1:-3}
out=${OUT:-/tmp/fedprune-ui-cost}
mkdir -p "$out"
./fedprune list > /dev/null   # build first, outside the timings

wall() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["wall_time_s"])' "$1/summary.json"; }

for i in $(seq 1 "$trials"); do
  ./fedprune demo --force --out "$out/plain-$i" > "$out/plain-$i.log" 2>&1
  plain=$(wall "$out/plain-$i")

  ./fedprune demo --force --out "$out/ui-$i" --ui 0 > "$out/ui-$i.log" 2>&1 &
  demo=$!
  url=""
  for _ in $(seq 1 600); do
    url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$out/ui-$i.log" || true)
    [ -n "$url" ] && break
    sleep 0.1
  done
  profile=$(mktemp -d)
  chromium --headless=new --no-sandbox --disable-gpu --user-data-dir="$profile" --remote-debugging-port=0 \
      "$url" > /dev/null 2>&1 &
  browser=$!
  wait "$demo"
  kill "$browser"; wait "$browser" 2>/dev/null || true
  rm -rf "$profile"
  ui=$(wall "$out/ui-$i")
  python3 -c 'import sys; p, u = float(sys.argv[1]), float(sys.argv[2]); print(f"pair {sys.argv[3]}: plain {p:.1f} s, --ui {u:.1f} s, ratio {u / p:.3f}")' "$plain" "$ui" "$i"
done
# the two kinds of run must have the same history (all but wall time)
for i in $(seq 1 "$trials"); do
  cmp <(cut -d, -f1,2,4- "$out/plain-$i/rounds.csv") <(cut -d, -f1,2,4- "$out/ui-$i/rounds.csv") \
    && echo "pair $i: rounds.csv identical apart from wall_time_s"
done
