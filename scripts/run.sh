#!/usr/bin/env bash
# Builds the server if needed (no build yet, or sources changed since the last one), then runs it in the foreground
# on the embedded database: bin/ironbridge run. Extra arguments are passed to Maven when it builds.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=distribution/target/ironbridge
stamp=$(ls distribution/target/ironbridge-*.tar.gz 2>/dev/null | head -1 || true)
if [ -z "$stamp" ] || [ ! -x "$DIST/bin/ironbridge" ] \
   || [ -n "$(find pom.xml */pom.xml */*/pom.xml */src */*/src -newer "$stamp" -type f -print -quit 2>/dev/null)" ]; then
  echo "Building Ironbridge (mvn -B -DskipTests install)..."
  mvn -B -q -DskipTests install "$@"
fi
exec "$DIST/bin/ironbridge" run
