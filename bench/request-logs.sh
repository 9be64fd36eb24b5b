#!/usr/bin/env bash
# Issue #7 benchmark: the cost of the request log. Two copies of the assembled server run side by side, one with
# the request log on (the default) and one with IRONBRIDGE_LOGS_ENABLED=false, each with a sandbox connection whose
# purchase orders are synced. After warm-up, wrk (2 threads, 50 connections) reads GET /v1/purchase-orders/{id} from
# each in turn, twice, and the script prints throughput and p99 of both, the server's CPU time per request (a figure
# that other load on the machine disturbs less than throughput), the throughput and CPU overheads, and what the log
# did meanwhile (entries written, bodies and entries dropped under pressure, from /metrics). wrk saturates the CPUs,
# so the log keeps to its CPU budget (IRONBRIDGE_LOGS_WRITER_CPU_PERCENT, default 7) and drops what does not fit:
# the entries written show how much of the load the log kept. bench/request-log-writes.sh measures the write path's
# CPU per entry alone. Target: <= 10% throughput loss.
# Needs a built distribution (mvn -B -o -DskipTests package -pl distribution -am); installs wrk with apt.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=distribution/target/ironbridge
[ -x "$DIST/bin/ironbridge" ] || { echo "build first: mvn -B -DskipTests package -pl distribution -am" >&2; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
KEY=ibk_BenchmarkAdminKey0123456789abcd
PORT_ON=${BENCH_PORT:-18183}
PORT_OFF=$((PORT_ON + 1))
DURATION=${BENCH_SECONDS:-20}
# The JIT compiler is still busy after 20 s of load (bin/ironbridge raises C2's thresholds for faster starts): with
# 20 s of warm-up the compiler threads took 15 us of CPU per request on the server with the log (3.5 after 60 s), more
# than the log itself, and the first measured round ran at half the speed of the second.
WARMUP=${BENCH_WARMUP_SECONDS:-60}
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

start() { # name port logs-enabled
  IRONBRIDGE_HTTP_PORT=$2 IRONBRIDGE_DATA="$WORK/$1" IRONBRIDGE_BOOTSTRAP_ADMIN_KEY=$KEY IRONBRIDGE_LOGS_ENABLED=$3 \
    "$DIST/bin/ironbridge" run >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
}

# prints "<token> <record id>" once the server has a sandbox connection with synced purchase orders
prepare() { # name port
  local b=http://127.0.0.1:$2 created token conn id
  until curl -fs -o /dev/null "$b/health/ready"; do sleep 0.2; done
  until curl -fs -H "Authorization: Bearer $KEY" "$b/v1/admin/connectors" | grep -q '"system":"sandbox"'; do sleep 0.2; done
  created=$(curl -fs -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "$b/v1/admin/connections" \
    -d '{"system":"sandbox","customer_id":"bench","credentials":{"username":"bench","password":"sandbox","dataset_size":"5000","activity_per_minute":"0"},"sync":{"initial_days":0,"entities":["purchase-orders"]}}')
  token=$(echo "$created" | sed -E 's/.*"token":"([^"]+)".*/\1/')
  conn=$(echo "$created" | sed -E 's/.*"connection":\{"id":"([^"]+)".*/\1/')
  until curl -fs -H "Authorization: Bearer $KEY" "$b/v1/admin/connections/$conn" | grep -q '"status":"succeeded"'; do sleep 0.5; done
  id=$(curl -fs -H "Authorization: Bearer $token" "$b/v1/purchase-orders?page_size=1" | sed -E 's/^\{"data":\[\{"id":"([^"]+)".*/\1/')
  echo "$token $id"
}

start on "$PORT_ON" true
PID_ON=${PIDS[0]}
start off "$PORT_OFF" false
PID_OFF=${PIDS[1]}
read -r TOKEN_ON ID_ON < <(prepare on "$PORT_ON")
read -r TOKEN_OFF ID_OFF < <(prepare off "$PORT_OFF")
URL_ON="http://127.0.0.1:$PORT_ON/v1/purchase-orders/$ID_ON"
URL_OFF="http://127.0.0.1:$PORT_OFF/v1/purchase-orders/$ID_OFF"
echo "both servers ready with synced purchase orders (log on: port $PORT_ON, log off: port $PORT_OFF)"

run() { wrk -t2 -c50 -d"$1" --latency -H "Authorization: Bearer $2" "$3"; }
# CPU seconds (user + system) the process has used
cpu() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat"; }
# CPU ticks (1/100 s) of each of a process's threads: "<tid> <ticks> <group>", the group from the thread's name
threads() {
  local t name st
  for t in /proc/"$1"/task/*; do
    name=$(cat "$t/comm" 2>/dev/null) || continue
    st=$(sed 's/.*) //' "$t/stat" 2>/dev/null) || continue
    case $name in
      qtp*) name=requests ;; ironbridge-requ*) name=log-writer ;; 'VM Thread'|GC*) name=gc ;;
      C1*|C2*) name=jit ;; H2*|MVStore*) name=h2 ;; *) name=other ;;
    esac
    echo "$(basename "$t") $(echo "$st" | awk '{print $12 + $13}') $name"
  done | sort
}
# runs wrk against a server and prints: req/s, p99, non-2xx, microseconds of server CPU per request; adds the CPU
# of its threads by group to $WORK/<pid>.groups (ticks) and the requests to $WORK/<pid>.requests
measure() { # pid token url
  local c0 c1 out rps p99 non2xx n
  threads "$1" >"$WORK/t0"
  c0=$(cpu "$1")
  out=$(run "${DURATION}s" "$2" "$3")
  c1=$(cpu "$1")
  threads "$1" >"$WORK/t1"
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  join -a2 -e0 -o 0,1.2,2.2,2.3 "$WORK/t0" "$WORK/t1" | awk '{print $4, $3 - $2}' >>"$WORK/$1.groups"
  echo "$n" >>"$WORK/$1.requests"
  echo "$rps $p99 ${non2xx:-0} $(awk -v a="$c0" -v b="$c1" -v n="$n" 'BEGIN {printf "%.1f", (b - a) * 1e6 / n}')"
}
# microseconds of CPU per request by thread group over the measured runs of a server
groups() { # pid
  local n
  n=$(awk '{s += $1} END {print s}' "$WORK/$1.requests")
  awk -v n="$n" '{t[$1] += $2} END {
    split("requests log-writer gc jit h2 other", order, " ")
    for (i = 1; i <= 6; i++) printf "%s %.1f  ", order[i], t[order[i]] * 1e4 / n }' "$WORK/$1.groups"
}
metric() { # port name{labels}
  curl -fs "http://127.0.0.1:$1/metrics" | awk -v m="$2" 'index($0, m" ") == 1 {print $2}'
}

echo "warm-up (${WARMUP}s per server)..."
run "${WARMUP}s" "$TOKEN_ON" "$URL_ON" >/dev/null
run "${WARMUP}s" "$TOKEN_OFF" "$URL_OFF" >/dev/null
written0=$(metric "$PORT_ON" ironbridge_request_log_written_total)

printf '%-8s %-6s %12s %10s %8s %16s\n' round log req/s p99 non-2xx 'CPU us/request'
sum_on=0; sum_off=0; cpu_on=0; cpu_off=0
for round in 1 2; do
  read -r rps p99 bad us < <(measure "$PID_ON" "$TOKEN_ON" "$URL_ON")
  printf '%-8s %-6s %12s %10s %8s %16s\n' "$round" on "$rps" "$p99" "$bad" "$us"
  sum_on=$(awk -v a="$sum_on" -v b="$rps" 'BEGIN {print a + b}'); cpu_on=$(awk -v a="$cpu_on" -v b="$us" 'BEGIN {print a + b}')
  read -r rps p99 bad us < <(measure "$PID_OFF" "$TOKEN_OFF" "$URL_OFF")
  printf '%-8s %-6s %12s %10s %8s %16s\n' "$round" off "$rps" "$p99" "$bad" "$us"
  sum_off=$(awk -v a="$sum_off" -v b="$rps" 'BEGIN {print a + b}'); cpu_off=$(awk -v a="$cpu_off" -v b="$us" 'BEGIN {print a + b}')
done
sleep 2
written=$(metric "$PORT_ON" ironbridge_request_log_written_total)
echo "request log during the measured runs: $(awk -v a="$written" -v b="$written0" 'BEGIN {printf "%.0f", a - b}') entries written;" \
  "in all $(metric "$PORT_ON" 'ironbridge_request_log_dropped_total{what="bodies"}') bodies and" \
  "$(metric "$PORT_ON" 'ironbridge_request_log_dropped_total{what="entries"}') entries dropped under pressure," \
  "$(metric "$PORT_ON" ironbridge_request_log_queue_size) waiting"
awk -v on="$sum_on" -v off="$sum_off" -v con="$cpu_on" -v coff="$cpu_off" 'BEGIN {
  printf "GET /v1/purchase-orders/{id}: log on %.0f req/s, log off %.0f req/s (mean of 2 runs each)\n", on / 2, off / 2
  printf "throughput loss with the request log: %.1f%%   (target <= 10%%)\n", 100 * (off - on) / off
  printf "server CPU per request: log on %.1f us, log off %.1f us: %+.1f%%\n", con / 2, coff / 2, 100 * (con - coff) / coff }'
echo "server CPU per request by thread (us): log on: $(groups "$PID_ON")"
echo "                                     log off: $(groups "$PID_OFF")"
echo "load average at the end (2 cores): $(cut -d' ' -f1-3 /proc/loadavg)"
