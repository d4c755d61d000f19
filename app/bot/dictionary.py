"""The classifier dictionary staff edit: default words (``town`` 0) and a town's own.

A town's classifier uses the default words plus its own; a town word with the same bucket and
word replaces the default's weight, and weight 0 switches a default word off for that town.
Classifiers are cached per town for ``CACHE_SECONDS`` (edits through this module clear the
cache of this process at once; other processes see them within the cache time).
"""

from __future__ import annotations

import time

from app.audit.services import record
from app.bot import policies
from app.bot.classifier import DEFAULT_THRESHOLD, Classifier, Keyword
from app.bot.lexicon import SEED, SPECIAL
from app.bot.models import BotKeyword
from app.clock import utcnow
from app.db import database
from app.errors import InvalidInput, NotFound
from app.policy import Actor, Grant, authorize, find_grant, require_any_scope
from app.regions import services as regions
from app.regions.models import Region
from app.requests.setup import DEFAULT_CATEGORIES

CACHE_SECONDS = 60
BUCKETS = tuple(code for code, _ in DEFAULT_CATEGORIES) + SPECIAL
_cache: dict[int, tuple[float, Classifier]] = {}


def ensure_seed_dictionary() -> int:
    """Write the seed words missing from the default dictionary (idempotent); returns how many."""
    with database.atomic():
        existing = {(r.category_code, r.word) for r in BotKeyword.select(
            BotKeyword.category_code, BotKeyword.word).where(BotKeyword.town == 0)}
        fresh = [{"town": 0, "category_code": b, "word": w, "weight": wt}
                 for b, w, wt in dict(((b, w), (b, w, wt)) for b, w, wt in SEED).values()
                 if (b, w) not in existing]
        for start in range(0, len(fresh), 200):
            BotKeyword.insert_many(fresh[start:start + 200]).on_conflict_ignore().execute()
    clear_cache()
    return len(fresh)


def clear_cache() -> None:
    _cache.clear()


def classifier_for(town_id: int | None) -> Classifier:
    """The classifier of a town (default words plus the town's), from the cache when fresh.

    With no dictionary rows at all (before seeding) the seed words are used.
    """
    town = town_id or 0
    hit = _cache.get(town)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    query = (BotKeyword.select(BotKeyword.town, BotKeyword.category_code, BotKeyword.word,
                               BotKeyword.weight)
             .where(BotKeyword.town.in_(sorted({0, town}))).order_by(BotKeyword.town))
    chosen: dict[tuple[str, str], float] = {}
    for _town, bucket, word, weight in query.tuples():
        chosen[(bucket, word)] = weight  # the town's rows come last and win
    if not chosen:
        chosen = {(b, w): wt for b, w, wt in SEED}
    words = [Keyword(b, w, wt) for (b, w), wt in chosen.items() if wt != 0]
    classifier = Classifier(words, DEFAULT_THRESHOLD)
    _cache[town] = (time.monotonic() + CACHE_SECONDS, classifier)
    return classifier


def _grant_for(actor: Actor | None, town_id: int) -> tuple[Grant, str]:
    if town_id == 0:
        paths = require_any_scope(actor, policies.EDIT_DEFAULT_DICTIONARY)
        return find_grant(actor, policies.EDIT_DEFAULT_DICTIONARY, paths[0]), "/"
    town = regions.get_region(town_id)
    if town.level != "town":
        raise InvalidInput("bot.dictionary_needs_town", "词典只能按街道(乡镇)配置")
    return authorize(actor, policies.EDIT_DICTIONARY, town.path), town.path


def keywords_query(actor: Actor | None, *, town_id: int | None = None,
                   bucket: str | None = None):
    """Dictionary words: the defaults, or one town's own words.

    Town admins and sysadmins (``bot.edit_dictionary``; a town's words only in scope). Raises
    Unauthorized, Forbidden. Returns an unevaluated query for keyset paging. Changes nothing.
    """
    require_any_scope(actor, policies.EDIT_DICTIONARY)
    if town_id:
        _grant_for(actor, town_id)
    query = BotKeyword.select().where(BotKeyword.town == (town_id or 0))
    if bucket:
        query = query.where(BotKeyword.category_code == bucket)
    return query


def save_keyword(actor: Actor | None, *, word: str, bucket: str, weight: float,
                 town_id: int | None = None) -> BotKeyword:
    """Add a word or change its weight (weight 0 switches a default word off in a town).

    Default words (``town_id`` None): sysadmins; a town's words: its town admin (and
    sysadmins in scope). Raises Unauthorized, Forbidden, InvalidInput bot.bad_bucket /
    bot.bad_word / bot.bad_weight / bot.dictionary_needs_town. Audited.
    Changes: ``BotKeyword``.
    """
    town = town_id or 0
    grant, path = _grant_for(actor, town)
    word = "".join((word or "").split())
    if bucket not in BUCKETS:
        raise InvalidInput("bot.bad_bucket", "未知的词典分类")
    if not 1 <= len(word) <= 20:
        raise InvalidInput("bot.bad_word", "关键词应为 1 到 20 个字")
    if not -10 <= weight <= 10:
        raise InvalidInput("bot.bad_weight", "权重应在 -10 到 10 之间")
    now = utcnow()
    with database.atomic():
        (BotKeyword.insert(town=town, category_code=bucket, word=word, weight=weight,
                           updated_by=actor.user_id, updated_at=now)
         .on_conflict(conflict_target=[BotKeyword.town, BotKeyword.category_code,
                                       BotKeyword.word],
                      update={BotKeyword.weight: weight, BotKeyword.updated_by: actor.user_id,
                              BotKeyword.updated_at: now})
         .execute())
        row = BotKeyword.get((BotKeyword.town == town) & (BotKeyword.category_code == bucket)
                             & (BotKeyword.word == word))
        record(actor=actor, grant=grant, action="bot.save_keyword", object_type="bot_keyword",
               object_id=row.id, region_path=path, summary={"bucket": bucket})
    clear_cache()
    return row


def delete_keyword(actor: Actor | None, keyword_id: int) -> None:
    """Remove a word. Same callers as :func:`save_keyword`. Raises bot.keyword_not_found
    (also for a town outside the caller's scope). Audited. Changes: ``BotKeyword``."""
    require_any_scope(actor, policies.EDIT_DICTIONARY)
    row = BotKeyword.get_or_none(BotKeyword.id == keyword_id)
    if row is None or (row.town and not _in_scope(actor, row.town)):
        raise NotFound("bot.keyword_not_found", "找不到该关键词")
    grant, path = _grant_for(actor, row.town)
    with database.atomic():
        BotKeyword.delete().where(BotKeyword.id == row.id).execute()
        record(actor=actor, grant=grant, action="bot.delete_keyword", object_type="bot_keyword",
               object_id=row.id, region_path=path, summary={"bucket": row.category_code})
    clear_cache()


def _in_scope(actor: Actor, town_id: int) -> bool:
    town = Region.get_or_none(Region.id == town_id)
    return town is not None and find_grant(actor, policies.EDIT_DICTIONARY, town.path) is not None
