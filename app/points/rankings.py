"""Star levels and rankings, read from the maintained tallies — never from the transfers.

A ranking is one (scope column, account kind, period) range of the tally index
``(scope, account_kind, period, points DESC, reached_at, account_id)``: the top list is the
first rows of that range and "my rank" is one COUNT over the part of it at or above my points,
so neither reads more than the range it answers for, however large the table grows.
Order and ties: see :mod:`app.points.rules`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.accounts.models import User
from app.points import rules
from app.points.models import PointsAccount, PointsTally, StarScheme
from app.regions.models import Region

_SCOPE_COLUMNS = {"grid": PointsTally.grid_id, "village": PointsTally.village_id,
                  "town": PointsTally.town_id}


@dataclass(frozen=True)
class Scheme:
    period_kind: str
    thresholds: tuple[int, ...]
    scheme_id: int | None


def scheme_for(account_kind: str, region_path: str) -> Scheme:
    """The latest star scheme of the most specific town or village above ``region_path``,
    else the built-in default."""
    return schemes_for(account_kind, [region_path])[region_path]


def schemes_for(account_kind: str, region_paths: list[str]) -> dict[str, Scheme]:
    """:func:`scheme_for` of several places with one query."""
    scopes = {path: rules.scope_paths(path) for path in region_paths}
    wanted = sorted({scope for paths in scopes.values() for scope in paths})
    rows = list(StarScheme.select().where((StarScheme.account_kind == account_kind)
                                          & StarScheme.scope_path.in_(wanted)))
    period_kind, thresholds = rules.DEFAULT_STARS[account_kind]
    default = Scheme(period_kind, thresholds, None)
    out = {}
    for path, paths in scopes.items():
        fits = [r for r in rows if r.scope_path in paths]
        best = max(fits, key=lambda s: (len(s.scope_path), s.version)) if fits else None
        out[path] = (Scheme(best.period_kind, rules.parse_thresholds(best.thresholds), best.id)
                     if best else default)
    return out


def tallies_of(account_id: int, now: dt.datetime) -> dict[str, int]:
    """Earned points of an account this month, this year and all time."""
    keys = {rules.period_key(kind, now): kind for kind in rules.PERIOD_KINDS}
    found = dict(PointsTally.select(PointsTally.period, PointsTally.points)
                 .where((PointsTally.account == account_id)
                        & PointsTally.period.in_(list(keys))).tuples())
    return {kind: int(found.get(key, 0)) for key, kind in keys.items()}


@dataclass(frozen=True)
class Standing:
    account_id: int | None
    kind: str
    balance: int
    earned: dict[str, int]
    stars: int
    star_period: str
    thresholds: tuple[int, ...]
    next_threshold: int | None


def standing(account: PointsAccount | None, kind: str, region_path: str,
             now: dt.datetime) -> Standing:
    """Balance, earned points per period and star level of an account (zeros if none yet)."""
    scheme = scheme_for(kind, account.region_path if account else region_path)
    earned = tallies_of(account.id, now) if account else {k: 0 for k in rules.PERIOD_KINDS}
    basis = earned[scheme.period_kind]
    return Standing(account.id if account else None, kind, account.balance if account else 0,
                    earned, rules.stars(basis, scheme.thresholds), scheme.period_kind,
                    scheme.thresholds, rules.next_threshold(basis, scheme.thresholds))


@dataclass(frozen=True)
class RankRow:
    rank: int
    account_id: int
    owner_id: int
    points: int
    reached_at: dt.datetime
    name: str
    stars: int


@dataclass(frozen=True)
class Ranking:
    scope_level: str
    region_id: int
    period_kind: str
    period: str
    account_kind: str
    rows: list[RankRow]
    mine: RankRow | None


def _range(scope_level: str, region_id: int, account_kind: str, period: str):
    column = _SCOPE_COLUMNS[scope_level]
    return ((column == region_id) & (PointsTally.account_kind == account_kind)
            & (PointsTally.period == period))


def top(scope_level: str, region_id: int, period_kind: str, account_kind: str,
        now: dt.datetime, *, limit: int = rules.TOP_LIMIT) -> list[PointsTally]:
    """The first ``limit`` tallies of a ranking, in ranking order (points > 0 only)."""
    period = rules.period_key(period_kind, now)
    return list(PointsTally.select()
                .where(_range(scope_level, region_id, account_kind, period)
                       & (PointsTally.points > 0))
                .order_by(PointsTally.points.desc(), PointsTally.reached_at.asc(),
                          PointsTally.account.asc())
                .limit(limit))


def rank_of(tally: PointsTally, scope_level: str, region_id: int) -> int:
    """1 + the number of tallies ahead of ``tally`` in its ranking: one COUNT over the index
    range at or above its points, the boundary rows filtered by the tie rule."""
    ahead = ((PointsTally.points > tally.points)
             | (PointsTally.reached_at < tally.reached_at)
             | ((PointsTally.reached_at == tally.reached_at)
                & (PointsTally.account < tally.account_id)))
    return 1 + (PointsTally.select()
                .where(_range(scope_level, region_id, tally.account_kind, tally.period)
                       & (PointsTally.points >= tally.points) & ahead)
                .count())


def ranking(scope_level: str, region_id: int, period_kind: str, account_kind: str,
            now: dt.datetime, *, mine: PointsAccount | None = None, mask: bool = True,
            limit: int = rules.TOP_LIMIT) -> Ranking:
    """A ranking with names (masked for residents) and star levels, plus the caller's row."""
    if scope_level not in _SCOPE_COLUMNS or period_kind not in rules.PERIOD_KINDS:
        raise ValueError("bad ranking")
    period = rules.period_key(period_kind, now)
    tallies = top(scope_level, region_id, period_kind, account_kind, now, limit=limit)
    mine_tally = None
    if mine is not None:
        mine_tally = PointsTally.get_or_none((PointsTally.account == mine.id)
                                             & (PointsTally.period == period))
        if mine_tally is not None and (mine_tally.points <= 0 or getattr(
                mine_tally, _SCOPE_COLUMNS[scope_level].name) != region_id):
            mine_tally = None
    wanted = tallies + ([mine_tally] if mine_tally else [])
    accounts = {a.id: a for a in PointsAccount.select().where(
        PointsAccount.id.in_([t.account_id for t in wanted] or [0]))}
    names = _names(account_kind, [a.owner_id for a in accounts.values()], mask)
    star_points = _star_points(account_kind, accounts, now)

    def row(tally: PointsTally, rank: int) -> RankRow:
        account = accounts[tally.account_id]
        return RankRow(rank, account.id, account.owner_id, int(tally.points), tally.reached_at,
                       names.get(account.owner_id, ""), star_points.get(account.id, 0))

    rows = [row(t, i + 1) for i, t in enumerate(tallies)]
    mine_row = None
    if mine_tally is not None:
        listed = next((r for r in rows if r.account_id == mine_tally.account_id), None)
        mine_row = listed or row(mine_tally, rank_of(mine_tally, scope_level, region_id))
    return Ranking(scope_level, region_id, period_kind, period, account_kind, rows, mine_row)


