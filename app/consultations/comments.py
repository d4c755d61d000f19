"""Comments on a topic: residents write and report them; staff hide and restore them.

A comment passes the content check (risky text is refused, text held for review is kept
``held`` until staff decide). Each resident reports a comment at most once (a unique pair);
``rules.REPORTS_TO_HIDE`` reports from distinct residents hide it pending staff review, by one
conditional update, so concurrent reports hide it exactly once. Staff decisions are audited with
ids only; the reason stays on the comment, where its author reads it.
"""

from __future__ import annotations

from app.accounts.models import HouseholdBinding, User
from app.audit.services import record
from app.clock import utcnow
from app.consultations import notify, policies, rules
from app.consultations.models import Consultation, ConsultationComment, ConsultationReport
from app.consultations.topics import load_for_staff
from app.content import SCENE_COMMENT, ContentChecker, WordListChecker, screen_text
from app.db import database
from app.errors import Conflict, Forbidden, InvalidInput
from app.policy import Actor, authorize, can, require_any_scope
from app.supervision.places import narrow_scope, scope_condition, staff_with_roles
from app.wishes.rules import mask_name


def author_name(user_id: int, household_id: int | None) -> str:
    """The masked name of a commenter: their approved binding's real name, else nickname."""
    binding = (HouseholdBinding.select(HouseholdBinding.real_name)
               .where((HouseholdBinding.user == user_id)
                      & (HouseholdBinding.household == household_id)
                      & (HouseholdBinding.status == "approved"))
               .order_by(HouseholdBinding.id.desc()).first()) if household_id else None
    return mask_name(binding.real_name if binding else User.get_by_id(user_id).display_name)


def _participant(actor: Actor | None, consultation_id: int) -> tuple[Actor, Consultation]:
    actor = policies.resident(actor)
    consultation = policies.load_visible(actor, consultation_id)
    if not policies.lives_in_region(actor, consultation):
        raise Forbidden("consultation.outside_region", "只有本议题所在区域的居民可以参与")
    return actor, consultation


def create_comment(actor: Actor | None, consultation_id: int, *, content: str,
                   checker: ContentChecker | None = None,
                   openid: str | None = None) -> ConsultationComment:
    """A resident of the topic's region comments while it is open.

    Raises Unauthorized, consultation.household_required, consultation.not_found,
    consultation.outside_region (staff who can see the topic but live elsewhere),
    consultation.not_open, consultation.bad_comment, content.risky. Text the check holds is
    stored ``held``: only its author and staff see it until staff restore it.
    """
    actor, consultation = _participant(actor, consultation_id)
    now = utcnow()
    if not rules.may_answer(consultation.status, consultation.closes_at, now):
        raise Conflict("consultation.not_open", "议题不在议事期内，不能发表评论")
    content = rules.check_text(content, "consultation.bad_comment", "请写下您的意见",
                               maximum=rules.COMMENT_MAX)
    openid = openid or User.select(User.openid).where(User.id == actor.user_id).scalar()
    held = screen_text(checker or WordListChecker(), content, openid=openid,
                       scene=SCENE_COMMENT)
    name = author_name(actor.user_id, actor.household_id)
    with database.atomic():
        return ConsultationComment.create(
            consultation=consultation.id, region_path=consultation.region_path,
            author=actor.user_id, author_name=name, content=content,
            status="held" if held else "visible", created_at=now)


def report_comment(actor: Actor | None, comment_id: int, *,
                   reason: str = "") -> ConsultationComment:
    """A resident of the region reports a visible comment of somebody else, once.

    The report that makes ``rules.REPORTS_TO_HIDE`` distinct residents hides the comment
    pending review (audited as a system action) and tells the staff who moderate there.
    Raises Unauthorized, consultation.household_required, consultation.comment_not_found,
    consultation.outside_region, consultation.own_comment, consultation.already_reported,
    consultation.bad_reason. Writes one report and the comment's count.
    """
    actor = policies.resident(actor)
    comment = ConsultationComment.get_or_none(ConsultationComment.id == comment_id)
    consultation = comment and Consultation.get_or_none(Consultation.id == comment.consultation_id)
    if comment is None or comment.status != "visible" or consultation is None \
            or not policies.can_view_comment(actor, comment, consultation):
        raise policies.comment_not_found()
    if not policies.lives_in_region(actor, consultation):
        raise Forbidden("consultation.outside_region", "只有本议题所在区域的居民可以举报")
    if policies.is_author(actor, comment):
        raise Forbidden("consultation.own_comment", "不能举报自己的评论")
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise InvalidInput("consultation.bad_reason", "举报理由不超过 200 个字")
    now = utcnow()
    with database.atomic():
        added = (ConsultationReport.insert(comment=comment.id, reporter=actor.user_id,
                                           reason=reason, created_at=now)
                 .on_conflict_ignore().as_rowcount().execute())
        if not added:
            raise Conflict("consultation.already_reported", "您已经举报过这条评论")
        (ConsultationComment.update(report_count=ConsultationComment.report_count + 1)
         .where(ConsultationComment.id == comment.id).execute())
        hidden = (ConsultationComment.update(status="pending_review",
                                             version=ConsultationComment.version + 1)
                  .where((ConsultationComment.id == comment.id)
                         & (ConsultationComment.status == "visible")
                         & (ConsultationComment.reviewed == False)  # noqa: E712
                         & (ConsultationComment.report_count >= rules.REPORTS_TO_HIDE))
                  .execute())
        if hidden:
            record(actor=None, grant=None, action="consultation.comment_auto_hide",
                   object_type="consultation_comment", object_id=comment.id,
                   region_path=consultation.region_path, region_id=consultation.region_id,
                   summary={"consultation": consultation.id})
            notify.comment_reported(consultation, comment, staff_with_roles(
                consultation.region_path, set(policies.STAFF)))
    return ConsultationComment.get_by_id(comment.id)


