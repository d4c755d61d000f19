"""微实事 projects: voting rounds, projects, ballots and their choices, result overrides,
milestones, spending lines and ratings.

Frozen table definitions: do not import app models here. The unique index on
(round, voter_key) is what keeps one ballot per voter key under concurrency.
"""

import datetime

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    PostgresqlDatabase,
    SmallIntegerField,
    TextField,
)

from migrations import _frozen as frozen

C_COLLATED = (("project_round", "region_path"), ("project", "region_path"))


def up(migrator, db):
    Base = frozen.base_model(db)

    Region = frozen.table_stub(Base, "Region", "region")

    User = frozen.table_stub(Base, "User", "user")

    class ProjectRound(Base):
        region = ForeignKeyField(Region, on_delete="RESTRICT")
        region_path = CharField(max_length=255)
        title = CharField(max_length=100)
        description = TextField(default="")
        ballot_type = CharField(max_length=12)
        vote_unit = CharField(max_length=12)
        budget_fen = BigIntegerField()
        proposal_opens_at = DateTimeField()
        review_opens_at = DateTimeField()
        voting_opens_at = DateTimeField()
        voting_closes_at = DateTimeField()
        execution_opens_at = DateTimeField()
        acceptance_opens_at = DateTimeField()
        closes_at = DateTimeField()
        result_published_at = DateTimeField(null=True)
        ballot_count = IntegerField(default=0)
        created_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        version = IntegerField(default=1)

        class Meta:
            table_name = "project_round"
            indexes = ((("region_path", "id"), False),)

    class Project(Base):
        round = ForeignKeyField(ProjectRound, on_delete="RESTRICT")
        region_path = CharField(max_length=255)
        proposer = ForeignKeyField(User, on_delete="RESTRICT")
        proposer_name = CharField(max_length=20)
        household = ForeignKeyField(Region, null=True, on_delete="SET NULL")
        kind = CharField(max_length=12)
        title = CharField(max_length=60)
        description = TextField()
        location = CharField(max_length=120)
        estimated_cost_fen = BigIntegerField()
        status = CharField(max_length=16, default="proposed")
        held_for_review = BooleanField(default=False)
        review_reason = CharField(max_length=500, default="")
        reviewed_at = DateTimeField(null=True)
        merged_into = ForeignKeyField("self", null=True, on_delete="SET NULL")
        vote_count = IntegerField(null=True)
        rank = IntegerField(null=True)
        computed_selected = BooleanField(null=True)
        completed_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        version = IntegerField(default=1)

        class Meta:
            indexes = (
                (("round", "status", "id"), False),
                (("proposer", "id"), False),
                (("region_path", "status", "id"), False),
            )

    class Ballot(Base):
        round = ForeignKeyField(ProjectRound, on_delete="CASCADE")
        voter_key = CharField(max_length=40)
        user = ForeignKeyField(User, on_delete="RESTRICT")
        household = ForeignKeyField(Region, null=True, on_delete="SET NULL")
        cast_at = DateTimeField(default=datetime.datetime.utcnow)
        changed_at = DateTimeField(default=datetime.datetime.utcnow)
        change_count = IntegerField(default=0)

        class Meta:
            indexes = ((("round", "voter_key"), True),)

    class BallotChoice(Base):
        ballot = ForeignKeyField(Ballot, on_delete="CASCADE")
        round = ForeignKeyField(ProjectRound, on_delete="CASCADE")
        project = ForeignKeyField(Project, on_delete="CASCADE")

        class Meta:
            table_name = "ballot_choice"
            indexes = ((("ballot", "project"), True), (("round", "project"), False))

    class ResultOverride(Base):
        round = ForeignKeyField(ProjectRound, on_delete="CASCADE")
        project = ForeignKeyField(Project, on_delete="CASCADE")
        selected = BooleanField()
        reason = CharField(max_length=500)
        actor_id = IntegerField()
        actor_role = CharField(max_length=32)
        at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = "result_override"
            indexes = ((("round", "id"), False),)

    class ProjectMilestone(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        note = TextField()
        happened_on = DateField()
        created_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = "project_milestone"
            indexes = ((("project", "id"), False),)

    class ProjectSpending(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        amount_fen = BigIntegerField()
        note = CharField(max_length=200)
        voucher_no = CharField(max_length=40, default="")
        spent_on = DateField()
        created_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = "project_spending"
            indexes = ((("project", "id"), False),)

    class ProjectRating(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        user = ForeignKeyField(User, on_delete="RESTRICT")
        rater_name = CharField(max_length=20)
        score = SmallIntegerField()
        comment = CharField(max_length=500, default="")
        comment_held = BooleanField(default=False)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = "project_rating"
            indexes = ((("project", "user"), True), (("project", "id"), False))

    db.create_tables([ProjectRound, Project, Ballot, BallotChoice, ResultOverride,
                      ProjectMilestone, ProjectSpending, ProjectRating])
    if isinstance(db, PostgresqlDatabase):
        for table, column in C_COLLATED:
            db.execute_sql(f'ALTER TABLE {table} ALTER COLUMN "{column}" '
                           'TYPE varchar(255) COLLATE "C"')
