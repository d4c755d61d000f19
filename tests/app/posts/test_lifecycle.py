"""A post from draft to withdrawal through the services: each step, its audit, and each move
refused from the states that do not allow it."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.clock import frozen
from app.errors import Conflict, InvalidInput, NotFound
from app.media import services as media
from app.media.storage import FileSystemStorage
from app.posts import reading
from app.posts import services as posts
from tests.app.media import samples
from tests.app.posts.conftest import HOUR, MONDAY_9AM, draft, fresh, published


def audits(post):
    return [e.action for e in AuditEntry.select().where(
        (AuditEntry.object_type == "post") & (AuditEntry.object_id == str(post.id)))
        .order_by(AuditEntry.id)]


def test_a_draft_is_seen_by_staff_but_not_by_residents(town):
    post = draft(town, town.tree.village_a1)
    assert (post.status, post.region_path) == ("draft", town.tree.village_a1.path)
    assert posts.load_for_staff(town.staff(town.cadre), post.id).id == post.id
    with pytest.raises(NotFound):
        reading.read_post(town.actor(town.resident), post.id)
    assert reading.list_posts(town.actor(town.resident)).items == []
    assert audits(post) == ["post.create"]


def test_publishing_makes_it_public_and_is_audited_without_its_text(town):
    post = draft(town, town.tree.village_a1)
    with frozen(MONDAY_9AM + HOUR):
        posts.publish_post(town.staff(town.cadre), post.id)
    post = fresh(post)
    assert (post.status, post.published_at, post.publish_at) == (
        "published", MONDAY_9AM + HOUR, None)
    assert reading.read_post(None, post.id).id == post.id
    entry = AuditEntry.get(AuditEntry.action == "post.publish")
    assert (entry.actor_role, entry.region_path) == ("cadre", town.tree.village_a1.path)
    assert "草稿" not in entry.summary and "正文" not in entry.summary


def test_a_draft_is_edited_but_a_published_post_is_not(town):
    post = draft(town, town.tree.village_a1)
    admin = town.staff(town.town_admin)
    posts.update_post(admin, post.id, kind="policy", title="新标题", body="新正文")
    assert (fresh(post).kind, fresh(post).title, fresh(post).version) == ("policy", "新标题", 2)
    posts.publish_post(admin, post.id)
    with pytest.raises(Conflict) as info:
        posts.update_post(admin, post.id, kind="policy", title="改", body="改")
    assert info.value.code == "post.illegal_transition"


def test_a_schedule_keeps_the_draft_until_the_job_publishes_it(town):
    post = draft(town, town.tree.village_a1)
    admin = town.staff(town.town_admin)
    with frozen(MONDAY_9AM):
        with pytest.raises(InvalidInput) as info:
            posts.publish_post(admin, post.id, publish_at=MONDAY_9AM)
        assert info.value.code == "post.schedule_in_past"
        posts.publish_post(admin, post.id, publish_at=MONDAY_9AM + 2 * HOUR)
    post = fresh(post)
    assert (post.status, post.publish_at) == ("draft", MONDAY_9AM + 2 * HOUR)
    assert reading.list_posts(town.actor(town.resident)).items == []
    assert audits(post)[-1] == "post.schedule"


def test_a_schedule_can_be_cancelled_once(town):
    post = draft(town, town.tree.village_a1)
    admin = town.staff(town.town_admin)
    with frozen(MONDAY_9AM):
        posts.publish_post(admin, post.id, publish_at=MONDAY_9AM + HOUR)
    posts.unschedule_post(admin, post.id)
    assert fresh(post).publish_at is None
    with pytest.raises(Conflict) as info:
        posts.unschedule_post(admin, post.id)
    assert info.value.code == "post.not_scheduled"


def test_pinning_a_post_and_unpinning_it(town):
    post = published(town, town.tree.village_a1)
    admin = town.staff(town.town_admin)
    assert posts.set_pinned(admin, post.id, True).pinned is True
    assert posts.set_pinned(admin, post.id, False).pinned is False
    assert audits(post)[-2:] == ["post.pin", "post.pin"]


def test_withdrawal_needs_a_reason_and_hides_the_post(town):
    post = published(town, town.tree.village_a1)
    admin = town.staff(town.town_admin)
    with pytest.raises(InvalidInput) as info:
        posts.withdraw_post(admin, post.id, reason=" ")
    assert info.value.code == "post.reason_required"
    posts.withdraw_post(admin, post.id, reason="通知时间有误，另行发布")
    post = fresh(post)
    assert (post.status, post.withdraw_reason) == ("withdrawn", "通知时间有误，另行发布")
    with pytest.raises(NotFound):
        reading.read_post(town.actor(town.resident), post.id)
    assert reading.list_posts(town.actor(town.resident)).items == []


MOVES = {
    "update": lambda a, p: posts.update_post(a, p.id, kind="notice", title="标题", body="正文"),
    "publish": lambda a, p: posts.publish_post(a, p.id),
    "schedule": lambda a, p: posts.publish_post(a, p.id, publish_at=MONDAY_9AM + 9 * HOUR),
    "pin": lambda a, p: posts.set_pinned(a, p.id, True),
    "withdraw": lambda a, p: posts.withdraw_post(a, p.id, reason="理由"),
}
ILLEGAL = [("published", "update"), ("published", "publish"), ("published", "schedule"),
           ("withdrawn", "update"), ("withdrawn", "publish"), ("withdrawn", "schedule"),
           ("withdrawn", "pin"), ("withdrawn", "withdraw")]


@pytest.mark.parametrize("state,move", ILLEGAL, ids=[f"{s}-{m}" for s, m in ILLEGAL])
def test_an_illegal_move_is_refused_and_changes_nothing(town, state, move):
    post = published(town, town.tree.village_a1)
    admin = town.staff(town.town_admin)
    if state == "withdrawn":
        posts.withdraw_post(admin, post.id, reason="撤回")
    before = fresh(post)
    with frozen(MONDAY_9AM), pytest.raises(Conflict) as info:
        MOVES[move](admin, before)
    assert info.value.code == "post.illegal_transition"
    assert (fresh(post).status, fresh(post).version) == (before.status, before.version)


def test_a_stale_edit_loses_to_the_one_before_it(town):
    post = draft(town, town.tree.village_a1)
    admin = town.staff(town.town_admin)
    stale = fresh(post)
    posts.set_pinned(admin, post.id, True)
    with pytest.raises(Conflict) as info:
        posts._apply(stale, "pin", {"pinned": False}, MONDAY_9AM)
    assert info.value.code == "post.changed"
    assert fresh(post).pinned is True


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(tmp_path / "media")


def test_images_and_a_cover_from_among_them(town, storage):
    author = town.staff(town.cadre)
    first, second = (media.store_image(author, samples.jpeg_bytes(), storage=storage)
                     for _ in range(2))
    stranger = media.store_image(author, samples.png_bytes(), storage=storage)
    with pytest.raises(InvalidInput) as info:
        posts.create_post(author, kind="news", title="新闻", body="正文",
                          region_id=town.tree.village_a1.id, photo_ids=(first.id,),
                          cover_media_id=stranger.id)
    assert info.value.code == "post.bad_cover"
    post = posts.create_post(author, kind="news", title="新闻", body="正文",
                             region_id=town.tree.village_a1.id,
                             photo_ids=(first.id, second.id), cover_media_id=second.id)
    assert fresh(post).cover_media_id == second.id
    assert [m.id for m in media.attached_media(f"post:{post.id}")] == [first.id, second.id]


def test_a_drafts_images_are_for_staff_and_a_published_posts_for_everyone(town, storage):
    author = town.staff(town.cadre)
    photo = media.store_image(author, samples.jpeg_bytes(), storage=storage)
    post = posts.create_post(author, kind="news", title="新闻", body="正文",
                             region_id=town.tree.village_a1.id, photo_ids=(photo.id,))
    with pytest.raises(NotFound):
        media.open_media(town.actor(town.resident), photo.id, storage=storage)
    assert media.open_media(town.staff(town.town_admin), photo.id, storage=storage)
    posts.publish_post(author, post.id)
    for reader in (town.resident, town.resident_b, town.visitor):
        assert media.open_media(town.actor(reader), photo.id, storage=storage)[0].id == photo.id


def test_a_post_goes_to_a_building_or_above_never_to_a_household(town):
    with pytest.raises(InvalidInput) as info:
        posts.create_post(town.staff(town.cadre), kind="notice", title="通知", body="正文",
                          region_id=town.tree.household_a1.id)
    assert info.value.code == "post.bad_region"
