# Shared set-up for the benchmark and the crash test: a throw-away PostgreSQL, a signing key for test tokens and
# data-exchange-service started from target/quarkus-app. Everything binds 127.0.0.1 on ports 30000-30999.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODULE=$(dirname "$HERE")
PORT=${PORT:-30083}
PGPORT=${PGPORT:-30432}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
WORK=$(mktemp -d /tmp/exchange-bench.XXXXXX)
chmod 755 "$WORK"
SERVICE_PID=""
GATEWAY_PID=""
GATEWAY_PORT=${GATEWAY_PORT:-30080}
ISSUER="https://bench.issuer.local"
POPULATION="330000-01-02/000123"
POPULATION_ENC="330000-01-02%2F000123"
HR_DEPT="11330000002481060E"

as_pg() {
    if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
    if [ -n "$GATEWAY_PID" ] && kill -0 "$GATEWAY_PID" 2>/dev/null; then kill "$GATEWAY_PID"; wait "$GATEWAY_PID" 2>/dev/null || true; fi
    if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; fi
    if [ -f "$WORK/pg/postmaster.pid" ]; then as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

start_postgres() {
    mkdir -p "$WORK/pg" "$WORK/sock"
    [ "$(id -u)" = "0" ] && chown postgres "$WORK/pg" "$WORK/sock"
    as_pg "$PGBIN/initdb" -D "$WORK/pg" -U postgres -A trust -E UTF8 >/dev/null
    as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/sock/pg.log" -w \
        -o "-p $PGPORT -k $WORK/sock -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB ${PG_STATS:+-c shared_preload_libraries=pg_stat_statements} ${PG_OPTS:-}" start >/dev/null
    psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE exchange" >/dev/null
    if [ -n "${PG_STATS:-}" ]; then
        psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d exchange -qc "CREATE EXTENSION pg_stat_statements" >/dev/null
    fi
}

sql() {
    psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d exchange -qtAc "$1"
}

make_keys() {
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/key.pem" 2>/dev/null
    PUBLIC_KEY=$(openssl pkey -in "$WORK/key.pem" -pubout -outform DER | base64 -w0)
}

# token <sub> <dept> <role...>: an RS256 access token (typ at+jwt, the only type the service accepts) for audience
# onenet-exchange, valid one hour
token() {
    python3 - "$WORK/key.pem" "$ISSUER" "$@" <<'PY'
import base64, json, subprocess, sys, time
key, iss, sub, dept, *roles = sys.argv[1:]
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
now = int(time.time())
claims = {"iss": iss, "sub": sub, "aud": "onenet-exchange", "roles": roles, "dept": dept, "client_id": sub,
          "iat": now, "exp": now + 3600}
signing_input = b64(json.dumps({"alg": "RS256", "typ": "at+jwt"}).encode()) + "." + b64(json.dumps(claims).encode())
sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing_input.encode(),
                     capture_output=True, check=True).stdout
print(signing_input + "." + b64(sig))
PY
}

start_service() {
    local jar="$MODULE/target/quarkus-app/quarkus-run.jar"
    [ -f "$jar" ] || { echo "build the module first: ./mvnw -B verify -pl data-exchange-service" >&2; exit 1; }
    QUARKUS_PROFILE=prod,demo QUARKUS_HTTP_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PGPORT/exchange" \
    QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=unused \
    QUARKUS_DATASOURCE_JDBC_MAX_SIZE=${DB_POOL:-32} \
    QUARKUS_OIDC_PUBLIC_KEY="$PUBLIC_KEY" QUARKUS_OIDC_TOKEN_ISSUER="$ISSUER" \
    QUARKUS_REST_CLIENT_CATALOG_URL=http://127.0.0.1:30999 \
    EXCHANGE_BENCH_ENABLED=true EXCHANGE_QUOTA_PER_SECOND=1000000 EXCHANGE_QUOTA_PER_DAY=2000000000 \
    QUARKUS_LOG_LEVEL=WARN \
        java ${JAVA_OPTS:--Xmx1g} -Dquarkus.oidc.auth-server-url= -jar "$jar" >"$WORK/service.log" 2>&1 &
    SERVICE_PID=$!
    wait_ready "$SERVICE_PID" "http://127.0.0.1:$PORT/q/health/ready" "$WORK/service.log" service
}

