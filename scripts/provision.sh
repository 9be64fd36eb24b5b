#!/usr/bin/env bash
# Provisions what the tests need on a fresh Debian machine, idempotently:
#   - MariaDB on 127.0.0.1:3306 with passwordless root over TCP (installed with apt if missing, started if not running)
#   - Tryton 6.0 (Debian packages) with a SQLite database "ironbridge" set up for purchasing, serving JSON-RPC on
#     127.0.0.1:${TRYTON_PORT:-8765} (admin/admin); data, config and log under ${TRYTON_HOME:-/var/lib/ironbridge-test/tryton}
#   - Chromium and chromedriver (Debian's chromium, chromium-driver) for the browser tests
#   - Request Tracker 5 (Debian packages, SQLite database) serving its REST2 API on 127.0.0.1:${RT_PORT:-8766}
#     (root/${RT_ROOT_PASSWORD:-ironbridge}) with the queues "Work orders" and "Service requests" and the asset catalog
#     "Equipment"; config, log and pid under ${RT_HOME:-/var/lib/ironbridge-test/rt} (see provision_request_tracker)
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

# ---- Request Tracker 5 ---------------------------------------------------------------------------------------------
RT_PORT="${RT_PORT:-8766}"
RT_HOME="${RT_HOME:-/var/lib/ironbridge-test/rt}"
RT_ROOT_PASSWORD="${RT_ROOT_PASSWORD:-ironbridge}"
RT_PACKAGES="request-tracker5 rt5-db-sqlite rt5-standalone"
# RT runs as www-data, the owner of its SQLite database and caches (setpriv execs, so $! is rt-server's own pid).
RT_AS_WWW=(sudo -u www-data)
if [ "$(id -u)" -eq 0 ]; then RT_AS_WWW=(setpriv --reuid=www-data --regid=www-data --init-groups); fi

# Without credentials REST2 answers 401 at once (with them RT spends half a second on bcrypt).
rt_up() {
  curl -s -m 3 -o /dev/null -w '%{http_code}' "http://127.0.0.1:${RT_PORT}/REST/2.0/rt" 2>/dev/null | grep -q 401
}

# Installs the packages with the debconf answers preseeded, so that dbconfig creates and initializes the SQLite
# database during the install (with our root password) and no question is asked.
install_request_tracker() {
  log "installing Request Tracker 5"
  $SUDO debconf-set-selections <<SEL
request-tracker5 request-tracker5/dbconfig-install boolean true
request-tracker5 request-tracker5/database-type select sqlite3
request-tracker5 request-tracker5/rtname string rt.example.test
request-tracker5 request-tracker5/organization string example.test
request-tracker5 request-tracker5/correspondaddress string rt@example.test
request-tracker5 request-tracker5/commentaddress string rt-comment@example.test
request-tracker5 request-tracker5/webbaseurl string http://127.0.0.1:$RT_PORT
request-tracker5 request-tracker5/webpath string /rt
request-tracker5 request-tracker5/initial-root-password password $RT_ROOT_PASSWORD
request-tracker5 request-tracker5/install-cronjobs boolean false
SEL
  apt_install $RT_PACKAGES curl
}

# Our site config: serve at / on the test port; mail goes to mbox files under /var/lib/request-tracker5 instead of
# exim; warnings go to rt-server.log. The server's time zone is deliberately not UTC (RT shows and parses dates in
# it, while REST2 answers in UTC), so the tests prove that the connector handles RT's time zones.
configure_request_tracker() {
  local conf=/etc/request-tracker5/RT_SiteConfig.d/90-ironbridge-test.pm
  cat >"$RT_HOME/site-config.new" <<CONF
# Written by Ironbridge's scripts/provision.sh for the connector tests.
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $RT_PORT);
Set(\$WebPath, '');
Set(\$WebBaseURL, 'http://127.0.0.1:$RT_PORT');
Set(\$CanonicalizeRedirectURLs, 0);
Set(\$MailCommand, 'mbox');
Set(\$Timezone, 'America/New_York');
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, 'warning');
Set(\$LogToFile, undef);
1;
CONF
  if ! $SUDO cmp -s "$RT_HOME/site-config.new" "$conf"; then
    $SUDO install -m 0644 "$RT_HOME/site-config.new" "$conf"
    RT_RESTART=1
  fi
  rm -f "$RT_HOME/site-config.new"
  # Debian ships the (empty) RT_SiteConfig.pm readable by root only; rt-server runs as www-data.
  if [ "$(stat -c %G /etc/request-tracker5/RT_SiteConfig.pm)" != www-data ]; then
    $SUDO chgrp www-data /etc/request-tracker5/RT_SiteConfig.pm
    $SUDO chmod 0640 /etc/request-tracker5/RT_SiteConfig.pm
  fi
}

