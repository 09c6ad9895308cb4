# Finds a headless Chromium for the browser tests and exports FLOWSHARE_CHROMIUM:
# Debian's chromium-headless-shell (fastest) or chromium; as root on Debian, installs
# chromium-headless-shell with apt-get when neither is there; elsewhere Playwright's own browser
# (npx playwright install chromium). Fails with what to do when there is none.
find_chromium() {
  local candidate
  for candidate in /usr/bin/chromium-headless-shell /usr/bin/chromium; do
    if [ -x "$candidate" ]; then export FLOWSHARE_CHROMIUM="$candidate"; return 0; fi
  done
  if [ "$(id -u)" = "0" ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null; then
    log "installing Debian's chromium-headless-shell for the browser tests (apt-get)"
    apt-get update -qq >/dev/null
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
      for candidate in /usr/bin/chromium-headless-shell /usr/bin/chromium; do
        if [ -x "$candidate" ]; then export FLOWSHARE_CHROMIUM="$candidate"; return 0; fi
      done
    fi
  fi
  # Playwright's own browser, if someone installed it (npx playwright install chromium).
  if (cd "$ROOT/web" && node -e 'const { chromium } = require("@playwright/test"); process.exit(require("fs").existsSync(chromium.executablePath()) ? 0 : 1)' 2>/dev/null); then
    unset FLOWSHARE_CHROMIUM; return 0
  fi
  log "no Chromium for the browser tests: on Debian run 'apt-get install chromium-headless-shell' (or chromium) as root;"
  log "elsewhere 'cd web && npx playwright install chromium'. Then run npm test again."
  return 1
}

# The browser layer: the emulators with the demo data and Hosting (web/dist must be built), the
# Playwright scenarios inside them. No Gemini key: the agents write their deterministic texts.
run_browser_layer() {
  find_chromium
  local started status=0
  started=$(date +%s)
  GEMINI_API_KEY="" GOOGLE_GEMINI_BASE_URL="" FLOWSHARE_WEB_URL="$(web_url)" \
    with_emulators --import "$ROOT/emulator-data" --only "$WEB_EMULATORS" -- "bash scripts/lib/browser-tests.sh $*" || status=$?
  log "browser layer: $(( $(date +%s) - started )) s including the emulators' start with the demo data"
  return "$status"
}
