#!/usr/bin/env bash
# The main job on the seed protocol: check it, build its modules (compiled to JavaScript
# under tsc --strict) and forms, print its documents, and run every sample through the
# evaluators: patients (eligibility), a schedule, treatment histories (toxicity) and
# tumour assessments (response). Everything it writes goes to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
trialc() { node bin/trialc.js "$@"; }
seed=protocols/lu177-octreotate.trial
out=out

step() { printf '\n== trialc %s\n' "$*"; }
# Run a sample; show the first lines; invalid samples are expected to exit 1.
sample() {
  local lines=$1; shift
  step "$@"
  set +e
  trialc "$@" > "$out/last.txt" 2>&1
  local code=$?
  set -e
  sed -n "1,${lines}p" "$out/last.txt"
  case "$code" in
    0) ;;
    1) echo "(exit 1: rejected input, as this sample intends)" ;;
    *) echo "(unexpected exit $code)"; exit 1 ;;
  esac
}

mkdir -p "$out"
step check "$seed"
trialc check "$seed"
step build "$seed" --out "$out/lu177" --js --tests
trialc build "$seed" --out "$out/lu177" --js --tests
step crf "$seed" --out "$out/crf" '(jsonschema, odm, redcap)'
for f in jsonschema odm redcap; do trialc crf "$seed" --out "$out/crf" --format "$f"; done
step doc "$seed" --format md/html --out "$out/protocol.{md,html}"
trialc doc "$seed" --format md --out "$out/protocol.md"
trialc doc "$seed" --format html --out "$out/protocol.html"
if command -v chromium >/dev/null 2>&1; then trialc doc "$seed" --format pdf --out "$out/protocol.pdf"; else echo "(no chromium: skipping the PDF; apt-get install chromium)"; fi

sample 4 eval "$seed" protocols/patients/eligible.json
sample 20 eval "$seed" protocols/patients/*.json --summary
sample 40 schedule "$seed" --start 2027-01-18 --events protocols/schedules/normal-course.json --patient protocols/patients/eligible.json
for h in protocols/histories/*.json; do
  [ "$(basename "$h")" = expected.json ] || sample 3 toxicity "$seed" "$h"
done
for a in protocols/assessments/*.json; do
  [ "$(basename "$a")" = expected.json ] || sample 6 response "$seed" "$a"
done
rm -f "$out/last.txt"
printf '\n== done: modules in %s/lu177, forms in %s/crf, documents %s/protocol.{md,html}\n' "$out" "$out" "$out"
