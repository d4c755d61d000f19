"""Mini-program account services: WeChat login, phone binding, the caller's own profile.

Household bindings and role grants live in ``bindings.py`` and ``grants.py``; staff console
login in ``staff.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import peewee

from app import crypto
from app.accounts import phone as phones
from app.accounts.models import User
from app.accounts.tokens import issue_token
from app.db import database
from app.errors import Conflict, NotFound, Unauthorized
from app.policy import Actor
from app.ports import WeChatGateway
from app.regions.models import Region
from app.regions.rules import path_ids


@dataclass(frozen=True)
class LoginResult:
    token: str
    user: User
    created: bool


def login_with_wechat(gateway: WeChatGateway, code: str, *, ttl_seconds: int) -> LoginResult:
    """Exchange a ``wx.login`` code for our own token, creating the user on first login.

    Anyone may call it. Raises the gateway's errors (invalid/used code, rate limit, blocked
    user, WeChat busy). The WeChat session_key never leaves the gateway.
    """
    session = gateway.code_to_session(code)
    with database.atomic():
        user = _find_wechat_user(session.openid, session.unionid)
        created = user is None
        if created:
            try:
                with database.atomic():
                    user = User.create(openid=session.openid, unionid=session.unionid)
            except peewee.IntegrityError:  # a concurrent first login created it
                user = _find_wechat_user(session.openid, session.unionid)
        elif session.unionid and user.unionid is None:
            user.unionid = session.unionid
            user.save(only=[User.unionid])
        if user.status != "active":
            raise Unauthorized("auth.user_disabled", "该账号已停用")
        token = issue_token(user, "miniprogram", ttl_seconds)
    return LoginResult(token=token, user=user, created=created)


def _find_wechat_user(openid: str, unionid: str | None) -> User | None:
    user = User.get_or_none(User.openid == openid)
    if user is None and unionid:
        user = User.get_or_none(User.unionid == unionid)
    return user


def bind_phone(actor: Actor, gateway: WeChatGateway, code: str) -> User:
    """Bind the phone number WeChat returns for a ``getPhoneNumber`` code to the caller.

    Any logged-in user, for themselves. Raises phone.taken when another account has it.
    """
    number = phones.normalize(gateway.phone_number(code))
    digest = crypto.keyed_hash(phones.LOOKUP_PURPOSE, number)
    with database.atomic():
        other = User.get_or_none((User.phone_hash == digest) & (User.id != actor.user_id))
        if other is not None:
            raise Conflict("phone.taken", "该手机号已绑定其他账号")
        (User.update(phone_hash=digest,
                     phone_cipher=crypto.encrypt(phones.CIPHER_PURPOSE, number),
                     phone_masked=phones.mask(number))
         .where(User.id == actor.user_id).execute())
    return User.get_by_id(actor.user_id)


def find_user_by_phone(raw_phone: str) -> User | None:
    """Look a user up by phone (for staff entering requests on a resident's behalf)."""
    digest = crypto.keyed_hash(phones.LOOKUP_PURPOSE, phones.normalize(raw_phone))
    return User.get_or_none(User.phone_hash == digest)


def own_phone(user: User) -> str | None:
    """The full number: only ever rendered to its owner."""
    if not user.phone_cipher:
        return None
    return crypto.decrypt(phones.CIPHER_PURPOSE, user.phone_cipher)


def get_profile(actor: Actor) -> dict:
    """The caller's own profile: full phone (theirs), household chain, live role grants.

    Two queries: the user row, and one region lookup covering the household's chain and every
    grant's node (the grants themselves come with the Actor).
    """
    user = User.get_or_none(User.id == actor.user_id)
    if user is None:
        raise NotFound("user.not_found", "找不到该用户")
    chain = path_ids(actor.household_path) if actor.household_path else []
    wanted = set(chain) | {g.region_id for g in actor.grants}
    nodes = {r.id: r for r in Region.select(Region.id, Region.name, Region.level, Region.code)
             .where(Region.id.in_(sorted(wanted)))} if wanted else {}
    household = None
    if user.household_id is not None and user.household_id in nodes:
        node = nodes[user.household_id]
        household = {
            "id": node.id, "name": node.name, "code": node.code,
            "address": " ".join(nodes[i].name for i in chain if i in nodes),
        }
    return {
        "id": user.id,
        "display_name": user.display_name,
        "phone": own_phone(user),
        "phone_masked": user.phone_masked,
        "is_volunteer": user.is_volunteer,
        "is_party_member": user.is_party_member,
        "is_resident": user.household_id is not None,
        "household": household,
        "grants": [
            {"id": g.id, "role": g.role, "region": {"id": g.region_id,
                                                    "name": nodes[g.region_id].name,
                                                    "level": nodes[g.region_id].level}}
            for g in actor.grants if g.region_id in nodes
        ],
    }
