"""Reading services of the public pages (``/p``): a village's disclosure board, one published
disclosure, the village's notices open for objection, one published notice. Anyone; no login.

Why a public board when the resident API (``app.disclosures.reading``) serves bound residents
only: the resident API also takes questions, objections and complaints, which need a known
resident. *Reading* what was published does not. 村务公开 exists to be seen by everyone — the
Organic Law of Villagers' Committees (《村民委员会组织法》第三十条) and the 村务公开 rules require
publication "in a place convenient for villagers to read", i.e. the paper board anyone passes,
and the transparency log already serves every published record's exact text to anyone
(``/api/v1/transparency``). So the board shows exactly that: published disclosures and notices,
with what their log record holds — never drafts, authors, reviewers, askers or objectors.
Answered objections are shown in their published wording (``public_text``) only.

Lists are keyset-paged like the residents' list (the same cursor and index walk).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from app.clock import utcnow
from app.disclosures import reading, rules
from app.disclosures.models import Disclosure
from app.errors import InvalidInput, NotFound
from app.notices.models import Notice
from app.regions.models import Region

MAX_LIMIT = 50


@dataclass(frozen=True)
class Listing:
    items: list
    next_cursor: str | None


def village_by_code(code: str) -> Region:
    """The village (村/社区) with this region code. Anyone. Raises NotFound public.no_village."""
    village = Region.get_or_none((Region.code == code) & (Region.level == "village"))
    if village is None:
        raise NotFound("public.no_village", "找不到该村(社区)")
    return village


def town_of(region: Region) -> Region:
    """The town (街道/乡镇) a village or town belongs to: its log is that town's."""
    return region if region.level == "town" else Region.get_by_id(region.parent_id)


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("public.bad_limit", f"每页条数应在 1 到 {MAX_LIMIT} 之间")


def disclosure_board(village: Region, *, kind: str | None = None, cursor: str | None = None,
                     limit: int = 20) -> Listing:
    """One page of the published disclosures of ``village`` and of its town, newest first.

    Anyone. Raises disclosure.bad_kind, public.bad_limit, pagination.bad_cursor. Reads only.
    """
    if kind is not None:
        rules.check_kind(kind)
    _check_limit(limit)
    after = reading.decode_cursor(cursor)
    nodes = (village.id, village.parent_id)
    # The residents' index walk (one range per node, merged): cost follows the page.
    merged = heapq.merge(*(reading._keys(node, kind, after, limit + 1) for node in nodes),
                         key=reading.Key.sort_key)
    keys = [key for _, key in zip(range(limit + 1), merged, strict=False)]
    more, keys = len(keys) > limit, keys[:limit]
    rows = {d.id: d for d in Disclosure.select(Disclosure, Region)
            .join(Region, on=(Disclosure.region == Region.id))
            .where(Disclosure.id.in_([k.id for k in keys]))} if keys else {}
    return Listing([rows[k.id] for k in keys if k.id in rows],
                   reading.encode_cursor(keys[-1]) if more and keys else None)


def public_disclosure(disclosure_id: int) -> Disclosure:
    """A published disclosure with its region. Anyone. Raises NotFound disclosure.not_found
    (also for drafts, submitted and reviewed ones: they do not exist for the public)."""
    disclosure = (Disclosure.select(Disclosure, Region)
                  .join(Region, on=(Disclosure.region == Region.id))
                  .where((Disclosure.id == disclosure_id)
                         & (Disclosure.status == "published")).first())
    if disclosure is None:
        raise NotFound("disclosure.not_found", "找不到该公开事项")
    return disclosure


def published_corrections(disclosure: Disclosure) -> list[Disclosure]:
    """The published corrections of a disclosure, oldest first."""
    return reading.corrections_of(disclosure, published_only=True)


def open_notices_query(village: Region):
    """The village's published notices whose objection period has not ended, for keyset
    paging by id (newest first). Anyone. Reads only."""
    return (Notice.select(Notice, Region).join(Region, on=(Notice.village == Region.id))
            .where((Notice.village == village.id) & (Notice.status == "published")
                   & (Notice.period_ends_at > utcnow())))


def public_notice(notice_id: int) -> Notice:
    """A published or decided notice with its village. Anyone. Raises NotFound
    notice.not_found for drafts and discarded ones."""
    notice = (Notice.select(Notice, Region).join(Region, on=(Notice.village == Region.id))
              .where((Notice.id == notice_id)
                     & Notice.status.in_(("published", "decided"))).first())
    if notice is None:
        raise NotFound("notice.not_found", "找不到该事前公示")
    return notice
