#!/usr/bin/env bash
# Gateway benchmark: a fixed 200-byte backend (nginx), then wrk against
#   1. the backend directly,
#   2. nginx (2 workers, keep-alive upstream) proxying it,
#   3. the floor: a bare Vert.x HTTP server + vertx-http-proxy (HttpProxy.reverseProxy) on epoll, no Quarkus, no
#      authentication, no rate limit (src/test/java/cn/onenet/gateway/bench/ProxyFloor.java): what the JVM HTTP
#      stack alone costs per proxied request, i.e. the best the gateway could do on this stack,
#   4. the gateway proxying it with JWT validation and per-client rate limiting on (limit set high).
# Prints req/s, p50 and p99 of each, the CPU each proxy spends per request, and the ratios. Everything binds 127.0.0.1, ports 31000-31999, and everything
# the script starts is stopped on exit.
#
# After a fixed warm-up (WARMUP per target) the two JVMs keep being warmed until their JIT compilers have settled
# (../../bench/jit.sh: JIT_SETTLED, WARMUP_MAX). Then, because latency at saturation mostly measures the queue in
# front of the slowest proxy, each target once more at a fixed offered rate all of them sustain (hey, RATE req/s from 20 workers): the latency a hop adds under load.
#
#   gateway/bench/bench.sh                 # 15 s per target, 2 threads, 64 connections; fixed rate 5,000 req/s
#   DURATION=30s CONNECTIONS=128 RATE=8000 gateway/bench/bench.sh
#   TARGETS="floor gateway" gateway/bench/bench.sh          # a subset of direct nginx floor gateway base
#   BASE_APP=/tmp/old/quarkus-app gateway/bench/bench.sh    # adds "base": another build of the gateway (a copy of
#                                                           # its target/quarkus-app), for an A/B in one go
#   APP=/path/to/quarkus-app gateway/bench/bench.sh         # the build under test (default gateway/target/quarkus-app)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
source "$ROOT/bench/jit.sh"
DURATION="${DURATION:-15s}"
RATE="${RATE:-5000}"
RATE_DURATION="${RATE_DURATION:-10s}"
WARMUP="${WARMUP:-10s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
BACKEND_PORT=31080
NGINX_PORT=31081
GATEWAY_PORT=31082
FLOOR_PORT=31083
BASE_PORT=31084
APP="${APP:-$ROOT/gateway/target/quarkus-app}"
JAR="$APP/quarkus-run.jar"
BASE_APP="${BASE_APP:-}"
TARGETS="${TARGETS:-direct nginx floor gateway${BASE_APP:+ base}}"
wants() { case " $TARGETS " in *" $1 "*) return 0 ;; esac; return 1; }
WORK="$(mktemp -d /tmp/gateway-bench.XXXXXX)"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "missing $1: apt-get install -y $2" >&2; exit 1; }
}
need wrk wrk
need hey hey
need openssl openssl
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "missing nginx: apt-get install -y nginx" >&2
  exit 1
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

FLOOR_CLASS="$ROOT/gateway/target/test-classes/cn/onenet/gateway/bench/ProxyFloor.class"
if [ ! -f "$JAR" ] || [ ! -f "$FLOOR_CLASS" ]; then
  echo "building the gateway ..."
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests -pl gateway)
fi

wait_http() {
  local url="$1" tries=0
  until curl -s -o /dev/null "$url"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 200 ]; then echo "no answer from $url" >&2; exit 1; fi
    sleep 0.1
  done
}

# --- the fixed backend and nginx as a proxy --------------------------------------------------------------
BODY="$(head -c 200 /dev/zero | tr '\0' 'x')"
mkdir -p "$WORK/backend/logs" "$WORK/proxy/logs"
cat > "$WORK/backend/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/backend/nginx.pid;
error_log $WORK/backend/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/backend/body;
  proxy_temp_path $WORK/backend/proxy;
  fastcgi_temp_path $WORK/backend/fastcgi;
  uwsgi_temp_path $WORK/backend/uwsgi;
  scgi_temp_path $WORK/backend/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$BACKEND_PORT;
    location / { default_type text/plain; return 200 "$BODY"; }
  }
}
CONF
cat > "$WORK/proxy/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/proxy/nginx.pid;
error_log $WORK/proxy/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/proxy/body;
  proxy_temp_path $WORK/proxy/proxy;
  fastcgi_temp_path $WORK/proxy/fastcgi;
  uwsgi_temp_path $WORK/proxy/uwsgi;
  scgi_temp_path $WORK/proxy/scgi;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$BACKEND_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$remote_addr;
    }
  }
}
CONF
"$NGINX" -p "$WORK/backend" -c "$WORK/backend/nginx.conf" 2>"$WORK/backend/logs/stderr" &
BACKEND_PID=$!
PIDS+=($BACKEND_PID)
"$NGINX" -p "$WORK/proxy" -c "$WORK/proxy/nginx.conf" 2>"$WORK/proxy/logs/stderr" &
PROXY_PID=$!
PIDS+=($PROXY_PID)