start_request_tracker() {
  if [ -n "${RT_RESTART:-}" ] && [ -f "$RT_HOME/rt-server.pid" ]; then
    $SUDO kill "$(cat "$RT_HOME/rt-server.pid")" 2>/dev/null || true
    for _ in $(seq 1 20); do rt_up || break; sleep 0.25; done
  fi
  if rt_up; then return; fi
  log "starting rt-server on 127.0.0.1:$RT_PORT"
  nohup setsid "${RT_AS_WWW[@]}" /usr/share/request-tracker5/libexec/rt-server --host 127.0.0.1 --port "$RT_PORT" \
    >"$RT_HOME/rt-server.log" 2>&1 </dev/null &
  echo $! >"$RT_HOME/rt-server.pid"
  for _ in $(seq 1 120); do rt_up && break; sleep 0.25; done
  if ! rt_up; then
    log "rt-server did not come up on 127.0.0.1:$RT_PORT; see $RT_HOME/rt-server.log" >&2
    exit 1
  fi
}

# Creates the queues and the asset catalog the tests need through REST2, when missing. Done once per RT database
# (the marker holds the database file's inode, so a reinstalled RT is set up again).
setup_request_tracker() {
  local api="http://127.0.0.1:$RT_PORT/REST/2.0"
  local db=/var/lib/dbconfig-common/sqlite3/request-tracker5/rtdb
  local stamp
  stamp="$($SUDO stat -c %i "$db")"
  if [ "$(cat "$RT_HOME/.setup-done" 2>/dev/null)" = "$stamp" ] && [ -s "$RT_HOME/root.token" ]; then return; fi
  local q
  for q in "Work orders" "Service requests"; do
    if ! rt_call GET "$api/queue/${q// /%20}" >/dev/null; then
      log "creating the RT queue \"$q\""
      rt_call POST "$api/queue" "{\"Name\":\"$q\",\"Description\":\"Ironbridge tests\"}" >/dev/null
    fi
  done
  if ! rt_call GET "$api/catalog/Equipment" >/dev/null; then
    log "creating the RT asset catalog \"Equipment\""
    rt_call POST "$api/catalog" '{"Name":"Equipment","Description":"Ironbridge tests"}' >/dev/null
  fi
  # An auth token of root for the token-authentication tests (REST2 has no call that creates one).
  if [ ! -s "$RT_HOME/root.token" ] || ! curl -sf -m 20 -o /dev/null -H "Authorization: token $(cat "$RT_HOME/root.token")" "$api/rt"; then
    log "creating an RT auth token for root"
    "${RT_AS_WWW[@]}" perl -I/usr/share/request-tracker5/lib -e '
      use strict; use RT; RT::LoadConfig(); RT::Init();
      my $root = RT::User->new(RT->SystemUser); $root->Load("root");
      my ($id, $msg, $auth) = RT::AuthToken->new(RT::CurrentUser->new($root))
        ->Create(Owner => $root->id, Description => "Ironbridge tests");
      die "$msg\n" unless $id; print "$auth\n";' 2>>"$RT_HOME/rt-server.log" >"$RT_HOME/root.token.new"
    mv "$RT_HOME/root.token.new" "$RT_HOME/root.token"
  fi
  echo "$stamp" >"$RT_HOME/.setup-done"
}


rt_call() {
  local method=$1 url=$2 body=${3:-}
  if [ -n "$body" ]; then
    curl -sf -m 30 -u "root:$RT_ROOT_PASSWORD" -X "$method" -H 'Content-Type: application/json' -d "$body" "$url"
  else
    curl -sf -m 30 -u "root:$RT_ROOT_PASSWORD" -X "$method" "$url"
  fi
}

provision_request_tracker() {
  if ! dpkg -s $RT_PACKAGES >/dev/null 2>&1; then
    install_request_tracker
  fi
  $SUDO mkdir -p "$RT_HOME"
  $SUDO chown "$(id -u):$(id -g)" "$RT_HOME"
  configure_request_tracker
  start_request_tracker
  setup_request_tracker
  log "Request Tracker is running on 127.0.0.1:$RT_PORT (REST2 at /REST/2.0, root/$RT_ROOT_PASSWORD)"
}

provision_mariadb
provision_tryton
provision_chromium
provision_request_tracker
