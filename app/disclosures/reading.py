"""Residents reading disclosures: the list of their village and town, one disclosure with its
corrections chain and published answers.

The list of a resident is every published disclosure of their village and of their town, newest
published first, with a cursor of the last row's (published_at, id). Cost follows the page: one
index walk per node over (region_id[, kind], status, published_at, id) from the cursor, stopping
after ``limit + 1`` keys; the two key lists are merged and only the page's rows are loaded.
"""

from __future__ import annotations

import base64
import datetime as dt
import heapq
from dataclasses import dataclass

import peewee

from app.disclosures import policies, rules
from app.disclosures.models import Disclosure, DisclosureQuestion
from app.errors import Forbidden, InvalidInput, NotFound, Unauthorized
from app.policy import Actor
from app.regions.models import Region
from app.supervision.places import resident_places

MAX_LIMIT = 100
_EPOCH = dt.datetime(1970, 1, 1)
_PREFIX = "d1"


@dataclass(frozen=True)
class Key:
    published_at: dt.datetime
    id: int

    def sort_key(self) -> tuple:
        return (-(self.published_at - _EPOCH), -self.id)


@dataclass(frozen=True)
class Listing:
    items: list[Disclosure]
    next_cursor: str | None


def encode_cursor(key: Key) -> str:
    raw = f"{_PREFIX}|{key.published_at.isoformat(timespec='microseconds')}|{key.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Key | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, at, row_id = raw.split("|")
        when = dt.datetime.fromisoformat(at)
        if prefix != _PREFIX or when.tzinfo is not None:
            raise ValueError(prefix)
        return Key(when, int(row_id))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("pagination.bad_cursor", "翻页参数无效，请从第一页重新加载") from exc


def _keys(region_id: int, kind: str | None, after: Key | None, limit: int) -> list[Key]:
    cond = (Disclosure.region == region_id) & (Disclosure.status == "published")
    if kind is not None:
        cond &= Disclosure.kind == kind
    query = Disclosure.select(Disclosure.published_at, Disclosure.id).where(cond)
    if after is not None:
        at = peewee.Value(after.published_at, converter=Disclosure.published_at.db_value)
        query = query.where(peewee.Tuple(Disclosure.published_at, Disclosure.id)
                            < peewee.Tuple(at, after.id))
    query = query.order_by(Disclosure.published_at.desc(), Disclosure.id.desc()).limit(limit)
    return [Key(at, row_id) for at, row_id in query.tuples()]


def _places(actor: Actor | None) -> tuple[int, int]:
    if actor is None:
        raise Unauthorized()
    places = resident_places(actor)
    if places is None:
        raise Forbidden("disclosure.residents_only", "村务公开仅向本村(社区)居民开放，请先绑定住户")
    return places


def list_disclosures(actor: Actor | None, *, kind: str | None = None,
                     cursor: str | None = None, limit: int = 20) -> Listing:
    """One page of the published disclosures of the caller's village and town.

    Residents bound to a household. Raises Unauthorized, Forbidden disclosure.residents_only,
    disclosure.bad_kind, disclosure.bad_limit, pagination.bad_cursor. Changes nothing.
    """
    village_id, town_id = _places(actor)
    if kind is not None:
        rules.check_kind(kind)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("disclosure.bad_limit", f"每页条数应在 1 到 {MAX_LIMIT} 之间")
    after = decode_cursor(cursor)
    merged = heapq.merge(*(_keys(node, kind, after, limit + 1) for node in (village_id, town_id)),
                         key=Key.sort_key)
    keys = [key for _, key in zip(range(limit + 1), merged, strict=False)]
    more, keys = len(keys) > limit, keys[:limit]
    rows = {d.id: d for d in Disclosure.select(Disclosure, Region)
            .join(Region, on=(Disclosure.region == Region.id))
            .where(Disclosure.id.in_([k.id for k in keys]))} if keys else {}
    return Listing([rows[k.id] for k in keys if k.id in rows],
                   encode_cursor(keys[-1]) if more and keys else None)


def read_disclosure(actor: Actor | None, disclosure_id: int) -> Disclosure:
    """A disclosure the caller may read: published ones of their village or town, or any in a
    supervising staff member's scope. Raises Unauthorized and disclosure.not_found (also for
    drafts and other villages' disclosures). Changes nothing."""
    if actor is None:
        raise Unauthorized()
    disclosure = (Disclosure.select(Disclosure, Region)
                  .join(Region, on=(Disclosure.region == Region.id))
                  .where(Disclosure.id == disclosure_id).first())
    if disclosure is None or not policies.can_read(actor, disclosure):
        raise NotFound("disclosure.not_found", "找不到该公开事项")
    return disclosure


def corrections_of(disclosure: Disclosure, *, published_only: bool = True) -> list[Disclosure]:
    """The corrections pointing at ``disclosure``, oldest first (for rendering the chain)."""
    query = Disclosure.select().where(Disclosure.corrects == disclosure.id)
    if published_only:
        query = query.where(Disclosure.status == "published")
    return list(query.order_by(Disclosure.id).limit(50))


def published_answers(disclosure: Disclosure, *, limit: int = 100) -> list[DisclosureQuestion]:
    """Answered questions and objections, as published (no asker), oldest first."""
    return list(DisclosureQuestion.select().where(
        (DisclosureQuestion.disclosure == disclosure.id)
        & (DisclosureQuestion.status == "answered"))
        .order_by(DisclosureQuestion.id).limit(limit))
