#!/usr/bin/env bash
# The main job on the seed protocol: check it, build its modules (type-checked under
# tsc --strict), and screen every sample patient with the compiled rules.
set -euo pipefail
cd "$(dirname "$0")/.."
trialc() { node bin/trialc.js "$@"; }
seed=protocols/lu177-octreotate.trial
out=out/lu177

echo "== trialc check $seed"
trialc check "$seed"
echo "== trialc build $seed --out $out --js"
trialc build "$seed" --out "$out" --js
for p in protocols/patients/*.json; do
  case "$p" in */expected.json) continue ;; esac
  echo "== trialc eval $seed $p"
  set +e
  trialc eval "$seed" "$p" | sed -n '1,4p'
  code=${PIPESTATUS[0]}
  set -e
  [ "$code" = 0 ] || echo "(exit $code: invalid patient data, as expected for $p)"
done
echo "== done: generated modules in $out/"
