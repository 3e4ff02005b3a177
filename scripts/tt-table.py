#!/usr/bin/env python3
"""The time-triggered comparison's table (docs/RESULTS.md): one line per run folder.

Usage: scripts/tt-table.py [--target 0.75] ROOT NAME...   (ROOT/NAME holds a run's summary.json and rounds.csv)
"""
import csv
import json
import os
import sys

args = sys.argv[1:]
target = 0.75
if args[:1] == ['--target']:
    target = float(args[1])
    args = args[2:]
root, names = args[0], args[1:]


def num(row, key):
    v = row.get(key, '') if row else ''
    return float(v) if v not in ('', 'NaN', None) else float('nan')


for name in names:
    folder = os.path.join(root, name)
    if not os.path.exists(os.path.join(folder, 'summary.json')):
        print(f'{name}: no summary.json (not run or not finished)')
        continue
    s = json.load(open(os.path.join(folder, 'summary.json')))
    rows = list(csv.DictReader(open(os.path.join(folder, 'rounds.csv'))))
    hit = next((r for r in rows if num(r, 'test_accuracy') >= target), None)
    last = rows[-1]
    ratios = [num(r, 'mean_prune_ratio') for r in rows[1:]]
    ratios = [v for v in ratios if v == v]
    print(' | '.join([
        name,
        f"s to {target}: {num(hit, 'virtual_time_s'):.1f}" if hit else f'{target} not reached',
        f"uplink MB to {target}: {num(hit, 'bytes_up') / 1e6:.1f}" if hit else '-',
        f"KB per upload {s['bytes_up'] / max(1, s['updates_accepted']) / 1e3:.1f}",
        f"mean rho {sum(ratios) / len(ratios):.2f}" if ratios else 'mean rho -',
        f"tiers {num(last, 'tiers'):.0f}",
        f"demoted {num(last, 'demoted'):.0f} / unscheduled {num(last, 'unscheduled'):.0f}",
        f"planned {num(last, 'planned_upload_bytes') / 1e6:.2f} / measured {num(last, 'bytes_up') / 1e6:.2f} MB",
        f"max round/window {num(last, 'max_deadline_use'):.3f}",
        f"final {s['final_accuracy']:.4f}",
    ]))
