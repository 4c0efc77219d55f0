#!/usr/bin/env bash
# Starts a local PostgreSQL for the collector's tests and prints its connection string (nothing else on stdout).
# Installs Debian's postgresql when missing, starts the first cluster (creating one if there is none), and creates
# a role and database `seglet_test` that only accept connections from 127.0.0.1.
# Usage: export SEGLET_TEST_DATABASE_URL="$(bash scripts/start-test-postgres.sh)"
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi

as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

cluster="$(pg_lsclusters --no-header | head -n 1)"
if [ -z "$cluster" ]; then
  version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  $SUDO pg_createcluster "$version" main >&2
  cluster="$(pg_lsclusters --no-header | head -n 1)"
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then $SUDO pg_ctlcluster "$version" "$name" start >&2; fi
for _ in $(seq 1 30); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 1
done
pg_isready -q -h 127.0.0.1 -p "$port"

cd /tmp
as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'seglet_test') THEN
    CREATE ROLE seglet_test LOGIN PASSWORD 'seglet_test';
  END IF;
END $$;
SQL
if [ -z "$(as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = 'seglet_test'")" ]; then
  as_postgres psql -q -p "$port" -c "CREATE DATABASE seglet_test OWNER seglet_test" >&2
fi
echo "postgres://seglet_test:seglet_test@127.0.0.1:${port}/seglet_test"
