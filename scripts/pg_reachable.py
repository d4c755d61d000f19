"""Exit 0 when the PostgreSQL URL given as the only argument accepts a connection, else 1.

Used by ``scripts/test.sh`` (and ``.ci/run``) to decide whether the PostgreSQL pass can run; the
reason for a failure is printed on one line so the caller can show it.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1].startswith(("postgresql://", "postgres://")):
        print("TEST_DATABASE_URL is not a postgresql:// URL")
        return 1
    try:
        import psycopg2
    except ImportError:
        print("psycopg2 is not installed")
        return 1
    try:
        psycopg2.connect(argv[1], connect_timeout=3).close()
    except psycopg2.Error as exc:
        print(" ".join(str(exc).split())[:200])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
