"""Who may see an image: its owner always, anyone else only if the feature using it says so.

Features register one predicate per target prefix in their own ``policies.py``, e.g.::

    register_visibility("request", lambda actor, target: may_view_request(actor, target))

The predicate receives the caller and the full target (``"request:12"``) and returns a bool. A
target whose prefix nobody registered is visible to its owner only, so a forgotten registration
hides images rather than leaking them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.errors import DomainError
from app.policy import Actor

VisibilityHook = Callable[[Actor, str], bool]

_TARGET = re.compile(r"([a-z][a-z_]{0,30}):([0-9A-Za-z_-]{1,32})")
_HOOKS: dict[str, VisibilityHook] = {}


def parse_target(target: str) -> tuple[str, str]:
    """Split ``"request:12"`` into ``("request", "12")``; ValueError for anything else."""
    match = _TARGET.fullmatch(target) if isinstance(target, str) else None
    if match is None:
        raise ValueError(f"invalid media target {target!r}")
    return match.group(1), match.group(2)


def register_visibility(prefix: str, fn: VisibilityHook) -> VisibilityHook:
    """Let ``fn(actor, target)`` decide who besides the owner sees images attached to
    ``prefix:…`` targets. Registering a prefix again replaces its predicate. Returns ``fn``."""
    parse_target(f"{prefix}:0")
    _HOOKS[prefix] = fn
    return fn


def unregister_visibility(prefix: str) -> None:
    """Forget the predicate for ``prefix`` (tests; a feature being switched off)."""
    _HOOKS.pop(prefix, None)


def may_view(actor: Actor, owner_id: int, attached_to: str | None) -> bool:
    """Whether ``actor`` may read an image owned by ``owner_id`` and attached to ``attached_to``.

    A predicate that raises a domain error (the record is gone, out of scope) counts as "no".
    """
    if actor.user_id == owner_id:
        return True
    if attached_to is None:
        return False
    prefix, _ = parse_target(attached_to)
    hook = _HOOKS.get(prefix)
    if hook is None:
        return False
    try:
        return hook(actor, attached_to) is True
    except DomainError:
        return False
