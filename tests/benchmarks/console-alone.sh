#!/usr/bin/env bash
# The console alone (the "ours" half of ../shared/bench/seed-anchor/side-by-side.sh), default
# shadows unless CONSOLE_EXTRA says otherwise: for each N, the console
# against mini_fake.py with load.py, with a /health snapshot mid-window (the shadows); N=0: the
# idle RSS 15 s after start, no call. KEY=no runs without GEMINI_API_KEY (local triage).
# Usage: console-alone.sh BUILD_DIR OUT KEY(yes|no) N...   (env DURATION=20, CONSOLE_EXTRA)
# Needs DISPATCH_SHARED_DIR or ../shared next to the source tree for the seed anchor.
set -uo pipefail
A="${DISPATCH_SHARED_DIR:-$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)/shared}/bench/seed-anchor"
build=$1; out=$2; key=$3; shift 3; mkdir -p "$out"
dur=${DURATION:-20}
bin="$build/app/dispatch-console"
export QT_QPA_PLATFORM=offscreen
for n in "$@"; do
  d="$out/ours-n$n-key$key"; rm -rf "$d"; mkdir -p "$d"
  /usr/bin/python3 "$A/mini_fake.py" --port 0 --log "$d/fake.jsonl" >"$d/fake.out" 2>&1 & fpid=$!
  for i in $(seq 50); do grep -q LISTENING "$d/fake.out" && break; sleep 0.1; done
  fport=$(awk '/LISTENING/{print $2}' "$d/fake.out")
  port=$(/usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  if [ "$key" = yes ]; then envk="GEMINI_API_KEY=k"; tri="--triage gemini"; else envk="GEMINI_API_KEY="; tri=""; fi
  env $envk "$bin" --headless --listen "127.0.0.1:$port" --data-dir "$d/data" --dashboard-token tok \
     $tri --gemini-endpoint "ws://127.0.0.1:$fport" --gemini-max-sessions $((n+20)) \
     --max-connections-per-address $((3*n+64)) --max-ringing-per-address 0 --max-new-calls-per-minute 0 \
     ${CONSOLE_EXTRA:-} >"$d/console.log" 2>&1 & cpid=$!
  for i in $(seq 100); do grep -q "listening on" "$d/console.log" && break; sleep 0.1; done
  if [ "$n" = 0 ]; then
    sleep 15
    echo "idle key=$key rss_kib=$(awk '/VmRSS/{print $2}' /proc/$cpid/status) load=$(cut -d' ' -f1-3 /proc/loadavg)" | tee "$d/idle.txt"
  else
    ( sleep $((dur/2 + 12)); curl -s -H 'Authorization: Bearer tok' "http://127.0.0.1:$port/health" > "$d/health-mid.json" ) &
    /usr/bin/python3 "$A/load.py" --url "ws://127.0.0.1:$port" --seed-pid $cpid --fake-pid $fpid \
       --fake-log "$d/fake.jsonl" --token tok --n "$n" --duration "$dur" --procs 2 --out "$d" >"$d/load.log" 2>&1
    /usr/bin/python3 - "$d" <<'PY'
import json,sys
d=sys.argv[1]; s=json.load(open(d+"/summary.json"))
try:
    h=json.load(open(d+"/health-mid.json")); ai=h.get("ai",{}); sh=ai.get("shadows")
    from collections import Counter
    sh=(sh, dict(Counter(c.get("shadow") for c in ai.get("calls",[]))))
except Exception as e: sh=str(e)
lw=s["latency_ms_window"]
print(f"N={s['n']} cpu={s['seed_cpu_pct']}% p50={lw['p50']} p99={lw['p99']} max={lw['max']} rss_max={s['seed_rss_mb_max']}MiB lost={s['audio_bytes_lost']} machine={s['machine_busy_pct_of_200']} fake={s['fake_cpu_pct']} errors={s['n_errors']} shadows_mid={sh}")
PY
    echo "load=$(cut -d' ' -f1-3 /proc/loadavg)"
  fi
  kill $cpid; wait $cpid 2>/dev/null; kill $fpid; wait $fpid 2>/dev/null
done
