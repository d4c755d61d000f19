"""Tables of 微实事 projects: the round, its projects, ballots, overrides and what follows.

``region_path`` on a round and on its projects is the round's region (a village or a town):
staff scope, resident eligibility and every list are decided by it. Money is in fen
(``BigIntegerField``) so no float ever touches a budget.
"""

from __future__ import annotations

import peewee

from app.accounts.models import User
from app.clock import utcnow
from app.db import BaseModel
from app.regions.models import Region


class ProjectRound(BaseModel):
    """A voting round of one village or town. Its phase is ``rules.phase_at(dates, now)``;
    staff advancing a phase moves the next boundary to now (``rounds.advance_round``)."""

    region = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    region_path = peewee.CharField(max_length=255)
    title = peewee.CharField(max_length=100)
    description = peewee.TextField(default="")
    ballot_type = peewee.CharField(max_length=12)        # approval | budget
    vote_unit = peewee.CharField(max_length=12)          # household | resident
    budget_fen = peewee.BigIntegerField()
    proposal_opens_at = peewee.DateTimeField()
    review_opens_at = peewee.DateTimeField()
    voting_opens_at = peewee.DateTimeField()
    voting_closes_at = peewee.DateTimeField()
    execution_opens_at = peewee.DateTimeField()
    acceptance_opens_at = peewee.DateTimeField()
    closes_at = peewee.DateTimeField()
    result_published_at = peewee.DateTimeField(null=True)
    ballot_count = peewee.IntegerField(default=0)        # frozen when the result is published
    created_by = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    created_at = peewee.DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)

    class Meta:
        table_name = "project_round"
        indexes = ((("region_path", "id"), False),)


class Project(BaseModel):
    """A proposal and, once selected, the project. ``status`` follows ``rules.TRANSITIONS``.

    ``proposer_name`` is masked when written; ``vote_count``/``rank``/``computed_selected``
    are the published count (``rules.tally``); ``status`` reflects any staff override.
    """

    round = peewee.ForeignKeyField(ProjectRound, backref="projects", on_delete="RESTRICT")
    region_path = peewee.CharField(max_length=255)
    proposer = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    proposer_name = peewee.CharField(max_length=20)
    household = peewee.ForeignKeyField(Region, null=True, on_delete="SET NULL")
    kind = peewee.CharField(max_length=12)
    title = peewee.CharField(max_length=60)
    description = peewee.TextField()
    location = peewee.CharField(max_length=120)
    estimated_cost_fen = peewee.BigIntegerField()
    status = peewee.CharField(max_length=16, default="proposed")
    held_for_review = peewee.BooleanField(default=False)
    review_reason = peewee.CharField(max_length=500, default="")
    reviewed_at = peewee.DateTimeField(null=True)
    merged_into = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL")
    vote_count = peewee.IntegerField(null=True)
    rank = peewee.IntegerField(null=True)
    computed_selected = peewee.BooleanField(null=True)
    completed_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)

    class Meta:
        indexes = (
            (("round", "status", "id"), False),
            (("proposer", "id"), False),
            (("region_path", "status", "id"), False),
        )


class Ballot(BaseModel):
    """One voter's ballot in a round; ``voter_key`` is ``household:<id>`` or ``user:<id>``
    (the round's vote unit). The unique index makes a second row impossible, even under a
    race: a changed ballot rewrites its choices."""

    round = peewee.ForeignKeyField(ProjectRound, on_delete="CASCADE")
    voter_key = peewee.CharField(max_length=40)
    user = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    household = peewee.ForeignKeyField(Region, null=True, on_delete="SET NULL")
    cast_at = peewee.DateTimeField(default=utcnow)
    changed_at = peewee.DateTimeField(default=utcnow)
    change_count = peewee.IntegerField(default=0)

    class Meta:
        indexes = ((("round", "voter_key"), True),)


class BallotChoice(BaseModel):
    ballot = peewee.ForeignKeyField(Ballot, backref="choices", on_delete="CASCADE")
    round = peewee.ForeignKeyField(ProjectRound, on_delete="CASCADE")
    project = peewee.ForeignKeyField(Project, on_delete="CASCADE")

    class Meta:
        table_name = "ballot_choice"
        indexes = ((("ballot", "project"), True), (("round", "project"), False))


class ResultOverride(BaseModel):
    """A staff change to a published result, with the reason published beside it."""

    round = peewee.ForeignKeyField(ProjectRound, on_delete="CASCADE")
    project = peewee.ForeignKeyField(Project, on_delete="CASCADE")
    selected = peewee.BooleanField()
    reason = peewee.CharField(max_length=500)
    actor_id = peewee.IntegerField()
    actor_role = peewee.CharField(max_length=32)
    at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "result_override"
        indexes = ((("round", "id"), False),)


class ProjectMilestone(BaseModel):
    """A step of a selected project's execution; photos are media ``project_milestone:<id>``."""

    project = peewee.ForeignKeyField(Project, on_delete="CASCADE")
    note = peewee.TextField()
    happened_on = peewee.DateField()
    created_by = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "project_milestone"
        indexes = ((("project", "id"), False),)


class ProjectSpending(BaseModel):
    """A spending line of a selected project (fen), with an optional voucher number."""

    project = peewee.ForeignKeyField(Project, on_delete="CASCADE")
    amount_fen = peewee.BigIntegerField()
    note = peewee.CharField(max_length=200)
    voucher_no = peewee.CharField(max_length=40, default="")
    spent_on = peewee.DateField()
    created_by = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "project_spending"
        indexes = ((("project", "id"), False),)


class ProjectRating(BaseModel):
    """A resident's rating of a completed project: once per resident (unique index)."""

    project = peewee.ForeignKeyField(Project, on_delete="CASCADE")
    user = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    rater_name = peewee.CharField(max_length=20)
    score = peewee.SmallIntegerField()
    comment = peewee.CharField(max_length=500, default="")
    comment_held = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "project_rating"
        indexes = ((("project", "user"), True), (("project", "id"), False))


TABLES = (ProjectRound, Project, Ballot, BallotChoice, ResultOverride, ProjectMilestone,
          ProjectSpending, ProjectRating)
