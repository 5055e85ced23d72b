#!/usr/bin/env bash
# Keyed lookups through the exchange's whole delivery path (token, grant check, quota, minimisation, masking,
# Ed25519 seal, durable hash-chained usage-log entry committed before the answer leaves) against a bare
# primary-key SELECT endpoint on the same stack, in the same run. Prints req/s, latencies and the ratio.
#
#   bench/run.sh                      start PostgreSQL + the service on 127.0.0.1:30083 and measure directly
#   BASE_URL=http://127.0.0.1:8080 LOOKUP_TOKEN=... ADMIN_TOKEN=... bench/run.sh
#                                     measure a running suite (e.g. through the gateway); the bare route needs
#                                     the service started with EXCHANGE_BENCH_ENABLED=true
# Settings: DURATION (15s), CONNECTIONS (32), THREADS (2), WARMUP (5s).
set -euo pipefail
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }

if [ -z "${BASE_URL:-}" ]; then
    start_postgres
    make_keys
    start_service
    seed_catalogue_entry
    BASE_URL="http://127.0.0.1:$PORT"
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

before=$( [ -n "${LOCAL:-}" ] && sql "SELECT last_seq FROM usage_log_head" || echo "")
measure warm-bare "$BARE_URL" "$ADMIN_TOKEN" "$WARMUP"
measure warm-lookup "$LOOKUP_URL" "$LOOKUP_TOKEN" "$WARMUP"
measure bare "$BARE_URL" "$ADMIN_TOKEN" "$DURATION"
measure lookup "$LOOKUP_URL" "$LOOKUP_TOKEN" "$DURATION"

B=$(rps bare); L=$(rps lookup)
echo "data-exchange-service benchmark ($(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, target $BASE_URL)"
printf '%-44s %10s req/s   p50 %-9s p99 %-9s non-2xx %s\n' "bare primary-key SELECT (baseline)" "$B" "$(lat bare 50%)" "$(lat bare 99%)" "$(non2xx bare)"
printf '%-44s %10s req/s   p50 %-9s p99 %-9s non-2xx %s\n' "keyed lookup: grant+mask+seal+durable log" "$L" "$(lat lookup 50%)" "$(lat lookup 99%)" "$(non2xx lookup)"
python3 -c "print('ratio lookup / bare: %.2f   (targets: >= 3000 req/s and >= 0.5)' % ($L / $B))"
if [ -n "${LOCAL:-}" ]; then
    after=$(sql "SELECT last_seq FROM usage_log_head")
    echo "usage-log entries written during the lookup runs: $((after - before)) (chain: $(curl -s -H "Authorization: Bearer $ADMIN_TOKEN" "$BASE_URL/api/exchange/v1/usage-log/verify"))"
fi
