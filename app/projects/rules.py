"""Pure rules of 微实事 projects: kinds, the project state machine, the round's phases, input
checks and the counting of ballots (``tally``). No database, no clock: ``now`` is passed in.

Phases are a pure function of the round's dates (``phase_at``). That is the one source of
truth: a resident, a cadre and a test reading the same dates at the same instant see the same
phase, and nothing has to "run" for voting to open or close on time. Staff who need to move
early do it by moving the next boundary to now (``advance_dates``), which is audited; they can
never jump over a phase or move one backwards.

Counting (``tally``), the rule residents can check by hand:

1. Each ballot counts one vote for every distinct accepted project on it (ids that are not
   candidates are ignored; a project twice on one ballot counts once).
2. Projects are ranked by votes (most first); a tie is broken by the lower estimated cost
   (more of the budget is left for others), then by the lower project id (proposed earlier).
3. Going down the ranking, a project is selected when its cost fits what is left of the
   budget; one that does not fit is skipped and the next is tried (greedy in rank order).
   A project without a single vote is never selected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.errors import Conflict, InvalidInput

KINDS = ("service", "goods", "works")
KIND_NAMES = {"service": "服务类", "goods": "货物类", "works": "工程类"}
BALLOT_TYPES = ("approval", "budget")
BALLOT_TYPE_NAMES = {"approval": "赞成投票（可选任意个项目）",
                     "budget": "预算内选择（所选项目总额不超过预算）"}
VOTE_UNITS = ("household", "resident")
VOTE_UNIT_NAMES = {"household": "每户一票", "resident": "每人一票"}

# -- the project state machine ------------------------------------------------------------------

STATES = ("proposed", "accepted", "merged", "rejected", "selected", "not_selected",
          "completed")
STATE_NAMES = {"proposed": "待审核", "accepted": "已入选候选", "merged": "已合并",
               "rejected": "未通过审核", "selected": "已入选实施", "not_selected": "未入选",
               "completed": "已完工"}
# Shown to residents of the round's region.
PUBLIC_STATES = frozenset({"accepted", "selected", "not_selected", "completed"})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    label: str


TRANSITIONS: dict[str, Transition] = {
    "accept": Transition(frozenset({"proposed"}), "accepted", "审核通过，成为投票候选项目"),
    "merge": Transition(frozenset({"proposed"}), "merged", "与相近的提议合并"),
    "reject": Transition(frozenset({"proposed"}), "rejected", "审核未通过"),
    "select": Transition(frozenset({"accepted"}), "selected", "按投票结果入选"),
    "not_select": Transition(frozenset({"accepted"}), "not_selected", "按投票结果未入选"),
    "override_select": Transition(frozenset({"not_selected"}), "selected",
                                  "工作人员调整结果：入选"),
    "override_deselect": Transition(frozenset({"selected"}), "not_selected",
                                    "工作人员调整结果：不入选"),
    "complete": Transition(frozenset({"selected"}), "completed", "项目已完工"),
}


def next_state(current: str, action: str) -> str:
    """The status after ``action``; project.illegal_transition when the table forbids it."""
    transition = TRANSITIONS.get(action)
    if transition is None or current not in transition.sources:
        raise Conflict("project.illegal_transition",
                       f"项目当前状态（{STATE_NAMES.get(current, current)}）不能进行此操作",
                       {"state": current, "action": action})
    return transition.target


# -- phases of a round --------------------------------------------------------------------------

PHASES = ("scheduled", "proposal", "review", "voting", "result", "execution", "acceptance",
          "closed")
PHASE_NAMES = {"scheduled": "未开始", "proposal": "征集提议", "review": "审核提议",
               "voting": "投票中", "result": "结果公示", "execution": "项目实施",
               "acceptance": "验收评价", "closed": "已结束"}
# The date at which each phase after "scheduled" begins, in order.
BOUNDARIES = ("proposal_opens_at", "review_opens_at", "voting_opens_at", "voting_closes_at",
              "execution_opens_at", "acceptance_opens_at", "closes_at")


def phase_at(dates: Mapping[str, dt.datetime], now: dt.datetime) -> str:
    """The phase at ``now``: the last phase whose opening date is at or before ``now``."""
    phase = "scheduled"
    for name, field in zip(PHASES[1:], BOUNDARIES, strict=True):
        if dates[field] <= now:
            phase = name
    return phase


def check_dates(dates: Mapping[str, dt.datetime]) -> None:
    """Raise project.bad_dates unless every boundary is given and strictly after the last."""
    previous = None
    for field in BOUNDARIES:
        value = dates.get(field)
        if value is None:
            raise InvalidInput("project.bad_dates", "请填写每个阶段的开始时间", {"field": field})
        if previous is not None and value <= previous:
            raise InvalidInput("project.bad_dates", "各阶段时间须依次递增", {"field": field})
        previous = value


def advance_dates(dates: Mapping[str, dt.datetime], now: dt.datetime,
                  to_phase: str) -> dict[str, dt.datetime]:
    """The dates after starting ``to_phase`` now. Only the phase right after the current one
    may be started (project.bad_advance otherwise); later dates are untouched, and they are
    all after ``now`` because the current phase had not ended."""
    current = phase_at(dates, now)
    if to_phase not in PHASES or PHASES.index(to_phase) != PHASES.index(current) + 1:
        raise Conflict("project.bad_advance",
                       f"当前阶段（{PHASE_NAMES[current]}）只能进入下一阶段",
                       {"phase": current, "to_phase": to_phase})
    changed = dict(dates)
    changed[BOUNDARIES[PHASES.index(to_phase) - 1]] = now
    return changed


def require_phase(phase: str, allowed: Iterable[str], message: str) -> None:
    """Raise project.wrong_phase unless ``phase`` is one of ``allowed``."""
    allowed = tuple(allowed)
    if phase not in allowed:
        raise Conflict("project.wrong_phase",
                       f"{message}（当前阶段：{PHASE_NAMES.get(phase, phase)}）",
                       {"phase": phase, "allowed": list(allowed)})


# -- what people write --------------------------------------------------------------------------

TITLE_MIN, TITLE_MAX = 4, 60
DESCRIPTION_MIN, DESCRIPTION_MAX = 10, 2000
LOCATION_MAX = 120
NOTE_MAX = 500
MAX_COST_FEN = 100_000_000_00  # one hundred million yuan: a typo guard, not a policy
MAX_PHOTOS = 9


def check_proposal(kind: str, title: str, description: str, location: str,
                   estimated_cost_fen: int) -> tuple[str, str, str]:
    if kind not in KINDS:
        raise InvalidInput("project.bad_kind", "请选择项目类别（服务、货物或工程）")
    title, description = (title or "").strip(), (description or "").strip()
    location = (location or "").strip()
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise InvalidInput("project.bad_title", f"标题应为 {TITLE_MIN} 到 {TITLE_MAX} 个字")
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        raise InvalidInput("project.bad_description",
                           f"项目说明应为 {DESCRIPTION_MIN} 到 {DESCRIPTION_MAX} 个字")
    if not location or len(location) > LOCATION_MAX:
        raise InvalidInput("project.bad_location", "请填写项目地点")
    if not isinstance(estimated_cost_fen, int) or not 0 < estimated_cost_fen <= MAX_COST_FEN:
        raise InvalidInput("project.bad_cost", "请填写合理的预估费用（单位：分）")
    return title, description, location


def check_reason(reason: str | None, code: str, message: str) -> str:
    """A required written reason (override, rejection): non-blank, at most NOTE_MAX chars."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(code, message)
    if len(reason) > NOTE_MAX:
        raise InvalidInput(code, f"理由不超过 {NOTE_MAX} 个字")
    return reason


