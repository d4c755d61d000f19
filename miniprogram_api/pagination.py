"""Keyset pagination: ``?cursor=…&limit=…`` with an opaque cursor and a capped limit.

The cursor is the last row's id, base64-wrapped so clients do not build it themselves. Lists
are ordered newest first by id (``id < cursor``), which uses the primary key index.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from marshmallow import Schema, ValidationError, fields, validate

from app.errors import InvalidInput

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, value = raw.split(":", 1)
        if kind != "id":
            raise ValueError(kind)
        return int(value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("pagination.bad_cursor", "翻页参数无效，请从第一页重新加载") from exc


class PageQuery(Schema):
    cursor = fields.String(load_default=None)
    limit = fields.Integer(load_default=DEFAULT_LIMIT,
                           validate=validate.Range(min=1, max=MAX_LIMIT))


@dataclass
class Page:
    items: list
    next_cursor: str | None


def page_of(query, id_field, *, cursor: str | None, limit: int) -> Page:
    """Run ``query`` newest-first after ``cursor``, fetching one extra row to know if more exist."""
    if limit < 1 or limit > MAX_LIMIT:
        raise ValidationError({"limit": [f"1 到 {MAX_LIMIT} 之间"]})
    after = decode_cursor(cursor)
    if after is not None:
        query = query.where(id_field < after)
    rows = list(query.order_by(id_field.desc()).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1].id) if more and rows else None)
