"""Milestone photos: attached by the staff member who uploaded them, visible to whoever may
see the project, hidden from everyone else."""

from __future__ import annotations

import datetime as dt

import pytest

from app.clock import frozen
from app.errors import NotFound
from app.media import services as media
from app.media.storage import FileSystemStorage
from app.projects import describe, execution
from app.projects.models import ProjectMilestone
from tests.app.media import samples
from tests.app.projects.conftest import IN, accepted, make_round, publish, vote


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(tmp_path / "media")


def test_milestone_photos_are_seen_by_residents_of_the_region_only(village, storage):
    round_ = make_round(village)
    project = accepted(village, round_)
    vote(village, round_, village.proposer, project)
    publish(village, round_)
    staff = village.staff(village.cadre)
    photo = media.store_image(staff, samples.jpeg_bytes(), storage=storage)
    with frozen(IN["execution"]):
        milestone = execution.add_milestone(staff, project.id, note="地基完成",
                                            happened_on=dt.date(2026, 12, 13),
                                            photo_ids=(photo.id,))
    [shown] = describe.milestones(village.actor(village.neighbour),
                                  [ProjectMilestone.get_by_id(milestone.id)])
    assert [p.id for p in shown["photos"]] == [photo.id]
    opened, _ = media.open_media(village.actor(village.neighbour), photo.id, storage=storage)
    assert opened.id == photo.id
    for outsider in (village.other_village, village.visitor):
        with pytest.raises(NotFound):
            media.open_media(village.actor(outsider), photo.id, storage=storage)
