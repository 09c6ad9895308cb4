#!/usr/bin/env bash
# The benchmark: builds the functions and runs five parts, each in emulators of its own
# (auth + firestore + functions): the reconcile and ingestion sections of scripts/bench/run-all.ts,
# then scripts/bench-auditor.ts and scripts/bench-communicator.ts, then the audit-log section.
#   npm run bench                                   1,000 / 10,000 / 100,000 entries
#   BENCH_SIZES=1000,10000 npm run bench            other sizes
#   BENCH_SECTIONS=reconcile npm run bench          some sections only (reconcile, ingestion, auditor, communicator, audit-log)
#   BENCH_INGEST_TICKETS=10000 BENCH_INGEST_ROUNDS=2 BENCH_INGEST_PAIRS=40   tickets per round through POST /v1/production (batches of 500), rounds, judged batch pairs
#   BENCH_AUDITOR_ENTRIES=500 BENCH_ROUNDS=5        the auditor burst's size, the communicator's rounds
#   BENCH_AUDIT_EVENTS=100000                       the audit log verifyAuditLog walks (in 50 chains)
#   FLOWSHARE_PORT_OFFSET=7 npm run bench           beside another emulator run
# Timings are wall times on this machine: run it on an otherwise idle machine.
source "$(dirname "$0")/lib/common.sh"
install_deps
build_functions
use_fake_gemini
sections=",${BENCH_SECTIONS:-reconcile,ingestion,auditor,communicator,audit-log},"
log "benchmark: sections ${sections//,/ }; reconcile sizes ${BENCH_SIZES:-1000,10000,100000}"
# Each part gets fresh emulators, so one part's leftovers (triggers still draining, a warm
# worker) never weigh on the next; each run-all.ts part prints the machine's header.
# A part that misses its goal or fails does not stop the others: the run exits non-zero at the end.
status=0
if [[ "$sections" == *",reconcile,"* ]]; then
  # The close alone, as the ingestion part measures the writes alone: the emulator's JVM posting
  # every write of the close to the Functions emulator, and the communicator those events wake,
  # would share the call's two cores; a deployed Firestore delivers its events off the function's CPU.
  (without_trigger_events && BENCH_SECTIONS=reconcile with_emulators -- "cd functions && npx tsx ../scripts/bench/run-all.ts") || status=1
fi
if [[ "$sections" == *",ingestion,"* ]]; then
  log "benchmark part: ingestion endpoint"
  # The writes alone, as the issue asks: no trigger events are posted while the ingestion part runs.
  (without_trigger_events && BENCH_SECTIONS=ingestion with_emulators -- "cd functions && npx tsx ../scripts/bench/run-all.ts") || status=1
fi
if [[ "$sections" == *",auditor,"* ]]; then
  log "benchmark part: auditor burst"
  with_emulators -- "functions/node_modules/.bin/tsx scripts/bench-auditor.ts ${BENCH_AUDITOR_ENTRIES:-500} 10" || status=1
fi
if [[ "$sections" == *",communicator,"* ]]; then
  log "benchmark part: communicator"
  with_emulators -- "cd functions && npx tsx ../scripts/bench-communicator.ts" || status=1
fi
if [[ "$sections" == *",audit-log,"* ]]; then
  log "benchmark part: audit-log verification"
  (without_trigger_events && BENCH_SECTIONS=audit-log with_emulators -- "cd functions && npx tsx ../scripts/bench/run-all.ts") || status=1
fi
exit "$status"
