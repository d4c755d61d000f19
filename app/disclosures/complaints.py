"""“要求公开”: a resident complains that something that must be disclosed is not (组织法 §31).

The complaint becomes a tracked request (type ``complaint``, category ``disclosure``) through
:func:`app.requests.services.submit_request`, so it gets a tracking number, the request SLA,
dispatch and the resident's rating like any other request. The category itself belongs to the
requests feature (a default row ``("disclosure", "要求公开")`` or a town's own row); while it
is missing or switched off the complaint is refused with ``disclosure.requests_unavailable``.
"""

from __future__ import annotations

from app.content import ContentChecker
from app.disclosures import rules
from app.errors import Conflict, Forbidden, InvalidInput, Unauthorized
from app.policy import Actor

CATEGORY_CODE = "disclosure"
CATEGORY_NAME = "要求公开"
TEXT_MAX = 1000


def request_disclosure(actor: Actor | None, *, kind: str, text: str,
                       checker: ContentChecker | None = None, openid: str | None = None):
    """File a "要求公开" complaint about the caller's own village; returns the request.

    Residents bound to a household (the complaint is placed at their household, so it is
    routed to their village). Raises Unauthorized, Forbidden disclosure.residents_only,
    disclosure.bad_kind, disclosure.bad_request_text, Conflict disclosure.requests_unavailable
    (no active "disclosure" request category for the resident's town), and what
    ``submit_request`` raises (content.risky …). Creates the request, its timeline and notices
    (through the requests feature).
    """
    if actor is None:
        raise Unauthorized()
    if actor.household_id is None:
        raise Forbidden("disclosure.residents_only", "村务公开仅向本村(社区)居民开放，请先绑定住户")
    rules.check_kind(kind)
    text = (text or "").strip()
    if len(text) < 5 or len(text) > TEXT_MAX:
        raise InvalidInput("disclosure.bad_request_text",
                           f"请用 5 到 {TEXT_MAX} 个字说明需要公开的事项")
    from app.requests.services import category_for, submit_request

    try:
        category_for(actor.household_path, CATEGORY_CODE)
    except InvalidInput as exc:
        raise Conflict("disclosure.requests_unavailable",
                       "“要求公开”类别尚未开通，请联系社区(村)或拨打服务电话") from exc
    return submit_request(actor, type="complaint", category_code=CATEGORY_CODE,
                          text=f"【要求公开·{rules.KIND_NAMES[kind]}】{text}",
                          checker=checker, openid=openid)
