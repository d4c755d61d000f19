"""Storing, attaching and reading images through the media services."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from PIL import ExifTags, Image

from app.accounts.tokens import load_actor
from app.clock import frozen, utcnow
from app.errors import Conflict, DomainError, InvalidInput, NotFound, RateLimited, Unauthorized
from app.media import services
from app.media.images import PayloadTooLarge
from app.media.models import Media
from app.media.policies import register_visibility, unregister_visibility
from app.media.storage import FileSystemStorage
from tests.app.media import samples
from tests.factories import build_tree, grant, make_user

TARGET = "thing:1"


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(tmp_path / "media")


@pytest.fixture
def owner():
    return load_actor(make_user())


@pytest.fixture
def other():
    return load_actor(make_user())


@pytest.fixture
def hooks():
    registered = []

    def register(prefix, fn):
        registered.append(prefix)
        return register_visibility(prefix, fn)

    yield register
    for prefix in registered:
        unregister_visibility(prefix)


def upload(actor, storage, data=None):
    return services.store_image(actor, data or samples.jpeg_bytes(), storage=storage)


def test_stored_image_has_no_gps_and_its_row_describes_the_clean_bytes(owner, storage):
    original = samples.jpeg_bytes((30, 10), gps=True)
    media = upload(owner, storage, original)
    stored = storage.get(media.storage_key)
    assert stored != original
    assert Image.open(io.BytesIO(stored)).getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert media.sha256 == hashlib.sha256(stored).hexdigest()
    assert (media.mime, media.width, media.height, media.size) == ("image/jpeg", 30, 10,
                                                                   len(stored))
    assert media.owner_id == owner.user_id and media.attached_to is None
    assert Media.get_by_id(media.id).storage_key == media.storage_key


def test_storage_key_is_random_and_unrelated_to_the_content(owner, storage):
    data = samples.jpeg_bytes()
    first, second = upload(owner, storage, data), upload(owner, storage, data)
    assert first.storage_key != second.storage_key
    assert len(first.storage_key) == 32


def test_rejected_upload_leaves_no_row_and_no_file(owner, storage):
    with pytest.raises(InvalidInput):
        upload(owner, storage, samples.HTML)
    with pytest.raises(PayloadTooLarge):
        services.store_image(owner, samples.jpeg_bytes(), storage=storage, max_bytes=10)
    assert Media.select().count() == 0
    assert not storage.root.exists() or not any(storage.root.rglob("*"))


def test_storing_requires_a_caller(storage):
    with pytest.raises(Unauthorized):
        upload(None, storage)


def test_unattached_uploads_are_capped_per_day(owner, storage, monkeypatch):
    monkeypatch.setattr(services, "MAX_PENDING_PER_DAY", 2)
    upload(owner, storage)
    upload(owner, storage)
    with pytest.raises(RateLimited) as err:
        upload(owner, storage)
    assert err.value.code == "media.too_many_pending"
    with frozen(utcnow() + dt.timedelta(days=1, seconds=1)):
        upload(owner, storage)


def test_attach_sets_the_target_and_keeps_the_given_order(owner, storage):
    first, second = upload(owner, storage), upload(owner, storage)
    rows = services.attach_media(owner, [second.id, first.id, second.id], TARGET, limit=9)
    assert [m.id for m in rows] == [second.id, first.id]
    assert {m.attached_to for m in Media.select()} == {TARGET}
    assert all(m.attached_at is not None for m in Media.select())
    assert [m.id for m in services.attached_media(TARGET)] == sorted([first.id, second.id])


def test_attach_allows_nine_and_refuses_the_tenth(owner, storage):
    ids = [upload(owner, storage).id for _ in range(10)]
    with pytest.raises(InvalidInput) as err:
        services.attach_media(owner, ids, TARGET, limit=9)
    assert err.value.code == "media.too_many" and err.value.details == {"limit": 9}
    assert len(services.attach_media(owner, ids[:9], TARGET, limit=9)) == 9
    with pytest.raises(InvalidInput):
        services.attach_media(owner, ids[9:], TARGET, limit=9)


def test_attaching_someone_elses_media_is_refused_and_changes_nothing(owner, other, storage):
    mine, theirs = upload(owner, storage), upload(other, storage)
    with pytest.raises(NotFound) as err:
        services.attach_media(owner, [mine.id, theirs.id], TARGET, limit=9)
    assert err.value.code == "media.not_found"
    assert Media.select().where(Media.attached_to.is_null(False)).count() == 0


def test_attaching_twice_is_refused(owner, storage):
    media = upload(owner, storage)
    services.attach_media(owner, [media.id], TARGET, limit=9)
    with pytest.raises(Conflict) as err:
        services.attach_media(owner, [media.id], "thing:2", limit=9)
    assert err.value.code == "media.already_attached"
    assert Media.get_by_id(media.id).attached_to == TARGET


def test_staff_attach_their_own_uploads(storage):
    tree = build_tree()
    staff_user = make_user()
    grant(staff_user, "grid_worker", tree.grid_a1)
    staff = load_actor(staff_user)
    media = upload(staff, storage)
    assert services.attach_media(staff, [media.id], TARGET, limit=9)[0].attached_to == TARGET


def test_attach_rejects_a_malformed_target(owner, storage):
    media = upload(owner, storage)
    for target in ("thing", "thing:", "../etc:1", "Thing:1", "thing:1/2"):
        with pytest.raises(ValueError):
            services.attach_media(owner, [media.id], target, limit=9)


def test_owner_reads_their_upload(owner, storage):
    media = upload(owner, storage)
    row, data = services.open_media(owner, media.id, storage=storage)
    assert row.id == media.id and hashlib.sha256(data).hexdigest() == media.sha256


def test_others_see_nothing_of_an_unattached_or_unknown_image(owner, other, storage):
    media = upload(owner, storage)
    for media_id in (media.id, media.id + 1000):
        with pytest.raises(NotFound) as err:
            services.open_media(other, media_id, storage=storage)
        assert err.value.code == "media.not_found"
    with pytest.raises(Unauthorized):
        services.open_media(None, media.id, storage=storage)


def test_visibility_hook_of_the_target_decides_for_everyone_but_the_owner(
        owner, other, storage, hooks):
    media = upload(owner, storage)
    services.attach_media(owner, [media.id], TARGET, limit=9)
    with pytest.raises(NotFound):  # no hook registered for "thing": owner only
        services.open_media(other, media.id, storage=storage)
    calls = []
    hooks("thing", lambda actor, target: calls.append((actor.user_id, target)) or True)
    assert services.open_media(other, media.id, storage=storage)[0].id == media.id
    assert calls == [(other.user_id, TARGET)]
    hooks("thing", lambda actor, target: False)
    with pytest.raises(NotFound):
        services.open_media(other, media.id, storage=storage)
    assert services.open_media(owner, media.id, storage=storage)[0].id == media.id


def test_a_hook_that_raises_a_domain_error_means_not_visible(owner, other, storage, hooks):
    media = upload(owner, storage)
    services.attach_media(owner, [media.id], TARGET, limit=9)

    def gone(actor, target):
        raise DomainError("thing.not_found")

    hooks("thing", gone)
    with pytest.raises(NotFound):
        services.open_media(other, media.id, storage=storage)


def test_a_lost_file_reads_as_not_found(owner, storage):
    media = upload(owner, storage)
    storage.delete(media.storage_key)
    with pytest.raises(NotFound):
        services.open_media(owner, media.id, storage=storage)
