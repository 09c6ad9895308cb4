#!/usr/bin/env bash
# The browser layer of npm test alone: builds the web app and runs the Playwright scenarios against
# the emulators (demo data, Hosting). Arguments go to Playwright, e.g. `npm run test:web -- -g inbox`.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/browser.sh"
install_deps
build_functions
build_web
run_browser_layer "$@"
