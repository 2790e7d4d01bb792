#!/usr/bin/env bash
# Makes sure a PostgreSQL server runs on loopback for the PostgreSQL-backed tests and benchmarks,
# with a role that may create (throwaway) databases.
#
# It uses a cluster of its own, `credence-test` on port 54329, so the machine's PostgreSQL (if
# any) is never reconfigured: TLS off and the extra grant below apply to that cluster only.
# What it changes on the machine, each said before it is done:
#   - installs Debian's `postgresql` when no server is installed (needs root or sudo);
#   - creates and starts the cluster `credence-test` (data in /var/lib/postgresql/<v>/credence-test),
#     which `pg_dropcluster --stop <v> credence-test` removes again.
# Opt out: set CREDENCE_TEST_POSTGRES_URL to a server of your own (a role with CREATEDB); then this
# script changes nothing, and the tests and benchmarks use that server.
# Idempotent: a second run finds the cluster online and only checks the role.
set -euo pipefail

if [ -n "${CREDENCE_TEST_POSTGRES_URL:-}" ]; then
  echo "[ensure-postgres] CREDENCE_TEST_POSTGRES_URL is set: using that server, changing nothing"
  exit 0
fi

ROLE="${CREDENCE_TEST_PG_ROLE:-credence}"
PASSWORD="${CREDENCE_TEST_PG_PASSWORD:-credence}"
PORT="${CREDENCE_TEST_PG_PORT:-54329}"
CLUSTER=credence-test

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sudo -u postgres sh -c "$*"; fi; }

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql/*/bin/postgres 2>/dev/null)" ]; then
  echo "[ensure-postgres] installing Debian's postgresql (apt-get; Debian also creates its default cluster on 5432)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

VERSION=$(pg_lsclusters --no-header | awk -v c="$CLUSTER" '$2 == c { print $1; exit }')
if [ -z "$VERSION" ]; then
  VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  echo "[ensure-postgres] creating the test cluster $VERSION/$CLUSTER on 127.0.0.1:$PORT (listening on localhost only, TLS off)"
  # Askar's PostgreSQL driver negotiates TLS when the server offers it (Credo 0.5 has no sslmode
  # setting), and on a loopback server that handshake intermittently fails with "Transport
  # endpoint is not connected". Tests talk over loopback only: this cluster serves them without TLS.
  as_root pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" --start-conf=manual \
    -o ssl=off >/dev/null
fi
CLUSTER_PORT=$(pg_lsclusters --no-header | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { print $3 }')
if [ "$CLUSTER_PORT" != "$PORT" ]; then
  echo "[ensure-postgres] the cluster $VERSION/$CLUSTER exists on port $CLUSTER_PORT, not $PORT: set CREDENCE_TEST_PG_PORT=$CLUSTER_PORT, or drop it (pg_dropcluster --stop $VERSION $CLUSTER)" >&2
  exit 1
fi
if ! pg_lsclusters --no-header | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c' | grep -q online; then
  echo "[ensure-postgres] starting the test cluster $VERSION/$CLUSTER on port $PORT"
  as_root pg_ctlcluster "$VERSION" "$CLUSTER" start
fi

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$PORT"

as_postgres "PGOPTIONS='-c client_min_messages=warning' psql -q -p $PORT -v ON_ERROR_STOP=1 -d postgres" <<SQL
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
echo "[ensure-postgres] ready: postgres://$ROLE:***@127.0.0.1:$PORT (cluster $VERSION/$CLUSTER)"
