#!/usr/bin/env bash
# Issue #7 benchmark, the request log's write path alone: entries shaped like those of GET /v1/purchase-orders/{id}
# (five request headers, three response headers, a 1.5 KB purchase order as the response body) through the real log
# writer (redaction, batches) into the real repository (one Deflate-compressed block row per batch and organization)
# as fast as it takes them, without a CPU budget. Prints the entries written per second and the CPU time per entry
# written: the whole process's (the embedded database's own threads included) and the writer thread's, and the CPU
# per entry of the busiest threads (the JIT compiler's threads included). CPU per entry is what
# bench/request-logs.sh's overhead comes from, and it is disturbed less by other load on the machine than throughput is.
# Arguments are passed on: entries= (200000), warmup= (50000), bodies=false (entries as kept under pressure),
# db=jdbc:mariadb://127.0.0.1:3306/ (default: embedded H2), user=, password=.
# Builds what it needs with Maven (test-compile, never install); MVN_ARGS are added to the Maven call (e.g. -o).
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn}
# shellcheck disable=SC2086
if ! out=$($MVN -q -B ${MVN_ARGS:-} -pl runtime/engine -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test 2>&1); then
  echo "$out" >&2
  exit 1
fi
CP="runtime/engine/target/classes:runtime/engine/target/test-classes:$(cat runtime/engine/target/bench.classpath)"
# shellcheck disable=SC2086
exec java -Xmx256m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} -cp "$CP" \
  org.ironbridge.engine.internal.RequestLogBench "$@"
