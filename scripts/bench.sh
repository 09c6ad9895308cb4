#!/usr/bin/env bash
# The benchmark: builds the functions, starts the emulators (auth + firestore + functions)
# and runs every section of scripts/bench/run-all.ts in that one run, printing one report.
#   npm run bench                                   1,000 / 10,000 / 100,000 entries
#   BENCH_SIZES=1000,10000 npm run bench            other sizes
#   BENCH_SECTIONS=reconcile npm run bench          some sections only
#   FLOWSHARE_PORT_OFFSET=7 npm run bench           beside another emulator run
# Timings are wall times on this machine: run it on an otherwise idle machine.
source "$(dirname "$0")/lib/common.sh"
install_deps
build_functions
use_fake_gemini
log "benchmark: sizes ${BENCH_SIZES:-1000,10000,100000}, sections ${BENCH_SECTIONS:-all}"
with_emulators -- "cd functions && npx tsx ../scripts/bench/run-all.ts"
