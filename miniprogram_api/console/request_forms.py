"""Which transition forms a staff member is offered on a request's page.

The state machine decides what is legal now (``services.actions_for`` over
``rules.allowed_actions``); the requests policies decide who: a role in scope
(``policies.can``) or membership of the handling unit (``policies.is_handler``). Each form
below names the state-machine action it performs and the policy check of the service it
calls, so the page never offers a button the service would refuse for the person's role.
The service still checks everything again when the form is posted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.policy import Actor, can
from app.regions.rules import path_ids
from app.requests import policies, routing, rules
from app.requests import services as requests
from app.requests.models import HandlingUnit, Request


def _role(action: str) -> Callable[[Actor, Request], bool]:
    return lambda actor, request: can(actor, action, request.region_path)


def _handler(actor: Actor, request: Request) -> bool:
    return policies.is_handler(actor, request)


@dataclass(frozen=True)
class Form:
    name: str  # the URL segment and template block: /console/requests/<id>/<name>
    label: str
    transition: str  # the state-machine action (rules.TRANSITIONS)
    allowed: Callable[[Actor, Request], bool]


FORMS = (
    Form("accept", "受理", "accept",
         lambda a, r: _role(policies.ACCEPT)(a, r) and not r.held_for_review),
    Form("dispatch", "分办", "dispatch", _role(policies.DISPATCH)),
    Form("start", "开始办理", "start", _handler),
    Form("resolve", "办结", "resolve", _handler),
    Form("return", "退单", "return", _handler),
    Form("transfer", "转办", "transfer", _role(policies.DISPATCH)),
    Form("extension", "申请延期", "request_extension",
         lambda a, r: _handler(a, r) and r.extension_days_pending is None),
    Form("extension_decision", "审批延期", "approve_extension",
         lambda a, r: _role(policies.DECIDE_EXTENSION)(a, r)
         and r.extension_days_pending is not None),
    Form("visit", "记录回访", "visit", _role(policies.VISIT)),
    Form("note", "记录办理进展", "note",
         lambda a, r: _handler(a, r) or bool(policies.unit_ids_of(a)
                                             & policies._task_unit_ids(r))),
    Form("merge", "合并重复诉求", "merge", _role(policies.MERGE)),
    Form("mediation", "更新调解码", "mediate",
         lambda a, r: _role(policies.MEDIATE)(a, r) and bool(mediation_moves(r))),
    Form("flag_hard", "列为疑难件", "note",
         lambda a, r: _role(policies.FLAG)(a, r) and not r.flagged_hard),
)
BY_NAME = {form.name: form for form in FORMS}


def mediation_moves(request: Request) -> list[tuple[str, str]]:
    """The colour codes a mediation request may move to next, with their names (none for
    other types: ``set_mediation_code`` refuses them)."""
    if request.type != "mediation":
        return []
    moves = rules.MEDIATION_MOVES.get(request.mediation_code or "", set())
    return [(code, rules.MEDIATION_NAMES[code]) for code in rules.MEDIATION_CODES
            if code in moves]


def offered(actor: Actor, request: Request) -> list[Form]:
    legal = set(requests.actions_for(actor, request))
    return [form for form in FORMS if form.transition in legal and form.allowed(actor, request)]


def candidate_units(request: Request) -> list[HandlingUnit]:
    """Active units placed at the request's place or above it: those ``routing.load_unit``
    accepts for a dispatch or transfer."""
    return list(HandlingUnit.select()
                .where(HandlingUnit.active
                       & HandlingUnit.region.in_(path_ids(request.region_path)))
                .order_by(HandlingUnit.id))


def clauses(request: Request) -> list[str]:
    """The lead unit's responsibility list, the clauses a return (退单) may cite."""
    unit = HandlingUnit.get_or_none(HandlingUnit.id == request.lead_unit_id)
    return routing.responsibilities(unit) if unit else []
