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
rm -f "$RESULTS"/*.xml "$RESULTS"/summary.txt "$RESULTS"/postgres.passed "$RESULTS"/postgres.rc

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
# the server), so it is split over two pytest-xdist workers, each with its own database
# (tests/conftest.py), whole files per worker; PG_WORKERS="" runs it in one process.
PG_WORKERS="${PG_WORKERS--n 2 --dist loadfile}"
banner "pytest on PostgreSQL ($PG_URL), in the background"
pg_pid=""
if reason=$("$VENV/bin/python" scripts/pg_reachable.py "$PG_URL" 2>&1); then
    ( env TEST_DATABASE_URL="$PG_URL" "$VENV/bin/python" -m pytest $PG_WORKERS \
        --junitxml="$RESULTS/postgres.xml" >"$RESULTS/postgres.log" 2>&1; \
      echo $? >"$RESULTS/postgres.rc" ) &
    pg_pid=$!
fi

banner "pytest on SQLite"
if run_pytest sqlite -u TEST_DATABASE_URL; then
    SUMMARY+=("SQLite      : PASSED ($LAST_LINE)")
else
    SUMMARY+=("SQLite      : FAILED ($LAST_LINE)"); status=1
fi

banner "pytest on PostgreSQL ($PG_URL)"
if [ -n "$pg_pid" ]; then
    wait "$pg_pid"
    cat "$RESULTS/postgres.log"
    LAST_LINE=$(grep -E '(passed|failed|error|no tests ran)' "$RESULTS/postgres.log" \
        | tail -n 1 | tr -s '=' | sed 's/^ *= *//; s/ *= *$//')
    if [ "$(cat "$RESULTS/postgres.rc" 2>/dev/null)" = "0" ]; then
        SUMMARY+=("PostgreSQL  : PASSED ($LAST_LINE)")
        touch "$RESULTS/postgres.passed"
    else
        SUMMARY+=("PostgreSQL  : FAILED ($LAST_LINE)"); status=1
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
