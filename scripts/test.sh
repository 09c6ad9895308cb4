#!/usr/bin/env bash
# Every test layer: unit (no emulator), functions with the emulators, security rules, and the web
# app in a browser (Playwright against the emulators with the demo data and Hosting).
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/browser.sh"
install_deps
build_functions
build_web
log "lint (type-check of sources and tests)"
npm --prefix functions run --silent lint
log "layer 1/4: unit tests"
npm --prefix functions run --silent test:unit
use_fake_gemini
log "layer 2+3/4: emulator and rules tests (auth + firestore + functions emulators)"
with_emulators -- "bash scripts/lib/emulator-tests.sh"
log "layer 4/4: browser tests (web app on the Hosting emulator, demo data, headless Chromium)"
run_browser_layer
log "all test layers passed"
