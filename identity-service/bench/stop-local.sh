#!/usr/bin/env bash
# Stops what start-local.sh started, by pid and data directory.
set -uo pipefail
STATE=${STATE:-/tmp/identity-bench}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -f "$STATE/identity.pid" ]; then kill "$(cat "$STATE/identity.pid")" 2>/dev/null; rm -f "$STATE/identity.pid"; fi
if [ -d "$STATE/pgdata" ]; then
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$STATE/pgdata" -m fast stop >/dev/null
  else "$PG_BIN/pg_ctl" -D "$STATE/pgdata" -m fast stop >/dev/null; fi
fi
echo stopped
