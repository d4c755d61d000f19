"""Command-line entry points: ``flask --app miniprogram_api db upgrade``, ``seed-demo`` …"""

from __future__ import annotations

import click
from flask import Flask

import migrations
from app.db import database


def register_cli(app: Flask) -> None:
    from miniprogram_api.scheduler import register_scheduler_cli

    register_scheduler_cli(app)

    @app.cli.group("db")
    def db_group():
        """数据库迁移 (schema migrations)."""

    @db_group.command("upgrade")
    def db_upgrade():
        """Apply pending migrations; a second run applies nothing."""
        applied = migrations.upgrade(database.obj)
        if applied:
            for name in applied:
                click.echo(f"applied {name}")
        else:
            click.echo("database is up to date")

    @db_group.command("status")
    def db_status():
        """List migrations and whether each is applied."""
        for name, applied in migrations.status(database.obj):
            click.echo(f"[{'x' if applied else ' '}] {name}")

    from miniprogram_api.seeding.cli import register_seed_city

    register_seed_city(app)

    @db_group.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False))
    def db_backup(path):
        """Online backup of the SQLite database to PATH (PostgreSQL: deploy/backup)."""
        from app.backup import BackupError, backup_sqlite, sqlite_path

        settings = app.config["LINLI_SETTINGS"]
        try:
            result = backup_sqlite(sqlite_path(settings.database_url), path)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"backed up {result.tables} tables, {result.size_bytes} bytes to {result.path}")

    @app.cli.command("seed-demo")
    def seed_demo():
        """Load the demo town (idempotent) and print the demo logins."""
        from app.demo import seed_demo as run_seed

        with database.connection_context():
            logins = run_seed()
        click.echo("演示账号 / demo logins:")
        for line in logins:
            click.echo(f"  {line}")
