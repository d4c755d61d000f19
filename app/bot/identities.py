"""Channel senders as users.

A sender is found by a keyed hash of its opaque channel id (``BotIdentity``). An unknown sender
gets a new ``User`` carrying nothing but that link: no name, no phone, no openid (the
mini-program openid is another namespace). Such a user submits requests from the group like any
resident without a household; the group's binding gives the place. A grid worker's channel
identity is linked to their staff account when they redeem a binding code they issued, so their
later commands (``以上N条转诉求``, ``解绑``) carry their grants.
"""

from __future__ import annotations

import peewee

from app import crypto
from app.accounts.models import User
from app.bot.messages import Sender
from app.bot.models import BotIdentity
from app.db import database

PURPOSE = "bot.identity"


def key_hash(sender: Sender) -> str:
    return crypto.keyed_hash(PURPOSE, sender.key)


def user_for(sender: Sender) -> User:
    """The user behind ``sender``, created on first sight (inside the caller's transaction)."""
    digest = key_hash(sender)
    found = (User.select().join(BotIdentity, on=(BotIdentity.user == User.id))
             .where(BotIdentity.key_hash == digest).first())
    if found is not None:
        return found
    user = User.create(display_name="")
    try:
        with database.atomic():
            BotIdentity.create(key_hash=digest, kind=sender.kind, user=user)
    except peewee.IntegrityError:  # the same sender arrived twice at once: use the winner
        User.delete().where(User.id == user.id).execute()
        row = BotIdentity.get(BotIdentity.key_hash == digest)
        return User.get_by_id(row.user_id)
    return user


def link_to(sender: Sender, user_id: int) -> None:
    """Point ``sender`` at ``user_id`` (a staff account), inside the caller's transaction."""
    digest = key_hash(sender)
    updated = (BotIdentity.update(user=user_id).where(BotIdentity.key_hash == digest)
               .execute())
    if not updated:
        BotIdentity.insert(key_hash=digest, kind=sender.kind, user=user_id) \
            .on_conflict_ignore().execute()


def mask_name(display_name: str) -> str:
    """``张阿姨`` → ``张**``; no name → ``群友``."""
    name = (display_name or "").strip()
    return f"{name[0]}{'*' * min(len(name) - 1, 2) or '*'}" if name else "群友"
