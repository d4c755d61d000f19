"""Residents' questions and objections on published disclosures, and staff's published answers.

A resident of the disclosure's place asks (提问) or objects (异议); staff see who asked, the
public never does. The answer is published: staff give the question's public wording (the
resident's text with any personal details left out) and the answer, which residents then read
under the disclosure, and which is appended to the town's transparency log.
"""

from __future__ import annotations

from app.accounts.models import User
from app.audit.services import record
from app.clock import iso, utcnow
from app.content import ContentChecker, WordListChecker, screen_text
from app.db import database
from app.disclosures import policies, rules
from app.disclosures.models import Disclosure, DisclosureQuestion
from app.disclosures.publication import ANSWER_RECORD_TYPE
from app.errors import Conflict, InvalidInput, NotFound, Unauthorized
from app.notifications.services import enqueue
from app.policy import Actor, authorize, can, require_any_scope
from app.supervision.places import lives_under, narrow_scope, scope_condition, staff_with_roles


def _question_not_found() -> NotFound:
    return NotFound("disclosure.question_not_found", "找不到该提问")


def ask_question(actor: Actor | None, disclosure_id: int, *, kind: str, text: str,
                 checker: ContentChecker | None = None,
                 openid: str | None = None) -> DisclosureQuestion:
    """A resident of the disclosure's village (or town) asks a question or objects.

    Residents bound to a household there; the disclosure must be published. Raises
    Unauthorized, disclosure.not_found, disclosure.bad_question_kind / bad_question,
    content.risky. Creates the question and tells the cadres and town admins in scope.
    """
    if actor is None:
        raise Unauthorized()
    disclosure = Disclosure.get_or_none(Disclosure.id == disclosure_id)
    if (disclosure is None or disclosure.status != "published"
            or not lives_under(actor, disclosure.region_path)):
        raise NotFound("disclosure.not_found", "找不到该公开事项")
    kind, text = rules.check_question(kind, text)
    if openid is None:
        openid = User.select(User.openid).where(User.id == actor.user_id).scalar()
    screen_text(checker or WordListChecker(), text, openid=openid)
    with database.atomic():
        question = DisclosureQuestion.create(
            disclosure=disclosure.id, region_path=disclosure.region_path, asker=actor.user_id,
            kind=kind, text=text, created_at=utcnow())
        for user_id in staff_with_roles(disclosure.region_path, {"cadre", "town_admin"}):
            enqueue(channel="staff", recipient_user_id=user_id, kind="disclosure.question",
                    title=f"居民{rules.QUESTION_KIND_NAMES[kind]}待答复", body=disclosure.title,
                    page=f"/console/disclosure-questions/{question.id}",
                    dedupe_key=f"disclosure_question:{question.id}:user:{user_id}")
    return question


def answer_question(actor: Actor | None, question_id: int, *, answer: str,
                    public_question: str | None = None) -> DisclosureQuestion:
    """Answer a question or objection and publish the answer.

    Cadres and town admins in scope. ``public_question`` is the wording shown publicly
    (default: the resident's text; give it to leave out personal details). Raises
    disclosure.question_not_found, Forbidden, disclosure.bad_answer / bad_public_question,
    disclosure.already_answered. Appends the answer to the town's transparency log, tells the
    asker in the inbox, audits disclosure.answer (ids only).
    """
    require_any_scope(actor, policies.ANSWER)
    question = DisclosureQuestion.get_or_none(DisclosureQuestion.id == question_id)
    if question is None or not can(actor, policies.ANSWER, question.region_path):
        raise _question_not_found()
    grant = authorize(actor, policies.ANSWER, question.region_path)
    answer, public = rules.check_answer(answer, public_question or question.text)
    now = utcnow()
    with database.atomic():
        won = (DisclosureQuestion.update(status="answered", answer=answer,
                                         public_question=public, answered_by=actor.user_id,
                                         answered_at=now)
               .where((DisclosureQuestion.id == question.id)
                      & (DisclosureQuestion.status == "open")).execute())
        if won != 1:
            raise Conflict("disclosure.already_answered", "该提问已经答复")
        question = DisclosureQuestion.get_by_id(question.id)
        disclosure = Disclosure.get_by_id(question.disclosure_id)
        from app.transparency.services import append_record

        append_record(disclosure.town_id, ANSWER_RECORD_TYPE, question.id, {
            "disclosure": disclosure.id, "kind": question.kind, "question": public,
            "answer": answer, "answered_at": iso(now)}, now=now)
        enqueue(channel="in_app", recipient_user_id=question.asker_id, kind="disclosure.answered",
                title="您的提问已答复", body=disclosure.title,
                page=f"pages/disclosures/detail?id={disclosure.id}",
                dedupe_key=f"disclosure_question:{question.id}:answered")
        record(actor=actor, grant=grant, action="disclosure.answer",
               object_type="disclosure_question", object_id=question.id,
               region_path=question.region_path, summary={"disclosure": disclosure.id})
    return question


def my_questions_query(actor: Actor | None):
    """The caller's own questions, for keyset paging by id. Any logged-in user."""
    if actor is None:
        raise Unauthorized()
    return DisclosureQuestion.select().where(DisclosureQuestion.asker == actor.user_id)


def staff_questions_query(actor: Actor | None, *, status: str | None = None,
                          region_id: int | None = None):
    """Questions on disclosures in the caller's reading scope, for keyset paging by id.

    Supervising staff. Raises Unauthorized/Forbidden, region.not_found,
    disclosure.bad_status. Changes nothing.
    """
    paths = narrow_scope(require_any_scope(actor, policies.READ), region_id)
    query = DisclosureQuestion.select().where(
        scope_condition(paths, DisclosureQuestion.region_path))
    if status is not None:
        if status not in ("open", "answered"):
            raise InvalidInput("disclosure.bad_status", "未知的提问状态")
        query = query.where(DisclosureQuestion.status == status)
    return query
