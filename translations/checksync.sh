#!/usr/bin/env bash
# CI check: the committed .ts files match the sources, and Spanish is complete.
set -euo pipefail
lupdate="$1"; src="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp "$src"/translations/dispatch_*.ts "$tmp"/
bash "$src/translations/lupdate.sh" "$lupdate" "$src" "$tmp"
status=0
for f in dispatch_es.ts dispatch_en.ts; do
  if ! diff -u "$src/translations/$f" "$tmp/$f"; then
    echo "translations/$f is out of sync with the sources: run 'cmake --build build --target update_translations_ts' and translate" >&2
    status=1
  fi
done
if grep -q 'type="unfinished"' "$src/translations/dispatch_es.ts"; then
  echo "translations/dispatch_es.ts has untranslated strings:" >&2
  grep -B2 'type="unfinished"' "$src/translations/dispatch_es.ts" | grep '<source>' >&2 || true
  status=1
fi
exit $status
