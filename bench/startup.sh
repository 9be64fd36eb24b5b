#!/usr/bin/env bash
# Issue #2 benchmark: cold start to /health/ready 200 (median of 5), both a first start on an empty data folder and a
# restart on existing data, each with the CPU time the process used until ready; idle RSS with bin/ironbridge's
# default JVM options; and the time for a connector jar dropped into deploy/ to appear in GET /v1/admin/connectors.
# Needs a built distribution (mvn -B -DskipTests install). Prints the figures; exits non-zero only on errors.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=distribution/target/ironbridge
[ -x "$DIST/bin/ironbridge" ] || { echo "build first: mvn -B -DskipTests install" >&2; exit 1; }
KEY=ibk_BenchmarkAdminKey0123456789abcd
PORT=${BENCH_PORT:-18181}
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

# A private copy of the server whose deploy/ folder starts empty.
cp -r "$DIST" "$WORK/home"
SANDBOX=$(ls "$WORK"/home/deploy/*sandbox*.jar)
mv "$SANDBOX" "$WORK/"
SANDBOX="$WORK/$(basename "$SANDBOX")"

now_ms() { date +%s%3N; }

start_server() { # [keep]: keep the data folder of the previous start
  [ "${1:-}" = keep ] || rm -rf "$WORK/data"
  IRONBRIDGE_HTTP_PORT=$PORT IRONBRIDGE_DATA="$WORK/data" IRONBRIDGE_BOOTSTRAP_ADMIN_KEY=$KEY \
    "$WORK/home/bin/ironbridge" run >"$WORK/run.log" 2>&1 &
  PID=$!
}

wait_ready() {
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/health/ready"; do
    kill -0 $PID 2>/dev/null || { cat "$WORK/run.log" >&2; exit 1; }
    sleep 0.02
  done
}

stop_server() {
  kill -TERM $PID; wait $PID 2>/dev/null || true
}

# CPU time (user + system) the server process used until it was ready: less disturbed by other load on the machine
# than the wall-clock time.
cpu_ms() { awk -v t="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / t)}' /proc/$PID/stat; }

measure() { # label [keep]
  local times=() cpus=() i t0 t1 sorted median
  for i in 1 2 3 4 5; do
    t0=$(now_ms); start_server "${2:-}"; wait_ready; t1=$(now_ms)
    times+=($((t1 - t0))); cpus+=($(cpu_ms))
    [ $i -lt 5 ] || [ "$1" != last ] && stop_server
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(echo "$sorted" | sed -n 3p)
  echo "$3 (ms), 5 runs: $(echo $sorted | tr '\n' ' ')"
  echo "$3, median: ${median} ms   (target <= 3000 ms); CPU time to ready, median: $(printf '%s\n' "${cpus[@]}" | sort -n | sed -n 3p) ms"
}

# First starts: an empty data folder each time, so the database is created and migrated, the master key and the
# default organization are created. (The first of the five also writes the class data sharing archive; later ones
# map it, as every start after a server's first does.)
measure first "" "cold start to ready, empty data folder"
# Restarts: a stopped server started again on its data folder (the database is migrated already).
start_server; wait_ready; stop_server
measure last keep "cold restart to ready, existing data"

sleep 10
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
echo "idle RSS 10 s after ready: $((rss_kb / 1024)) MB   (target <= 256 MB)"

connectors() { curl -fs -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/v1/admin/connectors"; }
connectors | grep -q '"system":"sandbox"' && { echo "sandbox unexpectedly present" >&2; exit 1; }
t0=$(now_ms); cp "$SANDBOX" "$WORK/home/deploy/"
until connectors | grep -q '"system":"sandbox"'; do sleep 0.02; done
t1=$(now_ms)
echo "hot deploy: dropped jar listed after $((t1 - t0)) ms   (target <= 3000 ms)"
t0=$(now_ms); rm "$WORK/home/deploy/$(basename "$SANDBOX")"
while connectors | grep -q '"system":"sandbox"'; do sleep 0.02; done
t1=$(now_ms)
echo "hot undeploy: removed jar gone after $((t1 - t0)) ms"
stop_server
