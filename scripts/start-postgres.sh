#!/usr/bin/env bash
# Starts the Debian PostgreSQL cluster on 127.0.0.1:5432 and makes sure role `mutual`
# (password `mutual`) owns databases `mutual_test` (test suites) and `mutual` (local
# development). Idempotent: when the server is already up and set up it only checks (as
# `mutual` over TCP, no root needed) and prints. scripts/test.sh runs it unless
# MUTUAL_TEST_POSTGRES is set or MUTUAL_TEST_INSTALL=0.
#
# Usage: bash scripts/start-postgres.sh     (run scripts/install-test-deps.sh first)
# Prints the test URL as its last line:
#   postgres://mutual:mutual@127.0.0.1:5432/mutual_test
set -euo pipefail

PORT=5432
HOST=127.0.0.1
ROLE=mutual
PASSWORD=mutual
DATABASES=(mutual_test mutual)
CLUSTER=main

log() { printf '[start-postgres] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v pg_lsclusters >/dev/null || die "PostgreSQL is not installed (run: bash scripts/install-test-deps.sh)"

# Already set up (a previous run did all below): connect the way the app does, as $ROLE over
# TCP, and check that both databases exist and $ROLE owns their schema public. Needs no root.
if command -v psql >/dev/null && pg_isready -q -h "$HOST" -p "$PORT" 2>/dev/null; then
    ready=1
    for db in "${DATABASES[@]}"; do
        owner="$(PGPASSWORD="$PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -q -h "$HOST" -p "$PORT" -U "$ROLE" -d "$db" -tAc \
            "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'" 2>/dev/null || true)"
        [[ "$owner" == "$ROLE" ]] || { ready=0; break; }
    done
    if [[ "$ready" == 1 ]]; then
        log "already running and set up: $HOST:$PORT, role $ROLE, databases ${DATABASES[*]}"
        echo "postgres://$ROLE:$PASSWORD@$HOST:$PORT/${DATABASES[0]}"
        exit 0
    fi
fi

if [[ ${EUID:-$(id -u)} -ne 0 ]] && ! command -v sudo >/dev/null; then
    log "ERROR: PostgreSQL on $HOST:$PORT is not running or not set up for role $ROLE, and starting"
    log "  or setting it up needs root (this is neither root nor a user with sudo)."
    log "  Run once as root:  bash scripts/start-postgres.sh"
    log "  Or run only the SQLite suites:  MUTUAL_TEST_INSTALL=0 bash scripts/test.sh"
    exit 1
fi

as_postgres() {
    if [[ ${EUID:-$(id -u)} -eq 0 ]]; then runuser -u postgres -- "$@"; else sudo -u postgres -- "$@"; fi
}
as_root() {
    if [[ ${EUID:-$(id -u)} -eq 0 ]]; then "$@"; else sudo -- "$@"; fi
}

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -1)"
[[ -n "$VERSION" ]] || die "no PostgreSQL server version under /usr/lib/postgresql"

# Debian creates the cluster on install; recreate it if a previous run removed it.
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$VERSION $CLUSTER"; then
    log "creating cluster $VERSION/$CLUSTER on port $PORT"
    as_root pg_createcluster --port "$PORT" "$VERSION" "$CLUSTER" >/dev/null
fi

cluster_port="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $3}')"
if [[ "$cluster_port" != "$PORT" ]]; then
    die "cluster $VERSION/$CLUSTER is configured for port $cluster_port, not $PORT (edit /etc/postgresql/$VERSION/$CLUSTER/postgresql.conf)"
fi

status="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}')"
if [[ "$status" == online* ]]; then
    log "cluster $VERSION/$CLUSTER already running"
else
    log "starting cluster $VERSION/$CLUSTER"
    # The server listens on localhost only (Debian's default listen_addresses).
    as_root pg_ctlcluster "$VERSION" "$CLUSTER" start \
        || { tail -20 "/var/log/postgresql/postgresql-$VERSION-$CLUSTER.log" >&2 || true; die "pg_ctlcluster start failed"; }
fi

for _ in $(seq 1 60); do
    pg_isready -q -h "$HOST" -p "$PORT" && break
    sleep 0.5
done
pg_isready -q -h "$HOST" -p "$PORT" || die "PostgreSQL did not become ready on $HOST:$PORT within 30 s"

psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" "$@"; }

# Role: create it, or reset its password so the URL below always works.
psql_admin -d postgres <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
        CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    ELSE
        ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    END IF;
END
\$\$;
SQL

for db in "${DATABASES[@]}"; do
    exists="$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")"
    if [[ "$exists" != 1 ]]; then
        log "creating database $db"
        psql_admin -d postgres -c "CREATE DATABASE $db OWNER $ROLE"
    fi
    # PostgreSQL 15 no longer lets every role create in schema public; the owner of the
    # database does not own that schema, so make sure migrations can create tables.
    psql_admin -d "$db" -c "ALTER SCHEMA public OWNER TO $ROLE"
done

# Check the exact way the app connects: TCP on loopback with a password.
PGPASSWORD="$PASSWORD" psql -X -q -h "$HOST" -p "$PORT" -U "$ROLE" -d "${DATABASES[0]}" -tAc 'SELECT 1' >/dev/null \
    || die "cannot connect as $ROLE to ${DATABASES[0]} over TCP"

log "ready: PostgreSQL $VERSION on $HOST:$PORT, role $ROLE, databases ${DATABASES[*]}"
echo "postgres://$ROLE:$PASSWORD@$HOST:$PORT/${DATABASES[0]}"
