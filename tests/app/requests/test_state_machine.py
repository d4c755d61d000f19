"""A hypothesis state machine drives random sequences of actions through the real services and
database, and checks the invariants of requests after every step.

Each example runs inside one outer transaction that is rolled back at its end, so examples
start from the same town (built once by the ``town`` fixture) on SQLite and PostgreSQL alike;
the services' own ``database.atomic()`` blocks nest inside it as savepoints, and a domain error
rolls back its savepoint exactly as it rolls back a transaction in production.

Invariants, after every step:
- the status is one of ``rules.STATES`` and a terminal status never changes;
- ``resolve_deadline`` never moves earlier. It grows only by an approved extension (which must
  grow it) or by the working time given back after waiting for the resident; it returns to
  None only on a reopen: the reset that starts a new handling round, whose dispatch starts a
  new clock;
- each escalation level is reached at most once per ladder: one deadline of one clock
  (acceptance or resolution) in one handling round (``details`` carry all three; the same
  instant can be the deadline of both clocks, or of two rounds, and each is its own ladder);
- the hop count never decreases; the clock is paused exactly while waiting for the resident,
  and nothing is due for the scheduler while paused or finished.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from app.clock import frozen
from app.content import WordListChecker
from app.db import database
from app.errors import DomainError
from app.requests import feedback, handling, jobs, rules, workflow
from app.requests import services as requests
from app.requests.models import Request, TimelineEntry
from tests.app.requests.conftest import MONDAY_9AM

SETTINGS = settings(max_examples=30, stateful_step_count=40, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
TEXTS = ("路口的井盖松动了，很危险", "楼道里的灯坏了一个星期", "物业不管事，我要去上访")
REVIEW = WordListChecker(review=("上访",))
pick = st.integers(min_value=0, max_value=1_000)
DISPATCHERS = st.sampled_from(["grid_worker", "cadre", "town_admin"])
SUPERVISORS = st.sampled_from(["cadre", "town_admin"])


class _Rollback(Exception):
    """Ends an example's outer transaction by rolling it back."""


