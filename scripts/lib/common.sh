# Shared by every script: project root, installs, the builds, and the one place that knows
# how to start the emulators (auth + firestore + functions, and hosting for the web app).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PROJECT_ID="demo-flowshare"
FIREBASE="$ROOT/node_modules/.bin/firebase"
export FIREBASE_CLI_DISABLE_UPDATE_CHECK=true
export FIREBASE_CLI_EXPERIMENTS="${FIREBASE_CLI_EXPERIMENTS:-}"

log() { printf '[flowshare] %s\n' "$*" >&2; }

install_deps() {
  # Installs the lockfile's versions, skipped when node_modules is current. `npm install
  # --no-save`, not `npm ci`: the lockfile of functions/ holds only the platform binaries the
  # registry here serves (unrs-resolver's, via jest), and `npm ci` refuses a lockfile without
  # every platform's optional binary.
  # A node_modules that is a symlink is an install shared with another checkout (a git
  # worktree's link to the main checkout's): it is never reinstalled from here, because npm ci
  # empties it through the link, and the checkout's fresh lockfile mtime says nothing about it.
  # The three installs run side by side (npm's cache takes concurrent use): a fresh clone's took
  # 58 s here, against about 80 s one after another.
  local dir pids=() names=() failed=0
  for dir in "$ROOT" "$ROOT/functions" "$ROOT/web"; do
    if [ -L "$dir/node_modules" ]; then
      [ -d "$dir/node_modules/" ] || { log "${dir#$ROOT/}/node_modules is a broken link"; failed=1; }
      continue
    fi
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
      log "installing npm packages in ${dir#$ROOT/}"
      # Playwright's own browser download is never wanted: the browser tests use Debian's Chromium
      # where there is one (scripts/lib/browser.sh), and installing it is a separate, explicit step.
      # The root's optional packages are left out: above all re2, which the Hosting emulator's
      # superstatic uses only for regex rewrites (firebase.json has none) and which npm otherwise
      # compiles from C++ where its prebuilt binary cannot be downloaded (the root's install took
      # 2 min 17 s here with it, 30 s without). functions/ and web/ keep theirs: the platform
      # builds of esbuild and rollup are optional packages.
      local omit=()
      [ "$dir" = "$ROOT" ] && omit=(--omit=optional)
      (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-save --no-audit --no-fund --loglevel=error "${omit[@]}") &
      pids+=("$!")
      names+=("${dir#$ROOT/}")
    fi
  done
  local i
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { log "npm install failed in ${names[$i]}"; failed=1; }
  done
  return "$failed"
}

build_functions() {
  log "building functions (tsc)"
  npm --prefix "$ROOT/functions" run --silent build
}

# Transpiles src/ to lib/ without type-checking, for the emulators: the test run type-checks
# sources, tests and scripts once, in its own layer.
build_functions_fast() {
  log "building functions (transpile only)"
  npm --prefix "$ROOT/functions" run --silent build:fast
}

# run_layer NAME CMD...: runs one test layer with its output kept in $TEST_RESULTS/NAME.log,
# printed whole when it ends (layers run side by side), and its exit code in NAME.rc.
run_layer() {
  local name="$1"; shift
  local out="${TEST_RESULTS:?run_layer needs TEST_RESULTS}/$name"
  local started=$SECONDS rc=0
  "$@" > "$out.log" 2>&1 || rc=$?
  echo "$rc" > "$out.rc"
  echo "$((SECONDS - started))" > "$out.seconds"
  [ -n "${RUN_LAYER_QUIET:-}" ] || print_layer "$name"
  return "$rc"
}
print_layer() {
  local out="$TEST_RESULTS/$1"
  { printf '\n===== layer %s: exit %s after %ss =====\n' "$1" "$(cat "$out.rc")" "$(cat "$out.seconds")"; cat "$out.log"; } >&2
}

