#!/usr/bin/env bash
# The test suites with a throwaway PostgreSQL server, so that the PostgreSQL ones run too:
#   bash scripts/test-postgres.sh                        # every suite
#   bash scripts/test-postgres.sh test/storage/postgres  # vitest's arguments, as with `npx vitest run`
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/postgres.sh
trap stop_postgres EXIT
start_postgres
npx vitest run "$@"
