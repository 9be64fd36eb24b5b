#!/usr/bin/env bash
# Issue #5 benchmark: webhook delivery throughput and the latency from a change to its delivery, over the real path:
# a live record write stores the record and its record.updated event (the outbox) in one transaction, the dispatcher
# claims it, signs it and POSTs it with the JDK HttpClient to a local receiver (the JDK's HTTP server, answering on its
# dispatcher thread), and records the attempt. Prints the paced run (default 1,000 changes/s for 20 s after 60 s of
# warm-up at that rate, so that the JIT compiler is done with the hot paths: after 5 s it still spent about half a
# millisecond of CPU per event in the measured window): deliveries/s, latency p50/p99, and the CPU per event of the
# whole process and of its parts: the changes, the dispatcher, the HTTP client, the recorder, the receiver, H2's background threads) and a burst (20,000 changes
# written at once: how fast they drain).
# Targets: >= 1,000 deliveries/s, p99 <= 200 ms at that rate.
# Arguments are passed on: change=write|status|page, rate=, seconds=, warmup=, burst=, producers=, workers=,
# per_endpoint=, db=jdbc:mariadb://127.0.0.1:3306/<database> (an existing database; default: an embedded H2 file).
# Compiles the engine and the modules it uses from this checkout (no install needed: it runs their target/classes);
# MVN_ARGS are added to the Maven call (e.g. -o).
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn}
# shellcheck disable=SC2086
if ! out=$($MVN -q ${MVN_ARGS:-} -pl runtime/engine -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test 2>&1); then
  echo "$out" >&2
  exit 1
fi
CP="runtime/engine/target/classes:runtime/engine/target/test-classes:$(cat runtime/engine/target/bench.classpath)"
exec java -Xmx512m -cp "$CP" org.ironbridge.engine.internal.WebhookBench "$@"
