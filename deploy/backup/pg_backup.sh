#!/bin/sh
# Dump the Linli database with pg_dump (custom format, compressed) and keep KEEP_DAYS of them.
#
#   DATABASE_URL=postgresql://linli:…@127.0.0.1:5432/linli BACKUP_DIR=/var/backups/linli \
#       deploy/backup/pg_backup.sh
#
# The dump is written under a temporary name, checked with `pg_restore --list` and only then
# renamed to linli-<UTC time>.dump, so a half-written file never looks like a backup. Prints the
# path of the new dump. Run the restore drill (pg_restore_drill.sh) on these files regularly:
# a backup nobody restored is a hope, not a backup.
set -eu

: "${DATABASE_URL:?DATABASE_URL must name the database to dump}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/linli}"
KEEP_DAYS="${KEEP_DAYS:-14}"

mkdir -p "$BACKUP_DIR"
umask 077                               # dumps hold personal data: owner-only
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
final="$BACKUP_DIR/linli-$stamp.dump"
partial="$final.partial"
trap 'rm -f "$partial"' EXIT

pg_dump --format=custom --compress=6 --no-owner --no-privileges \
    --file="$partial" --dbname="$DATABASE_URL"
pg_restore --list "$partial" >/dev/null
mv "$partial" "$final"
trap - EXIT

find "$BACKUP_DIR" -maxdepth 1 -name 'linli-*.dump' -type f -mtime "+$KEEP_DAYS" -delete
echo "$final"
