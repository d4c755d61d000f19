"""PostgreSQL databases beside the test database: the PostgreSQL pass's second shard
(``<name>_s2``), the read-replica tests' ``<name>_replica`` and the crash and load smoke tests'
throw-away databases. Created and dropped through the server's ``postgres`` database."""

from __future__ import annotations

from urllib.parse import urlparse, urlunparse


def sibling_url(url: str, suffix: str) -> str:
    """``url`` with the database ``<name>_<suffix>`` on the same server."""
    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/') or 'test'}_{suffix}"
    return urlunparse(parsed._replace(path=f"/{name}"))


def _admin(url: str, statements) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            statements(cursor, name)
    finally:
        admin.close()


def ensure_database(url: str) -> str:
    """Create ``url``'s database unless it exists; return ``url``."""
    def create(cursor, name):
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')

    _admin(url, create)
    return url


def drop_database(url: str) -> None:
    """Drop ``url``'s database if it exists, closing its connections."""
    _admin(url, lambda cursor, name: cursor.execute(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
