#!/usr/bin/env bash
# Akta's two commands (see README.md):
#   ./akta.sh run    set up what is missing, build, fill a demo database, serve on :3000
#   ./akta.sh test   set up what is missing, then every check and test there is
# and their parts: setup, build, release, lint, unit, e2e.
#
# The site is built here, without cargo-leptos: the frontend crate for wasm32,
# wasm-bindgen, wasm-opt (release), the CSS and public/ copied, then the server.
# `cargo leptos watch` still works for development if you have it installed.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$PWD"

WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen` pin in Cargo.toml
export PATH="$HOME/.cargo/bin:$PATH"
# Compiler flags and the one compile-time variable Leptos reads
# (LEPTOS_OUTPUT_NAME) live in .cargo/config.toml: one set for every command.
export LEPTOS_OUTPUT_NAME=akta
unset RUSTFLAGS

say() { printf '\n== %s\n' "$*"; }

# How long each step took, printed at the end of run and test.
STEPS=()
STARTED=$SECONDS
step() {
  local name=$1; shift
  local t0=$SECONDS
  "$@"
  STEPS+=("$(printf '%-44s %3dm%02ds' "$name" $(((SECONDS - t0) / 60)) $(((SECONDS - t0) % 60)))")
}
report() {
  [ ${#STEPS[@]} -gt 0 ] || return 0
  printf '\n== time per step\n'
  printf '  %s\n' "${STEPS[@]}"
  printf '  %-44s %3dm%02ds\n' "total" $(((SECONDS - STARTED) / 60)) $(((SECONDS - STARTED) % 60))
}

setup_rust() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
    # Not --locked: one locked dependency is missing from the registry mirror.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

setup_node() {
  # Playwright for the browser tests; binaryen 132 for wasm-opt in release builds
  # (Debian's binaryen 108 produces a wasm whose hydration fails).
  if [ ! -x end2end/node_modules/.bin/playwright ] || [ ! -x end2end/node_modules/.bin/wasm-opt ] \
     || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "installing npm packages in end2end/"
    (cd end2end && npm ci --no-audit --no-fund)
  fi
}

setup_browser() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium
  fi
}

setup_tools() {
  # brotli for the precompressed site files (gzip is always there).
  if ! command -v brotli >/dev/null; then
    say "installing Debian's brotli"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq brotli
  fi
}

setup() { setup_rust; setup_node; setup_tools; }
setup_run() { setup_rust; setup_tools; }

# The browser half: wasm32 build of akta-frontend, wasm-bindgen, optionally
# wasm-opt, then CSS and public/ into the site directory.
#   build_site CARGO_PROFILE SITE_DIR OPTIMISE(yes|no)
build_site() {
  local profile=$1 site=$2 optimise=$3
  local dir=$profile; [ "$profile" = dev ] && dir=debug
  say "building the browser side ($profile)"
  cargo build -p akta-frontend --lib --target wasm32-unknown-unknown --profile "$profile"
  local pkg="$site/pkg" wasm="target/wasm32-unknown-unknown/$dir/akta_frontend.wasm"
  # The rest (wasm-bindgen, wasm-opt, hashing, brotli: a few minutes) only when its
  # inputs changed: the wasm cargo built, the CSS, this script, the optimise flag.
  local built_from
  built_from="$(cat "$wasm" style/main.css "$ROOT/akta.sh" | sha256sum | cut -c1-32) $optimise"
  if [ -f "$site/.built-from" ] && [ "$(cat "$site/.built-from")" = "$built_from" ] \
     && [ -d "$pkg" ] && [ -f "$site/hash.txt" ]; then
    say "the browser side is unchanged"
    cp -r public/. "$site/"
    return 0
  fi
  rm -f "$site/.built-from"
  rm -rf "$pkg.new" && mkdir -p "$pkg.new"
  wasm-bindgen --target web --no-typescript --out-dir "$pkg.new" --out-name akta "$wasm"
  mv "$pkg.new/akta_bg.wasm" "$pkg.new/akta.wasm"
  if [ "$optimise" = yes ]; then
    say "wasm-opt -Oz"
    "$ROOT/end2end/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers \
      --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      -o "$pkg.new/akta.wasm" "$pkg.new/akta.wasm"
  fi
  cp style/main.css "$pkg.new/akta.css"
  hash_and_compress "$pkg.new" "$site/hash.txt.new"
  cp -r public/. "$site/"
  rm -rf "$pkg" && mv "$pkg.new" "$pkg"
  mv "$site/hash.txt.new" "$site/hash.txt"
  printf '%s\n' "$built_from" > "$site/.built-from"
}

# Content-hashed names (akta.<hash>.wasm, .js, .css) listed in hash.txt, which the
# server reads from the site root to name them in every page and to let browsers
# cache /pkg for a year; and a brotli and a gzip copy of every file in pkg/, which
# the server sends to browsers that take them.
#   hash_and_compress PKG_DIR HASH_FILE
hash_and_compress() {
  local pkg=$1 hashes=$2 ext hash
  : > "$hashes"
  for ext in js wasm css; do
    hash=$(sha256sum "$pkg/akta.$ext" | cut -c1-16)
    mv "$pkg/akta.$ext" "$pkg/akta.$hash.$ext"
    printf '%s: %s\n' "$ext" "$hash" >> "$hashes"
  done
  say "brotli and gzip"
  find "$pkg" -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' \) -print0 \
    | xargs -0 -P 2 -I{} sh -c 'brotli -f -q 11 -o "$1.br" "$1" && gzip -f -9 -k "$1"' _ {}
}

build_server() {
  local profile=$1
  say "building the server ($profile)"
  if [ "$profile" = dev ]; then
    # The very package selection and features `./akta.sh test` compiles (together
    # with the feature unification in server/Cargo.toml): one build for both.
    cargo build "${NATIVE[@]}" --bin akta
  else
    cargo build -p akta-server --bin akta --profile "$profile"
  fi
}

# What `./akta.sh run` serves and the browser tests test: the server in the dev
# profile (its dependencies are the very ones the tests and clippy compile, so
# nothing is built twice) and the wasm in the `wasm-demo` profile, optimised for
# size without whole-program LTO and without wasm-opt (which took 4½ of a fresh
# run's minutes): quick to build, quick enough to load from one's own machine.
# The two builds run side by side: each has long stretches on one core (the app
# crate, linking) that the other fills. Cargo locks each profile's
# directory on its own, so they do not wait for each other.
build_debug() {
  local log t0 site_pid
  log="$(mktemp)"
  t0=$(date +%s)
  ( build_site wasm-demo target/site no && echo $(( $(date +%s) - t0 )) > "$log.seconds" ) > "$log" 2>&1 &
  site_pid=$!
  step "server (dev), beside the browser side" build_server dev
  local ok=yes
  wait "$site_pid" || ok=no
  cat "$log"
  if [ "$ok" = no ]; then
    rm -f "$log" "$log.seconds"
    echo "the browser side did not build (above)" >&2
    return 1
  fi
  local secs; secs=$(cat "$log.seconds")
  STEPS+=("$(printf '%-44s %3dm%02ds' "browser side (wasm-demo), beside the server" $((secs / 60)) $((secs % 60)))")
  STEPS+=("$(printf '%-44s %3dm%02ds' "both builds (wall clock)" $((($(date +%s) - t0) / 60)) $((($(date +%s) - t0) % 60)))")
  rm -f "$log" "$log.seconds"
}

# What a municipality deploys: the server with thin LTO, the wasm with fat LTO,
# opt-level z and wasm-opt. Slow to build (see README), fast and small to run.
build_release() {
  step "browser side (release)" build_site wasm-release target/release-site yes
  step "server (release)" build_server release
}

# Server-side packages: the app's `ssr` half and everything that runs natively.
NATIVE=(-p akta-domain -p akta-migrations -p akta-app -p akta-server -p akta-bench-baseline --features akta-app/ssr)

lint() {
  say "rustfmt"
  cargo fmt --all -- --check
  say "clippy (server side)"
  cargo clippy "${NATIVE[@]}" --all-targets -- -D warnings
  say "clippy (browser side)"
  cargo clippy -p akta-app -p akta-frontend --features akta-app/hydrate --target wasm32-unknown-unknown -- -D warnings
}

start_postgres() {
  local pg="${AKTA_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
  if command -v pg_isready >/dev/null && ! pg_isready -q -d "$pg" && command -v pg_ctlcluster >/dev/null; then
    say "starting the local PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
}

unit() {
  start_postgres
  say "unit and database tests (SQLite and PostgreSQL)"
  cargo test "${NATIVE[@]}" --all-targets
}

e2e() {
  setup_browser
  say "browser tests (Playwright + chromium)"
  (cd end2end && npx playwright test "$@")
}

serve_demo() {
  local bin=$1 site=$2
  local db_file="data/akta.db"
  mkdir -p data
  if [ -z "${DATABASE_URL:-}" ] && [ ! -s "$db_file" ]; then
    say "creating a demo unit in $db_file"
    step "demo unit" "$bin" demo
  fi
  report
  say "Akta runs at http://127.0.0.1:3000 (log in as anna / demo-losenord; Ctrl-C stops it)"
  LEPTOS_SITE_ROOT="$site" LEPTOS_ENV=PROD exec "$bin" serve
}

run() {
  # No npm packages: the demo's wasm skips wasm-opt (the release build uses it).
  step "set-up (tools)" setup_run
  build_debug
  serve_demo target/debug/akta target/site
}

all_tests() {
  trap report EXIT
  step "set-up (tools, npm, chromium)" setup
  step "set-up (chromium)" setup_browser
  step "rustfmt and clippy" lint
  step "browser side (wasm-demo)" build_site wasm-demo target/site no
  # `cargo test` builds target/debug/akta as well (the integration tests need it),
  # with the tests' feature set: building it apart first would compile it twice.
  step "unit and database tests (and the server)" unit
  step "browser tests" e2e
  say "all checks passed"
}

case "${1:-}" in
  run) run ;;
  test) all_tests ;;
  setup) setup; setup_browser ;;
  build) setup_run; build_debug; report ;;
  site) setup; build_site wasm-demo target/site no ;;
  release) setup; build_release; report ;;
  serve-release) serve_demo target/release/akta target/release-site ;;
  lint) lint ;;
  unit) unit ;;
  e2e) shift; e2e "$@" ;;
  *) echo "usage: ./akta.sh run | test   (or: setup, build, site, release, serve-release, lint, unit, e2e [spec])" >&2; exit 2 ;;
esac
