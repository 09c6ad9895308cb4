#!/usr/bin/env bash
# Runs inside `firebase emulators:exec` with the demo data imported and Hosting serving web/dist:
# the Playwright scenarios (web/tests), screenshots into docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/../../web"
mkdir -p ../docs/screenshots
export FLOWSHARE_SCREENSHOTS="$(cd ../docs/screenshots && pwd)"
started=$(date +%s)
status=0
npx playwright test "$@" || status=$?
echo "[flowshare] browser tests took $(( $(date +%s) - started )) s (Playwright run; emulator start-up not included)"
exit "$status"
