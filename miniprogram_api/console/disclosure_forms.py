"""Which forms a staff member is offered on a disclosure's page.

The workflow decides what is legal now (``rules.allowed_actions``); the disclosures policies
decide who (``policies.WRITE`` for the author's side, ``policies.review_action(kind)`` for the
reviewers). The service behind each form checks everything again when it is posted, the
author's own review included (``disclosure.own_review``): the page only leaves out the
buttons it would refuse, so nobody is offered an action they cannot take.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.disclosures import policies, rules
from app.disclosures.models import Disclosure
from app.policy import Actor, can


@dataclass(frozen=True)
class Form:
    name: str  # URL segment: /console/disclosures/<id>/<name>
    label: str
    needs: str  # "write" or "review"


FORMS = (
    Form("update", "修改草稿", "write"),
    Form("submit", "提交审核", "write"),
    Form("approve", "审核通过", "review"),
    Form("return", "退回修改", "review"),
    Form("publish", "公开", "write"),
    Form("correct", "发布更正", "write"),
    Form("discard", "作废", "write"),
)
NAMES = tuple(form.name for form in FORMS)


def _allowed(actor: Actor, disclosure: Disclosure, form: Form) -> bool:
    if form.needs == "review":
        if not can(actor, policies.review_action(disclosure.kind), disclosure.region_path):
            return False
        return form.name != "approve" or disclosure.author_id != actor.user_id
    return can(actor, policies.WRITE, disclosure.region_path)


def offered(actor: Actor, disclosure: Disclosure) -> list[Form]:
    legal = set(rules.allowed_actions(disclosure.status))
    return [form for form in FORMS
            if form.name in legal and _allowed(actor, disclosure, form)]


def own_review_withheld(actor: Actor, disclosure: Disclosure) -> bool:
    """The author holds a review role here, so the page says why no approve button shows."""
    return (disclosure.status == "submitted" and disclosure.author_id == actor.user_id
            and can(actor, policies.review_action(disclosure.kind), disclosure.region_path))
