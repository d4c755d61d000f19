"""Generated disclosures (村务 / 党务 / 财务公开) and each town's transparency log.

Per town, the disclosures of its villages (97 %) and of the town itself (3 %, affairs and party
only) are spread over the three years before ``now``, in publication order; every one of the
scale's figure is published and appended to the town's log, as
``app.disclosures.publication.append_to_log`` would have done: the leaf body is exactly
``published_body`` (place, kind, category, period, title, body …, no author), leaves are
gapless in publication order, every completed perfect node is stored and the head's frontier
gives the root. On top, one in thirty more are still drafts, submitted or reviewed.

The village's cadre writes and publishes; the village's finance panel reviews finance, its
supervision committee the others (the town's second admin reviews the town's own), never the
author (``app.disclosures.services`` refuses an author's own review). One town's
disclosures and leaves are built in memory at a time (a few thousand at city scale).
"""

from __future__ import annotations

import datetime as dt
import random

from app.clock import iso, to_local
from app.disclosures.models import Disclosure
from app.disclosures.publication import RECORD_TYPE
from app.transparency import merkle
from app.transparency import rules as log_rules
from app.transparency.models import LogHead, LogLeaf, LogNode
from miniprogram_api.seeding import bulk, names
from miniprogram_api.seeding.regions import place_names, region_code
from miniprogram_api.seeding.scales import Shape, children

KINDS = (("affairs", 50), ("party", 20), ("finance", 30))
CATEGORIES = {"affairs": ("decisions", "relief_subsidies", "projects", "government_tasks"),
              "party": ("activities", "dues", "organisation"),
              "finance": ("income_expense", "income_expense", "expense", "assets")}
UNPUBLISHED = (("draft", 50), ("submitted", 30), ("reviewed", 20))
FIELDS = ("id", "kind", "category", "title", "body", "period", "extra", "region",
          "region_path", "village_id", "town_id", "author", "status", "submitted_at",
          "reviewed_by", "reviewed_at", "published_by", "published_at", "created_at",
          "updated_at", "version")


def _period(kind: str, at: dt.datetime) -> str:
    local = to_local(at)
    if kind == "finance":
        return f"{local.year}-{local.month:02d}"
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def _title(place: str, kind: str, category: str, period: str) -> str:
    year, part = period.split("-")
    when = f"{year}年第{part[1]}季度" if part.startswith("Q") else f"{year}年{int(part)}月"
    return names.disclosure_title(place, kind, category, when)


def published_body(row: dict, place: dict) -> dict:
    """What ``app.disclosures.publication.published_body`` gives for this row."""
    return {"place": place, "kind": row["kind"], "category": row["category"],
            "period": row["period"], "matter_key": None, "title": row["title"],
            "body": row["body"], "corrects": None, "correction_reason": None,
            "attachments": [], "extra": {}, "published_at": iso(row["published_at"])}


def _row(rng, shape, named, n, town, village, at, status) -> dict:
    level, i = ("village", village) if village is not None else ("town", town)
    kind = names.weighted(rng, KINDS if village is not None else KINDS[:2])
    category = rng.choice(CATEGORIES[kind])
    period = _period(kind, at)
    author = (shape.staff_id("cadre", village) if village is not None
              else shape.staff_id("town_admin", town))
    # who may review (app.disclosures.policies.review_action), never the author
    reviewer = (shape.staff_id("town_deputy", town) if village is None else
                shape.staff_id("finance_panel" if kind == "finance" else "supervision_committee",
                               village))
    reviewed = status in ("reviewed", "published")
    return {"id": n, "kind": kind, "category": category,
            "title": _title(named[level][i], kind, category, period),
            "body": names.disclosure_body(rng, kind), "period": period, "extra": "{}",
            "region": shape.region_id(level, i), "region_path": shape.path(level, i),
            "village_id": shape.region_id("village", village) if village is not None else None,
            "town_id": shape.region_id("town", town), "author": author, "status": status,
            "submitted_at": at - dt.timedelta(hours=30) if status != "draft" else None,
            "reviewed_by": reviewer if reviewed else None,
            "reviewed_at": at - dt.timedelta(hours=6) if reviewed else None,
            "published_by": author if status == "published" else None,
            "published_at": at if status == "published" else None,
            "created_at": at - dt.timedelta(days=2), "updated_at": at,
            "version": {"draft": 1, "submitted": 2, "reviewed": 3, "published": 4}[status],
            "level": level, "name": named[level][i]}


