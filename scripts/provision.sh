#!/usr/bin/env bash
# Provisions what the tests need on a fresh Debian machine, idempotently:
#   - MariaDB on 127.0.0.1:3306 with passwordless root over TCP (installed with apt if missing, started if not running)
#   - Tryton 6.0 (Debian packages) with a SQLite database "ironbridge" set up for purchasing, serving JSON-RPC on
#     127.0.0.1:${TRYTON_PORT:-8765} (admin/admin); data, config and log under ${TRYTON_HOME:-/var/lib/ironbridge-test/tryton}
#   - Chromium and chromedriver (Debian's chromium, chromium-driver) for the browser tests
# Safe to run again and again; does nothing that is already done.
set -euo pipefail

log() { printf '[provision] %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

apt_install() {
  if [ -z "${APT_UPDATED:-}" ]; then
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

mariadb_up() {
  mariadb -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1' >/dev/null 2>&1
}

provision_mariadb() {
  if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    log "installing MariaDB"
    apt_install mariadb-server mariadb-client
  fi
  if mariadb_up; then
    log "MariaDB is running on 127.0.0.1:3306"
    return
  fi
  if ! pgrep -x mariadbd >/dev/null 2>&1; then
    log "starting MariaDB"
    $SUDO mkdir -p /run/mysqld
    $SUDO chown mysql:mysql /run/mysqld 2>/dev/null || true
    if [ ! -d /var/lib/mysql/mysql ]; then
      $SUDO mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
    fi
    $SUDO start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  fi
  for _ in $(seq 1 60); do
    if mariadb_up; then break; fi
    # A fresh Debian install lets root in over the unix socket only: allow passwordless TCP root for the tests.
    if $SUDO mariadb -u root -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); FLUSH PRIVILEGES;" >/dev/null 2>&1; then
      continue
    fi
    sleep 0.5
  done
  if mariadb_up; then
    log "MariaDB is running on 127.0.0.1:3306"
  else
    log "MariaDB did not come up on 127.0.0.1:3306" >&2
    exit 1
  fi
}

TRYTON_PORT="${TRYTON_PORT:-8765}"
TRYTON_HOME="${TRYTON_HOME:-/var/lib/ironbridge-test/tryton}"
TRYTON_DB=ironbridge
TRYTON_MODULES="company party product account account_invoice account_product stock purchase"

tryton_up() {
  curl -s -m 2 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"id":1,"method":"common.db.list","params":[]}' "http://127.0.0.1:${TRYTON_PORT}/" 2>/dev/null | grep -q 200
}

provision_tryton() {
  if [ ! -x /usr/bin/trytond ] || ! dpkg -s tryton-modules-purchase >/dev/null 2>&1; then
    log "installing Tryton 6.0"
    apt_install tryton-server tryton-modules-company tryton-modules-party tryton-modules-product \
      tryton-modules-account tryton-modules-account-invoice tryton-modules-account-product \
      tryton-modules-stock tryton-modules-purchase curl
  fi
  $SUDO mkdir -p "$TRYTON_HOME/db"
  $SUDO chown "$(id -u):$(id -g)" "$TRYTON_HOME" "$TRYTON_HOME/db"
  local conf="$TRYTON_HOME/trytond.conf"
  cat >"$conf.new" <<CONF
[database]
uri = sqlite://
path = $TRYTON_HOME/db
[web]
listen = 127.0.0.1:$TRYTON_PORT
[session]
max_age = 86400
max_attempt = 5
CONF
  if ! cmp -s "$conf.new" "$conf"; then mv "$conf.new" "$conf"; else rm -f "$conf.new"; fi
  if [ ! -f "$TRYTON_HOME/.initialized" ]; then
    log "initializing the Tryton database $TRYTON_DB"
    rm -f "$TRYTON_HOME/db/$TRYTON_DB.sqlite"
    : >"$TRYTON_HOME/db/$TRYTON_DB.sqlite"
    printf 'admin\n' >"$TRYTON_HOME/admin.pass"
    TRYTONPASSFILE="$TRYTON_HOME/admin.pass" trytond-admin -c "$conf" -d "$TRYTON_DB" --all \
      --email admin@example.com >"$TRYTON_HOME/init.log" 2>&1
    # shellcheck disable=SC2086
    trytond-admin -c "$conf" -d "$TRYTON_DB" -u $TRYTON_MODULES --activate-dependencies >>"$TRYTON_HOME/init.log" 2>&1
    touch "$TRYTON_HOME/.initialized"
  fi
  if ! tryton_up; then
    log "starting trytond on 127.0.0.1:$TRYTON_PORT"
    nohup setsid trytond -c "$conf" >"$TRYTON_HOME/trytond.log" 2>&1 </dev/null &
    echo $! >"$TRYTON_HOME/trytond.pid"
    for _ in $(seq 1 60); do tryton_up && break; sleep 0.5; done
    if ! tryton_up; then
      log "trytond did not come up on 127.0.0.1:$TRYTON_PORT; see $TRYTON_HOME/trytond.log" >&2
      exit 1
    fi
  fi
  if [ ! -f "$TRYTON_HOME/.setup-done" ]; then
    log "setting up company, accounts and users in Tryton"
    /usr/bin/python3 "$(dirname "$0")/tryton/setup.py" "http://127.0.0.1:$TRYTON_PORT" "$TRYTON_DB" admin >/dev/null
    touch "$TRYTON_HOME/.setup-done"
  fi
  log "Tryton is running on 127.0.0.1:$TRYTON_PORT (database $TRYTON_DB)"
}

provision_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    log "installing Chromium and chromedriver"
    apt_install chromium chromium-driver
  fi
  log "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium --version failed') with $(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2)"
}

provision_mariadb
provision_tryton
provision_chromium
