#!/usr/bin/env python3
"""Turns dispatch-triage-eval output (JSON lines) into the markdown tables of docs/TRIAGE.md:
the summary row and one row per call. Usage: eval_table.py RUN.jsonl [LABEL]"""
import json
import sys

rows, summary = [], None
for line in open(sys.argv[1]):
    o = json.loads(line)
    if "summary" in o:
        summary = o["summary"]
    else:
        rows.append(o)
label = sys.argv[2] if len(sys.argv) > 2 else sys.argv[1]
if summary is None:
    sys.exit("%s: no summary line (run unfinished?)" % sys.argv[1])
pct = lambda v: "%d%%" % round(v * 100) if v >= 0 else "-"
s = summary
tp, fp, fn = s["critical_tp_fp_fn"]
print("| run | calls | type | sev exact | sev ±1 | critical recall | critical precision | keyword-mode calls |")
print("|---|---|---|---|---|---|---|---|")
kws = sum(1 for r in rows if r["recognition"] == "keywords" or r.get("mode_switches", 0))
print("| %s | %d | %s | %s | %s | %s (%d/%d) | %s (%d/%d) | %d |" % (
    label, s["calls"], pct(s["response_type_accuracy"]), pct(s["severity_exact"]),
    pct(s["severity_within_one"]), pct(s["critical_recall"]), tp, tp + fn,
    pct(s["critical_precision"]), tp, tp + fp, kws))
print()
print("| call | type exp/got | sev exp/got | critical exp/got | degraded | summary |")
print("|---|---|---|---|---|---|")
for r in rows:
    e, t, c = r["expected"], r["report"], r["correct"]
    mark = lambda ok: "" if ok else " ✗"
    sev = "%d/%d%s" % (e["severity"], t["severity"],
                       "" if c["severity_exact"] else (" ~" if c["severity_within_one"] else " ✗"))
    print("| %s | %s/%s%s | %s | %s/%s%s | %s | %s |" % (
        r["file"].replace(".wav", ""), e["response_type"], t["recommended_response_type"],
        mark(c["response_type"]), sev, str(e["critical"]).lower(), str(t.get("critical")).lower(),
        mark(c["critical"]), t.get("confidence", "normal") + "/" + r["recognition"],
        t["situation_summary"][:90]))
