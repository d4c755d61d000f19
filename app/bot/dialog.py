"""The dialog: what the bot does with one message, inside the caller's transaction.

Order of decisions: ``绑定`` works anywhere; an unbound group gets the instruction when the
message is addressed to the bot (a command, a marker or an @-mention) and silence otherwise;
commands; a pending confirmation answered with ``1``; moderation (insults and threats are
flagged to the grid workers, never registered); explicit requests (a leading marker, or an
@-mention with a description that the dictionary does not score below zero — thanks,
greetings and ads addressed to the bot get help instead) are registered at once; other
messages the classifier scores above its threshold get "是否登记为诉求？回复 1 确认";
everything else is left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.accounts.models import User
from app.accounts.tokens import load_actor
from app.bot import commands, dictionary, groups, identities, texts
from app.bot.classifier import Verdict
from app.bot.models import BotGroup, BotMessage, PendingConfirmation
from app.bot.policies import FORWARD
from app.bot.requesting import forward_messages, register, status_text, town_of
from app.db import database
from app.errors import DomainError
from app.notifications.services import enqueue
from app.policy import find_grant
from app.regions import services as regions
from app.requests import rules as request_rules
from app.requests.models import Request
from app.requests.services import my_requests_query

CONFIRM_TTL = dt.timedelta(minutes=10)
MIN_REQUEST_CHARS = 5


@dataclass(frozen=True)
class Outcome:
    answer: str | None
    outcome: str
    request_id: int | None = None


def handle(msg, *, now: dt.datetime) -> Outcome:
    """Decide and act on ``msg`` (an InboundMessage); returns the answer to send, if any."""
    command = commands.parse(msg.text)
    user = identities.user_for(msg.sender)
    if command.name == "bind":
        return _bind(msg, command, now)
    group = (groups.active_group(msg.channel, msg.chat_id) if msg.chat_type == "group"
             else None)
    addressed = msg.mentioned or command.name not in ("text", "confirm")
    if msg.chat_type == "group" and group is None:
        return Outcome(texts.UNBOUND if addressed else None, "unbound")
    if group is not None and command.name in ("text", "marker"):
        BotMessage.create(group=group, sender=user, text=msg.text[:2000], created_at=now)
    if command.name == "help":
        return Outcome(_help(user, group), "help")
    if command.name == "query":
        return _query(user, group, command.arg)
    if command.name == "mine":
        return _mine(user)
    if command.name == "forward":
        return _forward(user, group, command.count, now)
    if command.name == "unbind":
        return _unbind(user, group, now)
    if command.name == "unknown":
        return Outcome(_help(user, group), "help")
    if command.name == "confirm":
        return _confirm(user, group, msg, now)
    body = command.body if command.name == "marker" else msg.text.strip()
    verdict = dictionary.classifier_for(town_of(group)).classify(body)
    if verdict.label == "moderation":
        _flag(group, user, body, msg, now)
        return Outcome(texts.CIVIL if addressed else None, "flagged")
    explicit_mention = (msg.mentioned and len(body) >= MIN_REQUEST_CHARS
                        and verdict.score >= 0)  # thanks, greetings, ads: help instead
    if command.name == "marker" or explicit_mention:
        request_type = command.request_type or verdict.request_type
        return _register(user, group, body, verdict, request_type, now)
    if msg.mentioned:
        return Outcome(_help(user, group), "help")
    if verdict.label == "request" and group is not None:
        _ask(user, group, body, verdict, now)
        return Outcome(texts.ASK_CONFIRM, "confirm_asked")
    return Outcome(None, "ignored")


def _help(user: User, group: BotGroup | None) -> str:
    staff = group is not None and _staff_actor(user, group) is not None
    return texts.HELP + (texts.STAFF_HELP if staff else "")


def _staff_actor(user: User, group: BotGroup):
    """The sender as staff, if they may use the grid worker's commands in this group."""
    actor = load_actor(user, "staff")
    return actor if find_grant(actor, FORWARD, group.region_path) else None


