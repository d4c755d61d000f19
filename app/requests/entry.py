"""Staff entry of a request for a resident (电话、来访代为登记): what the entry form may offer.

The entry itself is ``services.submit_request`` with a staff channel; this module only answers
"where may this person enter a request", so a form never offers a place the service would
refuse and a person without the ENTER permission is refused before any form is shown.
"""

from __future__ import annotations

from app.policy import Actor, require_any_scope
from app.regions.models import Region
from app.regions.services import in_subtree
from app.requests import policies

# Places a request can be entered at: a village or something inside it, never a whole town,
# and not single households (a picker, not a register of homes).
ENTRY_LEVELS = ("village", "grid", "estate", "building")
PLACES_LIMIT = 300


def entry_places(actor: Actor | None, *, limit: int = PLACES_LIMIT) -> list[Region]:
    """The places inside the caller's scope where they may enter a request for a resident.

    Grid workers, cadres and town admins (``policies.ENTER``). Raises Unauthorized without an
    actor and Forbidden without that permission anywhere. Read-only; at most ``limit`` rows,
    ordered by their place in the tree.
    """
    paths = require_any_scope(actor, policies.ENTER)
    scope = None
    for path in paths:
        part = in_subtree(Region.path, path)
        scope = part if scope is None else (scope | part)
    return list(Region.select().where(Region.level.in_(ENTRY_LEVELS) & scope)
                .order_by(Region.path).limit(limit))
