#!/usr/bin/env bash
# The durable aggregator's kill drill (docs/DURABILITY.md): runs a preset with --journal once
# uninterrupted, then the same run SIGKILLed (kill -9, no shutdown hook, no flush) at several
# points — each resume killed again at a later point — and finally resumed to its end. It prints,
# for every kill, how far the run had come, and at the end the updates accepted and rejected, lost
# (must be 0) and applied twice (must be 0), and whether the final model and rounds.csv (without
# wall_time_s) are bit-identical to the uninterrupted run's. Exit 0 only if all of that holds.
#
# Usage: scripts/resume-drill.sh [PRESET] [KILL_AT_ROWS...]
#   PRESET        default fedasync-fmnist (on 6000 training / 2000 test images, 60 versions)
#   KILL_AT_ROWS  kill when rounds.csv holds this many rows (default: 3 6 9)
# Environment: DRILL_DIR (default /tmp/resume-drill), DRILL_SETS (the --set options), and
# FEDPRUNE_JOURNAL_* / DRILL_SETS with journal.store=postgresql for the PostgreSQL drill.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preset="${1:-fedasync-fmnist}"
shift || true
kills=("$@")
[ ${#kills[@]} -gt 0 ] || kills=(3 6 9)
work="${DRILL_DIR:-/tmp/resume-drill}"
read -r -a sets <<< "${DRILL_SETS:---set data.train-limit=6000 --set data.test-limit=2000 --set stop.max-rounds=60 --set eval.every=5}"
fedprune="$here/fedprune"

rm -rf "$work"
mkdir -p "$work"
"$fedprune" --version >/dev/null # builds first if needed, outside any timing

echo "drill: $preset ${sets[*]}"
start=$(date +%s%N)
"$fedprune" run "$preset" "${sets[@]}" --set journal.id=drill-reference --journal --quiet --out "$work/reference" \
  > "$work/reference.log" 2>&1
echo "uninterrupted: $(grep -E 'journal|after' "$work/reference.log" | tr '\n' ' ')"
echo "uninterrupted wall: $(( ($(date +%s%N) - start) / 1000000 )) ms"

rows() { [ -f "$1/rounds.csv" ] && echo $(( $(wc -l < "$1/rounds.csv") - 1 )) || echo 0; }

run_dir="$work/killed"
first=1
for k in "${kills[@]}"; do
  if [ "$first" = 1 ]; then
    "$fedprune" run "$preset" "${sets[@]}" --set journal.id=drill-killed --journal --quiet --out "$run_dir" \
      > "$work/kill-$k.log" 2>&1 &
    first=0
  else
    "$fedprune" resume "$run_dir" --quiet > "$work/kill-$k.log" 2>&1 &
  fi
  pid=$!
  while kill -0 "$pid" 2>/dev/null && [ "$(rows "$run_dir")" -lt "$k" ]; do
    sleep 0.05
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    echo "SIGKILL at $(rows "$run_dir") rows of rounds.csv; durable: $("$fedprune" journal "$run_dir" 2>/dev/null \
      | grep '^journal' | cut -d: -f2)"
  else
    wait "$pid" 2>/dev/null || true
    echo "the run ended before $k rows: not killed"
  fi
done

start=$(date +%s%N)
"$fedprune" resume "$run_dir" --quiet > "$work/resume.log" 2>&1
echo "final resume: $(grep -E 'journal|after' "$work/resume.log" | tr '\n' ' ')"
echo "final resume wall: $(( ($(date +%s%N) - start) / 1000000 )) ms"

ok=0
if cmp -s "$work/reference/final-model.bin" "$run_dir/final-model.bin"; then
  echo "final model: bit-identical ($(stat -c %s "$run_dir/final-model.bin") bytes)"
else
  echo "final model: DIFFERS"; ok=1
fi
strip() { cut -d, -f1,2,4- "$1"; } # every column but wall_time_s
if diff <(strip "$work/reference/rounds.csv") <(strip "$run_dir/rounds.csv") >/dev/null; then
  echo "rounds.csv: identical apart from wall_time_s ($(rows "$run_dir") rows)"
else
  echo "rounds.csv: DIFFERS"; ok=1
fi
count() { grep -o "\"$2\" : [0-9]*" "$1/summary.json" | grep -o '[0-9]*$'; }
echo "updates accepted $(count "$run_dir" updates_accepted) (uninterrupted $(count "$work/reference" updates_accepted)),"\
" rejected $(count "$run_dir" updates_rejected) (uninterrupted $(count "$work/reference" updates_rejected))"
"$fedprune" journal "$run_dir" --against "$work/reference" 2>/dev/null | grep -E '^(journal|against)' || ok=1
[ -d "$run_dir/journal" ] && echo "journal size: $(du -sk "$run_dir/journal" | cut -f1) KiB (H2 file)"
exit "$ok"
