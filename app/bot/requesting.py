"""Turning group messages into requests through the requests feature's own services.

Requests are created by ``app.requests.services.submit_request`` with channel ``group_bot`` and
the resident (the message's sender) as the actor: the group's binding gives the place, the
classifier the category and type. ``以上N条转诉求`` also submits as the resident whose messages
they are — the grid worker's command is authorised here and audited under the grid worker.
"""

from __future__ import annotations

import datetime as dt

from app.accounts.models import User
from app.accounts.tokens import load_actor
from app.audit.services import record
from app.bot import dictionary, identities, policies, texts
from app.bot.models import BotGroup, BotMessage, BotRequestLink
from app.clock import iso
from app.content import WordListChecker
from app.db import database
from app.errors import InvalidInput, NotFound
from app.policy import Actor, find_grant
from app.regions.models import Region
from app.regions.rules import path_ids
from app.requests import rules as request_rules
from app.requests import services as requests
from app.requests.models import Request, TimelineEntry
from app.requests.setup import DEFAULT_CATEGORIES

CATEGORY_NAMES = dict(DEFAULT_CATEGORIES)


_towns: dict[str, int | None] = {}


def town_of(group: BotGroup | None) -> int | None:
    """The town above a group's place (the classifier dictionary is per town); cached by
    path, since the ancestors of a node never change."""
    if group is None:
        return None
    if group.region_path not in _towns:
        town = (Region.select(Region.id).where(Region.id.in_(path_ids(group.region_path))
                                               & (Region.level == "town")).scalar())
        _towns[group.region_path] = town
    return _towns[group.region_path]


def register(user: User, group: BotGroup | None, text: str, category: str,
             request_type: str):
    """Submit ``text`` as ``user``'s request at the group's place (a savepoint: a refused
    request leaves nothing behind). Raises the requests feature's InvalidInput errors."""
    actor = load_actor(user)
    region_id = group.region_id if group is not None else None
    try:
        request = _submit(actor, group, user, text, category, request_type, region_id)
    except InvalidInput as exc:
        if exc.code != "request.bad_category" or category == "other":
            raise
        # The town switched the guessed category off: file it under "other".
        request = _submit(actor, group, user, text, "other", request_type, region_id)
    return request


def _submit(actor, group, user, text, category, request_type, region_id):
    with database.atomic():
        # Bot senders have no mini-program openid for WeChat's msgSecCheck: the local list.
        request = requests.submit_request(
            actor, type=request_type, category_code=category, text=text, region_id=region_id,
            channel="group_bot", checker=WordListChecker())
        if group is not None:
            BotRequestLink.create(request_id=request.id, group=group, sender=user)
    return request


def forward_messages(staff: Actor, group: BotGroup, count: int, now: dt.datetime):
    """``以上N条转诉求``: the last ``count`` messages of the latest resident who wrote in the
    group (anyone but the grid worker) become one request of that resident."""
    from app.bot.dialog import Outcome

    latest = (BotMessage.select(BotMessage.sender).where(
        (BotMessage.group == group.id) & (BotMessage.sender != staff.user_id))
        .order_by(BotMessage.id.desc()).first())
    if latest is None:
        return Outcome(texts.NOTHING_TO_FORWARD, "nothing_to_forward")
    rows = list(BotMessage.select().where((BotMessage.group == group.id)
                                          & (BotMessage.sender == latest.sender_id))
                .order_by(BotMessage.id.desc()).limit(count))
    text = "\n".join(r.text for r in reversed(rows))
    verdict = dictionary.classifier_for(town_of(group)).classify(text)
    resident = User.get_by_id(latest.sender_id)
    try:
        request = register(resident, group, text, verdict.category, verdict.request_type)
    except InvalidInput as exc:
        return Outcome(texts.FAILED.format(reason=exc.message), "rejected")
    grant = find_grant(staff, policies.FORWARD, group.region_path)
    record(actor=staff, grant=grant, action="bot.forward_messages", object_type="request",
           object_id=request.id, region_path=group.region_path,
           summary={"messages": len(rows), "group": group.id})
    name = identities.mask_name(resident.display_name)
    return Outcome(texts.FORWARDED.format(name=name, count=len(rows), no=request.tracking_no),
                   "request_created", request.id)


def status_text(user: User, group: BotGroup | None, tracking_no: str) -> str | None:
    """Plain-Chinese status of a request the sender may know about: their own (or one they
    may read), or one registered from this same group. None when neither."""
    request = Request.get_or_none(Request.tracking_no == tracking_no)
    if request is None:
        return None
    actor = load_actor(user)
    readable = True
    try:
        requests.get_request(actor, request.id)
    except NotFound:  # not theirs: a request from this same group still answers
        readable = False
    if not readable:
        link = BotRequestLink.get_or_none(BotRequestLink.request_id == request.id)
        if group is None or link is None or link.group_id != group.id:
            return None
    kind = request_rules.TYPE_NAMES.get(request.type, request.type)
    category = CATEGORY_NAMES.get(request.category_code)
    line = texts.STATUS.format(no=request.tracking_no,
                               type=f"{kind}·{category}" if category else kind,
                               state=request_rules.STATE_NAMES.get(request.status,
                                                                   request.status))
    latest = (TimelineEntry.select().where((TimelineEntry.request == request.id)
                                           & TimelineEntry.public)
              .order_by(TimelineEntry.id.desc()).first())
    if latest is not None:
        when = (iso(latest.at) or "")[:16].replace("T", " ")
        line += "\n" + texts.LATEST.format(label=latest.label, when=when)
    return line
