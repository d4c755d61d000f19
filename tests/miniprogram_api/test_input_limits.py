"""Which driver errors count as the caller's too-large number (422) and which stay bugs (500)."""

from __future__ import annotations

from types import SimpleNamespace

import peewee

from miniprogram_api.input_limits import is_out_of_range


def test_a_python_int_too_large_for_sqlite_is_the_callers_mistake():
    assert is_out_of_range(OverflowError("Python int too large to convert to SQLite INTEGER"))


def test_postgresqls_numeric_value_out_of_range_is_the_callers_mistake():
    original = SimpleNamespace(pgcode="22003")
    assert is_out_of_range(peewee.DataError(original, "integer out of range"))


def test_other_data_errors_stay_server_errors():
    division = peewee.DataError(SimpleNamespace(pgcode="22012"), "division by zero")
    assert not is_out_of_range(division)
    assert not is_out_of_range(peewee.DataError("no original"))
    assert not is_out_of_range(peewee.DataError())
