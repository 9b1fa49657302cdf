#!/bin/sh
# Synthesizes the held-out triage calls described in labels.json (same folder) into OUTDIR:
# one flite voice per call, ~1.2 s of silence between sentences (where a dispatcher would
# speak), 16 kHz mono s16le, like shared/corpus. Needs flite, sox and python3.
# Usage: tests/data/heldout/make_heldout.sh OUTDIR [LABELS.json]   (default: set A beside it)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: make_heldout.sh OUTDIR [LABELS.json]}
labels=${2:-$here/labels.json}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$labels" "$out/labels.json"
python3 - "$labels" > "$tmp/list" <<'PY'
import json, re, sys
for name, label in sorted(json.load(open(sys.argv[1])).items()):
    sentences = re.split(r'(?<=[.!?])\s+', label["transcript"].strip())
    print(name, label["voice"], "\t".join(sentences), sep="|")
PY
sox -n -r 16000 -c 1 -b 16 "$tmp/gap.wav" trim 0 1.2
while IFS='|' read -r name voice sentences; do
    parts=""
    i=0
    printf '%s\n' "$sentences" | tr '\t' '\n' > "$tmp/sentences"
    while IFS= read -r s; do
        flite -voice "$voice" -t "$s" -o "$tmp/raw$i.wav"
        sox "$tmp/raw$i.wav" -r 16000 -c 1 -b 16 "$tmp/s$i.wav"
        parts="$parts $tmp/s$i.wav $tmp/gap.wav"
        i=$((i + 1))
    done < "$tmp/sentences"
    # shellcheck disable=SC2086
    sox $tmp/gap.wav $parts "$out/$name"
    echo "$out/$name"
done < "$tmp/list"
