#!/usr/bin/env python3
"""Calibrates the low-confidence floor from dispatch-triage-eval output (JSON lines with
"utterances"): each recognized utterance is matched to the label sentence it is closest to,
called well recognized (word error rate <= 0.25) or misrecognized (> 0.5), and the table shows,
for each candidate floor, how many of each it flags and how many calls it would mark poor
(at least half of the speech, >= 2 s, below the floor).
Usage: posterior_table.py LABELS.json RUN.jsonl [LABELS.json RUN.jsonl ...]"""
import json
import re
import sys


def words(s):
    return re.sub(r"[^a-z' ]", " ", s.lower().replace("-", " ")).split()


def wer(ref, hyp):
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
    return d[len(hyp)] / max(1, len(ref))


utts, calls = [], []
args = sys.argv[1:]
if not args or len(args) % 2:
    sys.exit(__doc__)
for labels_path, run_path in zip(args[0::2], args[1::2]):
    labels = json.load(open(labels_path))
    for line in open(run_path):
        o = json.loads(line)
        if "file" not in o:
            continue
        sentences = [words(s) for s in re.split(r"(?<=[.!?])\s+", labels[o["file"]]["transcript"])]
        mine = []
        for u in o.get("utterances", []):
            e = min(wer(s, words(u["text"])) for s in sentences)
            mine.append((u["log_posterior_per_frame"], e, max(0, u["end_ms"] - u["start_ms"])))
        utts += mine
        calls.append((o["file"], mine))

good = sorted(p for p, e, _ in utts if e <= 0.25)
bad = sorted(p for p, e, _ in utts if e > 0.5)
mid = [p for p, e, _ in utts if 0.25 < e <= 0.5]
q = lambda xs, f: xs[min(len(xs) - 1, int(f * len(xs)))] if xs else float("nan")
print("utterances: %d well recognized, %d misrecognized, %d in between" % (len(good), len(bad), len(mid)))
for name, xs in (("well recognized", good), ("misrecognized", bad)):
    print("  %-16s posterior per frame: 10%% %.4f  25%% %.4f  median %.4f  75%% %.4f  90%% %.4f"
          % (name, q(xs, .1), q(xs, .25), q(xs, .5), q(xs, .75), q(xs, .9)))
print()
print("| floor | well recognized flagged | misrecognized flagged | calls marked poor |")
print("|---|---|---|---|")
for floor in (-0.02, -0.025, -0.03, -0.035, -0.04, -0.05, -0.06, -0.07, -0.08, -0.1):
    g = sum(p < floor for p in good)
    b = sum(p < floor for p in bad)
    poor = 0
    for _, mine in calls:
        speech = sum(ms for _, _, ms in mine)
        low = sum(ms for p, _, ms in mine if p < floor)
        poor += speech >= 2000 and 2 * low >= speech
    print("| %.3f | %d/%d (%d%%) | %d/%d (%d%%) | %d/%d |" % (
        floor, g, len(good), 100 * g // max(1, len(good)), b, len(bad),
        100 * b // max(1, len(bad)), poor, len(calls)))