def _bind(msg, command, now) -> Outcome:
    if msg.chat_type != "group":
        return Outcome(texts.UNBOUND, "bind_failed")
    if not command.arg:
        return Outcome(texts.UNBOUND, "bind_failed")
    try:
        with database.atomic():
            group = groups.redeem_binding_code(msg, command.arg, now)
    except DomainError as exc:
        return Outcome(exc.message, "bind_failed")
    return Outcome(texts.BOUND.format(place=regions.get_region(group.region_id).name), "bound")


def _query(user: User, group: BotGroup | None, tracking_no: str) -> Outcome:
    if not tracking_no:
        return Outcome(texts.QUERY_USAGE, "query")
    text = status_text(user, group, tracking_no)
    return Outcome(text or texts.NOT_FOUND.format(no=tracking_no), "query")


def _mine(user: User) -> Outcome:
    actor = load_actor(user)
    rows = list(my_requests_query(actor).order_by(Request.id.desc()).limit(5))
    if not rows:
        return Outcome(texts.MINE_EMPTY, "mine")
    lines = [f"{r.tracking_no} {request_rules.STATE_NAMES.get(r.status, r.status)}"
             for r in rows]
    return Outcome("\n".join([texts.MINE_HEAD, *lines]), "mine")


def _forward(user: User, group: BotGroup | None, count: int, now) -> Outcome:
    staff = _staff_actor(user, group) if group is not None else None
    if staff is None:
        return Outcome(texts.STAFF_ONLY, "denied")
    if not 1 <= count <= commands.MAX_FORWARD:
        return Outcome(texts.HELP + texts.STAFF_HELP, "help")
    return forward_messages(staff, group, count, now)


def _unbind(user: User, group: BotGroup | None, now) -> Outcome:
    staff = _staff_actor(user, group) if group is not None else None
    if staff is None:
        return Outcome(texts.STAFF_ONLY, "denied")
    groups.unbind_group(staff, group.id, now=now)
    return Outcome(texts.UNBOUND_DONE, "unbound_done")


def _confirm(user: User, group: BotGroup | None, msg, now) -> Outcome:
    pending = None
    if group is not None:
        pending = PendingConfirmation.get_or_none(
            (PendingConfirmation.group == group.id) & (PendingConfirmation.sender == user.id)
            & (PendingConfirmation.expires_at > now))
    if pending is None:
        return Outcome(_help(user, group) if msg.mentioned else None, "ignored")
    PendingConfirmation.delete().where(PendingConfirmation.id == pending.id).execute()
    verdict = Verdict("request", 0.0, pending.category_code, pending.request_type)
    return _register(user, group, pending.text, verdict, pending.request_type, now)


def _ask(user: User, group: BotGroup, text: str, verdict: Verdict, now) -> None:
    values = {"text": text[:2000], "category_code": verdict.category,
              "request_type": verdict.request_type, "created_at": now,
              "expires_at": now + CONFIRM_TTL}
    (PendingConfirmation.insert(group=group, sender=user, **values)
     .on_conflict(conflict_target=[PendingConfirmation.group, PendingConfirmation.sender],
                  update=values).execute())


def _register(user, group, text, verdict, request_type, now) -> Outcome:
    if group is None and user.household_id is None:
        return Outcome(texts.PRIVATE_NO_PLACE, "no_place")
    try:
        request = register(user, group, text, verdict.category, request_type)
    except DomainError as exc:
        return Outcome(texts.FAILED.format(reason=exc.message), "rejected")
    template = texts.CREATED_HELD if request.held_for_review else texts.CREATED
    return Outcome(template.format(no=request.tracking_no), "request_created", request.id)


def _flag(group: BotGroup | None, user: User, text: str, msg, now) -> None:
    if group is None:
        return
    place = regions.get_region(group.region_id).name
    excerpt = text if len(text) <= 60 else text[:59] + "…"
    for staff_id in groups.frontline_staff(group):
        enqueue(channel="staff", recipient_user_id=staff_id, kind="bot.flagged",
                title=texts.FLAG_TITLE, body=texts.FLAG_BODY.format(place=place, excerpt=excerpt),
                page=f"/console/bot/groups/{group.id}",
                dedupe_key=f"bot.flag:{msg.channel}:{msg.msg_id}:user:{staff_id}", now=now)

