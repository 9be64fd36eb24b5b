#!/usr/bin/env bash
# Provisions what the tests need on a fresh Debian machine, idempotently:
#   - MariaDB on 127.0.0.1:3306 with passwordless root over TCP (installed with apt if missing, started if not running)
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

provision_mariadb
