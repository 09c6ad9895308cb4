#!/usr/bin/env bash
# Runs inside `firebase emulators:exec`: the emulator hosts are in the environment.
#   emulator-tests.sh        the emulator layer whole, the rules layer (its own project id) beside it
#   emulator-tests.sh 1|2    one half of the emulator layer (functions/.mocharc.emulator.cjs says
#                            which files), as layer emulator-1 or emulator-2; the rules layer
#                            runs beside the first half
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT/functions"
shard="${1:-}"
layer="emulator${shard:+-$shard}"
EMULATOR_SHARD="$shard" run_layer "$layer" npx mocha --config .mocharc.emulator.cjs ${MOCHA_FLAGS:-} &
pids=($!)
if [ "$shard" != "2" ]; then
  run_layer rules npx mocha --config .mocharc.rules.json ${MOCHA_FLAGS:-} &
  pids+=($!)
fi
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit "$status"
