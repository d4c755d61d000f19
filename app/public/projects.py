"""Published 微实事 vote results for the public pages: the rounds of a village (and of its
town) whose result was published, and one round's standings. Anyone; no login.

A published result is 四议两公开's "决议公开": the counts, the budget, what was selected and
every override with its reason are meant for everyone, like the paper board. Shown are the
stored counts that ``app.projects.voting.publish_result`` froze (nothing is recounted here),
the same fields ``voting.result_of`` gives residents — never a proposer or a voter.
"""

from __future__ import annotations

from app.accounts.models import ROLE_NAMES
from app.errors import NotFound
from app.projects.models import Project, ProjectRound, ResultOverride
from app.regions.models import Region


def published_rounds_query(village: Region):
    """Rounds of the village and of its town with a published result, for keyset paging by
    id. Anyone. Reads only."""
    return ProjectRound.select().where(
        ProjectRound.region.in_([village.id, village.parent_id])
        & ProjectRound.result_published_at.is_null(False))


def round_result(round_id: int) -> dict:
    """The published result of a round: the round, its standings in rank order, the cost of
    the selection and the overrides. Anyone. Raises NotFound project.round_not_found (also
    while the result is unpublished: it does not exist for the public). Reads only."""
    round_ = (ProjectRound.select(ProjectRound, Region)
              .join(Region, on=(ProjectRound.region == Region.id))
              .where((ProjectRound.id == round_id)
                     & ProjectRound.result_published_at.is_null(False)).first())
    if round_ is None:
        raise NotFound("project.round_not_found", "找不到该轮微实事或结果尚未公布")
    standings = list(Project.select(Project.id, Project.title, Project.kind,
                                    Project.estimated_cost_fen, Project.vote_count,
                                    Project.rank, Project.status, Project.computed_selected)
                     .where((Project.round == round_.id) & Project.rank.is_null(False))
                     .order_by(Project.rank))
    titles = {p.id: p.title for p in standings}
    overrides = [{"title": titles.get(o.project_id, ""), "selected": o.selected,
                  "reason": o.reason, "role": ROLE_NAMES.get(o.actor_role, o.actor_role),
                  "at": o.at}
                 for o in ResultOverride.select().where(ResultOverride.round == round_.id)
                 .order_by(ResultOverride.id)]
    chosen = [p for p in standings if p.status in ("selected", "completed")]
    return {"round": round_, "standings": standings, "overrides": overrides,
            "selected_cost_fen": sum(p.estimated_cost_fen for p in chosen),
            "max_votes": max([p.vote_count or 0 for p in standings] or [0])}
