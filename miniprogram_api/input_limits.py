"""Numbers too large for a database column are the caller's mistake: 422, never a 500.

Body and query schemas accept any integer; an id such as ``10**30`` then reaches the driver,
which refuses it (SQLite: ``OverflowError``; PostgreSQL: ``integer out of range``, a
``peewee.DataError``). Found by fuzzing the OpenAPI document. The services' transactions have
already rolled back when the error arrives here, so answering 422 is all that is left to do.
"""

from __future__ import annotations

import peewee
from flask import Flask

from miniprogram_api.envelope import fail

CODE = "request.value_out_of_range"
MESSAGE = "提交的数字超出了允许的范围"


# SQLSTATE numeric_value_out_of_range. Other data errors (division by zero, a bad cast in our
# own SQL) are bugs and stay 500s with a logged traceback.
_PG_OUT_OF_RANGE = "22003"


def is_out_of_range(exc: Exception) -> bool:
    """The driver refused a number as too large for its column."""
    if isinstance(exc, OverflowError):
        return True
    original = exc.args[0] if exc.args else None
    return getattr(original, "pgcode", None) == _PG_OUT_OF_RANGE


def install_input_limits(app: Flask) -> None:
    unexpected = app.error_handler_spec[None][None][Exception]

    @app.errorhandler(OverflowError)
    @app.errorhandler(peewee.DataError)
    def _out_of_range(exc):
        if is_out_of_range(exc):
            return fail(422, CODE, MESSAGE)
        return unexpected(exc)