def _load_for_moderation(actor: Actor | None, comment_id: int):
    require_any_scope(actor, policies.MODERATE)
    comment = ConsultationComment.get_or_none(ConsultationComment.id == comment_id)
    if comment is None or not can(actor, policies.MODERATE, comment.region_path):
        raise policies.comment_not_found()
    return comment, Consultation.get_by_id(comment.consultation_id)


def _moderate(actor, comment, consultation, action: str, reason: str):
    grant = authorize(actor, policies.MODERATE, consultation.region_path)
    target = rules.next_comment_state(comment.status, action)
    now = utcnow()
    values = {"status": target, "hidden_reason": reason, "reviewed": True,
              "moderated_by": actor.user_id, "moderated_at": now,
              "version": comment.version + 1}
    with database.atomic():
        updated = (ConsultationComment.update(
            {getattr(ConsultationComment, k): v for k, v in values.items()})
            .where((ConsultationComment.id == comment.id)
                   & (ConsultationComment.version == comment.version)).execute())
        if updated != 1:
            raise Conflict("consultation.comment_changed", "该评论刚被其他人处理过，请刷新后再试")
        previous = comment.status
        for key, value in values.items():
            setattr(comment, key, value)
        record(actor=actor, grant=grant, action=f"consultation.comment_{action}",
               object_type="consultation_comment", object_id=comment.id,
               region_path=consultation.region_path, region_id=consultation.region_id,
               summary={"consultation": consultation.id, "from_status": previous})
        if action == "hide":
            notify.comment_hidden(consultation, comment, reason)
    return comment


def hide_comment(actor: Actor | None, comment_id: int, *, reason: str) -> ConsultationComment:
    """Hide a comment (visible, held or pending review) with a reason its author is shown.

    Cadres and town admins in scope. Raises Forbidden, consultation.comment_not_found,
    consultation.reason_required, consultation.comment_illegal_transition,
    consultation.comment_changed. Audits consultation.comment_hide; tells the author.
    """
    comment, consultation = _load_for_moderation(actor, comment_id)
    reason = rules.check_text(reason, "consultation.reason_required", "请说明隐藏评论的理由",
                              maximum=rules.REASON_MAX)
    return _moderate(actor, comment, consultation, "hide", reason)


def restore_comment(actor: Actor | None, comment_id: int) -> ConsultationComment:
    """Show a held, reported or hidden comment again; its reports count as reviewed.

    Cadres and town admins in scope. Raises Forbidden, consultation.comment_not_found,
    consultation.comment_illegal_transition, consultation.comment_changed. Audits
    consultation.comment_restore.
    """
    comment, consultation = _load_for_moderation(actor, comment_id)
    return _moderate(actor, comment, consultation, "restore", "")


# -- lists (unevaluated queries, for keyset paging by id) -------------------------------------

def public_comments_query(actor: Actor | None, consultation_id: int):
    """Comments a resident reads on a topic: the visible ones and their own (whatever state).
    Raises consultation.household_required, consultation.not_found. Changes nothing."""
    actor = policies.resident(actor)
    consultation = policies.load_visible(actor, consultation_id)
    return (ConsultationComment.select()
            .where((ConsultationComment.consultation == consultation.id)
                   & ((ConsultationComment.status == "visible")
                      | (ConsultationComment.author == actor.user_id))))


def staff_comments_query(actor: Actor | None, consultation_id: int, *,
                         status: str | None = None):
    """Every comment of a topic in scope, optionally of one status. Raises Forbidden,
    consultation.not_found, consultation.bad_status. Changes nothing."""
    consultation = load_for_staff(actor, consultation_id)
    query = ConsultationComment.select().where(
        ConsultationComment.consultation == consultation.id)
    return _with_status(query, status)


def moderation_queue(actor: Actor | None, *, status: str = "pending_review",
                     region_id: int | None = None):
    """Comments of one status (default: hidden by reports, waiting for review) across the
    caller's scope. Raises Forbidden, consultation.bad_status, region.not_found."""
    paths = narrow_scope(require_any_scope(actor, policies.MODERATE), region_id)
    query = ConsultationComment.select().where(
        scope_condition(paths, ConsultationComment.region_path))
    return _with_status(query, status)


def _with_status(query, status: str | None):
    if status is None:
        return query
    if status not in rules.COMMENT_STATES:
        raise InvalidInput("consultation.bad_status", "未知的评论状态")
    return query.where(ConsultationComment.status == status)
