#!/usr/bin/env bash
# Search benchmark of catalog-service over HTTP: for each size, synthetic published entries are written into a fresh
# embedded PostgreSQL database (COPY), the packaged service starts on it (its startup rebuilds the Lucene index from
# the table: the rebuild time reported), and wrk drives a concurrent Chinese query mix (short and long queries,
# abbreviations, codes, facets, department/class filters, cursor pages, anonymous visitors) on 127.0.0.1.
# A baseline runs in the same go: exact resource-code lookups through the same HTTP stack, no facets.
# Usage: bench/search-bench.sh [entries...]   (default: 100000 1000000)
# Env: CONNECTIONS (8), WRK_THREADS (2), DURATION seconds per run (30), HEAP of the service (3g)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(100000 1000000)
ROOT=$(pwd)
./mvnw -B -q -pl catalog-service package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$ROOT/catalog-service/target/bench-classpath.txt" -Dmdep.includeScope=test >/dev/null
CP="catalog-service/target/classes:catalog-service/target/test-classes:$(cat catalog-service/target/bench-classpath.txt)"
echo "$(date -Iseconds)  $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" cn.onenet.catalog.bench.SearchBench \
    "$ROOT/catalog-service/target/quarkus-app/quarkus-run.jar" "${SIZES[@]}"
echo "$(date -Iseconds)  load after: $(cut -d' ' -f1-3 /proc/loadavg)"
