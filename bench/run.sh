#!/usr/bin/env bash
# Akta against a bare page (issue 19): the same URLs on `akta serve` and on
# bench/baseline (axum + sqlx, plain SQL, no framework), both reading one database,
# timed with wrk at 1 and 16 users, interleaved page by page.
#
#   bench/run.sh [--clients N] [--postgres] [--seconds S] [--profile release|dev]
#
# The unit is generated once per size (`akta demo --clients N`) into bench/data/
# (SQLite) or the PostgreSQL database akta_bench_N, and reused; a staff member
# "bench" with ten open files is added to it, so the staff pages show a normal
# caseload at every size. Prints p50 and p99 per page, the ratio to the bare page,
# and both servers' memory. Not a test: nothing here fails on a slow number.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export PATH="$HOME/.cargo/bin:$PATH"

clients=1000 postgres=no seconds=5 profile=release
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) clients=$2; shift 2 ;;
    --postgres) postgres=yes; shift ;;
    --seconds) seconds=$2; shift 2 ;;
    --profile) profile=$2; shift 2 ;;
    *) echo "usage: bench/run.sh [--clients N] [--postgres] [--seconds S] [--profile release|dev]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

dir=$profile; [ "$profile" = dev ] && dir=debug
echo "== building akta and the baseline ($profile)"
# The package set of `./akta.sh` (one dependency graph, nothing compiled twice).
cargo build -q --profile "$profile" -p akta-domain -p akta-migrations -p akta-app -p akta-server \
  -p akta-bench-baseline --features akta-app/ssr --bin akta --bin akta-baseline
[ -f target/site/hash.txt ] || ./akta.sh site
# AKTA_BIN: another build of akta to measure (an earlier commit's, for a before and after).
akta="${AKTA_BIN:-$ROOT/target/$dir/akta}" baseline="$ROOT/target/$dir/akta-baseline"

mkdir -p bench/data
if [ "$postgres" = yes ]; then
  pg="${AKTA_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
  name="akta_bench_$clients"
  url="${pg%/*}/$name"
  sql() { psql -qAtX "$url" -c "$1"; }
  if ! psql -qAtX "$pg" -c "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql -qX "$pg" -c "CREATE DATABASE $name" >/dev/null
    fresh=yes
  else
    fresh=no
  fi
else
  file="$ROOT/bench/data/akta-$clients.db"
  url="sqlite://$file?mode=rwc"
  sql() { sqlite3 "$file" "$1"; }
  fresh=no; [ -s "$file" ] || fresh=yes
fi
if [ "$fresh" = yes ]; then
  echo "== generating a unit of $clients clients"
  t0=$SECONDS
  DATABASE_URL="$url" "$akta" demo --seed 2026 --clients "$clients"
  echo "   generated in $((SECONDS - t0)) s"
fi
if [ "$(sql "SELECT COUNT(*) FROM users WHERE username = 'bench'")" = 0 ]; then
  # A staff member with a normal caseload: ten open files of the unit.
  sql "INSERT INTO users (username, display_name, role, password_hash, active, created_at, password_changed_at, must_change_password)
       SELECT 'bench', 'Bänk Bänksson', 'staff', password_hash, active, created_at, password_changed_at, must_change_password
       FROM users WHERE username = 'anna'"
  sql "UPDATE case_files SET contact_person_id = (SELECT id FROM users WHERE username = 'bench')
       WHERE id IN (SELECT id FROM case_files WHERE closed_on IS NULL ORDER BY id LIMIT 10)"
fi

# The file with the most journal entries, and a common surname to search for.
big_file=$(sql "SELECT f.public_id FROM case_files f JOIN journal_entries e ON e.case_file_id = f.id
                GROUP BY f.public_id ORDER BY COUNT(*) DESC LIMIT 1")
surname=$(sql "SELECT last_name FROM clients GROUP BY last_name ORDER BY COUNT(*) DESC LIMIT 1")
entries=$(sql "SELECT COUNT(*) FROM journal_entries")

port=3900 base_port=3901
tmp=$(mktemp -d)
DATABASE_URL="$url" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$ROOT/target/site" \
  LEPTOS_ENV=PROD AKTA_LOGIN_BURST=1000 RUST_LOG=warn "$akta" serve >"$tmp/akta.log" 2>&1 &
akta_pid=$!
"$baseline" "$url" "$base_port" >"$tmp/baseline.log" 2>&1 &
base_pid=$!
trap 'kill $akta_pid $base_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && curl -sf "http://127.0.0.1:$base_port/logga-in" >/dev/null && break
  sleep 0.2
done

# A session cookie for a user, from Akta's own login: the password, then a code of the
# authenticator app (managers always need one, staff by default). The two measured
# accounts are enrolled with a known secret; the code is RFC 6238's, worked out here.
secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
if [ "$postgres" = yes ]; then now_sql="now()"; else now_sql="strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"; fi
sql "UPDATE users SET totp_secret = '$secret', totp_enrolled_at = $now_sql, totp_last_step = NULL
     WHERE username IN ('chef', 'bench')"
totp_code() {
  python3 -c 'import base64,hmac,struct,sys,time
key = base64.b32decode(sys.argv[1])
mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), "sha1").digest()
o = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7fffffff) % 1000000))' "$secret"
}
cookie_from() { tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | tail -n1; }
cookie_of() {
  local first second
  first=$(curl -s -o /dev/null -D - -H 'Sec-Fetch-Site: same-origin' -H 'Accept: application/json' \
    --data-urlencode "username=$1" --data-urlencode "password=demo-losenord" \
    "http://127.0.0.1:$port/api/login" | cookie_from)
  second=$(curl -s -o /dev/null -D - -H 'Sec-Fetch-Site: same-origin' -H 'Accept: application/json' \
    -H "Cookie: $first" --data-urlencode "code=$(totp_code)" \
    "http://127.0.0.1:$port/api/login/code" | cookie_from)
  echo "${second:-$first}"
}
manager=$(cookie_of chef)
staff=$(cookie_of bench)
[ -n "$manager" ] && [ -n "$staff" ] || { echo "bench: could not log in" >&2; cat "$tmp/akta.log" >&2; exit 1; }
# A session that is not all the way in is sent elsewhere: then nothing here is measured.
for cookie in "$manager" "$staff"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$port/")
  [ "$code" = 200 ] || { echo "bench: a logged-in start page answered $code" >&2; exit 1; }
