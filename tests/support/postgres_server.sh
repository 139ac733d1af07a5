#!/bin/sh
# Starts and stops the throwaway PostgreSQL server of the PostgreSQL tests.
#
#   postgres_server.sh start STATE    initdb in a new temporary directory (as the unprivileged
#                                     postgres user when run as root), listen on a Unix socket
#                                     in it and on no TCP port, write the connection string to
#                                     STATE; without server binaries, write "unavailable: why"
#                                     (the tests then report themselves skipped)
#   postgres_server.sh stop STATE     stop it and remove its directory
#
# The directory is made in $TMPDIR (default /tmp). RELATA_PG_SERVER_OPTIONS, when set, is
# added to the server's options (the LoopBack benchmark loads pg_stat_statements with it).
set -eu
action=$1
state=$2

case $action in
start)
  bin=""
  if command -v initdb >/dev/null 2>&1; then
    bin=$(dirname "$(command -v initdb)")
  else
    for d in /usr/lib/postgresql/*/bin; do
      [ -x "$d/initdb" ] && bin=$d
    done
  fi
  if [ -z "$bin" ]; then
    echo "unavailable: no PostgreSQL server binaries (initdb) found" >"$state"
    exit 0
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/relata-pg.XXXXXX")
  echo "$dir" >"$state.dir"
  run=""
  if [ "$(id -u)" = 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      echo "unavailable: running as root and there is no postgres user to run the server" >"$state"
      exit 0
    fi
    chown postgres "$dir"
    run="runuser -u postgres --"
  fi
  $run "$bin/initdb" -D "$dir/data" -A trust -U postgres --locale=C -E UTF8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  # fsync off: the server and its data are thrown away after the tests
  $run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${RELATA_PG_SERVER_OPTIONS:-}" \
    start >/dev/null || {
    cat "$dir/server.log" >&2
    exit 1
  }
  echo "host=$dir user=postgres dbname=postgres" >"$state"
  echo "PostgreSQL test server running in $dir"
  ;;
stop)
  [ -f "$state.dir" ] || exit 0
  dir=$(cat "$state.dir")
  if [ -f "$dir/data/postmaster.pid" ]; then
    bin=""
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && bin=$d; done
    command -v pg_ctl >/dev/null 2>&1 && bin=$(dirname "$(command -v pg_ctl)")
    run=""
    [ "$(id -u)" = 0 ] && run="runuser -u postgres --"
    $run "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
  fi
  rm -rf "$dir"
  rm -f "$state" "$state.dir"
  ;;
*)
  echo "usage: $0 start|stop STATE" >&2
  exit 2
  ;;
esac
