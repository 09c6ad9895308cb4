#!/usr/bin/env bash
# Every test layer: unit (no emulator), functions with the emulators, security rules.
source "$(dirname "$0")/lib/common.sh"
install_deps
build_functions
log "lint (type-check of sources and tests)"
npm --prefix functions run --silent lint
log "layer 1/3: unit tests"
npm --prefix functions run --silent test:unit
use_fake_gemini
log "layer 2+3/3: emulator and rules tests (auth + firestore + functions emulators)"
with_emulators -- "bash scripts/lib/emulator-tests.sh"
log "all test layers passed"
