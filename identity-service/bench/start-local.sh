#!/usr/bin/env bash
# Starts a throw-away PostgreSQL and identity-service (demo profile) on loopback for benchmarking.
#   bench/start-local.sh            # PostgreSQL on 28432, identity-service on 28081
#   bench/stop-local.sh             # stops exactly what this started (pids in $STATE)
# Needs a built service (./mvnw -B package -DskipTests -pl identity-service) and Debian's PostgreSQL
# (apt-get install postgresql); the server runs as the postgres user because PostgreSQL refuses root.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=${STATE:-/tmp/identity-bench}
PG_PORT=${PG_PORT:-28432}
PORT=${PORT:-28081}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || { echo "build first: ./mvnw -B package -DskipTests -pl identity-service" >&2; exit 1; }
[ -x "$PG_BIN/pg_ctl" ] || { echo "PostgreSQL binaries not found (apt-get install postgresql)" >&2; exit 1; }
mkdir -p "$STATE"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -d "$STATE/pgdata" ]; then
  mkdir -p "$STATE/pgdata" && [ "$(id -u)" = 0 ] && chown postgres "$STATE" "$STATE/pgdata"
  as_pg "$PG_BIN/initdb" -D "$STATE/pgdata" -U postgres --auth=trust >/dev/null
fi
as_pg "$PG_BIN/pg_ctl" -D "$STATE/pgdata" -l "$STATE/pg.log" -w \
  -o "-p $PG_PORT -k $STATE -c listen_addresses=127.0.0.1 -c max_connections=200 -c synchronous_commit=off" start >/dev/null
as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE identity" 2>/dev/null || true
QUARKUS_PROFILE=prod,demo QUARKUS_HTTP_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1 \
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/identity QUARKUS_DATASOURCE_USERNAME=postgres \
IDENTITY_ISSUER=${IDENTITY_ISSUER:-http://127.0.0.1:$PORT/oidc} \
  nohup java -Xmx512m -jar "$JAR" >"$STATE/identity.log" 2>&1 &
echo $! >"$STATE/identity.pid"
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && { echo "identity-service ready on 127.0.0.1:$PORT"; exit 0; }
  sleep 1
done
echo "identity-service did not become ready; see $STATE/identity.log" >&2; exit 1
