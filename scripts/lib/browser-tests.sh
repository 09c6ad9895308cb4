#!/usr/bin/env bash
# Runs inside `firebase emulators:exec` with the demo data imported and Hosting serving web/dist:
# the Playwright scenarios (web/tests). Screenshots of the main screens go to
# web/test-results/screenshots, or to docs/screenshots/ (committed) with FLOWSHARE_UPDATE_SCREENSHOTS=1.
set -euo pipefail
cd "$(dirname "$0")/../../web"
shots="test-results/screenshots"
if [ "${FLOWSHARE_UPDATE_SCREENSHOTS:-}" = "1" ]; then shots="../docs/screenshots"; fi
mkdir -p "$shots"
export FLOWSHARE_SCREENSHOTS="$(cd "$shots" && pwd)"
started=$(date +%s)
status=0
npx playwright test "$@" || status=$?
echo "[flowshare] browser tests took $(( $(date +%s) - started )) s (Playwright run; emulator start-up not included)"
# CI keeps only the printed output: what each failed page showed (Playwright's aria snapshot).
if [ "$status" -ne 0 ] && [ -d test-results ]; then
  find test-results -name error-context.md -print0 2>/dev/null | while IFS= read -r -d '' context; do
    echo "[flowshare] ----- $context (first 150 lines)"
    head -n 150 "$context"
  done || true
fi
exit "$status"