# --- a signing key and a token the gateway accepts ----------------------------------------------------------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/key.pem" 2>/dev/null
PUBLIC_KEY="$(openssl pkey -in "$WORK/key.pem" -pubout -outform DER | base64 -w0)"
ISSUER="http://127.0.0.1:$GATEWAY_PORT/oidc"
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
NOW="$(date +%s)"
# typ at+jwt (RFC 9068): the services refuse any other token type.
HEADER="$(printf '{"alg":"RS256","typ":"at+jwt","kid":"bench"}' | b64url)"
CLAIMS="$(printf '{"iss":"%s","sub":"bench-client","client_id":"bench-client","aud":"onenet-catalog","roles":["system"],"dept":"11330000002482170X","iat":%d,"exp":%d}' \
  "$ISSUER" "$NOW" "$((NOW + 3600))" | b64url)"
SIGNATURE="$(printf '%s.%s' "$HEADER" "$CLAIMS" | openssl dgst -sha256 -sign "$WORK/key.pem" -binary | b64url)"
TOKEN="$HEADER.$CLAIMS.$SIGNATURE"
# A packaged start refuses the published fallback console secret; the bench never signs in at the console.
CONSOLE_SECRET="$(openssl rand -hex 24)"

# --- the gateway (and the other build it is compared with) ------------------------------------------------------
start_gateway() { # start_gateway <port> <quarkus-app dir> <log>; sets STARTED_PID
  QUARKUS_HTTP_PORT=$1 \
  QUARKUS_HTTP_HOST=127.0.0.1 \
  GATEWAY_UPSTREAMS_IDENTITY=http://127.0.0.1:$BACKEND_PORT \
  GATEWAY_UPSTREAMS_CATALOG=http://127.0.0.1:$BACKEND_PORT \
  GATEWAY_UPSTREAMS_EXCHANGE=http://127.0.0.1:$BACKEND_PORT \
  QUARKUS_OIDC_AUTH_SERVER_URL= \
  QUARKUS_OIDC_PUBLIC_KEY="$PUBLIC_KEY" \
  QUARKUS_OIDC_CONSOLE_AUTH_SERVER_URL=http://127.0.0.1:$BACKEND_PORT/oidc \
  GATEWAY_CONSOLE_CLIENT_SECRET="$CONSOLE_SECRET" \
  QUARKUS_OIDC_TOKEN_ISSUER="$ISSUER" \
  GATEWAY_RATE_LIMIT_DEFAULT_REQUESTS=1000000000 \
  GATEWAY_ACCESS_LOG_ENABLED=false \
  QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=${EVENT_LOOPS:-2} \
    java ${GATEWAY_JAVA_OPTS:-} -jar "$2/quarkus-run.jar" > "$3" 2>&1 &
  STARTED_PID=$!
  PIDS+=($STARTED_PID)
}
start_gateway $GATEWAY_PORT "$APP" "$WORK/gateway.log"
GATEWAY_PID=$STARTED_PID
BASE_PID=""
if wants base; then
  [ -f "$BASE_APP/quarkus-run.jar" ] || { echo "BASE_APP=$BASE_APP has no quarkus-run.jar" >&2; exit 1; }
  # The same issuer (it names the port of the gateway under test): both accept the token.
  start_gateway $BASE_PORT "$BASE_APP" "$WORK/base.log"
  BASE_PID=$STARTED_PID
fi

# --- the floor: bare Vert.x + vertx-http-proxy, the gateway's own jars, same event-loop count ----------------
java ${GATEWAY_JAVA_OPTS:-} -cp "$ROOT/gateway/target/test-classes:$ROOT/gateway/target/quarkus-app/lib/main/*" \
  cn.onenet.gateway.bench.ProxyFloor $FLOOR_PORT $BACKEND_PORT ${EVENT_LOOPS:-2} > "$WORK/floor.log" 2>&1 &
FLOOR_PID=$!
PIDS+=($FLOOR_PID)

wait_http "http://127.0.0.1:$BACKEND_PORT/"
wait_http "http://127.0.0.1:$NGINX_PORT/"
wait_http "http://127.0.0.1:$FLOOR_PORT/"
wait_http "http://127.0.0.1:$GATEWAY_PORT/q/health/live"
[ -z "$BASE_PID" ] || wait_http "http://127.0.0.1:$BASE_PORT/q/health/live"

