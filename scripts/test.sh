#!/usr/bin/env bash
# The checks behind `make test`: ruff, the suite on SQLite, the suite on PostgreSQL.
#
# The PostgreSQL pass uses TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test;
# the suite drops and recreates that database's public schema). When the server cannot be
# reached the pass is SKIPPED and the run still succeeds, unless REQUIRE_POSTGRES=1 (CI), where
# a skip is a failure. Results land in .test-results/ (JUnit XML and summary.txt).
set -uo pipefail

VENV="${VENV:-.venv}"
RESULTS=.test-results
PG_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}"
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.xml "$RESULTS"/*.log "$RESULTS"/*.rc "$RESULTS"/summary.txt "$RESULTS"/postgres.passed

declare -a SUMMARY=()
status=0

banner() { printf '\n==== %s ====\n' "$1"; }

# Runs pytest with the given environment prefix; remembers pytest's closing line.
run_pytest() {
    local name="$1"; shift
    local log="$RESULTS/$name.log"
    env "$@" "$VENV/bin/python" -m pytest --junitxml="$RESULTS/$name.xml" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    LAST_LINE=$(grep -E '(passed|failed|error|no tests ran)' "$log" | tail -n 1 | tr -s '=' \
        | sed 's/^ *= *//; s/ *= *$//')
    return "$rc"
}

banner "ruff check ."
if "$VENV/bin/ruff" check .; then
    SUMMARY+=("ruff        : PASSED")
else
    SUMMARY+=("ruff        : FAILED"); status=1
fi

# The two passes run at the same time, which roughly halves the wall time of CI; their output
# is shown one after the other. The PostgreSQL pass is twice as long (each test also waits on
# the server), so it runs as two shards side by side, each in its own process on its own
# database (TEST_DATABASE_SHARD, tests/conftest.py): tests/miniprogram_api, and the rest.
# Whole directories, not pytest-xdist: under xdist's schedulers the schemathesis module ran
# one operation instead of all of them. PG_SHARDS=1 runs the pass in one process.
PG_SHARDS="${PG_SHARDS:-2}"
banner "pytest on PostgreSQL ($PG_URL), in the background"
declare -a pg_pids=() pg_names=()
start_pg_shard() {  # name, shard suffix ("" = the database itself), pytest arguments…
    local name="$1" shard="$2"; shift 2
    ( env TEST_DATABASE_URL="$PG_URL" TEST_DATABASE_SHARD="$shard" "$VENV/bin/python" -m pytest \
        "$@" --junitxml="$RESULTS/$name.xml" >"$RESULTS/$name.log" 2>&1; \
      echo $? >"$RESULTS/$name.rc" ) &
    pg_pids+=($!); pg_names+=("$name")
}
if reason=$("$VENV/bin/python" scripts/pg_reachable.py "$PG_URL" 2>&1); then
    if [ "$PG_SHARDS" = "1" ]; then
        start_pg_shard postgres ""
    else
        start_pg_shard postgres-1 "" tests/miniprogram_api
        start_pg_shard postgres-2 s2 tests --ignore=tests/miniprogram_api
    fi
fi

banner "pytest on SQLite"
if run_pytest sqlite -u TEST_DATABASE_URL; then
    SUMMARY+=("SQLite      : PASSED ($LAST_LINE)")
else
    SUMMARY+=("SQLite      : FAILED ($LAST_LINE)"); status=1
fi

banner "pytest on PostgreSQL ($PG_URL)"
if [ "${#pg_pids[@]}" -gt 0 ]; then
    pg_ok=1
    pg_lines=""
    for i in "${!pg_pids[@]}"; do
        wait "${pg_pids[$i]}"
        name="${pg_names[$i]}"
        cat "$RESULTS/$name.log"
        line=$(grep -E '(passed|failed|error|no tests ran)' "$RESULTS/$name.log" \
            | tail -n 1 | tr -s '=' | sed 's/^ *= *//; s/ *= *$//')
        pg_lines="${pg_lines:+$pg_lines; }$name: $line"
        [ "$(cat "$RESULTS/$name.rc" 2>/dev/null)" = "0" ] || pg_ok=0
    done
    if [ "$pg_ok" = "1" ]; then
        SUMMARY+=("PostgreSQL  : PASSED ($pg_lines)")
        touch "$RESULTS/postgres.passed"
    else
        SUMMARY+=("PostgreSQL  : FAILED ($pg_lines)"); status=1
    fi
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "PostgreSQL unreachable: $reason"
    SUMMARY+=("PostgreSQL  : FAILED (unreachable and REQUIRE_POSTGRES=1: $reason)"); status=1
else
    echo "PostgreSQL pass SKIPPED ($reason)"
    SUMMARY+=("PostgreSQL  : SKIPPED ($reason; set TEST_DATABASE_URL, or REQUIRE_POSTGRES=1 to fail)")
fi

banner "summary"
printf '%s\n' "${SUMMARY[@]}" | tee "$RESULTS/summary.txt"
if [ "$status" -eq 0 ]; then echo "make test: OK"; else echo "make test: FAILED"; fi
exit "$status"
