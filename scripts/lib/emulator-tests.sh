#!/usr/bin/env bash
# Runs inside `firebase emulators:exec`: the emulator hosts are in the environment.
set -euo pipefail
cd "$(dirname "$0")/../../functions"
npx mocha --config .mocharc.emulator.json
npx mocha --config .mocharc.rules.json