# wait_ready <pid> <url> <log> <name>: until the URL answers 2xx; the log and exit 1 if the process dies or 60 s pass
wait_ready() {
    for _ in $(seq 1 120); do
        curl -fs "$2" >/dev/null 2>&1 && return 0
        kill -0 "$1" 2>/dev/null || { cat "$3" >&2; exit 1; }
        sleep 0.5
    done
    echo "$4 did not become ready" >&2; cat "$3" >&2; exit 1
}

# The catalogue is not running here: put its demo entry 居民户籍信息 into the replica, as the feed would (items with
# their data types and lengths as the catalogue's demo lists them: records are checked against them), and wait
# for the demo loader to host the dataset and grant 人社厅 access.
seed_catalogue_entry() {
    sql "INSERT INTO catalog_entry (resource_code, entry_version, name, provider_department_code, share_attribute, grade, key_item, items)
         VALUES ('$POPULATION', 1, '居民户籍信息', '11330000002481020A', 'CONDITIONAL', 'LEVEL_3', 'GMSFHM',
         '[{\"code\":\"GMSFHM\",\"name\":\"公民身份号码\",\"dataType\":\"C\",\"length\":18,\"sensitive\":true},{\"code\":\"XM\",\"name\":\"姓名\",\"dataType\":\"C\",\"length\":50,\"sensitive\":true},{\"code\":\"XB\",\"name\":\"性别\",\"dataType\":\"C\",\"length\":1,\"sensitive\":false},{\"code\":\"CSRQ\",\"name\":\"出生日期\",\"dataType\":\"D\",\"sensitive\":false},{\"code\":\"MZ\",\"name\":\"民族\",\"dataType\":\"C\",\"length\":20,\"sensitive\":true},{\"code\":\"HJDZ\",\"name\":\"户籍地址\",\"dataType\":\"C\",\"length\":200,\"sensitive\":true}]')
         ON CONFLICT DO NOTHING" >/dev/null
    local t
    t=$(token bench-op "$HR_DEPT" operator)
    for _ in $(seq 1 90); do
        code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $t" \
            "http://127.0.0.1:$PORT/api/exchange/v1/data/$POPULATION_ENC/records/33010619850312001X")
        [ "$code" = "200" ] && return 0
        sleep 1
    done
    echo "demo grant did not appear (last status $code)" >&2; tail -40 "$WORK/service.log" >&2; exit 1
}

# The suite's gateway (built in ../gateway/target) in front of the service: token check, per-client rate limit (set
# high), request ids, proxying to 127.0.0.1:$PORT. Trusts the same test key and issuer as the service. A console
# secret of its own: a packaged gateway refuses the published fallback, and nobody signs in at the console here.
start_gateway() {
    local jar="$MODULE/../gateway/target/quarkus-app/quarkus-run.jar"
    [ -f "$jar" ] || { echo "the gateway is not built: $jar" >&2; exit 1; }
    QUARKUS_HTTP_PORT=$GATEWAY_PORT QUARKUS_HTTP_HOST=127.0.0.1 \
    GATEWAY_UPSTREAMS_IDENTITY=http://127.0.0.1:30999 GATEWAY_UPSTREAMS_CATALOG=http://127.0.0.1:30999 \
    GATEWAY_UPSTREAMS_EXCHANGE=http://127.0.0.1:$PORT \
    QUARKUS_OIDC_AUTH_SERVER_URL= QUARKUS_OIDC_PUBLIC_KEY="$PUBLIC_KEY" QUARKUS_OIDC_TOKEN_ISSUER="$ISSUER" \
    QUARKUS_OIDC_CONSOLE_AUTH_SERVER_URL=http://127.0.0.1:30999/oidc \
    GATEWAY_CONSOLE_CLIENT_SECRET="$(openssl rand -hex 24)" \
    GATEWAY_RATE_LIMIT_DEFAULT_REQUESTS=1000000000 GATEWAY_ACCESS_LOG_ENABLED=false QUARKUS_LOG_LEVEL=WARN \
        java ${GATEWAY_JAVA_OPTS:--Xmx512m} -jar "$jar" >"$WORK/gateway.log" 2>&1 &
    GATEWAY_PID=$!
    wait_ready "$GATEWAY_PID" "http://127.0.0.1:$GATEWAY_PORT/q/health/live" "$WORK/gateway.log" gateway
}
