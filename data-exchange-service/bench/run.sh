#!/usr/bin/env bash
# Keyed lookups through the exchange's whole delivery path (token, grant check, quota, minimisation, masking,
# Ed25519 seal, durable hash-chained usage-log entry committed before the answer leaves) against a bare
# primary-key SELECT endpoint on the same stack, in the same run. Prints req/s, latencies and the ratio.
#
#   bench/run.sh                      start PostgreSQL + the service on 127.0.0.1:30083 and measure directly
#   GATEWAY=1 bench/run.sh            the same, but every request goes through the suite's gateway (built in
#                                     ../gateway/target) started on 127.0.0.1:30080 in front of the service
#   BASE_URL=http://127.0.0.1:8080 LOOKUP_TOKEN=... ADMIN_TOKEN=... bench/run.sh
#                                     measure a running suite (e.g. through the gateway); the bare route needs
#                                     the service started with EXCHANGE_BENCH_ENABLED=true
# Diagnostics: THREAD_CPU=1 adds, per round, the CPU per request of each thread group of the service and of the
# PostgreSQL processes; PG_STATS=1 prints at the end the statements that took PostgreSQL the most time
# (pg_stat_statements); PG_OPTS adds settings to the throw-away PostgreSQL (e.g. "-c synchronous_commit=off" to see
# what the commit flush costs; never a setting for a real deployment). Settings: DURATION (10s), ROUNDS (3 lookup rounds, each between two bare rounds), CONNECTIONS (32), THREADS (2), WARMUP (30s per
# route), then, when the service runs locally, both routes alternate until the JIT compilers settle (JIT_SETTLED
# percent of CPU, 5; at most WARMUP_MAX seconds more, 150). Every figure is printed with the load
# average at its start; when the service runs locally the CPU time per request (service JVM, PostgreSQL and gateway,
# from /proc) is printed too: on a machine shared with other work it varies far less than req/s.
set -euo pipefail
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
source "$(cd "$(dirname "$0")" && pwd)/../../bench/jit.sh"
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }

if [ -z "${BASE_URL:-}" ]; then
    start_postgres
    make_keys
    start_service
    seed_catalogue_entry
    BASE_URL="http://127.0.0.1:$PORT"
    if [ -n "${GATEWAY:-}" ]; then
        start_gateway
        BASE_URL="http://127.0.0.1:$GATEWAY_PORT"
    fi
    LOOKUP_TOKEN=$(token bench-op "$HR_DEPT" operator)
    ADMIN_TOKEN=$(token bench-admin 113300000024810109 admin)
    LOCAL=1
fi
: "${LOOKUP_TOKEN:?LOOKUP_TOKEN is required with BASE_URL}"
: "${ADMIN_TOKEN:?ADMIN_TOKEN is required with BASE_URL}"

