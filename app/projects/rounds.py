"""Staff run voting rounds: open one for a village or town, and start its next phase early.

Phases follow the round's dates (``rules.phase_at``); starting the next phase early moves
that phase's opening date to now, so the dates stay the one truth everyone reads.
"""

from __future__ import annotations

import datetime as dt

from app.clock import utcnow
from app.db import database
from app.errors import Conflict, InvalidInput
from app.policy import Actor, authorize
from app.projects import rules
from app.projects.changes import audit, save_round
from app.projects.models import ProjectRound
from app.projects.policies import MANAGE
from app.projects.reading import dates_of, load_round_for_staff, phase_of
from app.regions.services import get_region

ROUND_LEVELS = ("village", "town")


def create_round(actor: Actor | None, *, region_id: int, title: str, ballot_type: str,
                 vote_unit: str, budget_fen: int, dates: dict[str, dt.datetime],
                 description: str = "") -> ProjectRound:
    """Open a voting round for a village or a town.

    Cadres (their village) and town admins (their town or a village in it). Raises
    Unauthorized / Forbidden, region.not_found, project.bad_region (not a village or town),
    project.bad_title, project.bad_ballot_type, project.bad_vote_unit, project.bad_budget,
    project.bad_dates. Creates the round; audits project.create_round.
    """
    region = get_region(region_id)
    grant = authorize(actor, MANAGE, region.path)
    if region.level not in ROUND_LEVELS:
        raise InvalidInput("project.bad_region", "微实事按社区(村)或街道(乡镇)组织")
    title = (title or "").strip()
    if not 4 <= len(title) <= 100:
        raise InvalidInput("project.bad_title", "标题应为 4 到 100 个字")
    if ballot_type not in rules.BALLOT_TYPES:
        raise InvalidInput("project.bad_ballot_type", "未知的投票方式")
    if vote_unit not in rules.VOTE_UNITS:
        raise InvalidInput("project.bad_vote_unit", "请选择每户一票或每人一票")
    if not isinstance(budget_fen, int) or not 0 < budget_fen <= rules.MAX_COST_FEN:
        raise InvalidInput("project.bad_budget", "请填写本轮预算（单位：分）")
    rules.check_dates(dates)
    with database.atomic():
        round_ = ProjectRound.create(
            region=region.id, region_path=region.path, title=title,
            description=(description or "").strip(), ballot_type=ballot_type,
            vote_unit=vote_unit, budget_fen=budget_fen, created_by=actor.user_id,
            created_at=utcnow(), **{f: dates[f] for f in rules.BOUNDARIES})
        audit(actor, grant, "create_round", round_, ballot_type=ballot_type,
              vote_unit=vote_unit, budget_fen=budget_fen)
    return round_


def advance_round(actor: Actor | None, round_id: int, *, to_phase: str) -> ProjectRound:
    """Start the round's next phase now, ahead of its date.

    Cadres and town admins in scope. Raises project.round_not_found, Forbidden,
    project.bad_advance (not the next phase), project.result_not_published (the execution
    phase needs a published result), project.changed. Moves one date; audits
    project.advance_round with the phases.
    """
    round_ = load_round_for_staff(actor, round_id)
    grant = authorize(actor, MANAGE, round_.region_path)
    now = utcnow()
    current = phase_of(round_, now)
    changed = rules.advance_dates(dates_of(round_), now, to_phase)
    if to_phase == "execution" and round_.result_published_at is None:
        raise Conflict("project.result_not_published", "请先公布投票结果")
    with database.atomic():
        save_round(round_, {f: changed[f] for f in rules.BOUNDARIES})
        audit(actor, grant, "advance_round", round_, from_phase=current, to_phase=to_phase)
    return round_
