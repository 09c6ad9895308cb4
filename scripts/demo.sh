#!/usr/bin/env bash
# FlowShare's main job: starts the emulators (auth + firestore + functions) from emulator-data/,
# runs the whole flow as the web app would (scripts/demo/run.ts), prints the allocation
# statements, the flagged entries and the notifications, and stops everything. Nothing is
# exported: every run starts from the same data.
#   GEMINI_API_KEY=...            explanations and summaries by Gemini (else deterministic text)
#   FLOWSHARE_PORT_OFFSET=N       shift every emulator port, to run beside another run
source "$(dirname "$0")/lib/common.sh"
install_deps
build_functions
[ -f "$ROOT/emulator-data/firebase-export-metadata.json" ] || { log "emulator-data/ is missing: run npm run seed"; exit 1; }
log "demo: emulators from emulator-data/, then the flow (Gemini: ${GEMINI_API_KEY:+on}${GEMINI_API_KEY:-off, deterministic texts})"
with_emulators --import "$ROOT/emulator-data" -- "\"$TSX\" scripts/demo/run.ts"
