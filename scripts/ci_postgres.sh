#!/usr/bin/env bash
# Ensure a PostgreSQL server for the test suite runs on 127.0.0.1:5432, with role `motcua` (password `motcua`,
# CREATEDB, since the suite creates one database per pytest-xdist worker) owning database `motcua_test`.
# Prints the SQLAlchemy URL on stdout and nothing else there; progress goes to stderr.
#
# Uses Debian's postgresql-common tools (pg_lsclusters, pg_createcluster, pg_ctlcluster), never a bare pg_ctl
# from PATH. Idempotent: an existing, running cluster on the port is reused; a stopped one is started; with no
# cluster on the port, one is created. The role's password and privileges are (re)set on every run.
# Must run as root (it switches to the `postgres` system user for administration).
#
# Environment overrides: MOTCUA_PG_PORT (5432), MOTCUA_PG_USER (motcua), MOTCUA_PG_PASSWORD (motcua),
# MOTCUA_PG_DB (motcua_test).
set -euo pipefail

PORT="${MOTCUA_PG_PORT:-5432}"
DB_USER="${MOTCUA_PG_USER:-motcua}"
DB_PASSWORD="${MOTCUA_PG_PASSWORD:-motcua}"
DB_NAME="${MOTCUA_PG_DB:-motcua_test}"

log() { printf '[ci_postgres] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

start=$(date +%s)
[ "$(id -u)" -eq 0 ] || die "must run as root"
command -v pg_lsclusters >/dev/null || die "postgresql-common missing: run scripts/install_system_deps.sh first"

# 1. Find the cluster that owns the port, or create one with the newest installed server.
cluster_line="$(pg_lsclusters --no-header 2>/dev/null | awk -v p="$PORT" '$3 == p { print; exit }')"
if [ -z "$cluster_line" ]; then
    version="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' 2>/dev/null \
        | awk -F/ '{ print $5 }' | sort -V | tail -n 1)"
    [ -n "$version" ] || die "no PostgreSQL server under /usr/lib/postgresql: install the postgresql package"
    name=main
    if pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" { found=1 } END { exit !found }'; then
        name=motcua  # `main` exists on another port: leave it alone
    fi
    log "creating cluster $version/$name on port $PORT"
    # UTF8 whatever the machine's locale: Vietnamese text must round-trip.
    pg_createcluster --port "$PORT" --locale C.UTF-8 --encoding UTF8 "$version" "$name" >&2
    cluster_line="$(pg_lsclusters --no-header | awk -v p="$PORT" '$3 == p { print; exit }')"
    [ -n "$cluster_line" ] || die "cluster creation did not register a cluster on port $PORT"
fi
read -r version name _port status _rest <<<"$cluster_line"

# 2. Start it if needed. Durability is irrelevant for a throwaway test server, so skip fsync for speed;
#    this applies to this server process only and is not written to its configuration.
if [ "$status" != "online" ]; then
    log "starting cluster $version/$name (was: $status)"
    install -d -o postgres -g postgres -m 2775 /var/run/postgresql
    if ! pg_ctlcluster "$version" "$name" start -- \
            -o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2; then
        logfile="/var/log/postgresql/postgresql-$version-$name.log"
        [ -r "$logfile" ] && tail -n 30 "$logfile" >&2
        die "could not start cluster $version/$name"
    fi
fi

# 3. Wait until it accepts TCP connections on 127.0.0.1.
for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$PORT" && break
    sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$PORT" || die "server on 127.0.0.1:$PORT not accepting connections"

# 4. Role and database (idempotent). Values are passed as psql variables and quoted by psql itself.
as_postgres() { (cd / && runuser -u postgres -- "$@"); }
psql_admin() {
    as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres \
        -v role="$DB_USER" -v password="$DB_PASSWORD" -v db="$DB_NAME" "$@"
}

psql_admin <<'SQL' >&2
SELECT format('CREATE ROLE %I', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN CREATEDB PASSWORD %L', :'role', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8'' LC_COLLATE ''C.UTF-8'' LC_CTYPE ''C.UTF-8'' TEMPLATE template0',
              :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL

# Databases created by the suite without an explicit template copy template1: make sure it is UTF8 too.
template_encoding="$(psql_admin -At -c "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'template1'")"
if [ "$template_encoding" != "UTF8" ]; then
    log "template1 is $template_encoding; recreating it as UTF8"
    psql_admin <<'SQL' >&2
UPDATE pg_database SET datistemplate = false WHERE datname = 'template1';
DROP DATABASE template1;
CREATE DATABASE template1 TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' IS_TEMPLATE true;
SQL
fi

# 5. Prove the URL works: log in over TCP with the password, as the test suite will.
PGPASSWORD="$DB_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d "$DB_NAME" \
    -At -c "SELECT 1" >/dev/null || die "cannot log in as $DB_USER to $DB_NAME over TCP"

log "cluster $version/$name ready on 127.0.0.1:$PORT in $(( $(date +%s) - start ))s"
printf 'postgresql+psycopg://%s:%s@127.0.0.1:%s/%s\n' "$DB_USER" "$DB_PASSWORD" "$PORT" "$DB_NAME"
