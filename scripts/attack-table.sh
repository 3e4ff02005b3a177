#!/usr/bin/env bash
# The malicious-clients table of docs/RESULTS.md (issue 12): preset attack-fmnist (fedavg-fmnist's
# 20 clients, 15 rounds) with no attacker, or 4 attackers (a seeded choice) uploading sign-flipped
# or tenfold-scaled updates or NaN, under the plain mean, the coordinate median, the trimmed mean
# (β = 0.2), norm clipping (C = 1) and the mean behind a screening norm bound (3). One run per cell,
# one JVM at a time, each in DIR/<attack>-<defence>; a cell whose run finished is skipped, so the
# script resumes. Then it prints the table (final accuracy, rounds to 0.80, updates rejected).
#
# Usage: scripts/attack-table.sh [DIR]          (default /tmp/attack-table)
# Environment: FEDPRUNE (the launcher, default ./fedprune of this tree), ATTACK_SETS (extra --set
# options for every run, e.g. "--set stop.max-rounds=5" for a quick look).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-/tmp/attack-table}"
fedprune="${FEDPRUNE:-$here/fedprune}"
read -r -a extra <<< "${ATTACK_SETS:-}"
mkdir -p "$work"

# attack name : attack.clients : attack.kind
attacks=("none:0:sign-flip" "sign-flip:4:sign-flip" "scale:4:scale" "nan:4:nan")
# defence name : fedavg.rule : screen.max-update-norm
defences=("mean:mean:0" "median:median:0" "trimmed:trimmed-mean(0.2):0" "clip:clip(1):0" "screen:mean:3")

cell() { # attack defence
  local a="$1" d="$2" clients kind rule bound dir
  IFS=: read -r _ clients kind <<< "$(printf '%s\n' "${attacks[@]}" | grep "^$a:")"
  IFS=: read -r _ rule bound <<< "$(printf '%s\n' "${defences[@]}" | grep "^$d:")"
  dir="$work/$a-$d"
  if [ -f "$dir/summary.json" ] && ! grep -q '"stop_reason" : "interrupted"' "$dir/summary.json"; then
    echo "attack-table: $a-$d done already" >&2
    return
  fi
  echo "attack-table: $a-$d" >&2
  "$fedprune" run attack-fmnist --quiet --force --set attack.clients="$clients" --set attack.kind="$kind" \
      --set "fedavg.rule=\"$rule\"" --set screen.max-update-norm="$bound" ${extra[@]+"${extra[@]}"} --out "$dir"
}

for a in none sign-flip scale; do
  for d in mean median trimmed clip screen; do
    cell "$a" "$d"
  done
done
cell nan mean # refused at the door by the finiteness check whatever the rule

python3 - "$work" <<'PY'
import csv, json, os, sys
work = sys.argv[1]
defences = ["mean", "median", "trimmed", "clip", "screen"]
heads = ["mean", "median", "trimmed-mean(0.2)", "clip(1)", "mean + screen(3)"]
print("| attack (4 of 20 clients) | " + " | ".join(heads) + " |")
print("|---" * (len(heads) + 1) + "|")
for a, label in [("none", "none (0 attackers)"), ("sign-flip", "sign-flip ×10"), ("scale", "scale ×10"),
                 ("nan", "NaN")]:
    cells = []
    for d in defences:
        f = os.path.join(work, f"{a}-{d}", "summary.json")
        if not os.path.exists(f):
            cells.append("—")
            continue
        s = json.load(open(f))
        rounds = list(csv.DictReader(open(os.path.join(work, f"{a}-{d}", "rounds.csv"))))
        first = next((r["version"] for r in rounds if float(r["test_accuracy"]) >= 0.80), None)
        text = f"{s['final_accuracy']:.4f} (best {s['best_accuracy']:.4f}"
        text += f"; 0.80 at v{first}" if first else ""
        text += f"; {s['updates_rejected']} rejected)" if s["updates_rejected"] else ")"
        cells.append(text)
    print(f"| {label} | " + " | ".join(cells) + " |")
PY
