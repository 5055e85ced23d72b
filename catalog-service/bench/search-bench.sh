#!/usr/bin/env bash
# Search benchmark of catalog-service: synthetic catalogues of 100k (and optionally 1M) entries, index build time,
# concurrent Chinese query mix with facets: p50/p95/p99, against a one-term baseline in the same run.
# Usage: bench/search-bench.sh [entries...]   (default: 100000; e.g. bench/search-bench.sh 100000 1000000)
# Env: THREADS (default 4), DURATION seconds per run (default 20), INDEX_DIR (default: a temp directory, removed afterwards)
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES=("${@:-100000}")
THREADS=${THREADS:-4}
SECONDS_PER_RUN=${DURATION:-20}
ROOT=$(pwd)
./mvnw -B -q -pl catalog-service test-compile dependency:build-classpath \
    -Dmdep.outputFile="$ROOT/catalog-service/target/bench-classpath.txt" -Dmdep.includeScope=test >/dev/null
CP="catalog-service/target/classes:catalog-service/target/test-classes:$(cat catalog-service/target/bench-classpath.txt)"
DIR=${INDEX_DIR:-$(mktemp -d /tmp/catalog-bench.XXXXXX)}
trap '[ -z "${INDEX_DIR:-}" ] && rm -rf "$DIR"' EXIT
for n in "${SIZES[@]}"; do
  echo "== $n entries, $THREADS threads, ${SECONDS_PER_RUN}s =="
  java -Xms2g -Xmx6g -cp "$CP" cn.onenet.catalog.bench.SearchBench "$n" "$THREADS" "$SECONDS_PER_RUN" "$DIR/index-$n"
done