LOOKUP_URL="$BASE_URL/api/exchange/v1/data/$POPULATION_ENC/records/33010619850312001X"
BARE_URL="$BASE_URL/api/exchange/v1/bench/rows/42"
for u in "$LOOKUP_URL|$LOOKUP_TOKEN" "$BARE_URL|$ADMIN_TOKEN"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${u#*|}" "${u%%|*}")
    [ "$code" = "200" ] || { echo "pre-check ${u%%|*} answered $code" >&2; exit 1; }
done

measure() { # name url token duration
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4" --latency -H "Authorization: Bearer $3" "$2" >"$WORK/$1.txt"
}
rps() { awk '/^Requests\/sec/ {print $2}' "$WORK/$1.txt"; }
lat() { awk -v p="$2" '$1 == p {print $2}' "$WORK/$1.txt"; }
non2xx() { awk '/Non-2xx/ {print $NF}' "$WORK/$1.txt"; }
count() { awk '/requests in/ {print $1}' "$WORK/$1.txt"; }
load() { cut -d' ' -f1 /proc/loadavg; }
# CPU clock ticks used so far by the service JVM and by the PostgreSQL cluster (postmaster and its backends)
ticks() {
    [ -n "${LOCAL:-}" ] || { echo "0 0"; return; }
    local pg=0 pgpid f
    pgpid=$(head -1 "$WORK/pg/postmaster.pid")
    for s in /proc/[0-9]*/stat; do
        read -r -a f <"$s" 2>/dev/null || continue
        if [ "${f[0]}" = "$pgpid" ] || [ "${f[3]}" = "$pgpid" ]; then pg=$((pg + f[13] + f[14])); fi
    done
    echo "$(awk '{print $14 + $15}' "/proc/$SERVICE_PID/stat") $pg $( [ -n "$GATEWAY_PID" ] && awk '{print $14 + $15}' "/proc/$GATEWAY_PID/stat" || echo 0)"
}
HZ=$(getconf CLK_TCK)
# THREAD_CPU=1: CPU ticks per thread group of the service JVM (thread names without their numbers) and per kind of
# PostgreSQL process (the backend that runs the usage-log writer's batches is the one with the most writes)
thread_ticks() { # file
    [ -n "${THREAD_CPU:-}" ] && [ -n "${LOCAL:-}" ] || return 0
    python3 - "$SERVICE_PID" "$WORK/pg/postmaster.pid" >"$1" <<'PY'
import glob, re, sys
pid, pgpidfile = sys.argv[1], sys.argv[2]
out = {}
for t in glob.glob('/proc/%s/task/*' % pid):
    try:
        name = open(t + '/comm').read().strip()
        f = open(t + '/stat').read().rsplit(')', 1)[1].split()
    except OSError:
        continue
    g = 'jvm ' + re.sub(r'[-#]?[0-9]+$', '', name)
    out[g] = out.get(g, 0) + int(f[11]) + int(f[12])
pg = open(pgpidfile).readline().strip()
for s in glob.glob('/proc/[0-9]*/stat'):
    try:
        raw = open(s).read()
        f = raw.rsplit(')', 1)[1].split()
        if f[1] != pg:
            continue
        cmd = open(s[:-4] + 'cmdline').read().replace('\0', ' ')
    except OSError:
        continue
    kind = re.sub(r'postgres: (\S+ )?', '', cmd).split(' 127.0.0.1')[0].strip()
    kind = 'pg backend ' + s.split('/')[2] if 'postgres exchange' in cmd else 'pg ' + kind
    out[kind] = out.get(kind, 0) + int(f[11]) + int(f[12])
for k, v in out.items():
    print('%s\t%d' % (k, v))
PY
}
thread_report() { # before after requests
    [ -n "${THREAD_CPU:-}" ] && [ -n "${LOCAL:-}" ] || return 0
    python3 - "$1" "$2" "$3" "$HZ" <<'PY'
import sys
read = lambda p: {k: int(v) for k, v in (l.rstrip('\n').split('\t') for l in open(p))}
a, b, n, hz = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
used = {k: b[k] - a.get(k, 0) for k in b if b[k] - a.get(k, 0) > 0}
# backends by pid: the busiest one (in lookup rounds, the usage-log writer's connection) apart from the rest
backends = sorted((v, k) for k, v in used.items() if k.startswith('pg backend '))
for v, k in backends:
    del used[k]
if backends:
    used['pg busiest backend'] = backends[-1][0]
    if len(backends) > 1:
        used['pg other backends'] = sum(v for v, k in backends[:-1])
d = sorted((v * 1e6 / hz / n, k) for k, v in used.items())
print('    per request: ' + ', '.join('%s %.0f us' % (k, us) for us, k in reversed(d) if us >= 1))
PY
}
run() { # name url token label
    local a b l
    a=($(ticks)); l=$(load); thread_ticks "$WORK/$1.t0"
    measure "$1" "$2" "$3" "$DURATION"
    b=($(ticks)); thread_ticks "$WORK/$1.t1"
    printf '%-44s %10s req/s   p50 %-9s p99 %-9s non-2xx %-4s load %-5s' "$4" "$(rps "$1")" "$(lat "$1" 50%)" \
        "$(lat "$1" 99%)" "$(non2xx "$1")" "$l"
    if [ -n "${LOCAL:-}" ]; then
        python3 -c "n, hz = $(count "$1"), $HZ; g = (${b[2]} - ${a[2]}) * 1000 / hz / n; print('  cpu/req service %.3f ms, PostgreSQL %.3f ms%s' % ((${b[0]} - ${a[0]}) * 1000 / hz / n, (${b[1]} - ${a[1]}) * 1000 / hz / n, ', gateway %.3f ms' % g if g else ''))"
        thread_report "$WORK/$1.t0" "$WORK/$1.t1" "$(count "$1")"
    else
        echo
    fi
}

before=$( [ -n "${LOCAL:-}" ] && sql "SELECT last_seq FROM usage_log_head" || echo "")
measure warm-bare "$BARE_URL" "$ADMIN_TOKEN" "$WARMUP"
measure warm-lookup "$LOOKUP_URL" "$LOOKUP_TOKEN" "$WARMUP"
# Locally, both routes then keep alternating in 10 s slices until the JIT compilers have settled (../bench/jit.sh).
if [ -n "${LOCAL:-}" ]; then
    warm_both() {
        measure warm-bare "$BARE_URL" "$ADMIN_TOKEN" 10s
        measure warm-lookup "$LOOKUP_URL" "$LOOKUP_TOKEN" 10s
    }
    jit_settle 20 "service=$SERVICE_PID${GATEWAY_PID:+ gateway=$GATEWAY_PID}" warm_both
fi

echo "data-exchange-service benchmark ($(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION x $ROUNDS rounds, target $BASE_URL)"
# bare, lookup, bare, lookup, ..., bare: each lookup round is compared with the mean of the bare rounds just before
# and just after it, so a machine whose speed drifts during the run (shared hosts do) biases no ratio.
ratios=()
run "bare1" "$BARE_URL" "$ADMIN_TOKEN" "bare primary-key SELECT (baseline)"
for r in $(seq 1 "$ROUNDS"); do
    run "lookup$r" "$LOOKUP_URL" "$LOOKUP_TOKEN" "keyed lookup: grant+mask+seal+durable log"
    run "bare$((r + 1))" "$BARE_URL" "$ADMIN_TOKEN" "bare primary-key SELECT (baseline)"
    ratios+=("$(python3 -c "print('%.2f' % ($(rps "lookup$r") * 2 / ($(rps "bare$r") + $(rps "bare$((r + 1))"))))")")
done
lookups=$(for r in $(seq 1 "$ROUNDS"); do rps "lookup$r"; done | sort -g | tr '\n' ' ')
median() { python3 -c "import statistics, sys; print('%.2f' % statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
echo "ratio lookup / mean of the bare rounds around it: ${ratios[*]} (median $(median "${ratios[@]}"))   keyed lookups req/s: $lookups(median $(median $lookups))   (targets: >= 3000 req/s and >= 0.5)"
if [ -n "${LOCAL:-}" ]; then
    after=$(sql "SELECT last_seq FROM usage_log_head")
    batches=$(sql "SELECT count(DISTINCT logged_at) FROM usage_log WHERE seq > $before")
    echo "usage-log entries written during warm-up and lookup runs: $((after - before)) in $batches commits (chain: $(curl -s -H "Authorization: Bearer $ADMIN_TOKEN" "$BASE_URL/api/exchange/v1/usage-log/verify"))"
fi
if [ -n "${PG_STATS:-}" ] && [ -n "${LOCAL:-}" ]; then
    echo "statements by PostgreSQL execution time (calls | total ms | us per call | rows | statement):"
    sql "SELECT calls, round(total_exec_time::numeric), round((total_exec_time / calls * 1000)::numeric, 1), rows,
        left(regexp_replace(query, '\s+', ' ', 'g'), 110) FROM pg_stat_statements
        WHERE query NOT LIKE 'CREATE%' AND query NOT LIKE 'DO %' ORDER BY total_exec_time DESC LIMIT 10"
fi
