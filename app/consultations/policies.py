"""Who may see and do what with consultations.

Decisions, so residents and staff can hold the software to them:

* A topic belongs to a village or a town. Cadres and town admins in scope manage it: draft,
  open, close, publish the outcome, withdraw, and moderate its comments (``consultation.read``,
  ``consultation.manage``, ``consultation.moderate``). A grid worker's grant covers only a grid,
  never a whole village, so topics are out of their scope.
* Residents whose household lies in the topic's region read it once it is open (and after it
  closes, is decided or withdrawn), comment, report comments and answer the poll. A visitor
  without a household, and a resident of another village, see nothing: out of reach is
  ``consultation.not_found`` and existence is not revealed.
* A comment is shown to the region's residents while visible; its author also sees it when it
  is held, pending review or hidden, with the reason. Staff in scope see every comment.
* Background images are visible to whoever may see the topic.
"""

from __future__ import annotations

from app.consultations import rules
from app.consultations.models import Consultation, ConsultationComment
from app.errors import Forbidden, NotFound, Unauthorized
from app.policy import Actor, can, register
from app.supervision.places import lives_under

STAFF = {"cadre", "town_admin"}
READ = register("consultation.read", STAFF)
MANAGE = register("consultation.manage", STAFF)
MODERATE = register("consultation.moderate", STAFF)


def not_found() -> NotFound:
    return NotFound("consultation.not_found", "找不到该议题")


def comment_not_found() -> NotFound:
    return NotFound("consultation.comment_not_found", "找不到该评论")


def resident(actor: Actor | None) -> Actor:
    """The caller if bound to a household; Unauthorized or consultation.household_required."""
    if actor is None:
        raise Unauthorized()
    if actor.household_id is None or not actor.household_path:
        raise Forbidden("consultation.household_required", "请先绑定您家的住户信息再参与议事")
    return actor


def is_staff_reader(actor: Actor | None, consultation: Consultation) -> bool:
    return can(actor, READ, consultation.region_path)


def lives_in_region(actor: Actor | None, consultation: Consultation) -> bool:
    return lives_under(actor, consultation.region_path)


def can_view(actor: Actor | None, consultation: Consultation) -> bool:
    if is_staff_reader(actor, consultation):
        return True
    return consultation.status in rules.PUBLIC_STATES and lives_in_region(actor, consultation)


def load_visible(actor: Actor | None, consultation_id: int) -> Consultation:
    """The topic if the caller may see it; otherwise consultation.not_found."""
    consultation = Consultation.get_or_none(Consultation.id == consultation_id)
    if consultation is None or not can_view(actor, consultation):
        raise not_found()
    return consultation


def is_author(actor: Actor | None, comment: ConsultationComment) -> bool:
    return actor is not None and comment.author_id == actor.user_id


def can_view_comment(actor: Actor | None, comment: ConsultationComment,
                     consultation: Consultation) -> bool:
    if is_staff_reader(actor, consultation) or is_author(actor, comment):
        return can_view(actor, consultation)
    return comment.status == "visible" and can_view(actor, consultation)


def _may_view_media(actor: Actor, target: str) -> bool:
    _, _, raw_id = target.partition(":")
    consultation = (Consultation.get_or_none(Consultation.id == int(raw_id))
                    if raw_id.isdigit() else None)
    return consultation is not None and can_view(actor, consultation)


def register_media_visibility() -> None:
    from app.media.policies import register_visibility

    register_visibility("consultation", _may_view_media)


register_media_visibility()