def _names(account_kind: str, owner_ids: list[int], mask: bool) -> dict[int, str]:
    if account_kind == "person":
        found = dict(User.select(User.id, User.display_name)
                     .where(User.id.in_(owner_ids or [0])).tuples())
        return {k: rules.mask_name(v) if mask else (v or "居民") for k, v in found.items()}
    households = list(Region.select(Region.id, Region.name, Region.parent)
                      .where(Region.id.in_(owner_ids or [0])))
    buildings = dict(Region.select(Region.id, Region.name).where(
        Region.id.in_([h.parent_id for h in households] or [0])).tuples())
    return {h.id: f"{buildings.get(h.parent_id, '')}{h.name}" for h in households}


def _star_points(account_kind: str, accounts: dict[int, PointsAccount],
                 now: dt.datetime) -> dict[int, int]:
    """Star level of each listed account under its own scheme (one tally read per period)."""
    by_path = schemes_for(account_kind, sorted({a.region_path for a in accounts.values()}))
    schemes = {a.id: by_path[a.region_path] for a in accounts.values()}
    periods = {rules.period_key(s.period_kind, now) for s in schemes.values()}
    points = {(t[0], t[1]): t[2] for t in PointsTally.select(
        PointsTally.account, PointsTally.period, PointsTally.points)
        .where(PointsTally.account.in_(list(accounts) or [0])
               & PointsTally.period.in_(list(periods))).tuples()}
    return {aid: rules.stars(int(points.get((aid, rules.period_key(s.period_kind, now)), 0)),
                             s.thresholds) for aid, s in schemes.items()}
