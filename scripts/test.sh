#!/usr/bin/env bash
# Runs every test: provisions what the tests need (scripts/provision.sh: MariaDB, Tryton, Chromium), then the full Maven build with all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/provision.sh
exec mvn -B verify "$@"