PATH_UNDER_TEST="/api/catalog/v1/bench"
for port in $GATEWAY_PORT ${BASE_PID:+$BASE_PORT}; do
check="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port$PATH_UNDER_TEST")"
if [ "$check" != "200" ]; then
  echo "the gateway refused the benchmark request (HTTP $check); log:" >&2
  tail -20 "$WORK/gateway.log" >&2
  exit 1
fi
unauth="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$PATH_UNDER_TEST")"
if [ "$unauth" != "401" ]; then
  echo "JWT validation is not on: a request without a token got HTTP $unauth" >&2
  exit 1
fi
limit="$(curl -s -D - -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port$PATH_UNDER_TEST" \
  | tr -d '\r' | awk -F': ' 'tolower($1)=="ratelimit-limit" {print $2}')"
if [ -z "$limit" ]; then
  echo "rate limiting is not on: no RateLimit-Limit header" >&2
  exit 1
fi
done

if [ -n "${HOLD:-}" ]; then
  # Keep everything running for manual profiling (HOLD=<seconds>); the token is in $WORK/token.
  echo "$TOKEN" > "$WORK/token"
  echo "holding for $HOLD s: backend :$BACKEND_PORT, nginx :$NGINX_PORT, floor :$FLOOR_PORT (pid $FLOOR_PID)," \
    "gateway :$GATEWAY_PORT (pid $GATEWAY_PID)${BASE_PID:+, base :$BASE_PORT (pid $BASE_PID)}, token $WORK/token"
  sleep "$HOLD"
  exit 0
fi

# to_ms <wrk latency such as 512.00us / 1.20ms / 1.01s>
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v; sub(/[a-z]+$/, "", n); u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n = n / 1000; else if (u == "s") n = n * 1000; else if (u == "m") n = n * 60000;
    printf "%.3f", n }'
}

# CPU time of a process and its children (nginx workers), in clock ticks: "user system"
ticks() {
  local user=0 system=0 pid u s
  for pid in "$@" $(pgrep -P "$1" || true); do
    if [ -r "/proc/$pid/stat" ]; then
      read -r u s < <(awk '{print $14, $15}' "/proc/$pid/stat")
      user=$((user + u)); system=$((system + s))
    fi
  done
  echo "$user $system"
}

run() {  # run <name> <port> <duration> [pid] -> sets RPS P50 P99 CPU_US (CPU microseconds per request of pid, and
         # its user / system parts USER_US SYS_US)
  local out before after requests
  before="$( [ -n "${4:-}" ] && ticks "$4" || echo 0 0)"
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$2$PATH_UNDER_TEST")"
  echo "$out" > "$WORK/wrk-$1.txt"
  if echo "$out" | grep -q "Non-2xx"; then
    echo "$1: some answers were not 2xx:" >&2
    echo "$out" >&2
    exit 1
  fi
  after="$( [ -n "${4:-}" ] && ticks "$4" || echo 0 0)"
  requests="$(echo "$out" | awk '/requests in/ {print $1}')"
  read -r USER_US SYS_US CPU_US < <(awk -v b="$before" -v a="$after" -v r="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    split(b, x, " "); split(a, y, " "); u = (y[1] - x[1]) * 1e6 / hz / r; s = (y[2] - x[2]) * 1e6 / hz / r
    printf "%.1f %.1f %.1f\n", u, s, u + s }')
  RPS="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  P50="$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")"
  P99="$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")"
}

fixed_rate() {  # fixed_rate <name> <port> -> sets FR_RPS FR_P50 FR_P99 (hey at RATE req/s, 20 workers)
  local out
  out="$(hey -z "$RATE_DURATION" -c 20 -q $((RATE / 20)) -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$2$PATH_UNDER_TEST")"
  echo "$out" > "$WORK/hey-$1.txt"
  if echo "$out" | awk '/Status code distribution/ {s = 1; next} s && /\[/ && $1 != "[200]" {bad = 1} END {exit !bad}'; then
    echo "$1: some answers at the fixed rate were not 200:" >&2
    echo "$out" >&2
    exit 1
  fi
  FR_RPS="$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')"
  FR_P50="$(echo "$out" | awk '$1 == "50%" && $2 == "in" {printf "%.3f", $3 * 1000}')"
  FR_P99="$(echo "$out" | awk '$1 == "99%" && $2 == "in" {printf "%.3f", $3 * 1000}')"
}

declare -A PORT=([direct]=$BACKEND_PORT [nginx]=$NGINX_PORT [floor]=$FLOOR_PORT [gateway]=$GATEWAY_PORT [base]=$BASE_PORT)
declare -A PID_OF=([direct]=$BACKEND_PID [nginx]=$PROXY_PID [floor]=$FLOOR_PID [gateway]=$GATEWAY_PID [base]=$BASE_PID)
declare -A NOTE=([direct]="(backend)" [floor]="(bare Vert.x proxy)" [base]="(BASE_APP build)")
declare -A M_RPS M_P50 M_P99 M_CPU M_SPLIT F_RPS F_P50 F_P99
ORDER=""
for t in direct nginx floor base gateway; do wants "$t" && ORDER="$ORDER $t"; done

