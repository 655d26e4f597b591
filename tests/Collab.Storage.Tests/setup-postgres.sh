#!/usr/bin/env bash
# Starts a local PostgreSQL and creates the role and database the storage tests use
# (COLLAB_TEST_POSTGRES defaults to Host=127.0.0.1;Port=5432;Username=collab;Password=collab;Database=collab_test).
# Idempotent: installs PostgreSQL only when it is missing, and creates the role and database only once.
set -euo pipefail

role=${COLLAB_PG_ROLE:-collab}
password=${COLLAB_PG_PASSWORD:-collab}
database=${COLLAB_PG_DATABASE:-collab_test}

as_postgres() {
  # from / so that psql does not complain about a working directory the postgres user cannot read
  if [ "$(id -un)" = postgres ]; then (cd / && "$@"); else su postgres -s /bin/bash -c "cd / && $(printf '%q ' "$@")"; fi
}

if ! command -v pg_lsclusters >/dev/null 2>&1 || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
  echo "installing PostgreSQL (apt-get install postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  # the server is installed but its cluster was dropped: create the default one
  newest=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  pg_createcluster "$newest" main
fi

# The newest installed cluster (Debian creates <version>/main on install).
read -r version cluster port status _ < <(pg_lsclusters -h | sort -V | tail -n 1)
if [ "$status" != online ]; then
  echo "starting PostgreSQL $version/$cluster on port $port"
  pg_ctlcluster "$version" "$cluster" start
fi

for _ in $(seq 1 30); do
  as_postgres pg_isready -q -p "$port" && break
  sleep 1
done
as_postgres pg_isready -p "$port"

if [ "$(as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != 1 ]; then
  as_postgres psql -q -p "$port" -c "CREATE ROLE $role LOGIN PASSWORD '$password' SUPERUSER"
fi
if [ "$(as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
  as_postgres createdb -p "$port" -O "$role" "$database"
fi

echo "PostgreSQL $version ready: Host=127.0.0.1;Port=$port;Username=$role;Password=$password;Database=$database"
