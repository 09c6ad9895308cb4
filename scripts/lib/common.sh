# Shared by every script: project root, installs, the build, and the one place that knows
# how to start the emulators (auth + firestore + functions).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PROJECT_ID="demo-flowshare"
FIREBASE="$ROOT/node_modules/.bin/firebase"
export FIREBASE_CLI_DISABLE_UPDATE_CHECK=true
export FIREBASE_CLI_EXPERIMENTS="${FIREBASE_CLI_EXPERIMENTS:-}"

log() { printf '[flowshare] %s\n' "$*" >&2; }

install_deps() {
  # npm ci when a lockfile is present (reproducible), skipped when node_modules is current.
  local dir
  for dir in "$ROOT" "$ROOT/functions"; do
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
      log "installing npm packages in ${dir#$ROOT/}"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  done
}

build_functions() {
  log "building functions (tsc)"
  npm --prefix "$ROOT/functions" run --silent build
}

# The Firestore emulator jar cannot be downloaded on machines without internet, but Debian's
# google-cloud-cli-firestore-emulator package ships it without a Main-Class. A manifest-only
# launcher jar points at it; firebase-tools then runs it through FIRESTORE_EMULATOR_BINARY_PATH.
# On an ordinary machine (package absent) firebase-tools downloads and runs its own jar.
prepare_firestore_emulator() {
  if [ -n "${FIRESTORE_EMULATOR_BINARY_PATH:-}" ]; then return 0; fi
  local pkg_jar
  pkg_jar="$(dpkg -L google-cloud-cli-firestore-emulator 2>/dev/null | grep '/cloud-firestore-emulator\.jar$' | head -n 1 || true)"
  [ -n "$pkg_jar" ] && [ -f "$pkg_jar" ] || return 0
  local dir="$ROOT/.cache/firestore-emulator"
  local launcher="$dir/firestore-emulator-launcher.jar"
  if [ ! -f "$launcher" ] || [ "$pkg_jar" -nt "$launcher" ]; then
    mkdir -p "$dir"
    printf 'Main-Class: com.google.cloud.datastore.emulator.firestore.CloudFirestore\nClass-Path: %s\n' \
      "file:$pkg_jar" > "$dir/MANIFEST.MF"
    (cd "$dir" && jar cfm "$launcher" MANIFEST.MF)
    log "built Firestore emulator launcher for $pkg_jar"
  fi
  export FIRESTORE_EMULATOR_BINARY_PATH="$launcher"
}

# with_emulators [--import DIR] -- CMD...: start auth+firestore+functions, run CMD, stop them.
with_emulators() {
  local import_args=()
  if [ "${1:-}" = "--import" ]; then import_args=(--import "$2"); shift 2; fi
  [ "${1:-}" = "--" ] && shift
  prepare_firestore_emulator
  "$FIREBASE" emulators:exec --project "$PROJECT_ID" --only auth,firestore,functions \
    "${import_args[@]}" "$*"
}
