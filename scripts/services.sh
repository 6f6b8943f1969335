#!/usr/bin/env bash
# Installs (if missing) and starts the services the tests need: Redis, PostgreSQL (database `test`, trust auth on
# loopback) and moto_server (the S3 test server; vitest's global setup starts it on a free port).
# Usage: scripts/services.sh start | stop. `start` records what it started in .sluice/services-started so that
# `stop` stops only those.
set -euo pipefail
cd "$(dirname "$0")/.."
state=.sluice/services-started
mkdir -p .sluice

say() { echo "services: $*"; }
answers() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
apt_install() {
  [ "$(id -u)" = 0 ] || { say "need root to apt-get install $*"; exit 1; }
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

start_redis() {
  if answers 6379; then say "redis already answers on 6379"; return; fi
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/sluice-test.log
  for _ in $(seq 50); do answers 6379 && break; sleep 0.1; done
  answers 6379 || { say "redis did not start"; exit 1; }
  echo redis >>"$state"; say "started redis"
}

start_postgres() {
  if ! answers 5432; then
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then apt_install postgresql; fi
    ver=$(ls /etc/postgresql | sort -V | tail -1)
    hba=/etc/postgresql/$ver/main/pg_hba.conf
    if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
      sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start
    for _ in $(seq 100); do answers 5432 && break; sleep 0.1; done
    answers 5432 || { say "postgresql did not start"; exit 1; }
    echo "postgres $ver" >>"$state"; say "started postgresql $ver"
  else
    say "postgresql already answers on 5432"
  fi
  if ! psql -h 127.0.0.1 -U postgres -d test -Atc 'select 1' >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -d postgres -c 'create database test' >/dev/null 2>&1 \
      || su postgres -c "psql -c 'create database test'" >/dev/null
    say "created database test"
  fi
}

ensure_moto() {
  if command -v moto_server >/dev/null; then return; fi
  pip install --quiet "moto[server]" || { say 'moto_server is missing and pip install "moto[server]" failed'; exit 1; }
}

# The browser tests of `sluice ui` drive Debian's Chromium (test/support/browser.ts); nothing to stop.
ensure_chromium() {
  if [ -x "${SLUICE_TEST_CHROMIUM:-/usr/bin/chromium}" ]; then return; fi
  say "installing chromium (browser tests of sluice ui)"; apt_install chromium
}

case "${1:-start}" in
  start) : >"$state"; start_redis; start_postgres; ensure_moto; ensure_chromium ;;
  stop)
    [ -f "$state" ] || exit 0
    while read -r name ver; do
      case "$name" in
        redis) redis-cli -p 6379 shutdown nosave >/dev/null 2>&1 || true; say "stopped redis" ;;
        postgres) pg_ctlcluster --skip-systemctl-redirect "$ver" main stop || true; say "stopped postgresql" ;;
      esac
    done <"$state"
    rm -f "$state" ;;
  *) echo "usage: scripts/services.sh start|stop" >&2; exit 2 ;;
esac
