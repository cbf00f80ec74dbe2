# A throwaway PostgreSQL server for the test suites, sourced by .ci/run and scripts/test-postgres.sh.
# start_postgres installs PostgreSQL when it is missing (root only), starts a server on 127.0.0.1
# with its data, socket and log in a temporary folder, and exports TEST_DATABASE_URL; stop_postgres
# stops it and removes the folder (safe to call when nothing was started, and twice).

pg_dir=
pg_bin=

# Runs a server command as the folder's owner: PostgreSQL refuses to run as root.
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1)
  if [ -z "$pg_bin" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin): apt-get install postgresql" >&2
      return 1
    fi
    echo "== installing PostgreSQL"
    # The package would otherwise create and start a cluster of its own on port 5432.
    if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
      mkdir -p /etc/postgresql-common
      echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf
    fi
    apt-get update -qq > /dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi

  pg_dir=$(mktemp -d)
  if [ "$(id -u)" = 0 ]; then chown postgres: "$pg_dir"; fi

  # C locale and UTF-8 whatever the machine's LANG (a POSIX one would give SQL_ASCII); no fsync: the data is thrown away.
  pg_as_owner "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync > /dev/null
  # The first free port from 55432: another checkout's server may hold one, or take it between the
  # look and the start (two runs starting at once): then the next one, a few times.
  local port=55432 tries=0
  while :; do
    while (: < "/dev/tcp/127.0.0.1/$port") 2> /dev/null; do port=$((port + 1)); done
    if pg_as_owner "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start > /dev/null; then
      break
    fi
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ] || ! grep -q 'Address already in use' "$pg_dir/server.log"; then
      cat "$pg_dir/server.log" >&2
      return 1
    fi
    port=$((port + 1))
  done
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') at $TEST_DATABASE_URL"
}

stop_postgres() {
  if [ -n "$pg_dir" ] && [ -d "$pg_dir" ]; then
    pg_as_owner "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop > /dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
  pg_dir=
}