def write_disclosures(shape: Shape, seed: int, now: dt.datetime) -> dict[str, int]:
    """Disclosures and, town by town, their transparency log; rows per table."""
    rng = random.Random(f"{seed}:disclosures")
    named = place_names(shape, seed)
    towns, villages = shape.n("town"), shape.n("village")
    total = shape.counts["disclosures"]
    start = now - dt.timedelta(days=3 * 365)
    written = {"disclosure": 0, "log_leaf": 0, "log_node": 0, "log_head": 0}
    fields = [getattr(Disclosure, f) for f in FIELDS]
    next_id = 1
    for t in range(towns):
        own = children(t, total, towns)
        mine = list(children(t, villages, towns))
        step = (now - dt.timedelta(days=1) - start) / max(len(own), 1)
        rows = []
        for k in range(len(own)):
            village = mine[k % len(mine)] if rng.random() >= 0.03 else None
            rows.append(_row(rng, shape, named, next_id, t, village,
                             start + step * k + dt.timedelta(seconds=rng.randrange(60)),
                             "published"))
            next_id += 1
        for _ in range(len(own) // 30):
            at = now - dt.timedelta(hours=rng.randrange(2, 24 * 20))
            rows.append(_row(rng, shape, named, next_id, t, rng.choice(mine), at,
                             names.weighted(rng, UNPUBLISHED)))
            next_id += 1
        written["disclosure"] += bulk.insert(Disclosure, fields,
                                             [tuple(r[f] for f in FIELDS) for r in rows])
        published = [r for r in rows if r["status"] == "published"]
        if published:
            for table, n in _write_log(shape.region_id("town", t), published).items():
                written[table] += n
    return written


def _write_log(log_id: int, rows: list[dict]) -> dict[str, int]:
    """Leaves of ``rows`` in order, every completed perfect node, and the head."""
    level, leaves = [], []
    for index, row in enumerate(rows):
        place = {"code": region_code(row["region"]), "name": row["name"], "level": row["level"]}
        data = log_rules.leaf_bytes(RECORD_TYPE, row["id"], published_body(row, place))
        leaf = merkle.leaf_hash(data)
        level.append(leaf)
        leaves.append((log_id, index, leaf.hex(), RECORD_TYPE, str(row["id"]), data.decode(),
                       row["published_at"]))
    out = {"log_leaf": bulk.insert(LogLeaf, [LogLeaf.log_id, LogLeaf.leaf_index,
                                             LogLeaf.leaf_hash, LogLeaf.record_type,
                                             LogLeaf.record_id, LogLeaf.body,
                                             LogLeaf.created_at], leaves)}
    levels, nodes, height = [level], [], 0
    while len(level) > 1:
        height += 1
        level = [merkle.node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        levels.append(level)
        nodes.extend((log_id, height, i, h.hex()) for i, h in enumerate(level))
    out["log_node"] = bulk.insert(LogNode, [LogNode.log_id, LogNode.level, LogNode.node_index,
                                            LogNode.hash], nodes)
    frontier = [levels[lv][ix] for lv, ix in merkle.perfect_nodes(0, len(rows))]
    LogHead.insert(log_id=log_id, tree_size=len(rows),
                   frontier=" ".join(h.hex() for h in frontier),
                   updated_at=rows[-1]["published_at"]).execute()
    out["log_head"] = 1
    return out
