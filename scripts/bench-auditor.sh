#!/usr/bin/env bash
# Auditor benchmark (see scripts/bench-auditor.ts): bash scripts/bench-auditor.sh [entries] [partners]
source "$(dirname "$0")/lib/common.sh"
build_functions
use_fake_gemini
with_emulators -- "functions/node_modules/.bin/tsx scripts/bench-auditor.ts $*"
