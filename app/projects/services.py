"""What residents do with 微实事 proposals: propose one. (Voting is in ``voting.py``, rating
in ``execution.py``, staff review in ``review.py``.)"""

from __future__ import annotations

from app.accounts.models import User
from app.clock import utcnow
from app.content import ContentChecker, WordListChecker, screen_text
from app.db import database
from app.policy import Actor
from app.projects import policies, rules
from app.projects.models import Project, ProjectRound
from app.projects.reading import phase_of, require_resident
from app.wishes.services import name_for_wall


def openid_of(actor: Actor, openid: str | None) -> str | None:
    return openid or User.select(User.openid).where(User.id == actor.user_id).scalar()


def resident_round(actor: Actor | None, round_id: int) -> tuple[Actor, ProjectRound]:
    """The round for a resident acting in it: project.household_required for a visitor,
    project.round_not_found for a round outside their region (existence is not revealed)."""
    actor = require_resident(actor)
    round_ = ProjectRound.get_or_none(ProjectRound.id == round_id)
    if round_ is None or not policies.lives_in(actor, round_):
        raise policies.round_not_found()
    return actor, round_


def propose_project(actor: Actor | None, round_id: int, *, kind: str, title: str,
                    description: str, location: str, estimated_cost_fen: int,
                    checker: ContentChecker | None = None,
                    openid: str | None = None) -> Project:
    """A verified resident of the round's region proposes a project while proposals are open.

    Raises Unauthorized, project.household_required, project.round_not_found,
    project.wrong_phase, project.bad_kind / bad_title / bad_description / bad_location /
    bad_cost, content.risky. Text the content check holds is marked ``held_for_review`` for
    the reviewer. Creates the proposal (status proposed) with the proposer's masked name.
    """
    actor, round_ = resident_round(actor, round_id)
    now = utcnow()
    rules.require_phase(phase_of(round_, now), ("proposal",), "现在不是征集提议阶段")
    title, description, location = rules.check_proposal(kind, title, description, location,
                                                        estimated_cost_fen)
    held = screen_text(checker or WordListChecker(), f"{title}\n{description}\n{location}",
                       openid=openid_of(actor, openid))
    name = name_for_wall(actor.user_id, actor.household_id)
    with database.atomic():
        return Project.create(
            round=round_.id, region_path=round_.region_path, proposer=actor.user_id,
            proposer_name=name, household=actor.household_id, kind=kind, title=title,
            description=description, location=location,
            estimated_cost_fen=estimated_cost_fen, held_for_review=held, created_at=now)
