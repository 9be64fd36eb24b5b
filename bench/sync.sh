#!/usr/bin/env bash
# Issue #4 benchmark: the initial and incremental sync of sandbox purchase orders (with their lines) through the real
# sync engine (sandbox session, canonical mapping, content hashes, batched record and filter writes, a checkpoint per
# page in the page's transaction) on MariaDB, in a fresh database that it creates and drops. Prints
# (a) the initial sync rate (records/s) of BENCH_PO (default 1,000,000) purchase orders,
# (b) the rate of plain batched JDBC inserts of the same rows into tables of the same layout, measured in the same run,
# (c) the peak heap during the sync (the JVM runs with -Xmx512m: the target is the limit),
# (d) the time of an incremental sync after 1,000 of the purchase orders changed at the source (run right after the
#     initial sync, before the plain inserts of (b), which write as many rows again and push the synced tables out of
#     MariaDB's buffer pool).
# Targets: sync rate >= 50% of the plain insert rate, heap <= 512 MB, incremental <= 2 s.
# BENCH_PO=100000 bench/sync.sh for a quick trial. Arguments are passed on: po=, changes=,
# db=jdbc:mariadb://host:port/ (the server; default 127.0.0.1:3306), user=, password=, keep=true (keep the database;
# the run prints its name), reuse=<kept database> (skip the initial sync and the plain inserts: only the incremental
# syncs, on the kept data), rounds=N (N incremental syncs, each after `changes` new changes), jdbc_options=
# (added to the engine's JDBC URL, e.g. sessionVariables=long_query_time=0 for MariaDB's slow log).
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
# The 1,000 changed rows of the incremental sync are random rows of a table of several GB: with Debian's default
# InnoDB buffer pool (128 MB) each is a disk read. BENCH_BUFFER_POOL_MB=2048 sizes the pool of the local MariaDB first
# (SET GLOBAL, until MariaDB restarts), as a production database would be sized; the size is printed either way.
if command -v mariadb >/dev/null 2>&1; then
  if [ -n "${BENCH_BUFFER_POOL_MB:-}" ]; then
    mariadb -h 127.0.0.1 -u root -e "SET GLOBAL innodb_buffer_pool_size = ${BENCH_BUFFER_POOL_MB} * 1024 * 1024"
    sleep 2 # the resize runs in the background
  fi
  echo "MariaDB InnoDB buffer pool: $(mariadb -h 127.0.0.1 -u root -N -e 'SELECT @@innodb_buffer_pool_size DIV 1048576') MB"
fi
CP="runtime/engine/target/classes:runtime/engine/target/test-classes:$(cat runtime/engine/target/bench.classpath)"
exec java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} -cp "$CP" org.ironbridge.engine.internal.SyncBench "$@"