echo "warming up (${WARMUP} each) ..."
JVMS=""
for t in $ORDER; do
  case "$t" in
    nginx) run warm-nginx $NGINX_PORT "$WARMUP" ;;
    floor) run warm-floor $FLOOR_PORT "$WARMUP"; JVMS="$JVMS floor=$FLOOR_PID" ;;
    gateway | base) run "warm-$t" "${PORT[$t]}" "$WARMUP"; run "warm-$t" "${PORT[$t]}" "$WARMUP"; JVMS="$JVMS $t=${PID_OF[$t]}" ;;
  esac
done
warm_jvms() {
  local j
  for j in $JVMS; do run "warm-${j%%=*}" "${PORT[${j%%=*}]}" 5s; done
}
[ -z "$JVMS" ] || jit_settle 10 "${JVMS# }" warm_jvms

LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "measuring: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, 200-byte body, bearer token on every request"
for t in $ORDER; do
  if [ "$t" = gateway ] && [ "${PROFILE:-0}" = "1" ]; then
    # Thread dumps of the gateway under load: where its event loops spend their time.
    PROFILE_OUT="$ROOT/gateway/target/bench-profile.txt"
    ( sleep 3; for i in 1 2 3 4 5 6 7 8; do jstack "$GATEWAY_PID"; sleep 0.5; done ) > "$PROFILE_OUT" 2>&1 &
  fi
  run "$t" "${PORT[$t]}" "$DURATION" "${PID_OF[$t]}"
  M_RPS[$t]=$RPS; M_P50[$t]=$P50; M_P99[$t]=$P99; M_CPU[$t]=$CPU_US; M_SPLIT[$t]="$USER_US / $SYS_US"
done

echo "measuring at a fixed rate: hey, $RATE req/s offered from 20 workers, $RATE_DURATION per target"
for t in $ORDER; do
  fixed_rate "$t" "${PORT[$t]}"
  F_RPS[$t]=$FR_RPS; F_P50[$t]=$FR_P50; F_P99[$t]=$FR_P99
done

echo "load average before the runs: $LOAD (2 cores shared by wrk, the backend and the proxy under test)"
printf '\n%-10s %12s %10s %10s %12s %16s\n' target "req/s" "p50 ms" "p99 ms" "CPU us/req" "user / system"
for t in $ORDER; do
  printf '%-10s %12s %10s %10s %12s %16s  %s\n' "$t" "${M_RPS[$t]}" "${M_P50[$t]}" "${M_P99[$t]}" "${M_CPU[$t]}" \
    "${M_SPLIT[$t]}" "${NOTE[$t]:-}"
done
echo
# ratio <a> <b>: throughput and CPU per request of a against b, when both were measured
ratio() {
  wants "$1" && wants "$2" || return 0
  awk -v a="${M_RPS[$1]}" -v b="${M_RPS[$2]}" -v ca="${M_CPU[$1]}" -v cb="${M_CPU[$2]}" -v na="$1" -v nb="$2" 'BEGIN {
    printf "%s / %s: throughput %.2fx, CPU per request %.2fx\n", na, nb, a / b, ca / cb }'
}
ratio gateway nginx; echo "  (target >= 1.0x throughput)" | { wants nginx && wants gateway && cat || true; }
ratio floor nginx; ratio gateway floor; ratio gateway base; ratio base nginx; ratio nginx direct
if wants direct; then
  for t in $ORDER; do
    [ "$t" = direct ] && continue
    awk -v n="$t" -v p="${M_P99[$t]}" -v d="${M_P99[direct]}" -v fp="${F_P99[$t]}" -v fd="${F_P99[direct]}" \
      -v fm="${F_P50[$t]}" -v fdm="${F_P50[direct]}" -v r="$RATE" 'BEGIN {
      printf "added over direct, %s: p99 %+.2f ms at saturation; at %s req/s p50 %+.2f ms, p99 %+.2f ms (target <= 2 ms)\n",
        n, p - d, r, fm - fdm, fp - fd }'
  done
fi
printf '\nat a fixed rate of %s req/s (hey, 20 workers):\n%-10s %12s %10s %10s\n' "$RATE" target "req/s" "p50 ms" "p99 ms"
for t in $ORDER; do
  printf '%-10s %12s %10s %10s\n' "$t" "${F_RPS[$t]}" "${F_P50[$t]}" "${F_P99[$t]}"
done