def check_ballot(ballot_type: str, budget_fen: int, choice_ids: Iterable[int],
                 costs: Mapping[int, int]) -> list[int]:
    """The distinct chosen ids, checked against the candidates' ``costs``.

    Raises project.empty_ballot, project.not_candidate (an id that is not an accepted project
    of this round) and, for budget ballots, project.over_budget (total above the budget;
    a total exactly equal to the budget fits).
    """
    chosen = list(dict.fromkeys(int(i) for i in choice_ids))
    if not chosen:
        raise InvalidInput("project.empty_ballot", "请至少选择一个项目")
    unknown = [i for i in chosen if i not in costs]
    if unknown:
        raise InvalidInput("project.not_candidate", "所选项目不在本轮投票候选中",
                           {"project_ids": unknown})
    if ballot_type == "budget":
        total = sum(costs[i] for i in chosen)
        if total > budget_fen:
            raise InvalidInput("project.over_budget", "所选项目的预估总额超过了本轮预算",
                               {"total_fen": total, "budget_fen": budget_fen})
    return chosen


# -- counting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    id: int
    cost_fen: int


@dataclass(frozen=True)
class Standing:
    project_id: int
    votes: int
    rank: int          # 1-based position in the ranking
    selected: bool


@dataclass(frozen=True)
class Tally:
    standings: tuple[Standing, ...]   # in rank order
    ballots: int
    selected_cost_fen: int

    @property
    def winners(self) -> list[int]:
        return [s.project_id for s in self.standings if s.selected]

    @property
    def counts(self) -> dict[int, int]:
        return {s.project_id: s.votes for s in self.standings}


def tally(candidates: Iterable[Candidate], ballots: Iterable[Iterable[int]],
          budget_fen: int) -> Tally:
    """Count ``ballots`` for ``candidates`` and select winners within ``budget_fen``.

    See the module docstring for the rule. The result does not depend on the order of the
    ballots or of the candidates.
    """
    costs = {c.id: c.cost_fen for c in candidates}
    votes = dict.fromkeys(costs, 0)
    count = 0
    for ballot in ballots:
        count += 1
        for project_id in set(ballot):
            if project_id in votes:
                votes[project_id] += 1
    order = sorted(costs, key=lambda i: (-votes[i], costs[i], i))
    left, spent, standings = budget_fen, 0, []
    for position, project_id in enumerate(order, start=1):
        cost = costs[project_id]
        selected = votes[project_id] > 0 and cost <= left
        if selected:
            left -= cost
            spent += cost
        standings.append(Standing(project_id, votes[project_id], position, selected))
    return Tally(tuple(standings), count, spent)
