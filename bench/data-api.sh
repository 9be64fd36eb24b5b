#!/usr/bin/env bash
# Issue #3 benchmark: the unified data API under wrk (2 threads, 50 connections) after warm-up, beside a trivial
# servlet on the same server in the same run:
#   GET /bench/ping                          trivial servlet (baseline)
#   GET /v1/purchase-orders?page_size=100    a page from the record store
#   GET /v1/purchase-orders/{id}             one record
# Targets: single-record read >= 40% of the trivial servlet's req/s, p99 <= 10 ms.
# Needs a built distribution (mvn -B -DskipTests install); installs wrk with apt if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=distribution/target/ironbridge
[ -x "$DIST/bin/ironbridge" ] || { echo "build first: mvn -B -DskipTests install" >&2; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
KEY=ibk_BenchmarkAdminKey0123456789abcd
PORT=${BENCH_PORT:-18182}
DURATION=${BENCH_SECONDS:-20}
B=http://127.0.0.1:$PORT
WORK=$(mktemp -d)
IRONBRIDGE_HTTP_PORT=$PORT IRONBRIDGE_DATA="$WORK/data" IRONBRIDGE_BOOTSTRAP_ADMIN_KEY=$KEY IRONBRIDGE_BENCH=true \
  "$DIST/bin/ironbridge" run >"$WORK/run.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -fs -o /dev/null "$B/health/ready"; do kill -0 $PID || { cat "$WORK/run.log"; exit 1; }; sleep 0.2; done
until curl -fs -H "Authorization: Bearer $KEY" "$B/v1/admin/connectors" | grep -q '"system":"sandbox"'; do sleep 0.2; done

created=$(curl -fs -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "$B/v1/admin/connections" \
  -d '{"system":"sandbox","customer_id":"bench","credentials":{"username":"bench","password":"sandbox","dataset_size":"5000","activity_per_minute":"0"},"sync":{"initial_days":0,"entities":["purchase-orders"]}}')
TOKEN=$(echo "$created" | sed -E 's/.*"token":"([^"]+)".*/\1/')
CONN=$(echo "$created" | sed -E 's/.*"connection":\{"id":"([^"]+)".*/\1/')
echo "connection $CONN: waiting for the initial sync of purchase-orders"
until curl -fs -H "Authorization: Bearer $KEY" "$B/v1/admin/connections/$CONN" | grep -q '"status":"succeeded"'; do sleep 0.5; done
ID=$(curl -fs -H "Authorization: Bearer $TOKEN" "$B/v1/purchase-orders?page_size=1" | sed -E 's/^\{"data":\[\{"id":"([^"]+)".*/\1/')
echo "record $ID"

run() { wrk -t2 -c50 -d"$1" --latency -H "Authorization: Bearer $TOKEN" "$2"; }
summary() {
  local out=$1
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  local non2xx
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$rps $p50 $p99 ${non2xx:-0}"
}

echo "warm-up (${DURATION}s per endpoint)..."
for u in "$B/bench/ping" "$B/v1/purchase-orders?page_size=100" "$B/v1/purchase-orders/$ID"; do run "${DURATION}s" "$u" >/dev/null; done

printf '%-40s %12s %10s %10s %8s\n' endpoint req/s p50 p99 non-2xx
read -r ping_rps p50 p99 bad < <(summary "$(run "${DURATION}s" "$B/bench/ping")")
printf '%-40s %12s %10s %10s %8s\n' "GET /bench/ping (trivial servlet)" "$ping_rps" "$p50" "$p99" "$bad"
read -r list_rps p50 p99 bad < <(summary "$(run "${DURATION}s" "$B/v1/purchase-orders?page_size=100")")
printf '%-40s %12s %10s %10s %8s\n' "GET /v1/purchase-orders?page_size=100" "$list_rps" "$p50" "$p99" "$bad"
read -r get_rps p50 p99 bad < <(summary "$(run "${DURATION}s" "$B/v1/purchase-orders/$ID")")
printf '%-40s %12s %10s %10s %8s\n' "GET /v1/purchase-orders/{id}" "$get_rps" "$p50" "$p99" "$bad"
awk -v g="$get_rps" -v p="$ping_rps" 'BEGIN { printf "single-record read / trivial servlet: %.0f%%   (target >= 40%%)\n", 100*g/p }'
