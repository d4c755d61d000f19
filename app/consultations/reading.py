"""Reading consultations: the residents' list and what each viewer is shown of a topic and of
its comments.

Residents list the topics of their village and of their town (the nodes above their
household), newest first by id. Everyone who may see a topic reads its text, times, outcome,
poll and masked commenter names; staff in scope also see user ids, report counts and held
comments. Nobody is shown a phone number, an address or a commenter's real name here.
"""

from __future__ import annotations

from peewee import fn

from app.clock import utcnow
from app.consultations import policies, poll, rules
from app.consultations.models import Consultation, ConsultationComment, ConsultationReport
from app.errors import InvalidInput
from app.media.models import Media
from app.policy import Actor, can
from app.regions import rules as region_rules
from app.regions.models import Region


def list_query(actor: Actor | None, *, status: str | None = None):
    """Topics residents of the caller's household may read, for keyset paging by id.

    Residents bound to a household only. Raises Unauthorized,
    consultation.household_required, consultation.bad_status. Changes nothing.
    """
    actor = policies.resident(actor)
    nodes = region_rules.path_ids(actor.household_path)
    states = sorted(rules.PUBLIC_STATES)
    if status is not None:
        if status not in rules.PUBLIC_STATES:
            raise InvalidInput("consultation.bad_status", "未知的议题状态")
        states = [status]
    return Consultation.select().where(Consultation.region.in_(nodes)
                                       & Consultation.status.in_(states))


def get_consultation(actor: Actor | None, consultation_id: int) -> Consultation:
    """The topic if the caller may see it (staff in scope, or residents of its region once it
    is open); otherwise consultation.not_found. Changes nothing."""
    return policies.load_visible(actor, consultation_id)


def _photos(target: str) -> list[Media]:
    return list(Media.select().where(Media.attached_to == target)
                .order_by(Media.attached_at, Media.id))


def _visible_comment_counts(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = (ConsultationComment.select(ConsultationComment.consultation,
                                       fn.COUNT(ConsultationComment.id))
            .where(ConsultationComment.consultation.in_(ids)
                   & (ConsultationComment.status == "visible"))
            .group_by(ConsultationComment.consultation).tuples())
    return dict(rows)


def _linked_notice(actor: Actor | None, consultation: Consultation) -> int | None:
    if consultation.notice_id is None:
        return None
    from app.notices.models import Notice
    from app.notices.policies import can_read

    notice = Notice.get_or_none(Notice.id == consultation.notice_id)
    return notice.id if notice is not None and can_read(actor, notice) else None


def actions_for(actor: Actor | None, consultation: Consultation) -> list[str]:
    """The moves ``actor`` may make on the topic now (for the client's buttons)."""
    moves: list[str] = []
    if (policies.lives_in_region(actor, consultation)
            and rules.may_answer(consultation.status, consultation.closes_at, utcnow())):
        moves.append("comment")
        if consultation.poll_mode:
            moves.append("answer")
    if can(actor, policies.MANAGE, consultation.region_path):
        open_moves = rules.allowed_actions(consultation.status)
        moves += [m for m in ("update", "open", "close", "decide", "withdraw")
                  if m in open_moves]
    return moves


def summary(actor: Actor | None, consultation: Consultation,
            comment_count: int | None = None, region: Region | None = None) -> dict:
    region = region or Region.get_by_id(consultation.region_id)
    data = {
        "id": consultation.id, "title": consultation.title,
        "region_id": region.id, "region_name": region.name, "region_level": region.level,
        "status": consultation.status,
        "status_name": rules.STATE_NAMES.get(consultation.status, consultation.status),
        "opens_at": consultation.opens_at, "closes_at": consultation.closes_at,
        "opened_at": consultation.opened_at, "closed_at": consultation.closed_at,
        "decided_at": consultation.decided_at, "has_poll": bool(consultation.poll_mode),
        "comment_count": comment_count if comment_count is not None
        else _visible_comment_counts([consultation.id]).get(consultation.id, 0),
        "withdraw_reason": consultation.withdraw_reason or None,
    }
    if policies.is_staff_reader(actor, consultation):
        data.update(author_user_id=consultation.author_id, version=consultation.version)
    return data


def summaries(actor: Actor | None, consultations: list[Consultation]) -> list[dict]:
    counts = _visible_comment_counts([c.id for c in consultations])
    regions = {r.id: r for r in Region.select().where(
        Region.id.in_({c.region_id for c in consultations} or {0}))}
    return [summary(actor, c, counts.get(c.id, 0), regions[c.region_id])
            for c in consultations]


def detail(actor: Actor | None, consultation: Consultation) -> dict:
    """One topic with its background, images, poll, outcome, links and the open moves."""
    data = summary(actor, consultation)
    data.update(
        background=consultation.background,
        photos=_photos(f"consultation:{consultation.id}"),
        poll=poll.view(actor, consultation),
        outcome=consultation.outcome or None,
        outcome_reason=consultation.outcome_reason or None,
        notice_id=_linked_notice(actor, consultation),
        project_id=consultation.project_id,
        allowed_actions=actions_for(actor, consultation))
    return data


def comment_view(actor: Actor | None, comment: ConsultationComment,
                 consultation: Consultation, reported: set[int] | None = None) -> dict:
    """A comment as ``actor`` sees it: the author's masked name always, the hiding reason to
    the author and staff, user ids and report counts to staff only."""
    mine = policies.is_author(actor, comment)
    staff = policies.is_staff_reader(actor, consultation)
    data = {
        "id": comment.id, "consultation_id": comment.consultation_id,
        "author_name": comment.author_name, "content": comment.content,
        "status": comment.status,
        "status_name": rules.COMMENT_STATE_NAMES.get(comment.status, comment.status),
        "created_at": comment.created_at, "is_mine": mine,
        "reported_by_me": comment.id in (reported or set()),
    }
    if mine or staff:
        data["hidden_reason"] = comment.hidden_reason or None
    if staff:
        data.update(author_user_id=comment.author_id, report_count=comment.report_count,
                    reviewed=comment.reviewed, moderated_at=comment.moderated_at)
    return data


def comment_views(actor: Actor | None, comments: list[ConsultationComment]) -> list[dict]:
    """A page of comments (their topics and the caller's own reports read once)."""
    topics = {c.id: c for c in Consultation.select().where(
        Consultation.id.in_({c.consultation_id for c in comments} or {0}))}
    reported: set[int] = set()
    if actor is not None and comments:
        reported = {row[0] for row in ConsultationReport.select(ConsultationReport.comment)
                    .where(ConsultationReport.comment.in_([c.id for c in comments])
                           & (ConsultationReport.reporter == actor.user_id)).tuples()}
    return [comment_view(actor, c, topics[c.consultation_id], reported) for c in comments]
