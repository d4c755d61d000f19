"""Group bindings: one-time binding codes, binding a chat by ``绑定 <code>``, unbinding, lists.

A code is 8 characters from an alphabet without look-alikes, valid for 24 hours and usable
once; only its SHA-256 is stored. Redeeming it binds the chat to the code's region node and
links the sender's channel identity to the grid worker who issued the code.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from app.accounts.models import RoleGrant, User
from app.accounts.tokens import load_actor
from app.audit.services import record
from app.bot import identities, policies
from app.bot.messages import InboundMessage
from app.bot.models import BindingCode, BotGroup, BotRobot
from app.clock import utcnow
from app.crypto import sha256_hex
from app.db import database
from app.errors import InvalidInput, NotFound
from app.policy import Actor, authorize, can, find_grant, require_any_scope
from app.regions import services as regions
from app.regions.models import Region
from app.regions.rules import contains, path_ids

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_TTL = dt.timedelta(hours=24)
BINDABLE_LEVELS = ("village", "grid", "estate", "building")


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: dt.datetime
    region: Region


def normalize_code(code: str) -> str:
    return "".join((code or "").split()).upper()


def issue_binding_code(actor: Actor | None, region_id: int) -> IssuedCode:
    """A one-time code binding a chat to ``region_id`` (a village, grid, estate or building).

    Grid workers, cadres and town admins in scope (``bot.bind_group``). Raises Unauthorized,
    Forbidden, NotFound region.not_found, InvalidInput bot.bad_binding_region. Audited.
    Changes: a ``BindingCode`` row (the plaintext code is returned once, never stored).
    """
    region = regions.get_region(region_id)
    grant = authorize(actor, policies.BIND, region.path)
    if region.level not in BINDABLE_LEVELS:
        raise InvalidInput("bot.bad_binding_region", "群只能绑定到社区(村)、网格、小区或楼栋")
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    now = utcnow()
    with database.atomic():
        row = BindingCode.create(code_hash=sha256_hex(code), region=region,
                                 region_path=region.path, issued_by=actor.user_id,
                                 created_at=now, expires_at=now + CODE_TTL)
        record(actor=actor, grant=grant, action="bot.issue_binding_code",
               object_type="bot_binding_code", object_id=row.id, region_path=region.path,
               summary={"level": region.level})
    return IssuedCode(code, row.expires_at, region)


def redeem_binding_code(msg: InboundMessage, code: str, now: dt.datetime) -> BotGroup:
    """Bind the message's chat with ``code`` (inside the caller's transaction).

    The code must be unused, unexpired and its issuer must still hold ``bot.bind_group`` over
    its region. Raises InvalidInput bot.bad_binding_code. Audited as the issuer.
    Changes: the ``BindingCode`` (used once, by conditional update), the ``BotGroup`` row of the
    chat (created or re-pointed), the sender's identity link.
    """
    row = BindingCode.get_or_none(BindingCode.code_hash == sha256_hex(normalize_code(code)))
    bad = InvalidInput("bot.bad_binding_code", "绑定码无效或已过期，请在管理后台重新生成")
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise bad
    issuer = load_actor(User.get_by_id(row.issued_by_id), "staff")
    grant = find_grant(issuer, policies.BIND, row.region_path)
    if grant is None:
        raise bad
    taken = (BindingCode.update(used_at=now)
             .where((BindingCode.id == row.id) & BindingCode.used_at.is_null()).execute())
    if not taken:
        raise bad
    values = {"endpoint": msg.endpoint_id, "region": row.region_id,
              "region_path": row.region_path, "bound_by": row.issued_by_id, "status": "active",
              "bound_at": now, "unbound_at": None}
    group = BotGroup.get_or_none((BotGroup.channel == msg.channel)
                                 & (BotGroup.chat_id == msg.chat_id))
    if group is None:
        group = BotGroup.create(channel=msg.channel, chat_id=msg.chat_id, **values)
    else:
        BotGroup.update(**values).where(BotGroup.id == group.id).execute()
        group = BotGroup.get_by_id(group.id)
    BindingCode.update(group=group.id).where(BindingCode.id == row.id).execute()
    identities.link_to(msg.sender, row.issued_by_id)
    record(actor=issuer, grant=grant, action="bot.bind_group", object_type="bot_group",
           object_id=group.id, region_path=row.region_path, summary={"channel": msg.channel})
    return group


def active_group(channel: str, chat_id: str) -> BotGroup | None:
    return BotGroup.get_or_none((BotGroup.channel == channel) & (BotGroup.chat_id == chat_id)
                                & (BotGroup.status == "active"))


def load_group(actor: Actor | None, group_id: int) -> BotGroup:
    """A group the caller may manage; otherwise 404 (existence is not revealed)."""
    require_any_scope(actor, policies.MANAGE_GROUPS)
    group = BotGroup.get_or_none(BotGroup.id == group_id)
    if group is None or not can(actor, policies.MANAGE_GROUPS, group.region_path):
        raise NotFound("bot.group_not_found", "找不到该群")
    return group


def unbind_group(actor: Actor | None, group_id: int, *, now: dt.datetime | None = None
                 ) -> BotGroup:
    """Unbind a group: it no longer registers requests or receives notices.

    Grid workers, cadres, town admins and sysadmins in scope (``bot.manage_groups``); also
    the ``解绑`` command. Raises Unauthorized, Forbidden, NotFound bot.group_not_found. Audited.
    Changes: ``BotGroup.status`` / ``unbound_at``.
    """
    group = load_group(actor, group_id)
    grant = authorize(actor, policies.MANAGE_GROUPS, group.region_path)
    now = now or utcnow()
    with database.atomic():
        (BotGroup.update(status="unbound", unbound_at=now)
         .where((BotGroup.id == group.id) & (BotGroup.status == "active")).execute())
        record(actor=actor, grant=grant, action="bot.unbind_group", object_type="bot_group",
               object_id=group.id, region_path=group.region_path, summary={})
    return BotGroup.get_by_id(group.id)


def groups_query(actor: Actor | None, *, region_id: int | None = None,
                 status: str | None = None):
    """Groups bound in the caller's scope (``bot.manage_groups``), for keyset paging.

    Raises Unauthorized, Forbidden, NotFound region.not_found. Changes nothing.
    """
    paths = require_any_scope(actor, policies.MANAGE_GROUPS)
    if region_id is not None:
        path = regions.path_of(region_id)
        paths = ([path] if any(contains(p, path) for p in paths)
                 else [p for p in paths if contains(path, p)])
    query = BotGroup.select(BotGroup, Region).join(Region, on=(BotGroup.region == Region.id))
    if not paths:
        return query.where(BotGroup.id.in_([]))
    cond = None
    for path in paths:
        part = regions.in_subtree(BotGroup.region_path, path)
        cond = part if cond is None else (cond | part)
    query = query.where(cond)
    if status:
        query = query.where(BotGroup.status == status)
    return query


def set_group_robot(actor: Actor | None, group_id: int, robot_id: int | None) -> BotGroup:
    """Choose the group robot that posts the group's notices (None: no robot).

    Group managers in scope; the robot must be configured for a region containing the group.
    Raises NotFound bot.group_not_found / bot.robot_not_found. Audited.
    Changes: ``BotGroup.robot``.
    """
    group = load_group(actor, group_id)
    grant = authorize(actor, policies.MANAGE_GROUPS, group.region_path)
    if robot_id is not None:
        robot = BotRobot.get_or_none(BotRobot.id == robot_id)
        if robot is None or not contains(robot.region_path, group.region_path):
            raise NotFound("bot.robot_not_found", "找不到该群机器人")
    with database.atomic():
        BotGroup.update(robot=robot_id).where(BotGroup.id == group.id).execute()
        record(actor=actor, grant=grant, action="bot.set_group_robot", object_type="bot_group",
               object_id=group.id, region_path=group.region_path, summary={"robot": robot_id})
    return BotGroup.get_by_id(group.id)


def frontline_staff(group: BotGroup) -> list[int]:
    """Grid workers holding a live grant over the group's region (or above it), and the binder."""
    rows = (RoleGrant.select(RoleGrant.user)
            .where((RoleGrant.role == "grid_worker")
                   & RoleGrant.region.in_(path_ids(group.region_path))
                   & RoleGrant.revoked_at.is_null()).distinct().tuples())
    users = {user_id for (user_id,) in rows}
    if group.bound_by_id:
        users.add(group.bound_by_id)
    return sorted(users)
