#!/usr/bin/env bash
# Makes sure a PostgreSQL server runs on loopback for the PostgreSQL-backed tests, with a role
# that may create (throwaway) databases. Installs Debian's `postgresql` when it is missing.
# Idempotent; needs root (or sudo) only for the install and the first start.
set -euo pipefail

ROLE="${CREDENCE_TEST_PG_ROLE:-credence}"
PASSWORD="${CREDENCE_TEST_PG_PASSWORD:-credence}"
PORT="${CREDENCE_TEST_PG_PORT:-5432}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sudo -u postgres sh -c "$*"; fi; }

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql/*/bin/postgres 2>/dev/null)" ]; then
  echo "[ensure-postgres] installing Debian's postgresql"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

read -r VERSION CLUSTER < <(pg_lsclusters --no-header | awk -v port="$PORT" '$3 == port { print $1, $2; exit }')
if [ -z "${VERSION:-}" ]; then
  VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  CLUSTER=main
  as_root pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" >/dev/null
fi
if ! pg_lsclusters --no-header | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c' | grep -q online; then
  echo "[ensure-postgres] starting cluster $VERSION/$CLUSTER on port $PORT"
  as_root pg_ctlcluster "$VERSION" "$CLUSTER" start
fi

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$PORT"

# Askar's PostgreSQL driver negotiates TLS when the server offers it (Credo 0.5 has no sslmode
# setting), and on this loopback test server that handshake intermittently fails with
# "Transport endpoint is not connected". Tests talk over loopback only: serve them without TLS.
if [ "$(as_postgres "psql -At -p $PORT -d postgres -c 'show ssl'")" = "on" ]; then
  echo "[ensure-postgres] turning TLS off on the loopback test cluster (see comment)"
  as_postgres "psql -q -p $PORT -d postgres -c 'ALTER SYSTEM SET ssl = off'"
  as_root pg_ctlcluster "$VERSION" "$CLUSTER" reload
fi

as_postgres "psql -q -p $PORT -v ON_ERROR_STOP=1 -d postgres" <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE "$ROLE" LOGIN CREATEDB PASSWORD '$PASSWORD';
  ELSE
    ALTER ROLE "$ROLE" LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END
\$\$;
-- The tests drop their throwaway databases WITH (FORCE). An autovacuum worker still in one has no
-- role, and only members of pg_signal_backend may end it; without this the drop fails now and then.
GRANT pg_signal_backend TO "$ROLE";
SQL
echo "[ensure-postgres] ready: postgres://$ROLE:***@127.0.0.1:$PORT"