class RequestMachine(RuleBasedStateMachine):
    """Up to three requests of one example, moved by residents, dispatchers, supervisors and
    handling units at a frozen time that only moves forward, with scheduler passes between."""

    def __init__(self, town):
        super().__init__()
        self.town = town
        self._tx = database.transaction()
        self._tx.__enter__()
        self.now = MONDAY_9AM
        self.ids: list[int] = []
        self.residents = {u.id: town.actor(u, "miniprogram")
                          for u in (town.resident, town.neighbour)}
        self.staff = {name: town.actor(getattr(town, name))
                      for name in ("grid_worker", "cadre", "town_admin", "handler")}
        self.handlers = {town.grid_unit.id: self.staff["grid_worker"],
                         town.dept_unit.id: self.staff["handler"]}
        self.events: set[tuple[int, str]] = set()
        self.before: dict[int, dict] = {}

    def teardown(self):
        self._tx.__exit__(_Rollback, _Rollback(), None)

    # -- helpers --------------------------------------------------------------------------

    def _request(self, index: int, action: str, legal: bool) -> Request:
        """One of the example's requests; with ``legal``, preferably one whose state allows
        ``action`` (so sequences go deep), else any (so illegal moves are tried too)."""
        rows = list(Request.select().where(Request.id.in_(self.ids)).order_by(Request.id))
        if legal:
            fits = [r for r in rows if (r.held_for_review and r.status == "submitted"
                                        if action == "review"
                                        else action in rules.allowed_actions(r.status))]
            rows = fits or rows
        return rows[index % len(rows)]

    def _do(self, request_id: int, event: str, call):
        """Run ``call`` at the machine's time: success or a domain error, nothing else."""
        with frozen(self.now):
            try:
                call()
            except DomainError:
                return
        self.events.add((request_id, event))

    def _handler(self, request: Request):
        return self.handlers.get(request.lead_unit_id, self.staff["handler"])

    def _submitter(self, request: Request):
        return self.residents[request.submitter_id]

    # -- residents ------------------------------------------------------------------------

    @precondition(lambda self: len(self.ids) < 3)
    @rule(who=st.sampled_from(["resident", "neighbour"]),
          type=st.sampled_from(["help", "emergency", "complaint", "mediation"]),
          category=st.sampled_from(["environment", "roads"]), text=st.sampled_from(TEXTS))
    def submit(self, who, type, category, text):
        actor = self.residents[getattr(self.town, who).id]
        with frozen(self.now):
            request = requests.submit_request(actor, type=type, category_code=category,
                                              text=text, checker=REVIEW)
        self.ids.append(request.id)

    @precondition(lambda self: self.ids)
    @rule(legal=st.booleans(), i=pick,
          action=st.sampled_from(["cancel", "resume", "rate", "reopen"]),
          rating=st.sampled_from(rules.RATINGS))
    def resident_acts(self, legal, i, action, rating):
        r = self._request(i, action, legal)
        me = self._submitter(r)
        calls = {
            "cancel": lambda: requests.cancel_request(me, r.id),
            "resume": lambda: requests.reply_to_request(me, r.id, "在三号楼门口"),
            "rate": lambda: feedback.rate_request(me, r.id, rating=rating),
            "reopen": lambda: feedback.rate_request(me, r.id, rating="unsatisfied",
                                                    reopen=True, reason="还是没修好"),
        }
        self._do(r.id, action, calls[action])

    # -- dispatchers and supervisors --------------------------------------------------------

    @precondition(lambda self: self.ids)
    @rule(legal=st.booleans(), i=pick, j=pick, who=DISPATCHERS,
          action=st.sampled_from(["accept", "dispatch", "dispatch_elsewhere", "transfer",
                                  "merge"]))
    def dispatcher_acts(self, legal, i, j, who, action):
        r = self._request(i, action.replace("_elsewhere", ""), legal)
        me, dept, grid = self.staff[who], self.town.dept_unit.id, self.town.grid_unit.id
        calls = {
            "accept": lambda: workflow.accept_request(me, r.id),
            "dispatch": lambda: workflow.dispatch_request(me, r.id),
            "dispatch_elsewhere": lambda: workflow.dispatch_request(
                me, r.id, lead_unit_id=dept, reason="涉及占道"),
            "transfer": lambda: workflow.transfer_request(
                me, r.id, unit_id=grid if r.lead_unit_id == dept else dept, reason="更适合"),
            "merge": lambda: handling.merge_request(
                me, r.id, into_id=self._request(j, "note", legal).id),
        }
        self._do(r.id, action.replace("_elsewhere", ""), calls[action])

    @precondition(lambda self: self.ids)
    @rule(legal=st.booleans(), i=pick, who=SUPERVISORS,
          action=st.sampled_from(["approve_extension", "reject_extension", "review",
                                  "flag", "mediate"]),
          approve=st.booleans(), code=st.sampled_from(rules.MEDIATION_CODES))
    def supervisor_acts(self, legal, i, who, action, approve, code):
        r = self._request(i, "note" if action == "flag" else action, legal)
        me = self.staff[who]
        calls = {
            "approve_extension": lambda: handling.decide_extension(me, r.id, approve=True),
            "reject_extension": lambda: handling.decide_extension(me, r.id, approve=False),
            "review": lambda: workflow.release_review(me, r.id, approve=approve,
                                                      reason="" if approve else "内容不实"),
            "flag": lambda: handling.flag_hard(me, r.id, reason="多次反映未解决"),
            "mediate": lambda: handling.set_mediation_code(me, r.id, code=code),
        }
        self._do(r.id, action, calls[action])

    # -- the handling unit --------------------------------------------------------------------

    @precondition(lambda self: self.ids)
    @rule(legal=st.booleans(), i=pick,
          action=st.sampled_from(["start", "return", "request_extension", "wait_for_resident",
                                  "resume", "resolve"]),
          days=st.integers(min_value=1, max_value=5))
    def handler_acts(self, legal, i, action, days):
        r = self._request(i, action, legal)
        me = self._handler(r)
        calls = {
            "start": lambda: workflow.start_request(me, r.id),
            "return": lambda: workflow.return_request(me, r.id, clause=1, note="不属于本单位"),
            "request_extension": lambda: handling.request_extension(me, r.id, days=days,
                                                                    reason="等待配件到货"),
            "wait_for_resident": lambda: handling.wait_for_resident(me, r.id,
                                                                    question="具体在哪里？"),
            "resume": lambda: handling.resume_request(me, r.id),
            "resolve": lambda: handling.resolve_request(me, r.id, note="已到现场处理完毕"),
        }
        self._do(r.id, action, calls[action])

    # -- the happy path, so random sequences reach the late states ------------------------------

    @precondition(lambda self: self.ids)
    @rule(i=pick, choices=st.lists(st.integers(min_value=0, max_value=3), min_size=1,
                                   max_size=6))
    def progress(self, i, choices):
        """Take a request up to ``len(choices)`` steps along the closed loop, each by whoever
        does it (a choice picks among the natural next steps), checking the invariants after
        every step."""
        rows = [r for r in Request.select().where(Request.id.in_(self.ids)).order_by(Request.id)
                if r.status not in rules.TERMINAL]
        if not rows:
            return
        request_id = rows[i % len(rows)].id
        for choice in choices:
            r = Request.get_by_id(request_id)
            if r.status in rules.TERMINAL:
                return
            event, call = self._next_step(r, choice)
            self._do(r.id, event, call)
            self.requests_stay_legal()

    def _next_step(self, r: Request, choice: int):
        cadre, handler, resident = self.staff["cadre"], self._handler(r), self._submitter(r)
        if r.extension_days_pending is not None and r.status != "returned":
            approve = choice % 2 == 0
            return (("approve_extension" if approve else "reject_extension"),
                    lambda: handling.decide_extension(cadre, r.id, approve=approve))
        if r.status == "submitted":
            if r.held_for_review:
                return "review", lambda: workflow.release_review(cadre, r.id, approve=True)
            return "accept", lambda: workflow.accept_request(cadre, r.id)
        if r.status in ("accepted", "returned", "reopened"):
            return "dispatch", lambda: workflow.dispatch_request(cadre, r.id)
        if r.status == "waiting_for_resident":
            if choice % 2:
                return "resume", lambda: handling.resume_request(handler, r.id)
            return "resume", lambda: requests.reply_to_request(resident, r.id, "在三号楼门口")
        if r.status in ("dispatched", "in_progress") and choice == 1:
            return "request_extension", lambda: handling.request_extension(
                handler, r.id, days=1 + r.id % 3, reason="等待配件到货")
        if r.status == "dispatched":
            if choice == 3:
                return "return", lambda: workflow.return_request(handler, r.id, clause=1,
                                                                 note="不属于本单位")
            return "start", lambda: workflow.start_request(handler, r.id)
        if r.status == "in_progress":
            if choice == 2:
                return "wait_for_resident", lambda: handling.wait_for_resident(
                    handler, r.id, question="具体在哪里？")
            return "resolve", lambda: handling.resolve_request(handler, r.id,
                                                               note="已到现场处理完毕")
        reopen = choice % 2 == 1
        return ("reopen" if reopen else "rate"), lambda: feedback.rate_request(
            resident, r.id, rating="unsatisfied" if reopen else "satisfied", reopen=reopen,
            reason="还是没修好" if reopen else "")

    # -- time and the scheduler ---------------------------------------------------------------

    @rule(hours=st.integers(min_value=1, max_value=72), escalate=st.booleans())
    def advance(self, hours, escalate):
        """Move time on by working or rest hours (nights, weekends), maybe running a pass."""
        self.now += dt.timedelta(hours=hours)
        if escalate:
            jobs.escalate_due(now=self.now)

    @rule()
    def escalate(self):
        jobs.escalate_due(now=self.now)

    # -- invariants -----------------------------------------------------------------------------

    @invariant()
    def requests_stay_legal(self):
        now = {row.id: row.__data__.copy() for row in Request.select()}
        for request_id, row in now.items():
            assert row["status"] in rules.STATES
            assert 0 <= row["escalation_level"] <= rules.LEVEL_JOINT
            assert (row["status"] == "waiting_for_resident") == (row["paused_at"] is not None)
            if row["status"] in rules.TERMINAL | {"waiting_for_resident"}:
                assert row["next_due_at"] is None, "nothing is due while paused or finished"
            old = self.before.get(request_id)
            if old is not None:
                self._compare(request_id, old, row)
        self._check_ladders()
        self.before, self.events = now, set()

    def _compare(self, request_id: int, old: dict, new: dict) -> None:
        happened = {event for rid, event in self.events if rid == request_id}
        if old["status"] in rules.TERMINAL:
            assert new["status"] == old["status"]
        assert new["hop_count"] >= old["hop_count"]
        before, after = old["resolve_deadline"], new["resolve_deadline"]
        if "approve_extension" in happened:
            assert after > before, "an approved extension must move the deadline later"
        if before is None or after == before:
            return
        if after is None:
            assert "reopen" in happened, "only a reopen resets the resolution deadline"
            return
        assert after > before, f"deadline moved backwards: {before} -> {after}"
        assert happened & {"approve_extension", "resume"}, "deadline moved without cause"

    def _check_ladders(self) -> None:
        reached = Counter()
        for request_id, raw in (TimelineEntry.select(TimelineEntry.request, TimelineEntry.details)
                                .where(TimelineEntry.action == "note").tuples()):
            details = json.loads(raw)
            if "level" in details:
                reached[(request_id, details["round"], details["clock"], details["deadline"],
                         details["level"])] += 1
        assert all(count == 1 for count in reached.values()), reached.most_common(1)


def test_random_sequences_of_actions_keep_every_request_legal(town):
    run_state_machine_as_test(lambda: RequestMachine(town), settings=SETTINGS)
