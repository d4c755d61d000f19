"""After the vote: staff record milestones (with photos) and spending lines of selected
projects and mark them completed; residents of the region rate a completed project, once.
"""

from __future__ import annotations

import datetime as dt

import peewee

from app.clock import utcnow
from app.content import SCENE_COMMENT, ContentChecker, WordListChecker, screen_text
from app.db import database
from app.errors import Conflict, InvalidInput, NotFound
from app.policy import Actor, authorize
from app.projects import rules
from app.projects.changes import apply_action, audit
from app.projects.models import Project, ProjectMilestone, ProjectRating, ProjectSpending
from app.projects.policies import MANAGE
from app.projects.reading import get_project, load_for_staff, phase_of
from app.projects.services import openid_of, resident_round
from app.wishes.services import name_for_wall

UNDER_WAY = ("selected", "completed")
VOUCHER_MAX, SPENDING_NOTE_MAX = 40, 200


def _running(actor: Actor | None, project_id: int):
    project, round_ = load_for_staff(actor, project_id)
    grant = authorize(actor, MANAGE, round_.region_path)
    if project.status not in UNDER_WAY:
        raise Conflict("project.not_selected", "只有入选实施的项目才能记录进展和支出")
    return project, round_, grant


def add_milestone(actor: Actor | None, project_id: int, *, note: str, happened_on: dt.date,
                  photo_ids: tuple[int, ...] = ()) -> ProjectMilestone:
    """Record a step of a selected project, with the staff member's uploaded photos.

    Cadres and town admins in scope. Raises project.not_found, Forbidden,
    project.not_selected, project.note_required, project.too_many_photos, media.* errors.
    Creates the milestone and attaches its photos (``project_milestone:<id>``); audits
    project.add_milestone.
    """
    project, round_, grant = _running(actor, project_id)
    note = rules.check_reason(note, "project.note_required", "请填写进展说明")
    if len(photo_ids) > rules.MAX_PHOTOS:
        raise InvalidInput("project.too_many_photos", f"最多上传 {rules.MAX_PHOTOS} 张照片")
    with database.atomic():
        milestone = ProjectMilestone.create(project=project.id, note=note,
                                            happened_on=happened_on,
                                            created_by=actor.user_id, created_at=utcnow())
        if photo_ids:
            from app.media.services import attach_media

            attach_media(actor, list(photo_ids), f"project_milestone:{milestone.id}",
                         limit=rules.MAX_PHOTOS)
        audit(actor, grant, "add_milestone", round_, project=project,
              milestone_id=milestone.id, photos=len(photo_ids))
    return milestone


def add_spending(actor: Actor | None, project_id: int, *, amount_fen: int, note: str,
                 spent_on: dt.date, voucher_no: str = "") -> ProjectSpending:
    """Record a spending line (fen) of a selected project, optionally with a voucher number.

    Cadres and town admins in scope. Raises project.not_found, Forbidden,
    project.not_selected, project.bad_amount, project.note_required, project.bad_voucher.
    Creates the line; audits project.add_spending with the amount.
    """
    project, round_, grant = _running(actor, project_id)
    if not isinstance(amount_fen, int) or not 0 < amount_fen <= rules.MAX_COST_FEN:
        raise InvalidInput("project.bad_amount", "请填写支出金额（单位：分）")
    note = rules.check_reason(note, "project.note_required", "请填写支出用途")
    if len(note) > SPENDING_NOTE_MAX:
        raise InvalidInput("project.note_required", f"用途不超过 {SPENDING_NOTE_MAX} 个字")
    voucher_no = (voucher_no or "").strip()
    if len(voucher_no) > VOUCHER_MAX:
        raise InvalidInput("project.bad_voucher", f"凭证号不超过 {VOUCHER_MAX} 个字符")
    with database.atomic():
        line = ProjectSpending.create(project=project.id, amount_fen=amount_fen, note=note,
                                      voucher_no=voucher_no, spent_on=spent_on,
                                      created_by=actor.user_id, created_at=utcnow())
        audit(actor, grant, "add_spending", round_, project=project, spending_id=line.id,
              amount_fen=amount_fen)
    return line


def complete_project(actor: Actor | None, project_id: int) -> Project:
    """Mark a selected project completed, opening it to residents' ratings.

    Cadres and town admins in scope, in the execution or acceptance phase. Raises
    project.not_found, Forbidden, project.wrong_phase, project.illegal_transition,
    project.changed. Audits project.complete.
    """
    project, round_ = load_for_staff(actor, project_id)
    grant = authorize(actor, MANAGE, round_.region_path)
    now = utcnow()
    rules.require_phase(phase_of(round_, now), ("execution", "acceptance"),
                        "项目实施或验收阶段才能标记完工")
    with database.atomic():
        apply_action(project, "complete", {"completed_at": now})
        audit(actor, grant, "complete", round_, project=project)
    return project


def rate_project(actor: Actor | None, project_id: int, *, score: int, comment: str = "",
                 checker: ContentChecker | None = None,
                 openid: str | None = None) -> ProjectRating:
    """A verified resident of the round's region rates a completed project, once.

    Raises Unauthorized, project.household_required, project.not_found (not visible, or the
    resident lives elsewhere), project.not_completed, project.bad_score, content.risky,
    project.already_rated. A comment the content check holds is shown only to the rater and
    staff. Creates the rating.
    """
    project = get_project(actor, project_id)
    try:
        actor, _ = resident_round(actor, project.round_id)
    except NotFound as exc:  # a proposer who moved away sees their project but may not rate
        raise Conflict("project.not_resident", "只有本区域的居民可以评价") from exc
    if project.status != "completed":
        raise Conflict("project.not_completed", "项目完工后才能评价")
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise InvalidInput("project.bad_score", "请打 1 到 5 分")
    comment = (comment or "").strip()
    if len(comment) > rules.NOTE_MAX:
        raise InvalidInput("project.bad_comment", f"评价不超过 {rules.NOTE_MAX} 个字")
    if ProjectRating.select().where((ProjectRating.project == project.id)
                                    & (ProjectRating.user == actor.user_id)).exists():
        raise Conflict("project.already_rated", "您已经评价过这个项目了")
    held = bool(comment) and screen_text(checker or WordListChecker(), comment,
                                         openid=openid_of(actor, openid), scene=SCENE_COMMENT)
    name = name_for_wall(actor.user_id, actor.household_id)
    try:
        with database.atomic():
            return ProjectRating.create(project=project.id, user=actor.user_id,
                                        rater_name=name, score=score, comment=comment,
                                        comment_held=held, created_at=utcnow())
    except peewee.IntegrityError as exc:
        raise Conflict("project.already_rated", "您已经评价过这个项目了") from exc
