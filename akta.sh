#!/usr/bin/env bash
# Akta's two commands (see README.md):
#   ./akta.sh run    set up what is missing, build, fill a demo database, serve on :3000
#   ./akta.sh test   set up what is missing, then every check and test there is
# and their parts: setup, build, lint, unit, e2e.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$PWD"

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen` pin in Cargo.toml
export PATH="$HOME/.cargo/bin:$PATH"
# Keep the compile-time environment of plain `cargo` (tests, clippy) the same as
# the one `cargo leptos build` sets, so switching between them rebuilds nothing.
export LEPTOS_OUTPUT_NAME=akta LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=frontend \
  LEPTOS_BIN_DIR=server LEPTOS_JS_MINIFY=false LEPTOS_HASH_FILES=false
export RUSTFLAGS="--cfg erase_components"

say() { printf '\n== %s\n' "$*"; }

setup_rust() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
  if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (takes about 12 minutes once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
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

setup() { setup_rust; setup_node; }

build_debug() {
  say "building (debug)"
  env -u RUSTFLAGS cargo leptos build
}

build_release() {
  say "building (release)"
  PATH="$ROOT/end2end/node_modules/.bin:$PATH" env -u RUSTFLAGS cargo leptos build --release
}

# Server-side packages: the app's `ssr` half and everything that runs natively.
NATIVE=(-p akta-domain -p akta-migrations -p akta-app -p akta-server --features akta-app/ssr)

lint() {
  say "rustfmt"
  cargo fmt --all -- --check
  say "clippy (server side)"
  cargo clippy "${NATIVE[@]}" --all-targets -- -D warnings
  say "clippy (browser side)"
  cargo clippy -p akta-app -p akta-frontend --features akta-app/hydrate --target wasm32-unknown-unknown -- -D warnings
}

unit() {
  say "unit and database tests (SQLite and PostgreSQL)"
  local pg="${AKTA_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
  if command -v pg_isready >/dev/null && ! pg_isready -q -d "$pg" && command -v pg_ctlcluster >/dev/null; then
    say "starting the local PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  cargo test "${NATIVE[@]}" --all-targets
}

e2e() {
  setup_browser
  say "browser tests (Playwright + chromium)"
  (cd end2end && npx playwright test "$@")
}

run() {
  setup
  build_release
  local db_file="data/akta.db"
  mkdir -p data
  if [ -z "${DATABASE_URL:-}" ] && [ ! -s "$db_file" ]; then
    say "creating a demo unit in $db_file"
    target/release/akta demo
  fi
  say "Akta runs at http://127.0.0.1:3000 (log in as anna / demo-losenord; Ctrl-C stops it)"
  LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD exec target/release/akta serve
}

all_tests() {
  setup
  setup_browser
  lint
  build_debug
  unit
  e2e
  say "all checks passed"
}

case "${1:-}" in
  run) run ;;
  test) all_tests ;;
  setup) setup; setup_browser ;;
  build) setup; build_debug ;;
  lint) lint ;;
  unit) unit ;;
  e2e) shift; e2e "$@" ;;
  *) echo "usage: ./akta.sh run | test   (or: setup, build, lint, unit, e2e [spec])" >&2; exit 2 ;;
esac
