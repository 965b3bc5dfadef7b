#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, benchmarks and local development.
#
#   scripts/postgres.sh start   create (first time) and start the cluster; prints its postgres:// URL
#   scripts/postgres.sh url     print the URL of the running cluster
#   scripts/postgres.sh stop    stop it (the data stays until `destroy`)
#   scripts/postgres.sh destroy stop it and delete its directory
#
# Trust authentication, listening on 127.0.0.1 only, on a free port. The cluster lives in
# $BETRACE_PG_DIR (default: /tmp/betrace-pg-$USER). Tests read the URL from BETRACE_TEST_POSTGRES_URL:
#   export BETRACE_TEST_POSTGRES_URL=$(scripts/postgres.sh start)
# Needs the server binaries (Debian: apt-get install postgresql). initdb refuses to run as root, so
# as root the cluster belongs to the `postgres` user the package creates.
set -euo pipefail

DIR=${BETRACE_PG_DIR:-/tmp/betrace-pg-${USER:-$(id -un)}}
DATA=$DIR/data
DB=betrace

bindir() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -n "$newest" ]; then echo "$newest"; return; fi
  echo "postgres.sh: no PostgreSQL server binaries found (Debian: apt-get install postgresql; or set PG_BIN)" >&2
  exit 1
}
BIN=$(bindir)

# As root, run the server tools as the postgres user (initdb and postgres refuse root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port() { cat "$DIR/port"; }
url() { echo "postgres://postgres@127.0.0.1:$(port)/$DB"; }
running() { [ -f "$DIR/port" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start() {
  if running; then url; return; fi
  mkdir -p "$DIR"
  if [ ! -f "$DATA/PG_VERSION" ]; then
    if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi
    as_owner "$BIN/initdb" -D "$DATA" -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
    created=1
  fi
  # A restarted cluster keeps its port, so clients (and tests of reconnection) find it again.
  [ -s "$DIR/port" ] || free_port >"$DIR/port"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR/port"; fi
  # Tests create a database per file and the benchmark fills ten million rows; fsync off is fine
  # for a cluster that is thrown away.
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 start -o \
    "-h 127.0.0.1 -p $(port) -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB" \
    >/dev/null || { tail -20 "$DIR/server.log" >&2; exit 1; }
  if [ "${created:-0}" = 1 ]; then
    as_owner "$BIN/psql" -q -h 127.0.0.1 -p "$(port)" -U postgres -d postgres -c "CREATE DATABASE $DB" >/dev/null
  fi
  url
}

stop() {
  if [ -f "$DATA/PG_VERSION" ]; then as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true; fi
}

case "${1:-}" in
  start) start ;;
  url) running && url || { echo "postgres.sh: not running (scripts/postgres.sh start)" >&2; exit 1; } ;;
  stop) stop ;;
  destroy) stop; rm -rf "$DIR" ;;
  *) echo "usage: scripts/postgres.sh start|url|stop|destroy" >&2; exit 2 ;;
esac
