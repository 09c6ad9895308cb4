#!/usr/bin/env bash
# FlowShare's main job: starts the emulators (auth + firestore + functions + hosting) from emulator-data/,
# runs the whole flow as the web app would (scripts/demo/run.ts), prints the allocation
# statements, the flagged entries and the notifications, and stops everything. Nothing is
# exported: every run starts from the same data.
#   GEMINI_API_KEY=...            explanations and summaries by Gemini (else deterministic text)
#   FLOWSHARE_PORT_OFFSET=N       shift every emulator port, to run beside another run
source "$(dirname "$0")/lib/common.sh"
install_deps
build_functions
build_web
[ -f "$ROOT/emulator-data/firebase-export-metadata.json" ] || { log "emulator-data/ is missing: run npm run seed"; exit 1; }
log "demo: emulators from emulator-data/, then the flow (Gemini: ${GEMINI_API_KEY:+on}${GEMINI_API_KEY:-off, deterministic texts})"
url="$(web_url)"
log "watch it live in the web app while it runs: $url (sign in as coordinator@flowshare.example)"
status=0
with_emulators --import "$ROOT/emulator-data" --only "$WEB_EMULATORS" -- "\"$TSX\" scripts/demo/run.ts" || status=$?
cat <<EOF

Watch the same flow in the browser: $url
  The demo's emulators served the web app there while it ran (they have stopped now). To click
  through the same flow yourself: npm run emulators, open $url and pick a demo user: an operator
  files the day's entry and sees its verdict arrive; the coordinator reconciles terminal receipt
  pet-20260901-20261030, reviews the flagged entry, enters the day's terminal receipt, reconciles
  it and verifies the statement; each partner reads its own statement.
EOF
exit "$status"
