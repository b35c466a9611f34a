#!/usr/bin/env bash
# Starts a fresh `akta` for the browser tests: a temporary SQLite database with
# demo data, the site files from the last `./akta.sh build`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
port="${1:-3100}"
bin="${AKTA_BIN:-$root/target/debug/akta}"
[ -x "$bin" ] || { echo "start-akta: $bin is missing; run './akta.sh build' first" >&2; exit 1; }
mkdir -p "$here/.tmp"
dir="$(mktemp -d "$here/.tmp/run.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
export DATABASE_URL="sqlite://$dir/akta.db?mode=rwc"
export LEPTOS_SITE_ADDR="127.0.0.1:$port"
export LEPTOS_SITE_ROOT="$root/target/site"
export LEPTOS_OUTPUT_NAME="akta"
# Many tests log in from the same address; the limit itself is tested in server/tests.
export AKTA_LOGIN_BURST=1000
"$bin" demo --seed 2026 --clients 60 >/dev/null
"$bin" serve &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
wait $pid
