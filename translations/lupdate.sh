#!/usr/bin/env bash
# Regenerates translations/*.ts from the sources: lupdate.sh LUPDATE SOURCE_DIR [OUT_DIR]
# Locations are left out so the files change only when the strings do.
set -euo pipefail
lupdate="$1"; src="$2"; out="${3:-$2/translations}"
cd "$src"
"$lupdate" -silent -locations none -no-obsolete -no-ui-lines app server ui -ts "$out/dispatch_es.ts"
"$lupdate" -silent -locations none -no-obsolete -no-ui-lines -pluralonly app server ui -ts "$out/dispatch_en.ts"
