#!/usr/bin/env bash
# Regenerates emulator-data/ (the demo JV: partners, users, 60 days of audited entries, a
# terminal receipt) from scripts/seed/dataset.ts: deterministic, same seed, same data.
# Starts Auth and Firestore only: no function reacts to the seeding.
source "$(dirname "$0")/lib/common.sh"
install_deps
log "seeding the demo JV into fresh emulators, then exporting it to emulator-data/"
with_emulators --only auth,firestore -- "\"$TSX\" scripts/seed/generate.ts"
