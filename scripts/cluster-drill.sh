#!/usr/bin/env bash
# Fault drills on a real cluster: an aggregator node and four client nodes as separate JVMs on
# loopback (10 clients: nodes of 3, 3, 2 and 2), the aggregator journaling every input before it acts
# on it (fedprune node --journal). Two drills:
#
#   clients     SIGKILL the node of clients 0-2 (30 % of the clients) mid-run, start it again later:
#               its clients rejoin the run.
#   aggregator  SIGKILL the aggregator mid-run and start it again on its journal: it carries on from
#               the journaled state, and the client nodes (--serve) join it again.
#
# Then the counts: updates the clients sent (their logs), the ones the journal holds, accepted /
# rejected / stale (the aggregator's totals), lost (sent by a live client to a live aggregator and
# never journaled, or a version the old aggregator showed that the restart lacks: must be 0) and
# twice (an update journaled twice: must be 0).
#
# Usage: scripts/cluster-drill.sh clients|aggregator [PRESET] [--set KEY=VALUE]...
#   DRILL_DIR (default /tmp/cluster-drill-MODE), DRILL_KILL_AT (version, default 40),
#   DRILL_BACK_AT (clients: version at which the killed node starts again, default DRILL_KILL_AT + 5)
#   The journal is H2 in DRILL_DIR/journal unless --set journal.store=postgresql ... (see
#   scripts/cluster-drill-postgres.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-}"
case "$mode" in clients|aggregator) ;; *) echo "usage: $0 clients|aggregator [PRESET] [--set KEY=VALUE]..." >&2; exit 2;; esac
shift
preset="cluster-fedasync"
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then preset="$1"; shift; fi
dir="${DRILL_DIR:-/tmp/cluster-drill-$mode}"
kill_at="${DRILL_KILL_AT:-40}"
back_at="${DRILL_BACK_AT:-$((kill_at + 5))}"
agg_port=25520
rm -rf "$dir"; mkdir -p "$dir"
"$here/fedprune" --version >/dev/null # builds once, before the nodes start
export FEDPRUNE_JAVA_OPTS="${FEDPRUNE_JAVA_OPTS:--Xmx1g}"
groups=("0,1,2" "3,4,5" "6,7" "8,9")
declare -A node_pid
agg_pid=""

