"""Pieces every migration script declares the same way: the base class its frozen tables bind
to, and stubs of tables an earlier migration created (for foreign keys to point at).

Frozen like the scripts themselves: what these return must never change, since every applied
migration was written against it. (The runner loads only ``NNNN_*.py`` files, not this one.)
"""

from peewee import Model


def base_model(db):
    """The base of a migration's frozen tables: bound to ``db``, snake_case table names."""

    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    return Base


def table_stub(base, name: str, table_name: str):
    """A field-less model of an existing table, enough to declare a foreign key to it."""
    meta = type("Meta", (), {"table_name": table_name})
    return type(name, (base,), {"Meta": meta, "__module__": __name__})
