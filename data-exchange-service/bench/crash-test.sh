#!/usr/bin/env bash
# Crash test: keyed lookups under load, the service is killed with SIGKILL mid-run, and every response a client
# received with status 200 must have its usage-log entry in the database (no data leaves before its entry is
# committed). Also checks that the hash chain is intact after the crash and a restart. Exit status 1 on any miss.
# Settings: CLIENTS (16), LOAD_SECONDS before the kill (6).
set -euo pipefail
CLIENTS=${CLIENTS:-16}
LOAD_SECONDS=${LOAD_SECONDS:-6}
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

start_postgres
make_keys
start_service
seed_catalogue_entry
TOKEN=$(token crash-op "$HR_DEPT" operator)
URL="http://127.0.0.1:$PORT/api/exchange/v1/data/$POPULATION_ENC/records/33010619850312001X"

# Each client records the request id of every 200 it received, flushed line by line.
python3 - "$URL" "$TOKEN" "$CLIENTS" "$WORK/delivered.txt" <<'PY' &
import http.client, sys, threading, uuid, urllib.parse
url, token, clients, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
u = urllib.parse.urlsplit(url)
lock = threading.Lock()
f = open(out, "w")
def run():
    while True:
        try:
            c = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
            while True:
                rid = str(uuid.uuid4())
                c.request("GET", u.path, headers={"Authorization": "Bearer " + token, "X-Request-Id": rid})
                r = c.getresponse()
                body = r.read()
                if r.status == 200 and b"usageLogSeq" in body:
                    with lock:
                        f.write(rid + "\n"); f.flush()
        except Exception:
            return
threads = [threading.Thread(target=run) for _ in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
PY
LOAD_PID=$!
sleep "$LOAD_SECONDS"
kill -9 "$SERVICE_PID"
wait "$SERVICE_PID" 2>/dev/null || true
SERVICE_PID=""
wait "$LOAD_PID" || true

delivered=$(wc -l <"$WORK/delivered.txt")
missing=$(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d exchange -qtA <<SQL
CREATE TEMP TABLE delivered (request_id text);
\copy delivered FROM '$WORK/delivered.txt'
SELECT count(*) FROM delivered d WHERE NOT EXISTS (SELECT 1 FROM usage_log l WHERE l.request_id = d.request_id);
SQL
)
logged=$(sql "SELECT count(*) FROM usage_log")
start_service
ADMIN=$(token crash-admin 113300000024810109 auditor)
chain=$(curl -s -H "Authorization: Bearer $ADMIN" "http://127.0.0.1:$PORT/api/exchange/v1/usage-log/verify")
echo "crash test: $delivered responses delivered before kill -9, $logged usage-log entries, $missing delivered without an entry"
echo "chain after restart: $chain"
[ "$delivered" -gt 0 ] || { echo "FAIL: no response was delivered" >&2; exit 1; }
[ "$missing" = "0" ] || { echo "FAIL: delivered responses missing from the usage log" >&2; exit 1; }
echo "$chain" | grep -q '"valid":true' || { echo "FAIL: chain broken after the crash" >&2; exit 1; }
echo "PASS"