stop_all() { # SIGTERM (a node leaves the cluster), then SIGKILL whatever is still up after 20 s
  local pids=("$@") p i
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for ((i = 0; i < 40; i++)); do
    local up=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && up=1; done
    [ "$up" = 0 ] && break
    sleep 0.5
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
cleanup() { stop_all "${node_pid[@]}" $agg_pid; }
trap cleanup EXIT

now_ms() { date +%s%3N; }
log_event() { echo "$1 $(now_ms)" >> "$dir/events"; }

start_aggregator() { # $1: log file, $2: seed nodes
  "$here/fedprune" node "$preset" --role aggregator --port "$agg_port" --seed-nodes "$2" \
    --journal "$dir/journal-run" --timeout-s "${DRILL_TIMEOUT_S:-900}" "${sets[@]}" > "$1" 2>&1 &
  agg_pid=$!
}
start_node() { # $1: group index
  local g=$1
  "$here/fedprune" node "$preset" --role client --id "${groups[$g]}" --port $((25531 + g)) --serve \
    --seed-nodes "127.0.0.1:$agg_port,127.0.0.1:25531" "${sets[@]}" >> "$dir/node-$g.log" 2>&1 &
  node_pid[$g]=$!
}
version_now() { # the aggregator's last printed version, 0 before any
  local v
  v=$(grep -ho '^version [0-9]*' "$@" 2>/dev/null | awk '{print $2}' | sort -n | tail -1)
  echo "${v:-0}"
}
wait_version() { # $1: version, then log files
  local target=$1; shift
  while [ "$(version_now "$@")" -lt "$target" ]; do
    kill -0 "$agg_pid" 2>/dev/null || { echo "cluster-drill: the aggregator ended before version $target" >&2; return 1; }
    sleep 0.5
  done
}

sets=("$@")
log_event start
start_aggregator "$dir/aggregator.log" "127.0.0.1:$agg_port"
for g in 0 1 2 3; do start_node "$g"; done

if [ "$mode" = clients ]; then
  wait_version "$kill_at" "$dir/aggregator.log"
  kill -9 "${node_pid[0]}"; log_event "kill-node-0"
  echo "cluster-drill: SIGKILL of the node of clients ${groups[0]} at version $(version_now "$dir/aggregator.log")"
  wait_version "$back_at" "$dir/aggregator.log"
  log_event "restart-node-0"; start_node 0
  echo "cluster-drill: the node of clients ${groups[0]} started again at version $(version_now "$dir/aggregator.log")"
  wait "$agg_pid" || true
  agg_logs=("$dir/aggregator.log")
else
  wait_version "$kill_at" "$dir/aggregator.log"
  kill -9 "$agg_pid"; log_event "kill-aggregator"
  shown=$(version_now "$dir/aggregator.log")
  echo "cluster-drill: SIGKILL of the aggregator after it showed version $shown"
  sleep "${DRILL_DOWN_S:-5}"
  log_event "restart-aggregator"
  # joins the clients' cluster (a client node first in the seed list), on the same journal
  start_aggregator "$dir/aggregator-2.log" "127.0.0.1:25531,127.0.0.1:$agg_port"
  wait "$agg_pid" || true
  grep -h "journal" "$dir/aggregator-2.log" || true
  agg_logs=("$dir/aggregator.log" "$dir/aggregator-2.log")
fi
log_event end
stop_all "${node_pid[@]}"
node_pid=()
agg_pid=""
grep -h "^fedprune: \(finished\|updates\)" "${agg_logs[@]}" || true

"$here/fedprune" journal "$dir/journal-run" --updates > "$dir/journal.txt"
python3 - "$mode" "$dir" "${agg_logs[@]}" <<'EOF'
import glob, re, sys
mode, d, logs = sys.argv[1], sys.argv[2], sys.argv[3:]
events = {}
for line in open(f"{d}/events"):
    name, t = line.split()
    events[name] = int(t)
sent = []  # (client, version, t_ms, node)
for f in sorted(glob.glob(f"{d}/node-*.log")):
    node = int(re.search(r"node-(\d+)", f).group(1))
    for line in open(f):
        m = re.match(r"fedprune: client (\d+) sent update v(\d+) \d+ B at (\d+) ms", line)
        if m:
            sent.append((int(m[1]), int(m[2]), int(m[3]), node))
journal = {}
for line in open(f"{d}/journal.txt"):
    if line.startswith("update "):
        _, c, v, r, b, kind = line.split()
        journal[(int(c), int(v), int(r))] = journal.get((int(c), int(v), int(r)), 0) + 1
twice = sum(n - 1 for n in journal.values() if n > 1)
totals = None
for f in logs:
    for line in open(f):
        m = re.match(r"fedprune: updates accepted (\d+), rejected (\d+), stale (\d+), failed (\d+); dropouts holding work (\d+)", line)
        if m:
            totals = tuple(int(x) for x in m.groups())
for f in logs:
    m = re.search(r"^fedprune: stopped taking updates at (\d+) ms", open(f).read(), re.M)
    if m:
        events["end"] = int(m[1])  # updates sent after this are past the run's end
journaled = {}
for (c, v, r), n in journal.items():
    journaled[(c, v)] = journaled.get((c, v), 0) + n
# a client can send two updates for one version (it got that version again from a restarted
# aggregator): match per (client, version), a journaled update to a send, a crash's sends first
# as the ones not received
window = 2000  # an update needs a moment to travel: one sent this close before a kill may die with it
def in_crash(t, node):
    if mode == "aggregator":
        return events["kill-aggregator"] - window <= t <= events["restart-aggregator"] + 60000
    return node == 0 and events["kill-node-0"] - window <= t <= events["kill-node-0"]
by_key = {}
for c, v, t, node in sent:
    by_key.setdefault((c, v), []).append((t, node))
unmatched = []
for key, sends in by_key.items():
    extra = len(sends) - journaled.get(key, 0)
    if extra > 0:
        sends.sort(key=lambda tn: (not in_crash(*tn), tn[0]))
        unmatched += [(key[0], key[1], t, node) for t, node in sends[:extra]]
lost, into_crash, killed_in_flight, after_end = [], [], [], []
for c, v, t, node in unmatched:
    if t >= events["end"] - window:
        after_end.append((c, v))
    elif mode == "aggregator" and in_crash(t, node):
        into_crash.append((c, v))
    elif mode == "clients" and in_crash(t, node):
        killed_in_flight.append((c, v))
    else:
        lost.append((c, v, t))
visible_lost = 0
if mode == "aggregator":
    shown = max([int(m) for m in re.findall(r"^version (\d+)", open(logs[0]).read(), re.M)] or [0])
    m = re.search(r"restarted from (\d+) inputs at version (\d+)", open(logs[1]).read())
    restored = int(m[2]) if m else 0
    visible_lost = max(0, shown - restored)
    print(f"aggregator: showed version {shown} before its SIGKILL; restarted from the journal at version {restored}"
          + (f" ({m[1]} inputs)" if m else " (no restart line!)"))
print(f"updates sent by clients {len(sent)}, journaled {sum(journal.values())} ({len(journal)} distinct)")
if totals:
    print(f"aggregator totals as it stopped taking work: accepted {totals[0]}, rejected {totals[1]}, stale {totals[2]}, "
          f"failed {totals[3]}, dropouts holding work {totals[4]} (updates arriving after that are journaled too)")
if mode == "aggregator":
    print(f"not received, sent to the aggregator as it was killed or while it was down: {len(into_crash)}")
else:
    print(f"not received, sent by the killed node just before its SIGKILL: {len(killed_in_flight)}")
print(f"not received, sent as the run ended: {len(after_end)}")
if mode == "clients":
    back = sum(1 for c, v, t, node in sent if node == 0 and t > events["restart-node-0"])
    print(f"updates from the restarted node's clients after it came back: {back}")
print(f"LOST {len(lost) + visible_lost} (sent updates never journaled: {len(lost)}; versions shown but not restored: "
      f"{visible_lost}), TWICE {twice}")
for x in lost[:10]:
    print("  lost:", x)
sys.exit(0 if not lost and visible_lost == 0 and twice == 0 and totals else 1)
EOF