# The closing line over every layer in $TEST_RESULTS: mocha's "N passing/failing" and the
# browser runner's "N passed/failed" summed; a layer that failed without counting a failure
# (it crashed, or a check such as lint failed) counts as one failed. Exits non-zero on any.
# The failure report of a layer's log, without the emulators' own lines: CI keeps only the end
# of the output. Mocha's "N failing" section holds each error; Playwright prints each error
# ("  1) [project] › file:line › title") above its "N failed" list, so it starts there.
failures_of() {
  awk '/^[[:space:]]*[0-9]+ (failing|failed)$/ || /^[[:space:]]+1\) \[[^]]+\] › / { on = 1 }
    on && !/^(i|>|⚠) / { print; if (++n >= 80) exit }' "$1" >&2 || true
  # A test that saw only an "internal" answer: the function's own error log says why.
  { grep -a '^>  {.*"severity":"ERROR"' "$1" || true; } | tail -n 5 | cut -c 1-900 | sed 's/^/  function log: /' >&2
}
summarise_layers() {
  local passed=0 failed=0 rc_file name rc p f
  for rc_file in "$TEST_RESULTS"/*.rc; do
    name="$(basename "$rc_file" .rc)"; rc="$(cat "$rc_file")"
    # grep finds nothing in a layer without counts (lint, the web build): not an error here.
    p=$({ grep -aoE '^\s*[0-9]+ (passing|passed)\b' "$TEST_RESULTS/$name.log" || true; } | awk '{ s += $1 } END { print s + 0 }')
    f=$({ grep -aoE '^\s*[0-9]+ (failing|failed)\b' "$TEST_RESULTS/$name.log" || true; } | awk '{ s += $1 } END { print s + 0 }')
    p=${p:-0}; f=${f:-0}
    if [ "$rc" != "0" ] && [ "$f" = "0" ]; then f=1; fi
    log "layer $name: exit $rc, $p passed, $f failed"
    [ "$f" = "0" ] || failures_of "$TEST_RESULTS/$name.log"
    passed=$((passed + p)); failed=$((failed + f))
  done
  echo "$passed passed, $failed failed"
  [ "$failed" = "0" ]
}

# The web app (web/): type-check, Vite build into web/dist (what Hosting serves) and the bundle
# budget, which prints the gzipped sizes and fails over budget.
build_web() {
  log "building the web app (tsc, vite, bundle budget)"
  npm --prefix "$ROOT/web" run --silent build
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

# without_trigger_events: for the rest of this shell, the Firestore emulator is started without
# --functions_emulator, so it posts no trigger events at all. The Functions emulator's own switch
# (disableBackgroundTriggers) still has every write posted to it and dropped there, on the cores
# the timed work runs on; benchmarks that exclude the triggers use this instead. firebase-tools
# runs the emulator jar with the `java` it finds first on PATH: a shim there drops the flag.
without_trigger_events() {
  local dir="$ROOT/.cache/no-trigger-events" real
  real="$(command -v java)"
  mkdir -p "$dir"
  cat > "$dir/java" <<SHIM
#!/usr/bin/env bash
args=()
skip=0
for arg in "\$@"; do
  if [ "\$skip" = 1 ]; then skip=0; continue; fi
  case "\$arg" in
    --functions_emulator=*) continue ;;
    --functions_emulator) skip=1; continue ;;
  esac
  args+=("\$arg")
done
exec "$real" "\${args[@]}"
SHIM
  chmod +x "$dir/java"
  export PATH="$dir:$PATH"
  # For the benchmarks' reports, which say whether trigger events were posted.
  export FLOWSHARE_TRIGGER_EVENTS=off
}

# The directory the Functions emulator loads the functions from, where their .env.local and
# .secret.local are written. A run beside another in this checkout (the browser layer beside the
# emulator tests) takes its own with own_functions_dir, or each would read the other's secrets.
FUNCTIONS_DIR="$ROOT/functions"
# own_functions_dir: for the rest of this shell, a directory of links to functions/'s build,
# packages and param defaults (.cache/functions-OFFSET), with its own local files.
own_functions_dir() {
  local dir="$ROOT/.cache/functions-${FLOWSHARE_PORT_OFFSET:-0}" name
  mkdir -p "$dir"
  for name in package.json lib node_modules .env; do ln -sfn "$ROOT/functions/$name" "$dir/$name"; done
  FUNCTIONS_DIR="$dir"
}

# FLOWSHARE_PORT_OFFSET shifts every emulator port (and the fake Gemini port) so that two runs
# can share a machine; the shifted copy of firebase.json sits beside it (paths stay relative).
emulator_config() {
  local offset="${FLOWSHARE_PORT_OFFSET:-0}"
  if [ "$offset" = "0" ] && [ "$FUNCTIONS_DIR" = "$ROOT/functions" ]; then echo "$ROOT/firebase.json"; return; fi
  local cfg="$ROOT/.firebase.ports-$offset.json"
  node -e '
    const fs = require("fs"); const [src, dst, off, source] = process.argv.slice(1);
    const c = JSON.parse(fs.readFileSync(src, "utf8"));
    for (const e of Object.values(c.emulators)) {
      if (e && typeof e === "object") for (const k of ["port", "websocketPort"]) if (e[k]) e[k] += Number(off);
    }
    c.functions[0].source = source;
    fs.writeFileSync(dst, JSON.stringify(c, null, 2));
  ' "$ROOT/firebase.json" "$cfg" "$offset" "${FUNCTIONS_DIR#$ROOT/}"
  echo "$cfg"
}

# The Functions emulator reads secrets from .secret.local and params from .env.local in
# $FUNCTIONS_DIR. Both are written here (marked as ours) from this shell's variables:
# GEMINI_API_KEY empty or unset means the agents run on their deterministic fallbacks. A
# developer's own hand-written files are left alone.
LOCAL_MARKER="# written by scripts/lib/common.sh"
write_marked() { # FILE CONTENT
  if [ -f "$1" ] && ! grep -qF "$LOCAL_MARKER" "$1"; then
    log "keeping your own ${1#$ROOT/}"; return 0
  fi
  printf '%s\n%s' "$LOCAL_MARKER" "$2" > "$1"
}
write_local_config() {
  write_marked "$FUNCTIONS_DIR/.secret.local" "GEMINI_API_KEY=${GEMINI_API_KEY:-}
"
  # Every param has its default in functions/.env (the emulator would otherwise stop at a
  # stdin prompt for it); this shell's values override them locally.
  local env="" name
  for name in GOOGLE_GEMINI_BASE_URL GEMINI_MODEL GEMINI_TIMEOUT_MS GEMINI_MAX_ATTEMPTS GEMINI_BACKOFF_MS RATE_LIMIT_PER_MINUTE; do
    if [ -n "${!name:-}" ]; then env+="$name=${!name}
"; fi
  done
  write_marked "$FUNCTIONS_DIR/.env.local" "$env"
}

# firebase-tools gives the functions 10 s to load before the emulators start; on a busy 2-core
# machine (layers run side by side) loading firebase-admin and @google/genai can take longer.
export FUNCTIONS_DISCOVERY_TIMEOUT="${FUNCTIONS_DISCOVERY_TIMEOUT:-60}"

# The emulators every run starts; --only narrows them (the seed runs without functions).
EMULATORS="auth,firestore,functions"
# With the web app: Hosting serves web/dist (build_web first) and tells the app where the others are.
WEB_EMULATORS="auth,firestore,functions,hosting"

# The web app's URL under the (offset) Hosting emulator.
web_url() {
  node -e 'const h = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).emulators.hosting; console.log(`http://${h.host}:${h.port}/`)' "$(emulator_config)"
}

# with_emulators [--import DIR] [--only LIST] -- CMD: start the emulators, run CMD, stop them.
# No --export-on-exit: `firebase emulators:export` finds the running hub through a locator file
# in the temp directory keyed by the project id only, so beside another run of the same project
# (FLOWSHARE_PORT_OFFSET) it can export the other run's data. scripts/seed/generate.ts exports
# through the emulators' own endpoints instead.
with_emulators() {
  local args=(--only "$EMULATORS")
  while [ $# -gt 0 ]; do
    case "$1" in
      --import) args+=(--import "$2"); shift 2 ;;
      --only) args[1]="$2"; shift 2 ;;
      --) shift; break ;;
      *) break ;;
    esac
  done
  prepare_firestore_emulator
  write_local_config
  "$FIREBASE" emulators:exec --config "$(emulator_config)" --project "$PROJECT_ID" "${args[@]}" "$*"
}

# start_emulators [--import DIR] [--only LIST]: the emulators in the foreground for interactive use
# (Ctrl-C stops them). Nothing is exported on exit: the imported data stays as committed.
start_emulators() {
  local args=(--only "$EMULATORS")
  while [ $# -gt 0 ]; do
    case "$1" in
      --import) args+=(--import "$2"); shift 2 ;;
      --only) args[1]="$2"; shift 2 ;;
      *) break ;;
    esac
  done
  prepare_firestore_emulator
  write_local_config
  exec "$FIREBASE" emulators:start --config "$(emulator_config)" --project "$PROJECT_ID" "${args[@]}"
}

# tsx from the functions package (the scripts' TypeScript imports the functions' sources).
TSX="$ROOT/functions/node_modules/.bin/tsx"

# Tests route the agents' real Gemini client to a local fake server (test/support/fake-gemini.ts).
use_fake_gemini() {
  export FAKE_GEMINI_PORT=$((9411 + ${FLOWSHARE_PORT_OFFSET:-0}))
  export GOOGLE_GEMINI_BASE_URL="http://127.0.0.1:$FAKE_GEMINI_PORT"
  export GEMINI_API_KEY="fake-key-for-the-local-gemini-server"
  # Short deadlines so that the hang and retry scenarios finish in seconds.
  export GEMINI_TIMEOUT_MS=1500 GEMINI_MAX_ATTEMPTS=3 GEMINI_BACKOFF_MS=50
}
