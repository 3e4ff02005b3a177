#!/usr/bin/env bash
# The malicious-clients table of docs/RESULTS.md (issue 12): preset attack-fmnist (fedavg-fmnist's
# 20 clients, 15 rounds) with no attacker, or 4 attackers (20 %, a seeded choice) uploading
# sign-flipped, tenfold-scaled or noise updates or NaN, and 6 sign-flippers (30 %), under the plain
# mean, the coordinate median, the trimmed mean (β = 0.2), norm clipping (C = 1) and the mean behind
# a screening norm bound (3). One run per cell, one JVM at a time, each in DIR/<attack>-<defence>;
# a cell whose run finished is skipped, so the script resumes. Then it prints the table (final
# accuracy, best, first version at 0.80, updates rejected).
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

# attack name : attack.malicious-clients : attack.kind
attacks=("none:0:sign-flip" "sign-flip:4:sign-flip" "scale:4:scale" "noise:4:noise" "nan:4:nan"
         "sign-flip-6:6:sign-flip")
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
  "$fedprune" run attack-fmnist --quiet --force --set attack.malicious-clients="$clients" \
      --set attack.kind="$kind" --set "fedavg.rule=\"$rule\"" --set screen.max-update-norm="$bound" \
      ${extra[@]+"${extra[@]}"} --out "$dir"
}

for a in none sign-flip scale; do
  for d in mean median trimmed clip screen; do
    cell "$a" "$d"
  done
done
cell nan mean # refused at the door by the finiteness check whatever the rule
for d in mean median; do
  cell noise "$d"
done
for d in mean median trimmed clip screen; do # 30 %: more attackers than the trimmed mean drops at each end
  cell sign-flip-6 "$d"
done

python3 - "$work" <<'PY'
import csv, json, os, sys
work = sys.argv[1]
defences = ["mean", "median", "trimmed", "clip", "screen"]
heads = ["mean", "median", "trimmed-mean(0.2)", "clip(1)", "mean + screen(3)"]
print("| attack | " + " | ".join(heads) + " |")
print("|---" * (len(heads) + 1) + "|")
for a, label in [("none", "none"), ("sign-flip", "4 sign-flip ×10"), ("scale", "4 scale ×10"),
                 ("noise", "4 noise ×10"), ("nan", "4 NaN"), ("sign-flip-6", "6 sign-flip ×10")]:
    cells = []
    for d in defences:
        folder = os.path.join(work, f"{a}-{d}")
        if not os.path.exists(os.path.join(folder, "summary.json")):
            cells.append("—")
            continue
        s = json.load(open(os.path.join(folder, "summary.json")))
        rounds = list(csv.DictReader(open(os.path.join(folder, "rounds.csv"))))
        first = next((r["version"] for r in rounds if float(r["test_accuracy"]) >= 0.80), None)
        text = f"**{s['final_accuracy']:.4f}** ({s['best_accuracy']:.4f}"
        text += f"; v{first}" if first else "; —"
        text += f"; {s['updates_rejected']} rej.)" if s["updates_rejected"] else ")"
        cells.append(text)
    print(f"| {label} | " + " | ".join(cells) + " |")
PY
