#!/usr/bin/env bash
# Runs inside `firebase emulators:exec`: the emulator hosts are in the environment. The
# functions layer and the rules layer (its own project id) share the emulators side by side.
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT/functions"
run_layer emulator npx mocha --config .mocharc.emulator.json ${MOCHA_FLAGS:-} &
functions_pid=$!
run_layer rules npx mocha --config .mocharc.rules.json ${MOCHA_FLAGS:-} &
rules_pid=$!
status=0
wait "$functions_pid" || status=1
wait "$rules_pid" || status=1
exit "$status"
