"""What the crash test checks after every restart, read straight from the database.

* **Writes**: every acknowledged write exists exactly once and is the object the answer named;
  a write in doubt exists at most once; a refused write does not exist.
* **Ledger**: the points verify job finds no mismatch (each cached balance and all-time tally
  equals its transfers, all balances sum to zero); no account but a pool is negative; every
  source reference is unique; every award is posted whole (the person's credit and the
  household share) for the points asked; each resident holds exactly the awards that exist.
* **Transparency log**: leaf indexes are gapless and every leaf hashes its record; the head's
  root equals the root recomputed from the leaves; every signed checkpoint verifies with its
  key, is no larger than the log, and the log extends it (an RFC 6962 consistency proof from
  the stored nodes, checked by the verifier's ``verify_consistency``); every seal use has its
  leaf and every seal-use leaf its row.
* **Escalation**: per request, each level of its ladder has exactly one timeline entry and
  its notices, none above the level the row records (no step doubled or half-applied), and a
  request below the top of its ladder is still scheduled (``next_due_at`` set: none dropped).

Each check returns figures and a list of failures (plain strings); an empty list passes.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from app.notifications.models import Notification
from app.points import jobs as points_jobs
from app.points.models import PointsAccount, PointsEvent, PointsTransfer
from app.points.rules import HOUSEHOLD_SUFFIX
from app.requests import rules as request_rules
from app.requests.jobs import _LEVEL_TEXT
from app.requests.models import Request, TimelineEntry
from app.seals.models import SealUse
from app.transparency import merkle, note, services
from app.transparency.models import LogCheckpoint, LogKey, LogLeaf

MARKER = re.compile(r"(ck[0-9]+-c[0-9]+-t[0-9]+-n[0-9]+)")
TOP_LEVEL = request_rules.LEVEL_ESCALATED  # the client's requests are never "hard"


def _found(pairs) -> dict[str, list[int]]:
    """marker → ids of the rows whose text carries it."""
    found: dict[str, list[int]] = {}
    for object_id, text in pairs:
        for marker in MARKER.findall(text or ""):
            found.setdefault(marker, []).append(object_id)
    return found


def _award_events(cadre_id: int) -> dict[str, list[int]]:
    prefix = f"award:{cadre_id}:"
    rows = (PointsEvent.select(PointsEvent.id, PointsEvent.source_ref)
            .where(PointsEvent.source_ref.startswith(prefix)).tuples())
    return _found((event_id, ref[len(prefix):]) for event_id, ref in rows)


def present_writes(cadre_id: int) -> dict[str, dict[str, list[int]]]:
    return {
        "request": _found(Request.select(Request.id, Request.text).tuples()),
        "award": _award_events(cadre_id),
        "seal_use": _found(SealUse.select(SealUse.id, SealUse.document).tuples()),
    }


def check_writes(journal, cadre_id: int) -> tuple[dict, list[str], set[str], set[str]]:
    """Figures per kind (acked, in doubt, of those present, refused), the failures, and the
    markers found lost and found duplicated."""
    present = present_writes(cadre_id)
    figures, failures, lost, duplicated = {}, [], set(), set()
    for kind, found in present.items():
        f = Counter()
        for write in journal.of(kind):
            ids = found.get(write.marker, [])
            f[write.status] += 1
            if len(ids) > 1:
                duplicated.add(write.marker)
                failures.append(f"{kind} {write.marker} exists {len(ids)} times")
            if write.status == "acked":
                if not ids:
                    lost.add(write.marker)
                    failures.append(f"acknowledged {kind} {write.marker} is lost")
                elif write.object_id not in ids:
                    failures.append(f"{kind} {write.marker} answered id {write.object_id}, "
                                    f"found {ids}")
            elif write.status == "in_doubt" and ids:
                f["in_doubt_present"] += 1
            elif write.status == "refused" and ids:
                failures.append(f"refused {kind} {write.marker} exists")
        figures[kind] = dict(f)
    return figures, failures, lost, duplicated


def check_ledger(journal, cadre_id: int) -> list[str]:
    failures = []
    verified = points_jobs.verify_balances(batch=500)
    if verified["mismatches"]:
        failures.append(f"verify_balances: {verified['mismatches']} mismatches, "
                        f"total {verified['total']}")
    negative = (PointsAccount.select().where((PointsAccount.kind != "pool")
                                             & (PointsAccount.balance < 0)).count())
    if negative:
        failures.append(f"{negative} non-pool accounts below zero")
    refs = PointsTransfer.select(PointsTransfer.source_ref)
    if refs.count() != refs.distinct().count():
        failures.append("a transfer source reference is used twice")
    prefix = f"award:{cadre_id}:"
    events = {ref[len(prefix):]: (status, transfer)
              for ref, status, transfer in PointsEvent.select(
                  PointsEvent.source_ref, PointsEvent.status, PointsEvent.transfer_id)
              .where(PointsEvent.source_ref.startswith(prefix)).tuples()}
    legs = Counter()
    amounts: dict[str, set[int]] = {}
    for ref, amount in (PointsTransfer.select(PointsTransfer.source_ref, PointsTransfer.amount)
                        .where(PointsTransfer.source_ref.startswith(prefix)).tuples()):
        marker = ref[len(prefix):].removesuffix(HOUSEHOLD_SUFFIX)
        legs[marker] += 1
        amounts.setdefault(marker, set()).add(amount)
    expected: Counter = Counter()
    for write in journal.of("award"):
        if write.marker not in events:
            if legs[write.marker]:
                failures.append(f"award {write.marker} has transfers but no event")
            continue
        status, transfer = events[write.marker]
        if status != "credited" or transfer is None or legs[write.marker] != 2:
            failures.append(f"award {write.marker} is {status} with {legs[write.marker]} legs")
        if amounts.get(write.marker) != {write.points}:
            failures.append(f"award {write.marker} posted {amounts.get(write.marker)}, "
                            f"asked {write.points}")
        expected[write.user_id] += write.points
    for user_id, points in expected.items():
        account = PointsAccount.get_or_none((PointsAccount.kind == "person")
                                            & (PointsAccount.owner_id == user_id))
        if account is None or account.balance != points:
            failures.append(f"resident {user_id} holds {account and account.balance}, "
                            f"awards add up to {points}")
    return failures


def check_log(log_id: int) -> tuple[dict, list[str]]:
    """The log against its leaves and every signed checkpoint."""
    failures = []
    head = services.current_root(log_id)
    leaves = list(LogLeaf.select(LogLeaf.leaf_index, LogLeaf.leaf_hash, LogLeaf.body,
                                 LogLeaf.record_type, LogLeaf.record_id)
                  .where(LogLeaf.log_id == log_id).order_by(LogLeaf.leaf_index).tuples())
    if [row[0] for row in leaves] != list(range(head.tree_size)):
        failures.append(f"leaf indexes are not 0..{head.tree_size - 1} ({len(leaves)} leaves)")
    hashes = [bytes.fromhex(row[1]) for row in leaves]
    for (index, _, body, _, _), leaf in zip(leaves, hashes, strict=True):
        if merkle.leaf_hash(body.encode("utf-8")) != leaf:
            failures.append(f"leaf {index} does not hash its record")
    nodes = merkle.memory_nodes(hashes)
    if merkle.root_hash(len(hashes), nodes) != head.root_hash:
        failures.append("the head's root differs from the root of the leaves")
    keys = {key_id: note.parse_vkey(note.vkey(name, note.unb64(public)))
            for key_id, name, public in LogKey.select(LogKey.key_id, LogKey.name,
                                                      LogKey.public_key).tuples()}
    checkpoints = list(LogCheckpoint.select().where(LogCheckpoint.log_id == log_id)
                       .order_by(LogCheckpoint.tree_size))
    for cp in checkpoints:
        failures += _check_checkpoint(log_id, cp, keys, head, nodes)
    uses = {str(i) for (i,) in SealUse.select(SealUse.id).tuples()}
    logged = {row[4] for row in leaves if row[3] == "seal_use"}
    if uses != logged:
        failures.append(f"{len(uses - logged)} seal uses without a leaf, "
                        f"{len(logged - uses)} leaves without a seal use")
    last = checkpoints[-1].tree_size if checkpoints else 0
    return {"tree_size": head.tree_size, "checkpoints": len(checkpoints),
            "last_signed_size": last}, failures


def _check_checkpoint(log_id, cp, keys, head, nodes) -> list[str]:
    key = keys.get(cp.key_id)
    try:
        opened = note.open_checkpoint(cp.note, key) if key else None
    except note.NoteError:
        opened = None
    if opened is None or (opened.size, opened.root.hex()) != (cp.tree_size, cp.root_hash):
        return [f"checkpoint {cp.tree_size} does not verify with its key"]
    if cp.tree_size > head.tree_size:
        return [f"checkpoint {cp.tree_size} is larger than the log ({head.tree_size})"]
    if merkle.root_hash(cp.tree_size, nodes) != opened.root:
        return [f"checkpoint {cp.tree_size} is not the root of the first leaves"]
    proof = services.consistency_proof(log_id, cp.tree_size, head.tree_size)
    if not merkle.verify_consistency(cp.tree_size, head.tree_size, proof.path, opened.root,
                                     head.root_hash):
        return [f"the log does not extend checkpoint {cp.tree_size}"]
    return []


def check_escalations() -> tuple[dict, list[str]]:
    failures, steps = [], Counter()
    entries = (TimelineEntry.select(TimelineEntry.request, TimelineEntry.details)
               .where((TimelineEntry.actor_role == "system") & (TimelineEntry.action == "note"))
               .tuples())
    for request_id, details in entries:
        d = json.loads(details)
        if "level" in d:
            steps[(request_id, d["deadline"], d["clock"], d["round"], d["level"])] += 1
    for key, count in steps.items():
        if count > 1:
            failures.append(f"request {key[0]} reached level {key[4]} {count} times")
    notified = {key.rsplit(":user:", 1)[0] for (key,) in Notification.select(
        Notification.dedupe_key).where(Notification.dedupe_key.startswith("request:")).tuples()}
    pending = 0
    rows = Request.select(Request.id, Request.escalation_level, Request.next_due_at,
                          Request.accept_deadline, Request.reopen_count).tuples()
    for request_id, level, next_due, deadline, round_ in rows:
        ladder = (deadline.isoformat(), "accept", round_)
        for step in range(1, TOP_LEVEL + 1):
            taken = steps.get((request_id, *ladder, step), 0)
            kind = _LEVEL_TEXT[step][0]
            if step <= level and not taken:
                failures.append(f"request {request_id} is at level {level} without step {step}")
            elif step > level and taken:
                failures.append(f"request {request_id} has step {step} above its level {level}")
            if step <= level and f"request:{request_id}:{kind}:{ladder[0]}:accept:" \
                                 f"{round_}" not in notified:
                failures.append(f"request {request_id} step {step} sent no notice")
        if level < TOP_LEVEL:
            pending += 1
            if next_due is None:
                failures.append(f"request {request_id} at level {level} is no longer scheduled")
    return {"steps": sum(steps.values()), "below_top": pending}, failures


def drain_escalations(now, passes: int = 6) -> int:
    """Run the escalation job until nothing is due (the final check then wants every request
    at the top of its ladder). Returns the steps taken."""
    from app.requests.jobs import escalate_due

    taken = 0
    for _ in range(passes):
        stepped = escalate_due(now)["stepped"]
        taken += stepped
        if not stepped:
            break
    return taken
