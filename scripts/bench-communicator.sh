#!/usr/bin/env bash
# Communicator benchmark: one reconciliation of 20 partners (3 users each, plus coordinators,
# an admin and an auditor) at a time, through the emulators and the fake Gemini server.
# Prints notifications per second and Gemini calls and tokens per reconciliation.
# BENCH_PARTNERS, BENCH_ROUNDS and BENCH_GEMINI_MODE (a fake-gemini default mode) override.
source "$(dirname "$0")/lib/common.sh"
build_functions
use_fake_gemini
with_emulators -- "cd functions && npx tsx ../scripts/bench-communicator.ts"
