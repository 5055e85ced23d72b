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
JAR="$ROOT/gateway/target/quarkus-app/quarkus-run.jar"
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
HEADER="$(printf '{"alg":"RS256","typ":"JWT","kid":"bench"}' | b64url)"
CLAIMS="$(printf '{"iss":"%s","sub":"bench-client","client_id":"bench-client","aud":"onenet-catalog","roles":["system"],"dept":"11330000002482170X","iat":%d,"exp":%d}' \
  "$ISSUER" "$NOW" "$((NOW + 3600))" | b64url)"
SIGNATURE="$(printf '%s.%s' "$HEADER" "$CLAIMS" | openssl dgst -sha256 -sign "$WORK/key.pem" -binary | b64url)"
TOKEN="$HEADER.$CLAIMS.$SIGNATURE"

# --- the gateway -------------------------------------------------------------------------------------------
QUARKUS_HTTP_PORT=$GATEWAY_PORT \
QUARKUS_HTTP_HOST=127.0.0.1 \
GATEWAY_UPSTREAMS_IDENTITY=http://127.0.0.1:$BACKEND_PORT \
GATEWAY_UPSTREAMS_CATALOG=http://127.0.0.1:$BACKEND_PORT \
GATEWAY_UPSTREAMS_EXCHANGE=http://127.0.0.1:$BACKEND_PORT \
QUARKUS_OIDC_AUTH_SERVER_URL= \
QUARKUS_OIDC_PUBLIC_KEY="$PUBLIC_KEY" \
QUARKUS_OIDC_CONSOLE_AUTH_SERVER_URL=http://127.0.0.1:$BACKEND_PORT/oidc \
QUARKUS_OIDC_TOKEN_ISSUER="$ISSUER" \
GATEWAY_RATE_LIMIT_DEFAULT_REQUESTS=1000000000 \
GATEWAY_ACCESS_LOG_ENABLED=false \
QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=${EVENT_LOOPS:-2} \
  java ${GATEWAY_JAVA_OPTS:-} -jar "$JAR" > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=($GATEWAY_PID)

# --- the floor: bare Vert.x + vertx-http-proxy, the gateway's own jars, same event-loop count ----------------
java ${GATEWAY_JAVA_OPTS:-} -cp "$ROOT/gateway/target/test-classes:$ROOT/gateway/target/quarkus-app/lib/main/*" \
  cn.onenet.gateway.bench.ProxyFloor $FLOOR_PORT $BACKEND_PORT ${EVENT_LOOPS:-2} > "$WORK/floor.log" 2>&1 &
FLOOR_PID=$!
PIDS+=($FLOOR_PID)

wait_http "http://127.0.0.1:$BACKEND_PORT/"
wait_http "http://127.0.0.1:$NGINX_PORT/"
wait_http "http://127.0.0.1:$FLOOR_PORT/"
wait_http "http://127.0.0.1:$GATEWAY_PORT/q/health/live"

PATH_UNDER_TEST="/api/catalog/v1/bench"
check="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GATEWAY_PORT$PATH_UNDER_TEST")"
if [ "$check" != "200" ]; then
  echo "the gateway refused the benchmark request (HTTP $check); log:" >&2
  tail -20 "$WORK/gateway.log" >&2
  exit 1
fi
unauth="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GATEWAY_PORT$PATH_UNDER_TEST")"
if [ "$unauth" != "401" ]; then
  echo "JWT validation is not on: a request without a token got HTTP $unauth" >&2
  exit 1
fi
limit="$(curl -s -D - -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GATEWAY_PORT$PATH_UNDER_TEST" \
  | tr -d '\r' | awk -F': ' 'tolower($1)=="ratelimit-limit" {print $2}')"
if [ -z "$limit" ]; then
  echo "rate limiting is not on: no RateLimit-Limit header" >&2
  exit 1
fi

if [ -n "${HOLD:-}" ]; then
  # Keep everything running for manual profiling (HOLD=<seconds>); the token is in $WORK/token.
  echo "$TOKEN" > "$WORK/token"
  echo "holding for $HOLD s: backend :$BACKEND_PORT, nginx :$NGINX_PORT, floor :$FLOOR_PORT (pid $FLOOR_PID)," \
    "gateway :$GATEWAY_PORT (pid $GATEWAY_PID), token $WORK/token"
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

echo "warming up (${WARMUP} each) ..."
run warm-nginx $NGINX_PORT "$WARMUP"
run warm-floor $FLOOR_PORT "$WARMUP"
run warm-gateway $GATEWAY_PORT "$WARMUP"
run warm-gateway2 $GATEWAY_PORT "$WARMUP"
warm_jvms() {
  run warm-floor $FLOOR_PORT 5s
  run warm-gateway $GATEWAY_PORT 5s
}
jit_settle 10 "gateway=$GATEWAY_PID floor=$FLOOR_PID" warm_jvms

LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "measuring: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, 200-byte body, bearer token on every request"
run direct $BACKEND_PORT "$DURATION" $BACKEND_PID; D_RPS=$RPS; D_P50=$P50; D_P99=$P99; D_CPU=$CPU_US; D_SPLIT="$USER_US / $SYS_US"
run nginx $NGINX_PORT "$DURATION" $PROXY_PID; N_RPS=$RPS; N_P50=$P50; N_P99=$P99; N_CPU=$CPU_US; N_SPLIT="$USER_US / $SYS_US"
run floor $FLOOR_PORT "$DURATION" $FLOOR_PID; F_RPS=$RPS; F_P50=$P50; F_P99=$P99; F_CPU=$CPU_US; F_SPLIT="$USER_US / $SYS_US"
if [ "${PROFILE:-0}" = "1" ]; then
  # Thread dumps of the gateway under load: where its event loops spend their time.
  PROFILE_OUT="$ROOT/gateway/target/bench-profile.txt"
  ( sleep 3; for i in 1 2 3 4 5 6 7 8; do jstack "$GATEWAY_PID"; sleep 0.5; done ) > "$PROFILE_OUT" 2>&1 &
fi
run gateway $GATEWAY_PORT "$DURATION" $GATEWAY_PID; G_RPS=$RPS; G_P50=$P50; G_P99=$P99; G_CPU=$CPU_US; G_SPLIT="$USER_US / $SYS_US"

echo "measuring at a fixed rate: hey, $RATE req/s offered from 20 workers, $RATE_DURATION per target"
fixed_rate direct $BACKEND_PORT; DR_RPS=$FR_RPS; DR_P50=$FR_P50; DR_P99=$FR_P99
fixed_rate nginx $NGINX_PORT; NR_RPS=$FR_RPS; NR_P50=$FR_P50; NR_P99=$FR_P99
fixed_rate floor $FLOOR_PORT; FLR_RPS=$FR_RPS; FLR_P50=$FR_P50; FLR_P99=$FR_P99
fixed_rate gateway $GATEWAY_PORT; GR_RPS=$FR_RPS; GR_P50=$FR_P50; GR_P99=$FR_P99

echo "load average before the runs: $LOAD (2 cores shared by wrk, the backend and the proxy under test)"
printf '\n%-10s %12s %10s %10s %12s %16s\n' target "req/s" "p50 ms" "p99 ms" "CPU us/req" "user / system"
printf '%-10s %12s %10s %10s %12s %16s  (backend)\n' direct "$D_RPS" "$D_P50" "$D_P99" "$D_CPU" "$D_SPLIT"
printf '%-10s %12s %10s %10s %12s %16s\n' nginx "$N_RPS" "$N_P50" "$N_P99" "$N_CPU" "$N_SPLIT"
printf '%-10s %12s %10s %10s %12s %16s  (bare Vert.x proxy)\n' floor "$F_RPS" "$F_P50" "$F_P99" "$F_CPU" "$F_SPLIT"
printf '%-10s %12s %10s %10s %12s %16s\n' gateway "$G_RPS" "$G_P50" "$G_P99" "$G_CPU" "$G_SPLIT"
awk -v g="$G_RPS" -v n="$N_RPS" -v d="$D_RPS" -v f="$F_RPS" -v gp="$G_P99" -v np="$N_P99" -v dp="$D_P99" -v fp="$F_P99" 'BEGIN {
  printf "\ngateway / nginx throughput: %.2fx (target >= 1.0x); floor / nginx: %.2fx; gateway / floor: %.2fx\n", g / n, f / n, g / f
  printf "gateway / direct throughput: %.2fx; nginx / direct: %.2fx\n", g / d, n / d
  printf "added p99 over direct: gateway %+.2f ms (target <= 2 ms), nginx %+.2f ms, floor %+.2f ms\n", gp - dp, np - dp, fp - dp }'
awk -v g="$G_CPU" -v n="$N_CPU" -v f="$F_CPU" 'BEGIN { printf "CPU per proxied request: gateway %.1f us, nginx %.1f us (%.2fx), floor %.1f us (%.2fx)\n", g, n, g / n, f, f / n }'
printf '\nat a fixed rate of %s req/s (hey, 20 workers):\n%-10s %12s %10s %10s\n' "$RATE" target "req/s" "p50 ms" "p99 ms"
printf '%-10s %12s %10s %10s\n' direct "$DR_RPS" "$DR_P50" "$DR_P99"
printf '%-10s %12s %10s %10s\n' nginx "$NR_RPS" "$NR_P50" "$NR_P99"
printf '%-10s %12s %10s %10s\n' floor "$FLR_RPS" "$FLR_P50" "$FLR_P99"
printf '%-10s %12s %10s %10s\n' gateway "$GR_RPS" "$GR_P50" "$GR_P99"
awk -v g="$GR_P99" -v n="$NR_P99" -v d="$DR_P99" -v f="$FLR_P99" -v gm="$GR_P50" -v nm="$NR_P50" -v dm="$DR_P50" 'BEGIN {
  printf "added p99 over direct at %s req/s: gateway %+.2f ms (target <= 2 ms), nginx %+.2f ms, floor %+.2f ms; added p50: gateway %+.2f ms, nginx %+.2f ms\n", "'"$RATE"'", g - d, n - d, f - d, gm - dm, nm - dm }'
