"""Uploads never attached are purged after a while; attached ones stay."""

from __future__ import annotations

import datetime as dt

from app.accounts.tokens import load_actor
from app.clock import frozen, utcnow
from app.media import services
from app.media.jobs import UNATTACHED_TTL, purge_unattached_media
from app.media.models import Media
from app.media.storage import FileSystemStorage
from tests.app.media import samples
from tests.factories import make_user


def test_old_unattached_uploads_are_purged_with_their_files(tmp_path):
    storage = FileSystemStorage(tmp_path)
    actor = load_actor(make_user())
    start = utcnow()
    with frozen(start):
        abandoned = services.store_image(actor, samples.jpeg_bytes(), storage=storage)
        kept = services.store_image(actor, samples.jpeg_bytes(), storage=storage)
        services.attach_media(actor, [kept.id], "thing:1", limit=9)
    with frozen(start + UNATTACHED_TTL - dt.timedelta(minutes=1)):
        assert purge_unattached_media(storage) == 0
    with frozen(start + UNATTACHED_TTL + dt.timedelta(minutes=1)):
        fresh = services.store_image(actor, samples.jpeg_bytes(), storage=storage)
        assert purge_unattached_media(storage) == 1
        assert purge_unattached_media(storage) == 0
    assert {m.id for m in Media.select()} == {kept.id, fresh.id}
    assert not storage.path_for(abandoned.storage_key).exists()
    assert storage.path_for(kept.storage_key).exists()
