#!/bin/sh
# Restore drill: restore a dump into a scratch database, check it, drop it.
#
#   ADMIN_URL=postgresql://postgres@127.0.0.1:5432/postgres \
#       deploy/backup/pg_restore_drill.sh [DUMP]     # default: the newest in BACKUP_DIR
#
# ADMIN_URL must be allowed to CREATE/DROP DATABASE. Checks, each failing the drill:
#   * pg_restore finishes without an error (--exit-on-error);
#   * the restored schema_migration table lists migrations (the app's schema is there);
#   * every table of the dump exists and can be counted (row counts are printed).
# With COMPARE_URL set (the live database) the migration lists must also match.
# Prints a summary and exits 0 only when every check passed. KEEP=1 keeps the scratch database.
set -eu

: "${ADMIN_URL:?ADMIN_URL must name a database on the target server (a superuser or CREATEDB)}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/linli}"
dump="${1:-$(ls -1t "$BACKUP_DIR"/linli-*.dump 2>/dev/null | head -n 1)}"
[ -n "$dump" ] && [ -f "$dump" ] || { echo "restore drill: no dump found" >&2; exit 2; }

scratch="${DRILL_DB:-linli_restore_drill_$(date -u +%Y%m%d%H%M%S)}"
base="${ADMIN_URL%/*}"
scratch_url="$base/$scratch"
started=$(date +%s)

cleanup() {
    if [ "${KEEP:-0}" != "1" ]; then
        psql -q -X "$ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$scratch\"" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

psql -q -X -v ON_ERROR_STOP=1 "$ADMIN_URL" -c "CREATE DATABASE \"$scratch\""
pg_restore --exit-on-error --no-owner --no-privileges --jobs=2 \
    --dbname="$scratch_url" "$dump"

q() { psql -X -A -t -v ON_ERROR_STOP=1 "$1" -c "$2"; }

migrations=$(q "$scratch_url" "SELECT COUNT(*) FROM schema_migration")
[ "$migrations" -gt 0 ] || { echo "restore drill: no migrations in the restore" >&2; exit 1; }

if [ -n "${COMPARE_URL:-}" ]; then
    restored=$(q "$scratch_url" "SELECT string_agg(name, ',' ORDER BY name) FROM schema_migration")
    live=$(q "$COMPARE_URL" "SELECT string_agg(name, ',' ORDER BY name) FROM schema_migration")
    [ "$restored" = "$live" ] || {
        echo "restore drill: migrations differ from the live database" >&2; exit 1; }
fi

tables=0
rows=0
# "1234; 1259 16385 TABLE public user linli": schema and name quoted ("user" is reserved).
for table in $(pg_restore --list "$dump" \
        | awk '$4 == "TABLE" && $5 != "DATA" {printf "\"%s\".\"%s\"\n", $5, $6}'); do
    count=$(q "$scratch_url" "SELECT COUNT(*) FROM $table")
    tables=$((tables + 1))
    rows=$((rows + count))
    echo "  $table $count"
done
[ "$tables" -gt 0 ] || { echo "restore drill: the dump lists no tables" >&2; exit 1; }

echo "restore drill OK: $dump -> $scratch: $tables tables, $rows rows," \
     "$migrations migrations, $(( $(date +%s) - started )) s"
