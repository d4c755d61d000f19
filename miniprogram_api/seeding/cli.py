"""``flask --app miniprogram_api seed-city --scale town|county|city [--seed N] [--now …]``."""

from __future__ import annotations

import datetime as dt

import click
from flask import Flask

from app.db import database


def register_seed_city(app: Flask) -> None:
    from miniprogram_api.seeding import PUBLIC_SCALES, SCALES, NotEmpty, seed_city

    @app.cli.command("seed-city")
    @click.option("--scale", required=True, type=click.Choice(list(SCALES)),
                  show_choices=False, metavar="|".join(PUBLIC_SCALES),
                  help="town: 1 town of 20 villages; county: 15 towns; city: 2,300 villages, "
                       "1,000,000 residents (see miniprogram_api/seeding/scales.py)")
    @click.option("--seed", default=2026, show_default=True, help="RNG seed")
    @click.option("--now", "now", type=click.DateTime(), default=None,
                  help="UTC time the data ends at (default: midnight UTC today)")
    def seed_city_command(scale: str, seed: int, now: dt.datetime | None):
        """Fill an EMPTY migrated database with generated data (refuses a non-empty one)."""
        with database.connection_context():
            try:
                seed_city(scale, seed=seed, now=now, echo=lambda line: click.echo(line))
            except NotEmpty as error:
                raise click.ClickException(str(error)) from error