done

# Waits until akta is idle: requests wrk gave up on may still run on the server, and
# `akta serve` raises the unit's deviations when it starts. Idle is under 3 % of a
# core over a second (from /proc), at most four minutes.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$akta_pid/stat"; }
settle() {
  local i a b
  for i in $(seq 240); do
    a=$(cpu_ticks); sleep 1; b=$(cpu_ticks)
    [ $((b - a)) -le 3 ] && return 0
  done
  echo "bench: akta did not become idle" >&2
}

# p50 and p99 in milliseconds. One user: requests one after another for the given
# seconds (at least three, however slow); 16 users: wrk, keep-alive.
measure() {
  local users=$1 url=$2 cookie=$3
  settle
  if [ "$users" = 1 ]; then
    local end=$((SECONDS + seconds)) n=0
    : > "$tmp/samples"
    while [ $SECONDS -lt $end ] || [ $n -lt 3 ]; do
      curl -s -o /dev/null -H "Cookie: $cookie" -w '%{time_total}\n' "$url" >> "$tmp/samples"
      n=$((n + 1))
    done
    sort -n "$tmp/samples" | awk '{ v[NR] = $1 * 1000 } END {
      i50 = int((NR + 1) * 0.50); if (i50 < 1) i50 = 1; i99 = int(NR * 0.99 + 0.5); if (i99 < 1) i99 = 1; if (i99 > NR) i99 = NR
      printf "%.2f %.2f %d\n", v[i50], v[i99], NR }'
  else
    wrk -t2 -c"$users" -d"${seconds}s" --timeout 120s --latency -H "Cookie: $cookie" "$url" 2>/dev/null \
      | awk -v s="$seconds" '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v }
        $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } $1 == "Requests/sec:" { rps = $2 }
        END { if (p99 == 0) printf ">%d >%d 0\n", s * 1000, s * 1000; else printf "%.2f %.2f %s\n", p50, p99, rps }'
  fi
}

printf '\n== %s clients, %s journal entries, %s, %s build, %s s per measurement\n' \
  "$clients" "$entries" "$([ "$postgres" = yes ] && echo PostgreSQL || echo SQLite)" "$profile" "$seconds"
printf '%-28s %5s %10s %10s %10s %10s %8s\n' page users "akta p50" "akta p99" "bare p50" "bare p99" "p99 ×"
while IFS='|' read -r name path who bare; do
  cookie=$manager; as=chef
  [ "$who" = staff ] && { cookie=$staff; as=bench; }
  [ "$who" = none ] && cookie=""
  for users in 1 16; do
    read -r a50 a99 _ < <(measure "$users" "http://127.0.0.1:$port$path" "$cookie")
    if [ "$bare" = yes ]; then
      sep='?'; [[ "$path" == *\?* ]] && sep='&'
      read -r b50 b99 _ < <(measure "$users" "http://127.0.0.1:$base_port$path${sep}as=$as" "")
      ratio=$(awk -v a="$a99" -v b="$b99" 'BEGIN { if (a ~ /^>/) print ">" ; else if (a > 0 && b > 0) printf "%.1f", a / b; else print "-" }')
    else
      b50=- b99=- ratio=-
    fi
    printf '%-28s %5s %10s %10s %10s %10s %8s\n' "$name" "$users" "$a50" "$a99" "$b50" "$b99" "$ratio"
  done
done <<EOF
login page|/logga-in|none|yes
/ as manager|/|manager|yes
/ as staff (10 files)|/|staff|yes
/klienter|/klienter|manager|yes
search "$surname"|/klienter?q=$surname|manager|yes
largest file|/akter/$big_file|manager|yes
its plan|/akter/$big_file/plan|manager|no
/avvikelser|/avvikelser|manager|no
/logg|/logg|manager|yes
EOF

rss() { awk '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 } END { printf "%d MB (peak %d MB)", r / 1024, h / 1024 }' "/proc/$1/status"; }
printf '\nmemory: akta %s, bare page %s\n' "$(rss $akta_pid)" "$(rss $base_pid)"
