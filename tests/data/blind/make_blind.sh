#!/bin/sh
# Synthesizes a blind triage set described by a labels file (labels_1.json, labels_2.json)
# into OUTDIR: one flite voice per call ("voice"), spoken at "stretch" x the normal duration,
# ~1.2 s of silence between sentences (where a dispatcher would speak), 16 kHz mono s16le.
# Deterministic: the same labels give the same WAVs. Needs flite, sox and python3.
# Usage: tests/data/blind/make_blind.sh OUTDIR LABELS.json
set -eu
out=${1:?usage: make_blind.sh OUTDIR LABELS.json}
labels=${2:?usage: make_blind.sh OUTDIR LABELS.json}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$labels" "$out/labels.json"
python3 - "$labels" > "$tmp/list" <<'PY'
import json, re, sys
for name, label in sorted(json.load(open(sys.argv[1])).items()):
    sentences = re.split(r'(?<=[.!?])\s+', label["transcript"].strip())
    print(name, label["voice"], label.get("stretch", 1.0), "\t".join(sentences), sep="|")
PY
sox -n -r 16000 -c 1 -b 16 "$tmp/gap.wav" trim 0 1.2
while IFS='|' read -r name voice stretch sentences; do
    parts=""
    i=0
    printf '%s\n' "$sentences" | tr '\t' '\n' > "$tmp/sentences"
    while IFS= read -r s; do
        flite -voice "$voice" --setf duration_stretch="$stretch" -t "$s" -o "$tmp/raw$i.wav"
        sox "$tmp/raw$i.wav" -r 16000 -c 1 -b 16 "$tmp/s$i.wav"
        parts="$parts $tmp/s$i.wav $tmp/gap.wav"
        i=$((i + 1))
    done < "$tmp/sentences"
    # shellcheck disable=SC2086
    sox $tmp/gap.wav $parts "$out/$name"
    echo "$out/$name"
done < "$tmp/list"
