#!/usr/bin/env bash
# Every test layer, in lanes side by side: static checks (web build, typecheck, ESLint, Prettier)
# and the unit tests; the emulator layer in two halves on emulators of their own, the rules layer
# beside the first; the web app in a browser, once it is built, on its own emulators. Each layer's
# output is printed whole when it ends, and the last line sums every layer: "N passed, N failed".
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/browser.sh"
install_deps
build_functions_fast
use_fake_gemini
# Once, before the lanes: each lane's emulators would otherwise build the launcher side by side.
prepare_firestore_emulator
export TEST_RESULTS="${TEST_RESULTS:-$(mktemp -d)}"
export MOCHA_FLAGS="--forbid-only"

# A failed layer does not stop its lane: every layer runs and is counted.
static_lane() {
  run_layer web-build build_web || true
  run_layer typecheck npm --prefix functions run --silent typecheck || true
  run_layer lint npm run --silent lint || true
  run_layer unit bash -c "cd functions && npx mocha --config .mocharc.unit.json $MOCHA_FLAGS" || true
}
# The browser layer's emulators take ports 300 above the others', and their own functions
# directory: the Functions emulator re-reads .env.local and .secret.local whenever it starts a
# worker, and the browser layer runs without the fake Gemini the emulator tests use.
browser_layer() {
  export FLOWSHARE_PORT_OFFSET=$(( ${FLOWSHARE_PORT_OFFSET:-0} + 300 ))
  own_functions_dir
  until [ -f "$TEST_RESULTS/web-build.rc" ]; do sleep 1; done
  [ "$(cat "$TEST_RESULTS/web-build.rc")" = "0" ] || { log "the web app did not build: no browser tests"; return 1; }
  run_browser_layer
}
# The emulator layer in two halves, each on emulators of its own (the second's ports 600 above
# the first's, and its own functions directory and fake Gemini): its tests mostly wait on the
# Functions emulator, which delivers one trigger event at a time, and on queries that read through
# everything earlier files left in the Firestore emulator. The rules layer runs beside the first.
emulator_half() { # 1|2
  local half="$1" rc=0 layer layers=("emulator-$1")
  [ "$half" = "1" ] && layers+=(rules)
  if [ "$half" = "2" ]; then
    export FLOWSHARE_PORT_OFFSET=$(( ${FLOWSHARE_PORT_OFFSET:-0} + 600 ))
    own_functions_dir
    use_fake_gemini
  fi
  RUN_LAYER_QUIET=1 with_emulators -- "bash scripts/lib/emulator-tests.sh $half" > "$TEST_RESULTS/harness-$half.out" 2>&1 || rc=$?
  for layer in "${layers[@]}"; do
    [ -f "$TEST_RESULTS/$layer.rc" ] && print_layer "$layer"
  done
  if [ "$rc" != "0" ] && ! [ -f "$TEST_RESULTS/emulator-$half.rc" ]; then
    # The emulators never ran the tests: their own output says why.
    cp "$TEST_RESULTS/harness-$half.out" "$TEST_RESULTS/harness-$half.log"
    echo "$rc" > "$TEST_RESULTS/harness-$half.rc"; echo 0 > "$TEST_RESULTS/harness-$half.seconds"
    print_layer "harness-$half"
  fi
}

log "layers: web build, typecheck, lint, unit | emulator-1 + rules | emulator-2 (auth + firestore + functions emulators each) | browser"
static_lane & static_pid=$!
(emulator_half 1) & emulator_pid=$!
(emulator_half 2) & emulator2_pid=$!
(run_layer browser browser_layer || true) & browser_pid=$!
wait "$static_pid" || true
wait "$emulator_pid" || true
wait "$emulator2_pid" || true
wait "$browser_pid" || true
summarise_layers
